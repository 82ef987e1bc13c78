"""Confidence levels other than 95% (issue 14, item 3) and the GLMM's fit statistics (item 7),
against metafor's ``level`` argument (tests/reference/metafor_levels.R)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from metafor_reference import (
    CLOSED_FORM_RTOL,
    GLMM_RTOL,
    assert_fields_match,
    load_reference,
    tolerance_for,
)

from reportgen.stats.data import OutcomeTable
from reportgen.stats.fitting import at_level, fit_table
from reportgen.stats.glmm import fit_glmm
from reportgen.stats.levels import critical_value
from reportgen.stats.mantel_haenszel import mantel_haenszel, peto
from reportgen.stats.pooling import pool
from reportgen.stats.small_study import trim_and_fill

CASES = load_reference("metafor_levels.json")["cases"]
UNI = [c for c in CASES if c["kind"] == "uni"]
GLMM = [c for c in CASES if c["kind"] == "glmm"]
FIXED = [c for c in CASES if c["kind"] in ("mh", "peto")]
# The Q-profile bounds are roots found to metafor's tolerance (confint's tol 1e-7 on tau2).
Q_PROFILE_RTOL = 1e-4


def _id(case: dict) -> str:
    return "-".join(str(case.get(k, "")) for k in ("kind", "dataset", "level", "method", "test"))


def test_the_reference_covers_every_estimator_and_test_at_90_and_99() -> None:
    covered = {(c["level"], c["method"], c["test"]) for c in UNI}
    methods = ("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")
    assert covered == {(lv, m, t) for lv in (90, 99) for m in methods for t in ("z", "knha")}


@pytest.mark.parametrize("case", UNI, ids=_id)
def test_pool_at_a_level_matches_metafor(case: dict) -> None:
    result = pool(case["yi"], case["vi"], case["method"], case["test"], level=case["level"])
    assert result.level == case["level"]
    fields = ("estimate", "se", "ci_lower", "ci_upper", "pi_lower", "pi_upper", "tau2")
    assert_fields_match(result, case, fields, tolerance_for(case["method"]))
    if case["method"] != "FE":
        bounds = ("tau2_ci_lower", "tau2_ci_upper", "i2_ci_lower", "i2_ci_upper")
        assert_fields_match(result, case, bounds, Q_PROFILE_RTOL, floor=1e-8)


@pytest.mark.parametrize("case", FIXED, ids=_id)
def test_mantel_haenszel_and_peto_at_a_level_match_metafor(case: dict) -> None:
    arms = (case["a"], case["n1"], case["c"], case["n2"])
    model = mantel_haenszel(*arms, case["measure"]) if case["kind"] == "mh" else peto(*arms)
    result = at_level(model, case["level"])
    assert result.level == case["level"]
    fields = ("estimate", "se", "ci_lower", "ci_upper")
    assert_fields_match(result, case, fields, CLOSED_FORM_RTOL)
    assert (result.pi_lower, result.pi_upper) == (result.ci_lower, result.ci_upper)


@pytest.mark.parametrize("case", GLMM, ids=_id)
def test_glmm_at_a_level_and_its_fit_statistics_match_metafor(case: dict) -> None:
    result = fit_glmm(case["events"], case["totals"], level=case["level"])
    fields = ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper", "loglik", "aic", "bic")
    assert_fields_match(result, case, fields, GLMM_RTOL)


def test_level_95_is_the_default_bit_for_bit() -> None:
    yi, vi = [0.1, 0.5, -0.2, 0.3], [0.04, 0.05, 0.03, 0.09]
    assert pool(yi, vi, level=95).to_dict() == pool(yi, vi).to_dict()
    assert critical_value() == 1.959963984540054


@pytest.mark.parametrize("level", [0, 100, -5, 150])
def test_levels_outside_0_to_100_are_refused(level: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        pool([0.1, 0.2], [0.1, 0.1], level=level)


def test_a_proportion_is_refused_rather_than_read_as_a_tiny_level() -> None:
    with pytest.raises(ValueError, match="pass 95 for a 95% interval"):
        pool([0.1, 0.2], [0.1, 0.1], level=0.95)


def test_a_wider_level_gives_wider_intervals() -> None:
    yi, vi = [0.1, 0.5, -0.2, 0.3], [0.04, 0.05, 0.03, 0.09]
    widths = [
        (r.ci_upper - r.ci_lower, r.pi_upper - r.pi_lower, r.tau2_ci_upper - r.tau2_ci_lower)
        for r in (pool(yi, vi, "DL", level=level) for level in (80, 90, 95, 99))
    ]
    for narrow, wide in itertools.pairwise(widths):
        assert all(n < w for n, w in zip(narrow, wide, strict=True))


FIXED_FITS = load_reference("metafor_fixed_fitstats.json")["cases"]


@pytest.mark.parametrize(
    "case", FIXED_FITS, ids=lambda c: f"{c['dataset']}-{c['method']}-{c['measure']}"
)
def test_mantel_haenszel_and_peto_fit_statistics_match_metafor(case: dict) -> None:
    """rma.mh and rma.peto report logLik/AIC/BIC of a fixed-effect model of the effect sizes
    of their Cochran's Q (double zeros left out): the fit through ``fit_table``."""
    k = len(case["a"])
    names = (("events_1", "a"), ("total_1", "n1"), ("events_2", "c"), ("total_2", "n2"))
    columns = {name: np.asarray(case[key], dtype=float) for name, key in names}
    ids = tuple(f"s{i}" for i in range(k))
    table = OutcomeTable("binary", ids, ids, columns)
    measure = case["measure"]
    fit = fit_table(table, measure, case["method"], "z")
    assert fit.model.estimate == pytest.approx(case["estimate"], rel=CLOSED_FORM_RTOL)
    assert_fields_match(fit.model, case, ("loglik", "aic", "bic"), CLOSED_FORM_RTOL)


SUBANALYSES = load_reference("metafor_levels_subanalyses.json")["cases"]


@pytest.mark.parametrize(
    "case", SUBANALYSES, ids=lambda c: f"{c['level']}-{c['method']}-{c['test']}"
)
def test_leave_one_out_and_trim_and_fill_keep_the_level(case: dict) -> None:
    """metafor's leave1out reports its intervals at the model's level. Its trimfill (3.8-1)
    refits filled data at the default 95% whatever the model's level; reportgen keeps the
    report's level, so its filled model is metafor's refit of the filled data at that level
    (and at 95% it is metafor's trimfill itself)."""
    yi, vi = np.asarray(case["yi"]), np.asarray(case["vi"])
    method, test, level = case["method"], case["test"], case["level"]
    rtol = tolerance_for(method)
    for i in range(yi.size):
        keep = np.arange(yi.size) != i
        omitted = pool(yi[keep], vi[keep], method, test, level=level)
        assert omitted.ci_lower == pytest.approx(case["leave1out_ci_lower"][i], rel=rtol)
        assert omitted.ci_upper == pytest.approx(case["leave1out_ci_upper"][i], rel=rtol)
    filled = trim_and_fill(yi, vi, method, test, level=level)
    assert filled.k0 == case["trimfill_k0"]
    assert filled.model.level == level
    assert filled.model.ci_lower == pytest.approx(case["trimfill_refit_ci_lower"], rel=rtol)
    assert filled.model.ci_upper == pytest.approx(case["trimfill_refit_ci_upper"], rel=rtol)
    at_95 = trim_and_fill(yi, vi, method, test)
    assert at_95.model.ci_lower == pytest.approx(case["trimfill_ci_lower"], rel=rtol)
