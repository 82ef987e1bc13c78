"""The binomial-normal GLMM against metafor's rma.glmm (lme4, nAGQ = 7), pinned in
tests/reference/metafor_glmm.json by tests/reference/make_metafor_reference.R."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.errors import AnalysisError
from reportgen.glmm import fit_glmm

REFERENCE = json.loads((Path(__file__).parent / "reference" / "metafor_glmm.json").read_text())
# lme4 stops its optimiser at a looser tolerance than our nested searches; the issue allows 1e-3.
GLMM_RTOL = 1e-3
ABSOLUTE_FLOOR = 1e-6  # tau2 and I2 on the 0 boundary
FIELDS = (
    "estimate",
    "se",
    "statistic",
    "p_value",
    "ci_lower",
    "ci_upper",
    "pi_lower",
    "pi_upper",
    "tau2",
    "i2",
    "h2",
    "q",
    "q_p",
)


@pytest.mark.parametrize(
    "case", [c for c in REFERENCE["cases"] if not c["failed"]], ids=lambda c: c["dataset"]
)
def test_glmm_matches_rma_glmm(case):
    result = fit_glmm(case["events"], case["totals"])
    for field in FIELDS:
        expected, actual = case[field], getattr(result, field)
        if abs(actual - expected) > ABSOLUTE_FLOOR:
            assert actual == pytest.approx(expected, rel=GLMM_RTOL), field


def test_glmm_fits_zero_and_full_studies_and_small_k():
    result = fit_glmm([0, 5, 6], [10, 5, 12])
    assert result.k == 3 and result.tau2 >= 0 and result.ci_lower < result.ci_upper


def test_glmm_says_clearly_when_it_cannot_fit():
    with pytest.raises(AnalysisError, match="every study has 0%"):
        fit_glmm([0, 0, 0], [10, 12, 8])
    with pytest.raises(AnalysisError, match="at least two studies"):
        fit_glmm([3], [10])
