"""Every tau2 estimator x test, and Q-profile CIs, against pinned metafor values
(tests/reference/metafor_estimators.json, written by tests/reference/make_metafor_reference.R)."""

from __future__ import annotations

import numpy as np
import pytest
from metafor_reference import (
    FIELDS,
    ITERATIVE_RTOL,
    assert_fields_match,
    load_reference,
    tolerance_for,
)

from reportgen.stats.pooling import pool
from reportgen.stats.tau2 import ESTIMATORS

CASES = load_reference("metafor_estimators.json")["cases"]
Q_PROFILE_FIELDS = ("tau2_ci_lower", "tau2_ci_upper", "i2_ci_lower", "i2_ci_upper")


def _id(case):
    return f"{case['dataset']}-{case['method']}-{case['test']}"


def test_every_estimator_is_covered():
    assert {c["method"] for c in CASES} == set(ESTIMATORS)
    assert {c["test"] for c in CASES} == {"z", "knha"}


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_model_matches_rma(case):
    result = pool(case["yi"], case["vi"], method=case["method"], test=case["test"])
    rtol = tolerance_for(case["method"])
    assert_fields_match(result, case, FIELDS, rtol)
    np.testing.assert_allclose(result.weights, case["weights"], rtol=rtol)
    # Q-profile bounds come from Brent's root finder, stepping as R's uniroot.
    assert_fields_match(result, case, Q_PROFILE_FIELDS, ITERATIVE_RTOL)
