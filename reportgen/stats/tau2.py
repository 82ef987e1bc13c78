"""Estimators of the between-study variance tau2 for the intercept-only random-effects model,
each as ``metafor::rma.uni`` computes it (same start values, steps and stopping rules).

Sources: DerSimonian & Laird (1986) DL; Hedges (1983) HE; Hunter & Schmidt (2004) HS; Sidik &
Jonkman (2005) SJ; Paule & Mandel (1982) PM; Morris (1983) EB; Viechtbauer (2005) ML and REML by
Fisher scoring. Every function takes numpy arrays ``y`` (effect sizes) and ``v`` (sampling
variances, all > 0, k >= 2) and returns ``(tau2, iterations)``; tau2 is floored at 0.
"""

from __future__ import annotations

import threading

import numpy as np

from reportgen.errors import AnalysisError
from reportgen.stats.measures import ESTIMATORS
from reportgen.stats.rootfind import R_DEFAULT_TOLERANCE, zeroin
from reportgen.stats.vectors import inner

# metafor's control defaults (rma.uni): threshold and iteration cap of Fisher scoring, and the
# tolerance by which the likelihood at tau2 = 0 must win before a fit is reset to 0.
THRESHOLD = 1e-5
MAX_ITERATIONS = 100
LL0_TOLERANCE = R_DEFAULT_TOLERANCE
TAU2_MAX_DEFAULT = 100.0


def weighted_q(y: np.ndarray, v: np.ndarray, tau2: float, buffers: Buffers | None = None) -> float:
    """Generalised Cochran's Q: sum w (y - mu_w)^2 with w = 1/(v + tau2) (metafor's .QE.func).
    ``buffers``: work arrays of size k to reuse (root finding evaluates Q dozens of times;
    fresh arrays each time cost more than the sums at large k)."""
    if buffers is None:
        w = 1 / (v + tau2)
        residual = y - inner(w, y) / w.sum()
        return float(inner(w * residual, residual))
    w = buffers.weights(v, tau2)
    residual = np.subtract(y, inner(w, y) / w.sum(), out=buffers.residual)
    return float(inner(np.multiply(w, residual, out=buffers.weighted), residual))


def _hedges(y: np.ndarray, v: np.ndarray) -> float:
    k = y.size
    centred = y - y.mean()
    return float((inner(centred, centred) - (v.sum() - v.sum() / k)) / (k - 1))


