"""Incidence rates against pinned metafor values (tests/reference/metafor_rates.json, written by
tests/reference/metafor_rates.R): escalc's IR, IRLN, IRS, IRFT, IRR, IRD and IRSD with its
zero-count options, rma.uni with every estimator and test (through ``fit_table``, the function
the report uses, including the back-transformation), and rma.mh for IRR and IRD."""

from __future__ import annotations

import math

import numpy as np
import pytest
from metafor_reference import (
    CLOSED_FORM_RTOL,
    FIELDS,
    assert_fields_match,
    load_reference,
    tolerance_for,
)

from reportgen.stats.data import OutcomeTable
from reportgen.stats.effects import (
    ZeroCells,
    double_zero_rates,
    rate_comparison_effects,
    rate_effects,
)
from reportgen.stats.fitting import FitOptions, fit_table
from reportgen.stats.measures import OUTCOME_TYPES
from reportgen.stats.mh_rates import mantel_haenszel_rates

CASES = load_reference("metafor_rates.json")["cases"]
SINGLE = OUTCOME_TYPES["rate"].measures


def _id(case):
    parts = [case["kind"], case["dataset"], case["measure"]]
    for key in ("method", "test", "to", "add", "drop00", "correct"):
        if key in case:
            parts.append(f"{key}={case[key]}")
    return "-".join(str(p) for p in parts)


def _table(case) -> OutcomeTable:
    k = len(case["x1"])
    ids = tuple(f"s{i}" for i in range(k))
    if case["measure"] in SINGLE:
        columns = {"events": np.array(case["x1"], float), "time": np.array(case["t1"], float)}
        return OutcomeTable("rate", ids, ids, columns)
    columns = {
        "events_1": np.array(case["x1"], float),
        "time_1": np.array(case["t1"], float),
        "events_2": np.array(case["x2"], float),
        "time_2": np.array(case["t2"], float),
    }
    return OutcomeTable("rate_comparison", ids, ids, columns)


def _effects(case, zero_cells=None):
    zero_cells = zero_cells or ZeroCells()
    if case["measure"] in SINGLE:
        return rate_effects(case["x1"], case["t1"], case["measure"], zero_cells)
    return rate_comparison_effects(
        case["x1"], case["t1"], case["x2"], case["t2"], case["measure"], zero_cells
    )


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "escalc"], ids=_id)
def test_effect_sizes_and_zero_options_match_escalc(case):
    add = None if case["add"] is None else case["add"]
    effects = _effects(case, ZeroCells(add, case["to"], case["drop00"]))
    yi = np.array([np.nan if v is None else v for v in case["yi"]], float)
    vi = np.array([np.nan if v is None else v for v in case["vi"]], float)
    kept = ~np.isnan(yi)
    if case["drop00"]:
        # escalc's drop00 sets yi to NA for double zeros; reportgen leaves those studies out.
        assert not kept[double_zero_rates(case["x1"], case["x2"])].any()
    np.testing.assert_allclose(effects.yi[kept], yi[kept], rtol=CLOSED_FORM_RTOL, atol=1e-14)
    np.testing.assert_allclose(effects.vi[kept], vi[kept], rtol=CLOSED_FORM_RTOL)


def _expected_natural(case, field):
    value = case["natural"][field]
    if case["measure"] == "IR":
        return max(value, 0.0)  # reportgen floors rates at 0; metafor's identity keeps < 0
    if case["measure"] == "IRS":
        return max(case[field], 0.0) ** 2  # floored before squaring (see transforms.square)
    return value


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "uni"], ids=_id)
def test_inverse_variance_fits_match_rma(case):
    fit = fit_table(_table(case), case["measure"], case["method"], case["test"])
    np.testing.assert_allclose(fit.effects.yi, case["yi"], rtol=CLOSED_FORM_RTOL, atol=1e-14)
    rtol = tolerance_for(case["method"])
    assert_fields_match(fit.model, case, FIELDS, rtol)
    for field in ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper"):
        expected = _expected_natural(case, field)
        actual = getattr(fit.pooled, field)
        assert actual == pytest.approx(expected, rel=rtol, abs=1e-12), field


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "mh"], ids=_id)
def test_mantel_haenszel_rates_match_rma_mh(case):
    table = _table(case)
    fit = fit_table(table, case["measure"], "MH", "z", FitOptions(correct=case["correct"]))
    fields = ("estimate", "se", "statistic", "p_value", "ci_lower", "ci_upper", "i2", "h2", "q")
    assert_fields_match(fit.model, case, (*fields, "q_p"), CLOSED_FORM_RTOL)
    if case["measure"] == "IRR":
        assert fit.model.mh is not None
        assert fit.model.mh.cmh == pytest.approx(case["cmh"], rel=CLOSED_FORM_RTOL)
        assert fit.model.mh.cmh_p == pytest.approx(case["cmh_p"], rel=CLOSED_FORM_RTOL)
        assert math.isnan(fit.model.mh.tarone)
    else:
        assert fit.model.mh is None and case["cmh"] is None


def test_mh_rate_ratio_without_events_in_one_arm_is_refused():
    from reportgen.errors import AnalysisError

    with pytest.raises(AnalysisError, match="rate ratio is undefined"):
        mantel_haenszel_rates([0, 0], [10, 20], [1, 2], [10, 20], "IRR")


def test_irft_back_transform_uses_the_harmonic_mean_time():
    case = next(c for c in CASES if c["kind"] == "uni" and c["measure"] == "IRFT")
    fit = fit_table(_table(case), "IRFT", case["method"], case["test"])
    assert fit.back_transform_n == pytest.approx(1 / np.mean(1 / np.array(case["t1"])))
