"""Three-level models against pinned metafor values (tests/reference/metafor_multilevel.json,
written by tests/reference/metafor_multilevel.R): rma.mv(yi, vi, random = ~ 1 | study/effect)
with REML and ML, z and t tests, on metafor's own example (dat.konstantopoulos2011),
dat.assink2016 and two edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from metafor_reference import (
    ABSOLUTE_FLOOR,
    ITERATIVE_RTOL,
    MODEL_FIELDS,
    assert_fields_match,
    load_reference,
)

from reportgen.errors import AnalysisError
from reportgen.stats.multilevel import fit_three_level

CASES = load_reference("metafor_multilevel.json")["cases"]
# metafor's optimiser leaves components on the 0 boundary at about 1e-11 (ours: exactly 0); the
# log-likelihood there differs by rounding of that residue only.
BOUNDARY_FLOOR = 1e-9
# ... and that residue, as a percentage of the total variance, is about 3e-8 points of I2.
I2_BOUNDARY_FLOOR = 1e-6


def _id(case):
    return f"{case['dataset']}-{case['method']}-{case['test']}"


def _fit(case):
    return fit_three_level(case["yi"], case["vi"], case["study"], case["method"], case["test"])


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_three_level_model_matches_rma_mv(case):
    result = _fit(case)
    assert_fields_match(result, case, (*MODEL_FIELDS, "q", "q_p"), ITERATIVE_RTOL)
    assert_fields_match(result, case, ("loglik", "aic", "bic"), ITERATIVE_RTOL, BOUNDARY_FLOOR)
    assert result.df == (None if case["test"] == "z" else case["df"])
    np.testing.assert_allclose(result.weights, case["weights"], rtol=ITERATIVE_RTOL)
    components = result.components
    if case["dataset"] == "one_per_study":
        # not identified: only the sum is estimated (metafor's search splits it equally too)
        total = case["sigma2_between"] + case["sigma2_within"]
        assert result.tau2 == pytest.approx(total, rel=ITERATIVE_RTOL, abs=BOUNDARY_FLOOR)
        assert components.sigma2_between == pytest.approx(components.sigma2_within)
        assert any("cannot be told apart" in note for note in result.notes)
        return
    sigma2 = ("sigma2_between", "sigma2_within")
    assert_fields_match(components, case, sigma2, ITERATIVE_RTOL, BOUNDARY_FLOOR)
    i2 = ("i2_between", "i2_within")
    assert_fields_match(components, case, i2, ITERATIVE_RTOL, I2_BOUNDARY_FLOOR)
    assert components.studies == len(set(case["study"]))
    assert not result.notes


def test_konstantopoulos_reproduces_metafor_printout():
    """The numbers metafor's documentation prints for its own example (REML)."""
    case = next(c for c in CASES if c["dataset"] == "konstantopoulos2011" and c["test"] == "z")
    result = _fit(case)
    assert round(result.components.sigma2_between, 4) == 0.0651
    assert round(result.components.sigma2_within, 4) == 0.0327
    assert round(result.estimate, 4) == 0.1847 and round(result.se, 4) == 0.0846
    assert round(result.loglik, 6) == -7.958724


def test_invalid_options_and_data_are_refused():
    case = CASES[0]
    with pytest.raises(ValueError, match="must be one of REML, ML"):
        fit_three_level(case["yi"], case["vi"], case["study"], "DL")
    with pytest.raises(ValueError, match="must be one of z, t"):
        fit_three_level(case["yi"], case["vi"], case["study"], "REML", "knha")
    with pytest.raises(AnalysisError, match="at least two effects"):
        fit_three_level([0.1], [0.01], ["a"])
    with pytest.raises(AnalysisError, match="at least two studies"):
        fit_three_level([0.1, 0.3, 0.2], [0.01, 0.02, 0.03], ["a", "a", "a"])
    with pytest.raises(AnalysisError, match="vi > 0"):
        fit_three_level([0.1, 0.2], [0.01, 0.0], ["a", "a"])
    assert ABSOLUTE_FLOOR < BOUNDARY_FLOOR


def test_input_order_of_studies_does_not_matter():
    case = next(c for c in CASES if c["dataset"] == "assink2016" and c["method"] == "REML")
    order = np.random.default_rng(1).permutation(len(case["yi"]))
    shuffled = fit_three_level(
        np.array(case["yi"])[order],
        np.array(case["vi"])[order],
        [case["study"][i] for i in order],
    )
    original = _fit({**case, "test": "z"})
    assert shuffled.estimate == pytest.approx(original.estimate, rel=1e-9)
    assert shuffled.components.sigma2_between == pytest.approx(
        original.components.sigma2_between, rel=1e-6
    )
    np.testing.assert_allclose(shuffled.weights, original.weights[order], rtol=1e-6)


def test_the_level_sets_the_three_level_intervals():
    """rma.mv(yi, vi, random = ~ 1 | district/school, data = dat.konstantopoulos2011,
    level = 90) and its predict(): CI and prediction interval (metafor 3.8-1, R 4.2.2)."""
    case = next(c for c in CASES if c["dataset"] == "konstantopoulos2011" and c["test"] == "z")
    result = fit_three_level(case["yi"], case["vi"], case["study"], "REML", "z", 90)
    assert result.level == 90
    bounds = (result.ci_lower, result.ci_upper, result.pi_lower, result.pi_upper)
    metafor = (0.045631054050, 0.323795273296, -0.348148750914, 0.717575078259)
    assert bounds == pytest.approx(metafor, rel=ITERATIVE_RTOL, abs=1e-8)