def _dl(y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / v
    trace_p = w.sum() - (w**2).sum() / w.sum()
    return float((weighted_q(y, v, 0.0) - (y.size - 1)) / trace_p)


def _hs(y: np.ndarray, v: np.ndarray) -> float:
    return float((weighted_q(y, v, 0.0) - y.size) / (1 / v).sum())


def _sj(y: np.ndarray, v: np.ndarray) -> float:
    start = float(((y - y.mean()) ** 2).mean())  # var(y) * (k - 1) / k
    return start * weighted_q(y, v, start) / (y.size - 1)


def _tau2_max(y: np.ndarray) -> float:
    """metafor's upper end of the search interval: max(100, 10 * mad(y)^2)."""
    mad = 1.4826 * float(np.median(np.abs(y - np.median(y))))
    return max(TAU2_MAX_DEFAULT, 10 * mad**2)


def _pm(y: np.ndarray, v: np.ndarray) -> float:
    """Paule-Mandel: the tau2 at which generalised Q equals k - 1 (``uniroot`` as metafor)."""
    target = y.size - 1
    buffers = Buffers.for_size(y.size)
    if weighted_q(y, v, 0.0, buffers) < target:
        return 0.0
    upper = _tau2_max(y)
    if weighted_q(y, v, upper, buffers) > target:
        raise AnalysisError(f"Paule-Mandel: tau2 exceeds {upper:g}; try another method")
    return zeroin(lambda t: weighted_q(y, v, t, buffers) - target, 0.0, upper)


class Buffers:
    """Work arrays reused across iterations: allocating fresh large arrays in every step costs
    more than the arithmetic (page faults), five times over at k = 100,000.

    ``Buffers.for_size(k)`` also keeps one set per thread for large k, so repeated fits (leave-
    one-out, benchmarks, notebooks) do not fault the same pages in again. Nothing a fit returns
    refers to these arrays."""

    _cache = threading.local()
    CACHE_FROM_K = 10_000

    def __init__(self, k: int):
        self.w, self.residual, self.weighted, self.scratch = (np.empty(k) for _ in range(4))

    @classmethod
    def for_size(cls, k: int) -> Buffers:
        if k < cls.CACHE_FROM_K:
            return cls(k)
        cached = getattr(cls._cache, "buffers", None)
        if cached is None or cached.w.size != k:
            cached = cls._cache.buffers = cls(k)
        return cached

    def weights(self, v: np.ndarray, tau2: float) -> np.ndarray:
        np.add(v, tau2, out=self.w)
        return np.reciprocal(self.w, out=self.w)


def _fisher_scoring(
    y: np.ndarray, v: np.ndarray, method: str, buffers: Buffers | None = None
) -> tuple[float, int]:
    """ML, REML or EB by metafor's iteration from the (floored) Hedges estimate."""
    k = y.size
    buffers = buffers or Buffers.for_size(k)
    residual, weighted = buffers.residual, buffers.weighted
    tau2 = max(0.0, _hedges(y, v))
    iterations = 0
    change = THRESHOLD + 1
    while change > THRESHOLD:
        iterations += 1
        if iterations > MAX_ITERATIONS:
            raise AnalysisError(
                f"the {method} estimate of tau2 did not converge in {MAX_ITERATIONS} iterations; "
                "try method: DL or PM"
            )
        # The hot path: dot products and preallocated buffers, no temporaries.
        w = buffers.weights(v, tau2)
        sw = w.sum()
        sw2 = inner(w, w)
        np.subtract(y, inner(w, y) / sw, out=residual)
        np.multiply(w, residual, out=weighted)
        ypy = inner(weighted, residual)
        yppy = inner(weighted, weighted)
        if method == "REML":
            trace_p = sw - sw2 / sw
            w_squared = np.multiply(w, w, out=buffers.scratch)
            trace_pp = sw2 - 2 * inner(w_squared, w) / sw + (sw2 / sw) ** 2
            step = (yppy - trace_p) / trace_pp
        elif method == "ML":
            step = (yppy - sw) / sw2
        else:  # EB
            step = (ypy * k / (k - 1) - k) / sw
        step = float(step)
        while tau2 + step < 0:
            step /= 2
        previous, tau2 = tau2, tau2 + step
        change = abs(previous - tau2)
    # metafor's guard against a local maximum: prefer 0 if its likelihood is clearly higher.
    if (
        method in ("ML", "REML")
        and tau2 > THRESHOLD
        and log_likelihood(y, v, 0.0, method, buffers) - log_likelihood(y, v, tau2, method, buffers)
        > LL0_TOLERANCE
    ):
        tau2 = 0.0
    return tau2, iterations


def log_likelihood(
    y: np.ndarray, v: np.ndarray, tau2: float, method: str, buffers: Buffers | None = None
) -> float:
    """ML or restricted (REML) log-likelihood of the intercept-only model, up to a constant
    that does not depend on tau2."""
    buffers = buffers or Buffers.for_size(y.size)
    w = buffers.weights(v, tau2)
    sw = w.sum()
    residual = np.subtract(y, inner(w, y) / sw, out=buffers.residual)
    np.multiply(w, residual, out=buffers.weighted)
    log_variance = np.log(np.add(v, tau2, out=buffers.scratch), out=buffers.scratch)
    value = -0.5 * log_variance.sum() - 0.5 * inner(buffers.weighted, residual)
    if method == "REML":
        value -= 0.5 * np.log(sw)
    return float(value)


def estimate_tau2(
    y: np.ndarray, v: np.ndarray, method: str, buffers: Buffers | None = None
) -> tuple[float, int | None]:
    """tau2 by ``method`` (one of ``ESTIMATORS``), floored at 0, and the iteration count of
    iterative estimators (None otherwise). ``buffers``: work arrays of size k to reuse."""
    if method == "FE":
        return 0.0, None
    if method in ("REML", "ML", "EB"):
        tau2, iterations = _fisher_scoring(y, v, method, buffers)
        return max(0.0, tau2), iterations
    closed_form = {"DL": _dl, "HS": _hs, "SJ": _sj, "HE": _hedges, "PM": _pm}
    if method not in closed_form:
        raise ValueError(f"Invalid method {method!r}; must be one of {', '.join(ESTIMATORS)}")
    return max(0.0, float(closed_form[method](y, v))), None


def q_profile_interval(
    y: np.ndarray, v: np.ndarray, tau2: float, level: float = 0.95
) -> tuple[float, float]:
    """Q-profile confidence interval for tau2 (Viechtbauer 2007, Stat Med 26:37-52), as
    ``confint.rma.uni``: the tau2 values at which generalised Q equals the chi-square(k - 1)
    quantiles, searched on [0, max(100, 10 tau2)] with ``uniroot``'s tolerance. A bound that
    would fall below 0 is 0; an upper bound beyond the search range is the range's end.
    """
    from scipy.special import chdtri

    df = y.size - 1
    alpha = 1 - level
    crit_upper = float(chdtri(df, alpha / 2))  # upper-tail quantile: gives the lower bound
    crit_lower = float(chdtri(df, 1 - alpha / 2))
    top = max(TAU2_MAX_DEFAULT, 10 * tau2)
    buffers = Buffers.for_size(y.size)

    def q(t: float) -> float:
        return weighted_q(y, v, t, buffers)

    q_at_zero, q_at_top = q(0.0), q(top)
    if q_at_zero < crit_lower:
        return 0.0, 0.0
    upper = top if q_at_top > crit_lower else zeroin(lambda t: q(t) - crit_lower, 0.0, top)
    if q_at_top > crit_upper:
        return top, top
    lower = 0.0 if q_at_zero < crit_upper else zeroin(lambda t: q(t) - crit_upper, 0.0, top)
    return lower, upper
