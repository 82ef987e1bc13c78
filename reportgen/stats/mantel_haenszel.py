"""Fixed-effect pooling of two-arm binary data from the 2x2 tables themselves: Mantel-Haenszel
(as ``metafor::rma.mh``) and Peto's one-step odds ratio (as ``metafor::rma.peto``).

Sources: Mantel N & Haenszel W (1959), J Natl Cancer Inst 22:719-748; variances of Robins,
Breslow & Greenland (1986, Biometrics 42:311-323) for the log OR, Greenland & Robins (1985,
Biometrics 41:55-68) for the log RR and the RD; Yusuf S et al. (1985), Prog Cardiovasc Dis
27:335-371 (Peto). The pooled values use the raw counts (no zero-cell correction); Cochran's Q
uses the escalc effect sizes with metafor's defaults: 1/2 added to tables with a zero cell, and
studies with no events (or only events) in both arms left out of Q.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, ndtr, ndtri

from reportgen.errors import AnalysisError
from reportgen.stats.effects.binary import binary_effects, double_zero, peto_effects
from reportgen.stats.effects.common import DEFAULT_ZERO_CELLS, ZeroCells
from reportgen.stats.pooling import CONFIDENCE_LEVEL, MHTests, PoolResult, percent_weights

_Z = float(ndtri(1 - (1 - CONFIDENCE_LEVEL) / 2))


def _heterogeneity(
    yi: np.ndarray, vi: np.ndarray, estimate: float
) -> tuple[float, int, float | None, float, float]:
    k = yi.size
    if k <= 1:
        return 0.0, 0, None, 0.0, 1.0
    q = max(0.0, float(((yi - estimate) ** 2 / vi).sum()))
    df = k - 1
    i2 = max(0.0, 100 * (q - df) / q) if q > 0 else 0.0
    return q, df, float(chdtrc(df, q)), i2, q / df


def _result(
    method: str,
    k: int,
    estimate: float,
    se: float,
    weights: np.ndarray,
    q: float,
    q_df: int,
    q_p: float | None,
    i2: float,
    h2: float,
) -> PoolResult:
    # Every study a double zero (RD): estimate 0 with SE 0, and no test, as rma.mh.
    statistic = estimate / se if se > 0 else float("nan")
    lower, upper = estimate - _Z * se, estimate + _Z * se
    return PoolResult(
        k=k,
        method=method,
        test="z",
        estimate=estimate,
        se=se,
        statistic=statistic,
        p_value=float(2 * ndtr(-abs(statistic))),
        ci_lower=lower,
        ci_upper=upper,
        pi_lower=lower,
        pi_upper=upper,
        df=None,
        tau2=0.0 if q_p is not None else None,
        i2=i2 if q_p is not None else None,
        h2=h2 if q_p is not None else None,
        q=q,
        q_df=q_df,
        q_p=q_p,
        weights=percent_weights(weights),
    )


def _mh_tests(
    a: np.ndarray, n1: np.ndarray, c: np.ndarray, n2: np.ndarray, odds_ratio: float, correct: bool
) -> MHTests:
    """Cochran-Mantel-Haenszel test (Mantel & Haenszel 1959; variance with N - 1, continuity
    correction 1/2 if ``correct``) and Tarone's (1985, Biometrika 72:91-95) correction of the
    Breslow-Day test: the expected count of cell a under the common odds ratio solves a
    quadratic per table; tables with no events or no non-events carry no information."""
    n = n1 + n2
    events, non_events = a + c, (n1 - a) + (n2 - c)
    nan = float("nan")
    cmh, cmh_p = nan, nan
    if events.sum() > 0 and non_events.sum() > 0:
        deviation = abs(float((a - n1 / n * events).sum())) - (0.5 if correct else 0.0)
        variance = float((n1 / n * (n2 / n) * events * non_events / (n - 1)).sum())
        cmh = deviation**2 / variance
        cmh_p = float(chdtrc(1, cmh))
    if odds_ratio == 1:
        expected = n1 / n * events
    else:
        a_coef = odds_ratio * (n1 + events) + (n2 - events)
        root = np.sqrt(a_coef**2 - 4 * n1 * events * odds_ratio * (odds_ratio - 1))
        expected = (a_coef - root) / (2 * (odds_ratio - 1))
    informative = (expected > 0) & (events > 0) & (non_events > 0)
    e11 = expected[informative]
    e12, e21 = n1[informative] - e11, events[informative] - e11
    e22 = n[informative] - n1[informative] - events[informative] + e11
    variances = 1 / (1 / e11 + 1 / e12 + 1 / e21 + 1 / e22)
    residual = a[informative] - e11
    breslow_day = max(0.0, float((residual**2 / variances).sum()))
    tarone = max(0.0, breslow_day - float(residual.sum()) ** 2 / float(variances.sum()))
    k_informative = int(informative.sum())
    tarone_p = float(chdtrc(k_informative - 1, tarone)) if k_informative > 1 else nan
    return MHTests(cmh, cmh_p, tarone if k_informative > 0 else nan, tarone_p)


def mantel_haenszel(
    events_1: ArrayLike,
    total_1: ArrayLike,
    events_2: ArrayLike,
    total_2: ArrayLike,
    measure: str,
    correct: bool = True,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> PoolResult:
    """Mantel-Haenszel pooled log OR, log RR or RD of arm 1 against arm 2 (z-test).

    ``zero_cells`` applies to the effect sizes of Cochran's Q only (rma.mh's ``add``, ``to`` and
    ``drop00``, whose default there is TRUE); ``correct`` to the CMH test (odds ratios)."""
    a = np.asarray(events_1, dtype=float)
    n1 = np.asarray(total_1, dtype=float)
    c = np.asarray(events_2, dtype=float)
    n2 = np.asarray(total_2, dtype=float)
    b, d = n1 - a, n2 - c
    n = n1 + n2
    # Where rma.mh gives NA: the odds ratio when every table is 0% or 100% in both arms, the
    # risk ratio when no arm has an event (with 100% in every arm it is 1 with SE 0).
    if measure == "OR" and double_zero(a, n1, c, n2).all():
        raise AnalysisError(
            "Mantel-Haenszel odds ratio is undefined: every study has 0% (or 100%) events in "
            "both arms"
        )
    if measure == "RR" and a.sum() == 0 and c.sum() == 0:
        raise AnalysisError(
            "Mantel-Haenszel risk ratio is undefined: no study has an event in either arm"
        )
    if measure == "OR":
        r_i, s_i = a * d / n, b * c / n
        r, s = r_i.sum(), s_i.sum()
        if r == 0 or s == 0:
            raise AnalysisError("Mantel-Haenszel odds ratio is undefined: no discordant events")
        p_i, q_i = (a + d) / n, (b + c) / n
        estimate = float(np.log(r / s))
        variance = 0.5 * (
            (p_i * r_i).sum() / r**2
            + (p_i * s_i + q_i * r_i).sum() / (r * s)
            + (q_i * s_i).sum() / s**2
        )
        weights = s_i
    elif measure == "RR":
        r, s = (a * n2 / n).sum(), (c * n1 / n).sum()
        if a.sum() == 0 or c.sum() == 0:
            raise AnalysisError("Mantel-Haenszel risk ratio is undefined: no events in one arm")
        estimate = float(np.log(r / s))
        variance = ((n1 / n) * (n2 / n) * (a + c) - (a / n) * c).sum() / (r * s)
        weights = c * n1 / n
    elif measure == "RD":
        denominator = (n1 * n2 / n).sum()
        estimate = float((a * n2 / n - c * n1 / n).sum() / denominator)
        variance = (
            estimate
            * (c * (n1 / n) ** 2 - a * (n2 / n) ** 2 + (n1 / n) * (n2 / n) * (n2 - n1) / 2).sum()
            + (a * (n2 - c) / n + c * (n1 - a) / n).sum() / 2
        ) / denominator**2
        weights = n1 * n2 / n
    else:
        raise ValueError(f"Invalid measure {measure!r} for Mantel-Haenszel; must be OR, RR or RD")
    drop00 = True if zero_cells.drop00 is None else zero_cells.drop00
    keep = ~double_zero(a, n1, c, n2) if drop00 else np.ones(a.size, dtype=bool)
    effects = binary_effects(a[keep], n1[keep], c[keep], n2[keep], measure, zero_cells)
    heterogeneity = _heterogeneity(effects.yi, effects.vi, estimate)
    result = _result("MH", a.size, estimate, float(np.sqrt(variance)), weights, *heterogeneity)
    if measure != "OR":
        return result
    tests = _mh_tests(a, n1, c, n2, float(np.exp(estimate)), correct)
    return dataclasses.replace(result, mh=tests)


def peto(
    events_1: ArrayLike,
    total_1: ArrayLike,
    events_2: ArrayLike,
    total_2: ArrayLike,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> PoolResult:
    """Peto's pooled log odds ratio: sum(O - E) / sum(V), SE = 1/sqrt(sum V) (z-test)."""
    a = np.asarray(events_1, dtype=float)
    n1 = np.asarray(total_1, dtype=float)
    c = np.asarray(events_2, dtype=float)
    n2 = np.asarray(total_2, dtype=float)
    n = n1 + n2
    events, non_events = a + c, (n1 - a) + (n2 - c)
    expected = events * n1 / n
    variance = events * non_events * (n1 / n) * (n2 / n) / (n - 1)
    total_variance = variance.sum()
    if total_variance == 0:
        raise AnalysisError("Peto odds ratio is undefined: no study has events and non-events")
    estimate = float((a - expected).sum() / total_variance)
    informative = variance > 0
    deviation = (a - expected)[informative]
    q = max(
        0.0,
        float((deviation**2 / variance[informative]).sum() - deviation.sum() ** 2 / total_variance),
    )
    drop00 = True if zero_cells.drop00 is None else zero_cells.drop00
    keep = ~double_zero(a, n1, c, n2) if drop00 else np.ones(a.size, dtype=bool)
    k_q = int(peto_effects(a[keep], n1[keep], c[keep], n2[keep], zero_cells).yi.size)
    heterogeneity: tuple[float, int, float | None, float, float]
    if k_q > 1:
        df = k_q - 1
        heterogeneity = (
            q,
            df,
            float(chdtrc(df, q)),
            max(0.0, 100 * (q - df) / q) if q > 0 else 0.0,
            q / df,
        )
    else:
        heterogeneity = (0.0, 0, None, 0.0, 1.0)
    return _result(
        "PETO", a.size, estimate, float(np.sqrt(1 / total_variance)), variance, *heterogeneity
    )
