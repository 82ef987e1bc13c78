"""Fit statistics of an intercept-only ``rma.uni`` model: the log-likelihood, AIC and BIC (as
``logLik``, ``AIC`` and ``BIC`` report them) and the standard error of tau2 (``se.tau2``).

Log-likelihoods at the fitted tau2 (Viechtbauer W 2005, J Educ Behav Stat 30:261-293), with
w = 1/(v + tau2), mu the weighted mean and RSS = sum(w (y - mu)^2):
  ML:   -k/2 log(2 pi) - 1/2 sum(log(v + tau2)) - RSS/2
  REML: -(k-1)/2 log(2 pi) + 1/2 log(k) - 1/2 sum(log(v + tau2)) - 1/2 log(sum w) - RSS/2
metafor reports the REML values for REML fits and the ML values for every other method; its
REML log-likelihood keeps the 1/2 log|X'X| = 1/2 log(k) term, and its REML BIC uses log(k - 1).
Parameters counted: the mean, and tau2 unless the model is fixed-effect.

SE of tau2, per estimator (metafor's formulas; P = W - w w'/sum(w) is the projection with
weights w, so every trace below is a sum over studies and the cost is linear in k):
  DL (w = 1/v):  sqrt((2(k-1) + 4 tau2 tr P + 2 tau2^2 tr P^2)) / tr P
  HS (w = 1/v):  sqrt((2(k-1) + 4 tau2 tr P + 2 tau2^2 tr P^2)) / sum(w)
  HE (w = 1):    sqrt(2 tr (PV)^2 + 4 tau2 tr PV + 2 tau2^2 (k-1)) / (k-1)
  SJ (w = 1/(v + tau2_0), tau2_0 = var(y)(k-1)/k):
                 tau2_0 sqrt(2 tr (PV)^2 + 4 tau2 tr PVP + 2 tau2^2 tr P^2) / (k-1)
  ML:            sqrt(2 / sum(w^2)),   REML: sqrt(2 / tr P^2)       (w = 1/(v + tau2))
  PM, EB:        sqrt(2 k^2 / (k-1)) / sum(w)                       (w = 1/(v + tau2))
Edge cases: the fixed-effect model has no tau2 and no SE; tau2 is used floored at 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from reportgen.stats.frozen import FloatArray
from reportgen.stats.tau2 import Buffers
from reportgen.stats.vectors import inner


@dataclass(frozen=True)
class FitStatistics:
    loglik: float
    aic: float
    bic: float
    tau2_se: float | None


@dataclass(frozen=True)
class _Traces:
    """Traces of products of P = W - w w'/S and V = diag(v), from sums over studies."""

    tr_p: float
    tr_pp: float  # tr(P P) = sum(P * P)
    tr_pv: float
    tr_pvpv: float  # tr(PV PV) = sum(PV * t(PV))
    tr_pvp: float  # sum(PV * P)


def _traces(w: FloatArray, v: FloatArray, buffers: Buffers) -> _Traces:
    """The traces from sums over studies; the products are formed in ``buffers`` (``w`` may be
    ``buffers.w``, which is left as it is)."""
    s = float(w.sum())
    w2, wv_sum = inner(w, w), inner(w, v)
    ww = np.multiply(w, w, out=buffers.residual)
    w3, w2v = inner(ww, w), inner(ww, v)
    vv = np.multiply(v, v, out=buffers.scratch)
    w2v2 = inner(ww, vv)
    w3v = inner(ww, np.multiply(w, v, out=buffers.weighted))
    w3v2 = inner(np.multiply(ww, w, out=buffers.weighted), vv)
    return _Traces(
        tr_p=s - w2 / s,
        tr_pp=w2 - 2 * w3 / s + w2**2 / s**2,
        tr_pv=wv_sum - w2v / s,
        tr_pvpv=w2v2 - 2 * w3v2 / s + w2v**2 / s**2,
        tr_pvp=w2v - 2 * w3v / s + w2v * w2 / s**2,
    )


