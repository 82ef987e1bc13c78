"""escalc's zero-cell options (add, to, drop00) and rma.mh's correct, CMH and Tarone tests against
pinned metafor values (tests/reference/metafor_zero_cells.json, written by
tests/reference/make_metafor_reference.R)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metafor_reference import CLOSED_FORM_RTOL, load_reference

from reportgen.stats.effects import ZeroCells, binary_effects, peto_effects, proportion_effects
from reportgen.stats.effects.binary import double_zero
from reportgen.stats.mantel_haenszel import mantel_haenszel

CASES = load_reference("metafor_zero_cells.json")["cases"]


def _of(kind):
    return [c for c in CASES if c["kind"] == kind]


def _close(actual, expected):
    expected = np.array([np.nan if e is None else e for e in expected], dtype=float)
    assert np.allclose(actual, expected, rtol=CLOSED_FORM_RTOL, atol=0, equal_nan=True)


@pytest.mark.parametrize(
    "case",
    _of("binary"),
    ids=lambda c: f"{c['dataset']}-{c['measure']}-{c['to']}-{c['add']}-{c['drop00']}",
)
def test_binary_zero_cell_options(case):
    arms = [np.array(case[k], dtype=float) for k in ("a", "n1", "c", "n2")]
    options = ZeroCells(case["add"], case["to"], case["drop00"])
    if case["measure"] == "PETO":
        effects = peto_effects(*arms, options)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            effects = binary_effects(*arms, case["measure"], options)
    yi, vi = np.array(effects.yi, dtype=float), np.array(effects.vi, dtype=float)
    if case["drop00"]:  # escalc gives NA; reportgen leaves these studies out before fitting
        dropped = double_zero(*arms)
        yi[dropped], vi[dropped] = np.nan, np.nan
    yi[~np.isfinite(yi)], vi[~np.isfinite(vi)] = np.nan, np.nan  # escalc recodes +-Inf to NA
    _close(yi, case["yi"])
    _close(vi, case["vi"])


@pytest.mark.parametrize(
    "case", _of("proportion"), ids=lambda c: f"{c['measure']}-{c['to']}-{c['add']}"
)
def test_proportion_zero_cell_options(case):
    with np.errstate(divide="ignore", invalid="ignore"):
        effects = proportion_effects(
            np.array(case["events"], dtype=float),
            np.array(case["totals"], dtype=float),
            case["measure"],
            ZeroCells(case["add"], case["to"]),
        )
    yi, vi = np.array(effects.yi, dtype=float), np.array(effects.vi, dtype=float)
    yi[~np.isfinite(yi)], vi[~np.isfinite(vi)] = np.nan, np.nan
    _close(yi, case["yi"])
    _close(vi, case["vi"])


@pytest.mark.parametrize("case", _of("mh"), ids=lambda c: f"{c['dataset']}-correct-{c['correct']}")
def test_mh_correct_cmh_and_tarone(case):
    arms = [case[k] for k in ("a", "n1", "c", "n2")]
    result = mantel_haenszel(*arms, "OR", correct=case["correct"])
    assert result.estimate == pytest.approx(case["estimate"], rel=CLOSED_FORM_RTOL)
    assert result.q == pytest.approx(case["q"], rel=CLOSED_FORM_RTOL)
    for field in ("cmh", "cmh_p", "tarone", "tarone_p"):
        assert getattr(result.mh, field) == pytest.approx(case[field], rel=CLOSED_FORM_RTOL)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40)), min_size=8, max_size=8),
    st.floats(0.01, 2),
    st.sampled_from(["only0", "all", "if0all"]),
    st.sampled_from(["OR", "RR", "RD"]),
)
@settings(max_examples=80, deadline=None)
def test_any_positive_addition_gives_finite_effects(arm1, arm2, add, to, measure):
    """With add > 0 every study that needs it is corrected: yi and vi are finite (to = all or
    if0all correct every study, only0 the ones with a zero cell)."""
    k = len(arm1)
    a = np.array([min(e, t) for e, t in arm1], dtype=float)
    n1 = np.array([t for _, t in arm1], dtype=float)
    c = np.array([min(e, t) for e, t in arm2[:k]], dtype=float)
    n2 = np.array([t for _, t in arm2[:k]], dtype=float)
    effects = binary_effects(a, n1, c, n2, measure, ZeroCells(add, to))
    assert np.all(np.isfinite(effects.yi)) and np.all(np.isfinite(effects.vi))
    assert np.all(effects.vi > 0) or measure == "RD"
    x = np.array([min(e, t) for e, t in arm1], dtype=float)
    for proportion in ("PR", "PLO", "PLN", "PAS", "PFT"):
        p = proportion_effects(x, n1, proportion, ZeroCells(add, to))
        assert np.all(np.isfinite(p.yi)) and np.all(np.isfinite(p.vi))
