"""Effect sizes and pooled results against values pinned from R's metafor.

tests/reference/metafor_proportions.json was written by tests/reference/make_metafor_reference.R
(R and metafor versions are recorded in the file); rerun that script to regenerate it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from metafor_reference import (
    CLOSED_FORM_RTOL,
    HETEROGENEITY_FIELDS,
    MODEL_FIELDS,
    assert_fields_match,
    load_reference,
    tolerance_for,
)

from reportgen.stats.effects import harmonic_mean, proportion_effects, to_proportion
from reportgen.stats.pooling import pool

REFERENCE = load_reference("metafor_proportions.json")


def _case_id(case: dict) -> str:
    return f"{case['dataset']}-{case['measure']}-{case['method']}-{case['test']}"


CASES = REFERENCE["cases"]


def test_reference_records_versions():
    assert REFERENCE["metafor_version"]
    assert REFERENCE["r_version"].startswith("R version")
    assert len(CASES) == 8 * 5 * 9 * 2  # datasets x measures x methods x tests


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_effect_sizes_match_escalc(case):
    effects = proportion_effects(
        np.array(case["events"]), np.array(case["totals"]), case["measure"]
    )
    np.testing.assert_allclose(effects.yi, np.atleast_1d(case["yi"]), rtol=CLOSED_FORM_RTOL)
    np.testing.assert_allclose(effects.vi, np.atleast_1d(case["vi"]), rtol=CLOSED_FORM_RTOL)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_pooled_model_matches_rma(case):
    result = pool(case["yi"], case["vi"], method=case["method"], test=case["test"])
    rtol = tolerance_for(case["method"])
    if result.k == 1:
        # metafor cannot do Knapp-Hartung with one study (NA); we fall back to z.
        if case["test"] == "z":
            assert_fields_match(result, case, MODEL_FIELDS, rtol)
        assert result.tau2 is None and result.i2 is None and result.q_p is None
        return
    assert_fields_match(result, case, MODEL_FIELDS + HETEROGENEITY_FIELDS, rtol)
    assert result.q_df == case["q_df"]
    np.testing.assert_allclose(result.weights, case["weights"], rtol=rtol)


@pytest.mark.parametrize("case", [c for c in CASES if len(c["totals"]) > 1], ids=_case_id)
def test_back_transformed_pooled_values_match_predict(case):
    result = pool(case["yi"], case["vi"], method=case["method"], test=case["test"])
    n = harmonic_mean(case["totals"]) if case["measure"] == "PFT" else None
    fields = ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper")
    ours = dict(
        zip(
            fields,
            to_proportion([getattr(result, f) for f in fields], case["measure"], n).tolist(),
            strict=True,
        )
    )
    # reportgen clips proportions to [0, 1]; metafor leaves PR and PLN bounds unclipped.
    expected = {f: min(1.0, max(0.0, case["natural"][f])) for f in fields}
    assert_fields_match(SimpleNamespace(**ours), expected, fields, tolerance_for(case["method"]))
