"""Mantel-Haenszel pooling of two-arm incidence rates (events and person-time), as
``metafor::rma.mh(x1i, x2i, t1i, t2i, measure = "IRR" | "IRD")``.

Sources: Rothman KJ, Greenland S & Lash TL (2008), Modern Epidemiology, 3rd ed., ch. 15
(Mantel-Haenszel rate ratio and rate difference); Greenland S & Robins JM (1985), Biometrics
41:55-68 (variance of the log rate ratio); the Mantel-Haenszel test for person-time data
(Rothman et al., ch. 15; Shore RE et al. 1976), with the continuity correction of 1/2 when
``correct``. Cochran's Q uses the escalc effect sizes with rma.mh's defaults: 1/2 added to the
events of studies with a zero count and studies with no events in either arm left out
(``drop00 = TRUE``).

Edge cases: the rate ratio is undefined when either arm has no events in any study
(AnalysisError, where rma.mh gives NA); the rate difference always exists.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc

from reportgen.errors import AnalysisError
from reportgen.stats.effects.common import DEFAULT_ZERO_CELLS, ZeroCells
from reportgen.stats.effects.rate import double_zero_rates, rate_comparison_effects
from reportgen.stats.mantel_haenszel import _heterogeneity, _result
from reportgen.stats.pooling import MHTests, PoolResult

_NAN = float("nan")


def _mh_test(
    x1: np.ndarray, t1: np.ndarray, x2: np.ndarray, t2: np.ndarray, correct: bool
) -> MHTests:
    """The Mantel-Haenszel test of no association for person-time: (|sum x1 - sum E| - c)^2 /
    sum V with E = (x1 + x2) t1 / T and V = (x1 + x2) t1 t2 / T^2 (c = 1/2 if ``correct``),
    chi-square on 1 df. Tarone's test exists for odds ratios only (NaN here)."""
    total = t1 + t2
    events = x1 + x2
    variance = float((events * t1 * t2 / total**2).sum())
    if variance <= 0:
        return MHTests(_NAN, _NAN, _NAN, _NAN)
    deviation = abs(float((x1 - events * t1 / total).sum())) - (0.5 if correct else 0.0)
    statistic = deviation**2 / variance
    return MHTests(statistic, float(chdtrc(1, statistic)), _NAN, _NAN)


def mantel_haenszel_rates(
    events_1: ArrayLike,
    time_1: ArrayLike,
    events_2: ArrayLike,
    time_2: ArrayLike,
    measure: str,
    correct: bool = True,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> PoolResult:
    """Mantel-Haenszel pooled log rate ratio (IRR) or rate difference (IRD), arm 1 against arm
    2 (z-test), with T = t1 + t2 per study:

    IRR: log(R/S), R = sum(x1 t2 / T), S = sum(x2 t1 / T),
         Var = sum((x1 + x2) t1 t2 / T^2) / (R S)
    IRD: sum(w (x1/t1 - x2/t2)) / sum(w), w = t1 t2 / T,
         Var = sum(w^2 (x1/t1^2 + x2/t2^2)) / sum(w)^2

    ``zero_cells`` applies to the effect sizes of Cochran's Q only; ``correct`` to the MH test
    (reported for IRR, as rma.mh)."""
    x1, t1 = np.asarray(events_1, dtype=float), np.asarray(time_1, dtype=float)
    x2, t2 = np.asarray(events_2, dtype=float), np.asarray(time_2, dtype=float)
    total = t1 + t2
    if measure == "IRR":
        r, s = float((x1 * t2 / total).sum()), float((x2 * t1 / total).sum())
        if r == 0 or s == 0:
            raise AnalysisError(
                "Mantel-Haenszel rate ratio is undefined: no events in one arm of every study"
            )
        estimate = float(np.log(r / s))
        variance = float(((x1 + x2) * t1 * t2 / total**2).sum()) / (r * s)
        weights = x2 * t1 / total
    elif measure == "IRD":
        weights = t1 * t2 / total
        estimate = float((weights * (x1 / t1 - x2 / t2)).sum() / weights.sum())
        variance = float((weights**2 * (x1 / t1**2 + x2 / t2**2)).sum() / weights.sum() ** 2)
    else:
        raise ValueError(f"Invalid measure {measure!r} for Mantel-Haenszel rates; use IRR or IRD")
    drop00 = True if zero_cells.drop00 is None else zero_cells.drop00
    keep = ~double_zero_rates(x1, x2) if drop00 else np.ones(x1.size, dtype=bool)
    effects = rate_comparison_effects(x1[keep], t1[keep], x2[keep], t2[keep], measure, zero_cells)
    heterogeneity = _heterogeneity(effects.yi, effects.vi, estimate)
    result = _result("MH", x1.size, estimate, float(np.sqrt(variance)), weights, *heterogeneity)
    if measure != "IRR":
        return result
    return dataclasses.replace(result, mh=_mh_test(x1, t1, x2, t2, correct))
