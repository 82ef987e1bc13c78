"""Tests and corrections for small-study effects (funnel-plot asymmetry), as metafor computes them.

- Egger's regression test: weighted least squares of yi on its standard error with weights 1/vi;
  the t test of the slope (``regtest(model = "lm")``; Egger M et al. 1997, BMJ 315:629-634).
- Begg's rank correlation test: Kendall's tau between standardised deviations from the
  fixed-effect estimate and the variances (``ranktest``; Begg CB & Mazumdar M 1994, Biometrics
  50:1088-1101), exact p-value when there are no ties (``stats.kendall``).
- Trim and fill with the L0 estimator (``trimfill``; Duval S & Tweedie R 2000, Biometrics
  56:455-463): the side comes from the sign of the slope of a meta-regression on sqrt(vi).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import stdtr

from reportgen.stats.frozen import FrozenResult
from reportgen.stats.kendall import kendall_test
from reportgen.stats.levels import DEFAULT_LEVEL
from reportgen.stats.metareg import regression_slope
from reportgen.stats.pooling import PoolResult, pool

TRIMFILL_MAX_ITERATIONS = 100


@dataclass(frozen=True)
class TestResult(FrozenResult):
    statistic: float
    p_value: float


@dataclass(frozen=True)
class TrimFill(FrozenResult):
    """Trim-and-fill: ``k0`` studies imputed on ``side``; ``model`` fitted to the filled data
    (metafor refits it with a z-test; with k0 = 0 it is the original model, test included);
    ``filled_yi``/``filled_vi`` are the imputed studies."""

    k0: int
    side: str
    model: PoolResult
    filled_yi: tuple[float, ...]
    filled_vi: tuple[float, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "filled_yi", tuple(float(x) for x in self.filled_yi))
        object.__setattr__(self, "filled_vi", tuple(float(x) for x in self.filled_vi))


def egger_test(yi: ArrayLike, vi: ArrayLike) -> TestResult:
    """t statistic and two-sided p of the slope of sqrt(vi) in lm(yi ~ sqrt(vi), weights 1/vi).

    Linear in k (a 2 x 2 system). When every study has the same variance the slope cannot be
    estimated: NaN statistic and p (shown as "not estimable"), as metafor cannot fit it either.
    """
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    X = np.column_stack([np.ones_like(y), np.sqrt(v)])
    w = 1 / v
    XtW = X.T * w
    information = XtW @ X
    if y.size < 3 or np.linalg.cond(information) > 1 / np.finfo(float).eps:
        return TestResult(float("nan"), float("nan"))
    covariance = np.linalg.inv(information)
    beta = covariance @ (XtW @ y)
    df = y.size - 2
    sigma2 = float((w * (y - X @ beta) ** 2).sum() / df)
    if sigma2 <= 0:  # the points lie on a line: the slope's SE is zero
        return TestResult(float("nan"), float("nan"))
    t = float(beta[1] / np.sqrt(sigma2 * covariance[1, 1]))
    return TestResult(t, float(2 * stdtr(df, -abs(t))))


def begg_test(yi: ArrayLike, vi: ArrayLike) -> TestResult:
    """Kendall's tau and its p-value, as ``ranktest`` (``cor.test(method = "kendall")``)."""
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    w = 1 / v
    theta = (w * y).sum() / w.sum()
    standardised = (y - theta) / np.sqrt(v - 1 / w.sum())
    tau, p_value = kendall_test(standardised, v)
    return TestResult(tau, p_value)


def trim_and_fill(
    yi: ArrayLike, vi: ArrayLike, method: str, test: str = "z", level: float = DEFAULT_LEVEL
) -> TrimFill:
    """Trim and fill (L0) as ``metafor::trimfill`` on a model fitted with ``method`` and
    ``test``. As metafor: when no study is imputed (k0 = 0) the result is the original model,
    with its own test (Knapp-Hartung stays); when studies are imputed the filled data are refitted
    with the default z-test (metafor passes no test to that refit). The intervals are at
    ``level`` percent (metafor's trimfill keeps the model's level)."""
    y_all = np.asarray(yi, dtype=float)
    v_all = np.asarray(vi, dtype=float)
    side = "right" if regression_slope(y_all, v_all, np.sqrt(v_all), method) < 0 else "left"
    y = -y_all if side == "right" else y_all.copy()
    order = np.argsort(y, kind="stable")
    y, v = y[order], v_all[order]
    k = y.size
    k0, previous = 0, -1
    iterations = 0
    while k0 != previous:
        previous = k0
        iterations += 1
        if iterations > TRIMFILL_MAX_ITERATIONS:
            break
        beta = pool(y[: k - k0], v[: k - k0], method=method).estimate
        centred = y - beta
        ranks = np.empty(k)
        ranks[np.argsort(np.abs(centred), kind="stable")] = np.arange(1, k + 1)
        signed = np.sign(centred) * ranks
        sr = signed[signed > 0].sum()
        k0 = max(0, int(_round_half_even((4 * sr - k * (k + 1)) / (2 * k - 1))))
    if k0 == 0:
        return TrimFill(0, side, pool(y_all, v_all, method=method, test=test, level=level), (), ())
    mirrored = 2 * beta - y[k - k0 :]
    filled_yi = -mirrored if side == "right" else mirrored
    filled_vi = v[k - k0 :]
    model = pool(
        np.concatenate([y_all, filled_yi]),
        np.concatenate([v_all, filled_vi]),
        method=method,
        level=level,
    )
    return TrimFill(k0, side, model, tuple(filled_yi.tolist()), tuple(filled_vi.tolist()))


def _round_half_even(value: float) -> float:
    """R's round(): halves go to the even neighbour."""
    return float(np.round(value))
