"""Properties every pooled result must have, whatever the data (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from reportgen.errors import AnalysisError
from reportgen.stats.effects import harmonic_mean, proportion_effects, to_proportion
from reportgen.stats.pooling import pool

MEASURES = ("PR", "PLO", "PLN", "PFT", "PAS")


@st.composite
def studies(draw, min_k=2, max_k=12):
    k = draw(st.integers(min_k, max_k))
    totals = draw(st.lists(st.integers(1, 500), min_size=k, max_size=k))
    events = [draw(st.integers(0, n)) for n in totals]
    return np.array(events), np.array(totals)


@settings(max_examples=150, deadline=None)
@given(
    data=studies(),
    measure=st.sampled_from(MEASURES),
    method=st.sampled_from(("FE", "DL", "REML")),
    test=st.sampled_from(("z", "knha")),
)
def test_pooled_result_is_coherent(data, measure, method, test):
    events, totals = data
    effects = proportion_effects(events, totals, measure)
    try:
        result = pool(effects.yi, effects.vi, method=method, test=test)
    except AnalysisError as error:
        # metafor's Fisher scoring fails on the same data; reportgen says so instead of guessing.
        assert "did not converge" in str(error)
        reject()
    assert result.ci_lower <= result.estimate <= result.ci_upper
    assert result.pi_lower <= result.ci_lower and result.ci_upper <= result.pi_upper
    assert result.tau2 >= 0 and 0 <= result.i2 <= 100 and result.q >= 0
    assert abs(sum(result.weights) - 100) < 1e-9
    n = harmonic_mean(totals) if measure == "PFT" else None
    natural = to_proportion([result.estimate, result.ci_lower, result.ci_upper], measure, n)
    assert np.all((natural >= 0) & (natural <= 1))
    assert natural[0] >= natural[1] - 1e-12 and natural[0] <= natural[2] + 1e-12


@settings(max_examples=100, deadline=None)
@given(data=studies(), method=st.sampled_from(("FE", "DL", "REML")), seed=st.integers(0, 1000))
def test_result_does_not_depend_on_study_order(data, method, seed):
    events, totals = data
    effects = proportion_effects(events, totals, "PLO")
    order = np.random.default_rng(seed).permutation(len(events))
    a = pool(effects.yi, effects.vi, method=method)
    b = pool(effects.yi[order], effects.vi[order], method=method)
    assert np.isclose(a.estimate, b.estimate, rtol=1e-9, atol=1e-12)
    assert np.isclose(a.tau2, b.tau2, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(np.array(a.weights)[order], b.weights, rtol=1e-6)


@settings(max_examples=100, deadline=None)
@given(data=studies())
def test_random_effects_equal_fixed_effect_when_tau2_is_zero(data):
    events, totals = data
    effects = proportion_effects(events, totals, "PLO")
    fixed = pool(effects.yi, effects.vi, method="FE")
    for method in ("DL", "REML"):
        try:
            random = pool(effects.yi, effects.vi, method=method)
        except AnalysisError as error:
            # metafor's Fisher scoring fails on the same data (e.g. PLO of 0/1, 13/14, 9/11,
            # 28/33, 0/6, 26/33: "Fisher scoring algorithm did not converge"); so do we, saying so.
            assert method == "REML" and "did not converge" in str(error)
            continue
        if random.tau2 == 0:
            assert np.isclose(random.estimate, fixed.estimate, rtol=1e-12)
            assert np.isclose(random.se, fixed.se, rtol=1e-12)


def test_reml_refuses_data_where_metafor_fisher_scoring_fails():
    """metafor 3.8-1: rma(escalc("PLO", xi, ni), method = "REML") stops with "Fisher scoring
    algorithm did not converge" on these counts (found by the property test above)."""
    effects = proportion_effects([0, 13, 9, 28, 0, 26], [1, 14, 11, 33, 6, 33], "PLO")
    with pytest.raises(AnalysisError, match="did not converge"):
        pool(effects.yi, effects.vi, method="REML")
