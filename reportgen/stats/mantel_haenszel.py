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

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, ndtr, ndtri

from reportgen.errors import AnalysisError
from reportgen.stats.effects.binary import binary_effects, double_zero, peto_effects
from reportgen.stats.pooling import CONFIDENCE_LEVEL, PoolResult, percent_weights

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


def mantel_haenszel(
    events_1: ArrayLike, total_1: ArrayLike, events_2: ArrayLike, total_2: ArrayLike, measure: str
) -> PoolResult:
    """Mantel-Haenszel pooled log OR, log RR or RD of arm 1 against arm 2 (z-test)."""
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
    keep = ~double_zero(a, n1, c, n2)
    effects = binary_effects(a[keep], n1[keep], c[keep], n2[keep], measure)
    heterogeneity = _heterogeneity(effects.yi, effects.vi, estimate)
    return _result("MH", a.size, estimate, float(np.sqrt(variance)), weights, *heterogeneity)


def peto(
    events_1: ArrayLike, total_1: ArrayLike, events_2: ArrayLike, total_2: ArrayLike
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
    keep = ~double_zero(a, n1, c, n2)
    k_q = int(peto_effects(a[keep], n1[keep], c[keep], n2[keep]).yi.size)
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
