"""Random-effects meta-regression on a small design matrix, used only where metafor fits one
inside another analysis (the side trim-and-fill estimates from a regression on sqrt(vi)).

The estimators follow ``metafor::rma.uni`` with moderators, written with the projection matrix
P = W - W X (X'WX)^-1 X'W; the intercept-only fast path lives in ``tau2`` and ``pooling``.
"""

from __future__ import annotations

import numpy as np

from reportgen.stats.rootfind import zeroin
from reportgen.stats.tau2 import LL0_TOLERANCE, MAX_ITERATIONS, TAU2_MAX_DEFAULT, THRESHOLD


def _projection(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    W = np.diag(w)
    XtWX_inv = np.linalg.inv(X.T @ W @ X)
    projection: np.ndarray = W - W @ X @ XtWX_inv @ X.T @ W
    return projection


def _residual_q(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float) -> float:
    P = _projection(X, 1 / (v + tau2))
    return float(y @ P @ y)


def regression_tau2(y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str) -> float:
    """Residual tau2 of ``y ~ X`` by ``method``, as ``rma.uni(yi, vi, mods = ...)``."""
    k: int
    p: int
    k, p = X.shape
    if method == "FE":
        return 0.0
    P0 = _projection(X, 1 / v)
    if method == "DL":
        return max(0.0, (float(y @ P0 @ y) - (k - p)) / float(np.trace(P0)))
    if method == "HS":
        return max(0.0, (float(y @ P0 @ y) - k) / float((1 / v).sum()))
    hat = np.eye(k) - X @ np.linalg.inv(X.T @ X) @ X.T
    hedges = (float(y @ hat @ y) - float(np.trace(hat @ np.diag(v)))) / (k - p)
    if method == "HE":
        return max(0.0, hedges)
    if method == "SJ":
        start = float(np.var(y - y.mean()))
        return max(0.0, start * _residual_q(y, v, X, start) / (k - p))
    if method == "PM":
        target = k - p
        if _residual_q(y, v, X, 0.0) < target:
            return 0.0
        upper = max(TAU2_MAX_DEFAULT, 10 * (1.4826 * np.median(np.abs(y - np.median(y)))) ** 2)
        return zeroin(lambda t: _residual_q(y, v, X, t) - target, 0.0, upper)
    tau2 = max(0.0, hedges)
    for _ in range(MAX_ITERATIONS):
        w = 1 / (v + tau2)
        P = _projection(X, w)
        PP = P @ P
        if method == "REML":
            step = (float(y @ PP @ y) - float(np.trace(P))) / float(np.trace(PP))
        elif method == "ML":
            step = (float(y @ PP @ y) - float(w.sum())) / float((w**2).sum())
        else:  # EB
            step = (float(y @ P @ y) * k / (k - p) - k) / float(w.sum())
        while tau2 + step < 0:
            step /= 2
        tau2 += step
        if abs(step) <= THRESHOLD:
            break
    # metafor's guard against a local maximum, as in the intercept-only fit.
    if (
        method in ("ML", "REML")
        and tau2 > THRESHOLD
        and _log_likelihood(y, v, X, 0.0, method) - _log_likelihood(y, v, X, tau2, method)
        > LL0_TOLERANCE
    ):
        tau2 = 0.0
    return max(0.0, tau2)


def _log_likelihood(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float, method: str) -> float:
    w = 1 / (v + tau2)
    value = -0.5 * np.log(v + tau2).sum() - 0.5 * _residual_q(y, v, X, tau2)
    if method == "REML":
        value -= 0.5 * np.linalg.slogdet(X.T @ np.diag(w) @ X)[1]
    return float(value)


def regression_slope(y: np.ndarray, v: np.ndarray, predictor: np.ndarray, method: str) -> float:
    """The slope of ``predictor`` in the weighted meta-regression ``y ~ 1 + predictor``."""
    X = np.column_stack([np.ones_like(y), predictor])
    tau2 = regression_tau2(y, v, X, method)
    W = np.diag(1 / (v + tau2))
    beta = np.linalg.solve(X.T @ W @ X, X.T @ W @ y)
    return float(beta[1])
