"""Random-effects meta-regression on a small design matrix, used only where metafor fits one
inside another analysis (the side trim-and-fill estimates from a regression on sqrt(vi)).

The estimators follow ``metafor::rma.uni`` with moderators, written with the projection matrix
P = W - W X (X'WX)^-1 X'W. P is never formed: every quantity the estimators need (y'Py,
y'PPy, tr P, tr PP) is computed from p x p matrices and length-k vectors, so time and memory
are linear in the number of studies k (a k x k matrix at k = 200,000 would need 298 GiB). The
intercept-only fast path lives in ``tau2`` and ``pooling``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reportgen.errors import AnalysisError
from reportgen.stats.rootfind import zeroin
from reportgen.stats.tau2 import LL0_TOLERANCE, MAX_ITERATIONS, TAU2_MAX_DEFAULT, THRESHOLD
from reportgen.stats.vectors import inner


@dataclass(frozen=True)
class Projection:
    """What the estimators need of P = W - W X (X'WX)^-1 X'W for weights w."""

    w: np.ndarray
    residual: np.ndarray  # y - X beta, beta the weighted least-squares fit
    inverse: np.ndarray  # (X'WX)^-1, p x p
    X: np.ndarray
    beta: np.ndarray  # the weighted least-squares coefficients, length p

    def quadratic(self) -> float:
        """y'Py = sum of w r^2 (r the weighted least-squares residuals)."""
        return inner(self.w * self.residual, self.residual)

    def quadratic_squared(self) -> float:
        """y'PPy = |Py|^2, with Py = w r."""
        weighted = self.w * self.residual
        return inner(weighted, weighted)

    def _moment(self, power: int) -> np.ndarray:
        """X' W^power X (p x p)."""
        moment: np.ndarray = (self.X.T * self.w**power) @ self.X
        return moment

    def trace(self) -> float:
        """tr P = sum w - tr(A X'W^2X), A = (X'WX)^-1."""
        return float(self.w.sum() - np.trace(self.inverse @ self._moment(2)))

    def trace_squared(self) -> float:
        """tr PP = sum w^2 - 2 tr(A X'W^3X) + tr(A X'W^2X A X'W^2X)."""
        second = self.inverse @ self._moment(2)
        return float(
            (self.w**2).sum()
            - 2 * np.trace(self.inverse @ self._moment(3))
            + np.trace(second @ second)
        )


def projection(y: np.ndarray, X: np.ndarray, w: np.ndarray) -> Projection:
    """The weighted least-squares fit of ``y ~ X`` with weights ``w`` (beta = A X'Wy,
    A = (X'WX)^-1), as the pieces of P the estimators and tests need."""
    XtW = X.T * w
    inverse = np.linalg.inv(XtW @ X)
    beta = inverse @ (XtW @ y)
    return Projection(w, y - X @ beta, inverse, X, beta)


def _residual_q(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float) -> float:
    return projection(y, X, 1 / (v + tau2)).quadratic()


def _hedges(y: np.ndarray, v: np.ndarray, X: np.ndarray) -> float:
    """Hedges' estimator: (y'My - tr(M V)) / (k - p), M = I - X (X'X)^-1 X'."""
    k, p = X.shape
    inverse = np.linalg.inv(X.T @ X)
    fitted = X @ (inverse @ (X.T @ y))
    residual_ss = inner(y - fitted, y - fitted)
    trace_mv = float(v.sum() - np.trace(inverse @ ((X.T * v) @ X)))
    return float((residual_ss - trace_mv) / (k - p))


def regression_tau2(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, strict: bool = False
) -> float:
    """Residual tau2 of ``y ~ X`` by ``method``, as ``rma.uni(yi, vi, mods = ...)``.

    ``strict``: raise ``AnalysisError`` when Fisher scoring (REML, ML, EB) has not converged
    after metafor's 100 iterations, as metafor does; otherwise the last iterate is used."""
    k: int
    p: int
    k, p = X.shape
    if method == "FE":
        return 0.0
    if method in ("DL", "HS"):
        start = projection(y, X, 1 / v)
        if method == "DL":
            return max(0.0, (start.quadratic() - (k - p)) / start.trace())
        return max(0.0, (start.quadratic() - k) / float((1 / v).sum()))
    hedges = _hedges(y, v, X)
    if method == "HE":
        return max(0.0, hedges)
    if method == "SJ":
        initial = float(np.var(y - y.mean()))
        return max(0.0, initial * _residual_q(y, v, X, initial) / (k - p))
    if method == "PM":
        target = k - p
        if _residual_q(y, v, X, 0.0) < target:
            return 0.0
        upper = max(TAU2_MAX_DEFAULT, 10 * (1.4826 * np.median(np.abs(y - np.median(y)))) ** 2)
        if _residual_q(y, v, X, upper) > target:  # metafor stops here too ('tau2.max' too low)
            raise AnalysisError(f"Paule-Mandel: tau2 exceeds {upper:g}; try another method")
        return zeroin(lambda t: _residual_q(y, v, X, t) - target, 0.0, upper)
    tau2 = _fisher_scoring(y, v, X, method, max(0.0, hedges), strict)
    # metafor's guard against a local maximum, as in the intercept-only fit.
    if (
        method in ("ML", "REML")
        and tau2 > THRESHOLD
        and _log_likelihood(y, v, X, 0.0, method) - _log_likelihood(y, v, X, tau2, method)
        > LL0_TOLERANCE
    ):
        tau2 = 0.0
    return max(0.0, tau2)


def _fisher_scoring(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, tau2: float, strict: bool = False
) -> float:
    """REML, ML or EB by metafor's Fisher scoring steps, halved to stay at or above 0."""
    k, p = X.shape
    for _ in range(MAX_ITERATIONS):
        w = 1 / (v + tau2)
        P = projection(y, X, w)
        if method == "REML":
            step = (P.quadratic_squared() - P.trace()) / P.trace_squared()
        elif method == "ML":
            step = (P.quadratic_squared() - float(w.sum())) / float((w**2).sum())
        else:  # EB
            step = (P.quadratic() * k / (k - p) - k) / float(w.sum())
        while tau2 + step < 0:
            step /= 2
        tau2 += step
        if abs(step) <= THRESHOLD:
            break
    else:
        if strict:
            raise AnalysisError(
                f"the {method} estimate of tau2 did not converge in {MAX_ITERATIONS} "
                "iterations; try method: DL or PM"
            )
    return tau2


def _log_likelihood(y: np.ndarray, v: np.ndarray, X: np.ndarray, tau2: float, method: str) -> float:
    w = 1 / (v + tau2)
    value = -0.5 * np.log(v + tau2).sum() - 0.5 * _residual_q(y, v, X, tau2)
    if method == "REML":
        value -= 0.5 * np.linalg.slogdet((X.T * w) @ X)[1]
    return float(value)


def regression_slope(y: np.ndarray, v: np.ndarray, predictor: np.ndarray, method: str) -> float:
    """The slope of ``predictor`` in the weighted meta-regression ``y ~ 1 + predictor``."""
    X = np.column_stack([np.ones_like(y), predictor])
    tau2 = regression_tau2(y, v, X, method)
    XtW = X.T * (1 / (v + tau2))
    beta = np.linalg.solve(XtW @ X, XtW @ y)
    return float(beta[1])
