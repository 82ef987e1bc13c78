"""Leave-one-out, subgroups, Egger, Begg and trim-and-fill against pinned metafor values
(tests/reference/metafor_analyses.json, written by tests/reference/make_metafor_reference.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reportgen.stats.pooling import pool
from reportgen.stats.small_study import begg_test, egger_test, trim_and_fill

REFERENCE = json.loads((Path(__file__).parent / "reference" / "metafor_analyses.json").read_text())
CASES = REFERENCE["cases"]
RTOL = 1e-5  # iterative estimators are involved in every analysis here
ABSOLUTE_FLOOR = 1e-10


def _id(case):
    return f"{case['dataset']}-{case['method']}"


def close(actual, expected, what):
    if expected is None:
        return
    if abs(actual - expected) > ABSOLUTE_FLOOR:
        assert actual == pytest.approx(expected, rel=RTOL), what


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_leave_one_out(case):
    y, v = np.array(case["yi"]), np.array(case["vi"])
    expected = case["leave_one_out"]
    for i in range(y.size):
        keep = np.arange(y.size) != i
        result = pool(y[keep], v[keep], method=case["method"])
        for field in ("estimate", "se", "ci_lower", "ci_upper", "i2", "q", "q_p"):
            close(getattr(result, field), expected[field][i], f"{field} omitting {i}")
        if case["method"] != "FE":
            close(result.tau2, expected["tau2"][i], f"tau2 omitting {i}")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_subgroups_and_q_between(case):
    y, v, group = np.array(case["yi"]), np.array(case["vi"]), np.array(case["group"])
    estimates, ses = [], []
    for expected in case["subgroups"]["groups"]:
        members = group == expected["value"]
        result = pool(y[members], v[members], method=case["method"])
        assert result.k == expected["k"]
        for field in ("estimate", "se", "ci_lower", "ci_upper"):
            close(getattr(result, field), expected[field], f"{field} of {expected['value']}")
        estimates.append(result.estimate)
        ses.append(result.se)
    between = pool(estimates, np.square(ses), method="FE")
    close(between.q, case["subgroups"]["q_between"], "q_between")
    close(between.q_p, case["subgroups"]["q_between_p"], "q_between_p")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_egger_and_begg(case):
    egger = egger_test(case["yi"], case["vi"])
    close(egger.statistic, case["egger"]["statistic"], "egger t")
    close(egger.p_value, case["egger"]["p_value"], "egger p")
    begg = begg_test(case["yi"], case["vi"])
    close(begg.statistic, case["begg"]["statistic"], "kendall tau")
    close(begg.p_value, case["begg"]["p_value"], "begg p")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_trim_and_fill(case):
    result = trim_and_fill(case["yi"], case["vi"], case["method"])
    expected = case["trimfill"]
    assert (result.k0, result.side) == (expected["k0"], expected["side"])
    for field in ("estimate", "se", "ci_lower", "ci_upper"):
        close(getattr(result.model, field), expected[field], field)
    close(result.model.tau2, expected["tau2"], "tau2")


def test_trim_and_fill_imputes_studies_somewhere():
    assert any(case["trimfill"]["k0"] > 0 for case in CASES)
