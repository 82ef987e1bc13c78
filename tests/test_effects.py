"""Edge cases of effect sizes and back-transformations, and the pooling API's checks."""

from __future__ import annotations

import numpy as np
import pytest

from reportgen.errors import AnalysisError
from reportgen.stats.effects import (
    freeman_tukey,
    inverse_freeman_tukey,
    proportion_effects,
    to_proportion,
)
from reportgen.stats.pooling import pool


def test_zero_and_full_studies_get_half_added_for_logit():
    effects = proportion_effects(np.array([0, 10, 5]), np.array([10, 10, 10]), "PLO")
    np.testing.assert_allclose(effects.yi[:2], [np.log(0.5 / 10.5), np.log(10.5 / 0.5)])
    np.testing.assert_allclose(effects.vi[:2], [1 / 0.5 + 1 / 10.5] * 2)
    assert effects.corrected.tolist() == [True, True, False]


def test_freeman_tukey_needs_no_correction():
    effects = proportion_effects(np.array([0]), np.array([10]), "PFT")
    assert not effects.corrected.any()
    assert effects.vi[0] == pytest.approx(1 / 42)


def test_inverse_freeman_tukey_round_trips_and_clips():
    n = 37.0
    for p in (0.0, 0.05, 0.5, 0.93, 1.0):
        assert float(inverse_freeman_tukey(freeman_tukey(p, n), n)) == pytest.approx(p, abs=1e-9)
    assert float(inverse_freeman_tukey(-0.1, n)) == 0.0
    assert float(inverse_freeman_tukey(2.0, n)) == 1.0


def test_back_transforms_stay_in_unit_interval():
    for measure in ("PR", "PLN", "PAS"):
        assert 0 <= float(to_proportion(-0.5, measure)) <= 1
        assert 0 <= float(to_proportion(2.0, measure)) <= 1


def test_pool_checks_its_options():
    with pytest.raises(ValueError, match="Invalid method 'XX'; must be one of FE, DL, REML"):
        pool([0.1, 0.2], [0.01, 0.02], method="XX")
    with pytest.raises(ValueError, match="Invalid test 't'; must be one of z, knha"):
        pool([0.1, 0.2], [0.01, 0.02], test="t")
    with pytest.raises(AnalysisError, match="every sampling variance must be positive"):
        pool([0.1, 0.2], [0.01, 0.0])


def test_single_study_reports_that_heterogeneity_cannot_be_estimated():
    result = pool([0.4], [0.04], method="REML", test="knha")
    assert result.estimate == 0.4 and result.test == "z"
    assert result.tau2 is None and result.i2 is None and result.h2 is None
    assert any("heterogeneity cannot be estimated" in note for note in result.notes)
    assert result.pi_lower == result.ci_lower


def test_tau2_on_the_boundary():
    effects = proportion_effects(np.array([20, 21, 19, 22]), np.array([100] * 4), "PLO")
    for method in ("DL", "REML"):
        result = pool(effects.yi, effects.vi, method=method)
        assert result.tau2 == 0.0 and result.i2 == 0.0
