"""Edge cases found at the limits of the engine (issue 14) against pinned metafor values:
two-study GLMMs and GLMMs with no finite maximum (tests/reference/metafor_glmm.json),
Mantel-Haenszel on double-zero tables, trim and fill after Knapp-Hartung, leave-one-out rows that
cannot be fitted (tests/reference/metafor_edges.json), and the fit statistics and SE of tau2
(tests/reference/metafor_fitstats.json). All written by tests/reference/make_metafor_reference.R.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metafor_reference import (
    ABSOLUTE_FLOOR,
    CLOSED_FORM_RTOL,
    FIELDS,
    GLMM_FLAT_RTOL,
    GLMM_RTOL,
    assert_fields_match,
    load_reference,
    tolerance_for,
)

from reportgen.errors import AnalysisError
from reportgen.stats.glmm import _conditional_modes, fit_glmm
from reportgen.stats.mantel_haenszel import mantel_haenszel
from reportgen.stats.pooling import pool
from reportgen.stats.small_study import trim_and_fill

GLMM = load_reference("metafor_glmm.json")["cases"]
EDGES = load_reference("metafor_edges.json")["cases"]
FITSTATS = load_reference("metafor_fitstats.json")["cases"]
BOUNDARY_FLOOR = 1e-6  # lme4 leaves tau2 a hair above zero on the boundary
FLAT = {"two_studies_full_and_half", "two_studies_one_full"}


def _edges(kind):
    return [c for c in EDGES if c["kind"] == kind]


def _no_finite_maximum(case):
    x, n = np.array(case["events"]), np.array(case["totals"])
    return bool(np.all((x == 0) | (x == n)))


@pytest.mark.parametrize(
    "case",
    [c for c in GLMM if len(c["events"]) == 2 or c["dataset"] == "zero_full_and_partial"],
    ids=lambda c: c["dataset"],
)
def test_small_glmm_fits_match_rma_glmm(case):
    """Two-study fits no longer collapse (SE 1e-6 before); 0%/100% studies get SEs."""
    if _no_finite_maximum(case):
        pytest.skip("covered by test_glmm_without_finite_maximum_is_refused")
    result = fit_glmm(case["events"], case["totals"])
    rtol = GLMM_FLAT_RTOL if case["dataset"] in FLAT else GLMM_RTOL
    assert_fields_match(result, case, FIELDS, rtol, floor=BOUNDARY_FLOOR)


def test_glmm_without_finite_maximum_is_refused():
    (case,) = [c for c in GLMM if c["dataset"] == "zero_and_full_only"]
    assert case["tau2"] > 1000  # lme4 stops somewhere up the ridge
    with pytest.raises(AnalysisError, match="no finite maximum"):
        fit_glmm(case["events"], case["totals"])


def test_conditional_modes_stay_bracketed():
    """50/100 at tau near 5: plain Newton cycled out to u = 118; the mode solves
    u = tau (x - n p(u))."""
    x, n = np.array([50.0, 20.0]), np.array([50.0, 100.0])
    for mu, tau in [(3.17, 4.98), (-5.0, 5.0), (8.0, 15.0), (0.0, 0.1)]:
        u, scale = _conditional_modes(x, n, mu, tau)
        p = 1 / (1 + np.exp(-(mu + tau * u)))
        assert np.allclose(u, tau * (x - n * p), atol=1e-8)
        assert np.all((u >= tau * (x - n)) & (u <= tau * x)) and np.all(scale > 0)


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 60)), min_size=1, max_size=6),
    st.floats(-8, 8),
    st.floats(0.01, 20),
)
@settings(max_examples=60, deadline=None)
def test_conditional_modes_solve_their_equation(rows, mu, tau):
    n = np.array([float(t) for _, t in rows])
    x = np.minimum(np.array([float(e) for e, _ in rows]), n)
    u, _ = _conditional_modes(x, n, mu, tau)
    p = 1 / (1 + np.exp(-(mu + tau * u)))
    assert np.all(np.isfinite(u))
    assert np.allclose(u, tau * (x - n * p), atol=1e-6 * max(1.0, tau * n.max()))


@pytest.mark.parametrize("case", _edges("mh"), ids=lambda c: f"{c['dataset']}-{c['measure']}")
def test_mh_on_double_zero_tables(case):
    arms = (case["a"], case["n1"], case["c"], case["n2"])
    if case["estimate"] is None:  # rma.mh gives NA
        with pytest.raises(AnalysisError, match="undefined"):
            mantel_haenszel(*arms, case["measure"])
        return
    result = mantel_haenszel(*arms, case["measure"])
    for field in ("estimate", "se", "ci_lower", "ci_upper"):
        assert getattr(result, field) == pytest.approx(case[field], abs=ABSOLUTE_FLOOR)
    assert math.isnan(result.statistic) and math.isnan(result.p_value)


@pytest.mark.parametrize(
    "case", _edges("trimfill_knha"), ids=lambda c: f"{c['dataset']}-{c['method']}"
)
def test_trimfill_after_knapp_hartung(case):
    """Original model (knha kept) when nothing is filled; refit with z otherwise."""
    result = trim_and_fill(case["yi"], case["vi"], case["method"], "knha")
    assert result.k0 == case["k0"]
    assert result.model.test == case["test"]
    for field in ("estimate", "se", "ci_lower", "ci_upper"):
        actual, expected = getattr(result.model, field), case[field]
        assert actual == pytest.approx(expected, rel=tolerance_for(case["method"])), field


PM_FAILS_CONFIG = """\
report: {id: edges, title: Edges}
studies:
  - {id: s1, label: A 2020}
  - {id: s2, label: B 2021}
  - {id: s3, label: C 2022}
  - {id: s4, label: D 2023}