def tau2_standard_error(
    y: FloatArray, v: FloatArray, tau2: float, method: str, buffers: Buffers | None = None
) -> float | None:
    """metafor's ``se.tau2`` for ``method`` (None for the fixed-effect model). ``buffers``: work
    arrays of size k to reuse (their contents are overwritten)."""
    k = y.size
    t = max(tau2, 0.0)
    if method not in ("DL", "HS", "HE", "SJ", "ML", "REML", "PM", "EB"):
        return None
    buffers = buffers or Buffers.for_size(k)
    if method in ("DL", "HS"):
        w = buffers.weights(v, 0.0)  # 1 / v
        m = _traces(w, v, buffers)
        spread = math.sqrt(2 * (k - 1) + 4 * t * m.tr_p + 2 * t**2 * m.tr_pp)
        return spread / (m.tr_p if method == "DL" else float(w.sum()))
    if method == "HE":
        m = _traces(np.ones_like(v), v, buffers)
        return math.sqrt(2 * m.tr_pvpv + 4 * t * m.tr_pv + 2 * t**2 * (k - 1)) / (k - 1)
    if method == "SJ":
        tau2_0 = float(np.var(y))  # var(y) (k - 1)/k
        m = _traces(buffers.weights(v, tau2_0), v, buffers)
        spread = 2 * m.tr_pvpv + 4 * t * m.tr_pvp + 2 * t**2 * m.tr_pp
        return tau2_0 * math.sqrt(spread) / (k - 1)
    w = buffers.weights(v, t)
    if method == "ML":
        return math.sqrt(2 / inner(w, w))
    if method == "REML":
        s = float(w.sum())
        w2 = inner(w, w)
        w3 = inner(np.multiply(w, w, out=buffers.scratch), w)
        return math.sqrt(2 / (w2 - 2 * w3 / s + w2**2 / s**2))  # 2 / tr(P P)
    return math.sqrt(2 * k**2 / (k - 1)) / float(w.sum())


def fit_statistics(
    y: FloatArray, v: FloatArray, tau2: float, method: str, buffers: Buffers | None = None
) -> FitStatistics:
    """Log-likelihood, AIC and BIC as metafor reports them for ``method`` (REML values for
    REML, ML values otherwise), and the SE of tau2. ``buffers``: work arrays of size k to reuse
    (their contents are overwritten): fresh arrays would cost more than the sums at large k."""
    k = y.size
    buffers = buffers or Buffers.for_size(k)
    w = buffers.weights(v, tau2)
    s = float(w.sum())
    residual = np.subtract(y, inner(w, y) / s, out=buffers.residual)
    rss = inner(np.multiply(w, residual, out=buffers.weighted), residual)
    log_det = float(np.log(np.add(v, tau2, out=buffers.scratch), out=buffers.scratch).sum())
    parameters = 1 if method == "FE" else 2
    if method == "REML":
        loglik = -0.5 * (k - 1) * math.log(2 * math.pi) + 0.5 * math.log(k)
        loglik += -0.5 * log_det - 0.5 * math.log(s) - 0.5 * rss
        n_bic = k - 1
    else:
        loglik = -0.5 * k * math.log(2 * math.pi) - 0.5 * log_det - 0.5 * rss
        n_bic = k
    return FitStatistics(
        loglik=loglik,
        aic=-2 * loglik + 2 * parameters,
        bic=-2 * loglik + parameters * math.log(n_bic),
        tau2_se=tau2_standard_error(y, v, tau2, method, buffers),
    )


def fixed_effect_statistics(y: FloatArray, v: FloatArray, estimate: float) -> FitStatistics:
    """Log-likelihood, AIC and BIC that ``rma.mh`` and ``rma.peto`` report (``fit.stats``,
    ML column): the normal log-likelihood of the study effect sizes ``y`` (escalc's, with the
    zero-cell options and double zeros left out as for Cochran's Q) around the Mantel-Haenszel
    or Peto ``estimate``, one parameter, BIC with the number of effect sizes. Edge cases: no
    effect sizes (every study a double zero) gives NaN, reported as null."""
    k = y.size
    if k == 0:
        return FitStatistics(math.nan, math.nan, math.nan, None)
    residual = y - estimate
    rss = inner(residual / v, residual)
    loglik = -0.5 * k * math.log(2 * math.pi) - 0.5 * float(np.log(v).sum()) - 0.5 * rss
    return FitStatistics(loglik, -2 * loglik + 2, -2 * loglik + math.log(k), None)
