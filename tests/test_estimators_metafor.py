"""Every tau2 estimator x test, and Q-profile CIs, against pinned metafor values
(tests/reference/metafor_estimators.json, written by tests/reference/make_metafor_reference.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reportgen.pooling import pool
from reportgen.tau2 import ESTIMATORS

REFERENCE = json.loads(
    (Path(__file__).parent / "reference" / "metafor_estimators.json").read_text()
)
CASES = REFERENCE["cases"]
CLOSED_FORM_RTOL = 1e-6  # DL, HS, SJ, HE, FE: same formulas, double precision
ITERATIVE_RTOL = 1e-5  # REML, ML, EB (Fisher scoring) and PM, Q-profile (Brent, as uniroot)
ABSOLUTE_FLOOR = 1e-12
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
Q_PROFILE_FIELDS = ("tau2_ci_lower", "tau2_ci_upper", "i2_ci_lower", "i2_ci_upper")


def _id(case):
    return f"{case['dataset']}-{case['method']}-{case['test']}"


def test_every_estimator_is_covered():
    assert {c["method"] for c in CASES} == set(ESTIMATORS)
    assert {c["test"] for c in CASES} == {"z", "knha"}


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_model_matches_rma(case):
    result = pool(case["yi"], case["vi"], method=case["method"], test=case["test"])
    iterative = case["method"] in ("REML", "ML", "EB", "PM")
    rtol = ITERATIVE_RTOL if iterative else CLOSED_FORM_RTOL
    for field in FIELDS:
        expected, actual = case[field], getattr(result, field)
        if abs(actual - expected) > ABSOLUTE_FLOOR:
            assert actual == pytest.approx(expected, rel=rtol), field
    np.testing.assert_allclose(result.weights, case["weights"], rtol=rtol)
    if case["tau2_ci_lower"] is not None:
        for field in Q_PROFILE_FIELDS:
            expected, actual = case[field], getattr(result, field)
            if abs(actual - expected) > ABSOLUTE_FLOOR:
                assert actual == pytest.approx(expected, rel=ITERATIVE_RTOL), field
