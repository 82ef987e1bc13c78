"""Two-arm binary, continuous and generic outcomes against pinned metafor values
(tests/reference/metafor_types.json, written by tests/reference/make_metafor_reference.R):
escalc effect sizes, rma with several estimators, rma.mh and rma.peto."""

from __future__ import annotations

import numpy as np
import pytest
from metafor_reference import (
    CLOSED_FORM_RTOL,
    FIELDS,
    assert_fields_match,
    load_reference,
    tolerance_for,
)

from reportgen.stats.effects import (
    binary_effects,
    continuous_effects,
    generic_effects,
    peto_effects,
)
from reportgen.stats.mantel_haenszel import mantel_haenszel, peto
from reportgen.stats.pooling import pool

CASES = load_reference("metafor_types.json")["cases"]


def _id(case):
    return f"{case['type']}-{case['dataset']}-{case['measure']}-{case['method']}-{case['test']}"


def effects_of(case):
    if case["type"] == "binary":
        if case["method"] == "PETO":
            return peto_effects(case["a"], case["n1"], case["c"], case["n2"])
        return binary_effects(case["a"], case["n1"], case["c"], case["n2"], case["measure"])
    if case["type"] == "continuous":
        return continuous_effects(
            case["m1"],
            case["sd1"],
            case["n1"],
            case["m2"],
            case["sd2"],
            case["n2"],
            case["measure"],
        )
    k = len(case["estimate_in"])
    nan = [float("nan")] * k
    return generic_effects(
        case["estimate_in"],
        case.get("se_in", nan),
        case.get("ci_lower_in", nan),
        case.get("ci_upper_in", nan),
        case["measure"],
    )


@pytest.mark.parametrize("case", [c for c in CASES if "yi" in c], ids=_id)
def test_effect_sizes_match_escalc(case):
    effects = effects_of(case)
    np.testing.assert_allclose(effects.yi, case["yi"], rtol=CLOSED_FORM_RTOL, atol=1e-14)
    np.testing.assert_allclose(effects.vi, case["vi"], rtol=CLOSED_FORM_RTOL)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_pooled_results_match_metafor(case):
    if case["method"] == "MH":
        result = mantel_haenszel(case["a"], case["n1"], case["c"], case["n2"], case["measure"])
    elif case["method"] == "PETO":
        result = peto(case["a"], case["n1"], case["c"], case["n2"])
    else:
        effects = effects_of(case)
        result = pool(effects.yi, effects.vi, method=case["method"], test=case["test"])
    rtol = tolerance_for(case["method"])
    assert_fields_match(result, case, FIELDS, rtol)
    np.testing.assert_allclose(result.weights, case["weights"], rtol=rtol)