outcomes:
  - id: score
    label: Score
    plain_label: score
    role: benefit
    type: generic
    measure: MD
    good: higher
    unit: points
    mid: 1
    method: PM
    data:
      - {study: s1, estimate: 0.0, se: 0.1}
      - {study: s2, estimate: 0.1, se: %s}
      - {study: s3, estimate: 20.0, se: %s}
      - {study: s4, estimate: 20.1, se: 0.1}
"""


def test_leave_one_out_rows_metafor_cannot_fit_are_not_estimable(write_config):
    """Paule-Mandel passes its bound in every leave-one-out subset (metafor's leave1out gives NA
    rows): the report still builds, each row says why, the main fit is pinned."""
    from reportgen.config.load import load_config
    from reportgen.stats.analysis import analyse

    (case,) = _edges("leave1out_fails")
    se = [math.sqrt(v) for v in case["vi"]]
    assert se[0] == se[3] == pytest.approx(0.1)
    config = load_config(write_config(PM_FAILS_CONFIG % (se[1], se[2]))).config
    result = analyse(config).outcomes[0]
    assert result.model.estimate == pytest.approx(case["estimate"], rel=1e-5)
    assert [row.estimable for row in result.leave_one_out] == [
        e is not None for e in case["leave_one_out"]["estimate"]
    ]
    for row in result.leave_one_out:
        assert "Paule-Mandel" in row.error and math.isnan(row.model.estimate)
        assert row.model.tau2 is None and math.isnan(row.pooled.ci_lower)


@pytest.mark.parametrize("case", FITSTATS, ids=lambda c: f"{c['dataset']}-{c['method']}")
def test_loglik_aic_bic_and_tau2_se(case):
    result = pool(case["yi"], case["vi"], method=case["method"])
    rtol = tolerance_for(case["method"])
    for field in ("loglik", "aic", "bic", "tau2_se"):
        expected, actual = case[field], getattr(result, field)
        if expected is None:
            assert actual is None, field
            continue
        assert actual == pytest.approx(expected, rel=rtol, abs=ABSOLUTE_FLOOR), field


def test_fit_statistics_are_in_to_dict():
    result = pool([0.1, 0.3, -0.2], [0.02, 0.03, 0.05], method="REML")
    data = result.to_dict()
    assert {"loglik", "aic", "bic", "tau2_se"} <= set(data)
    assert data["aic"] == pytest.approx(-2 * data["loglik"] + 4, rel=CLOSED_FORM_RTOL)


def test_report_with_failed_rows_builds_and_says_why(write_config, tmp_path):
    """The whole pipeline: results.json rows carry 'error' (numbers null), the appendix shows
    'not estimable', and fitted rows gain no 'error' key."""
    import json

    from reportgen.publish.build import build_report

    (case,) = _edges("leave1out_fails")
    se = [math.sqrt(v) for v in case["vi"]]
    path = write_config(PM_FAILS_CONFIG % (se[1], se[2]))
    build_report(path, tmp_path / "out", formats=("html", "json"), allow_untraced_numbers=True)
    document = json.loads((tmp_path / "out" / "edges" / "results.json").read_text())
    outcome = document["outcomes"][0]
    assert outcome["model"]["loglik"] is not None and outcome["heterogeneity"]["tau2_se"] > 0
    for row in outcome["leave_one_out"]:
        assert "Paule-Mandel" in row["error"] and row["model"]["estimate"] is None
    html = next((tmp_path / "out" / "edges").glob("*.html")).read_text()
    assert "not estimable" in html


def test_subgroup_test_notes_one_study_groups_and_knapp_hartung():
    from reportgen.stats.subanalyses import Subgroups, SubResult, subgroup_notes

    fitted = pool([0.1, 0.2], [0.01, 0.02])
    single = pool([0.5], [0.03])
    groups = Subgroups(
        "arm",
        (SubResult("a", 2, fitted, None), SubResult("b", 1, single, None)),  # type: ignore[arg-type]
        1.0,
        1,
        0.3,
    )
    notes = subgroup_notes(groups, "knha")
    assert len(notes) == 2 and "'b' has a single study" in notes[0]
    assert "Knapp-Hartung" in notes[1] and all("anti-conservative" in n for n in notes)
    assert len(subgroup_notes(groups, "z")) == 1
