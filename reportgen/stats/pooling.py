"""Inverse-variance pooling of effect sizes: the fixed-effect model and random-effects models with
any tau2 estimator of ``tau2.ESTIMATORS``, as metafor's ``rma.uni`` fits an intercept-only model.

Sources: Knapp G & Hartung J (2003), Stat Med 22:2693-2710 (``test="knha"``); Higgins JPT &
Thompson SG (2002), Stat Med 21:1539-1558 (I2, H2); Viechtbauer W (2007), Stat Med 26:37-52
(Q-profile confidence interval for tau2); the estimators' sources are in ``tau2``. I2 and H2
follow metafor: for random-effects models they are computed from tau2 and the "typical"
within-study variance, for the fixed-effect model from Q.

Everything is vectorised with numpy: no per-study Python loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, ndtr, stdtr

from reportgen.errors import AnalysisError
from reportgen.stats.display import Table, short, table
from reportgen.stats.fitstats import fit_statistics
from reportgen.stats.frozen import FloatArray, FrozenResult, plain, readonly_array, readonly_new
from reportgen.stats.levels import DEFAULT_LEVEL, check_level, critical_value
from reportgen.stats.measures import ESTIMATORS, TESTS
from reportgen.stats.tau2 import Buffers, estimate_tau2, q_profile_interval
from reportgen.stats.variance_components import VarianceComponents
from reportgen.stats.vectors import inner

if TYPE_CHECKING:
    import pandas as pd

METHODS = ESTIMATORS
# TESTS: re-exported from the registry.
CONFIDENCE_LEVEL = DEFAULT_LEVEL / 100  # the default level as a proportion (0.95)
ProfileData = tuple[FloatArray, FloatArray, float, float]  # y, v, tau2, typical variance


@dataclass(frozen=True)
class MHTests(FrozenResult):
    """The tests ``rma.mh`` reports for odds ratios: Cochran-Mantel-Haenszel (chi-square, 1 df,
    with or without continuity correction) and Tarone's test for heterogeneity."""

    cmh: float
    cmh_p: float
    tarone: float
    tarone_p: float


@dataclass(frozen=True, eq=False)
class PoolResult(FrozenResult):
    """A pooled estimate on the analysis scale, with its heterogeneity statistics.

    Field names match ``results.json`` (``model`` and ``heterogeneity``). ``tau2``, ``i2`` (in
    percent), ``h2`` and ``q_p`` are None when k = 1, where heterogeneity cannot be estimated.
    ``df`` is the t distribution's degrees of freedom under Knapp-Hartung, else None.
    ``weights`` are percentages summing to 100, in input order (empty for leave-one-out rows).
    ``tau2_ci_*`` and ``i2_ci_*``
    are Q-profile confidence bounds (None when k = 1), computed on first use. Every interval is
    at ``level`` percent (default 95).

    Immutable: fields cannot be assigned, and the arrays it holds (``weights`` and the data of
    the Q-profile interval) are private read-only copies, so changing the arrays given to
    ``pool()`` afterwards changes nothing here.
    """

    k: int
    method: str
    test: str
    estimate: float
    se: float
    statistic: float
    p_value: float
    ci_lower: float
    ci_upper: float
    pi_lower: float
    pi_upper: float
    df: float | None
    tau2: float | None
    i2: float | None
    h2: float | None
    q: float
    q_df: int
    q_p: float | None
    weights: FloatArray
    iterations: int | None = None
    notes: tuple[str, ...] = ()
    # Fit statistics as metafor reports them (``stats.fitstats``); None where it reports none.
    loglik: float | None = None
    aic: float | None = None
    bic: float | None = None
    tau2_se: float | None = None
    mh: MHTests | None = None  # Mantel-Haenszel odds ratios only
    level: float = DEFAULT_LEVEL  # of the CI, PI and the Q-profile intervals, in percent
    components: VarianceComponents | None = None  # three-level models only (stats.multilevel)
    # (y, v, tau2, typical variance): what the Q-profile interval needs, computed on first use.
    _profile_data: ProfileData | None = field(default=None, repr=False, compare=False)
    # Or where to get it on first use (leave-one-out rows: ``leave_one_out.LeftOut``).
    _profile_source: Callable[[], ProfileData] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", readonly_array(self.weights))
        object.__setattr__(self, "notes", tuple(self.notes))
        if self._profile_data is not None:
            y, v, tau2, typical_variance = self._profile_data
            frozen = (readonly_array(y), readonly_array(v), float(tau2), float(typical_variance))
            object.__setattr__(self, "_profile_data", frozen)

    @cached_property
    def _q_profile(self) -> tuple[float, float, float, float] | None:
        data = self._profile_data or (self._profile_source and self._profile_source())
        if not data:
            return None
        y, v, tau2, typical_variance = data
        lower, upper = q_profile_interval(y, v, tau2, self.level / 100)
        return (
            lower,
            upper,
            100 * lower / (typical_variance + lower),
            100 * upper / (typical_variance + upper),
        )

    @property
    def tau2_ci_lower(self) -> float | None:
        return None if self._q_profile is None else self._q_profile[0]

    @property
    def tau2_ci_upper(self) -> float | None:
        return None if self._q_profile is None else self._q_profile[1]

    @property
    def i2_ci_lower(self) -> float | None:
        return None if self._q_profile is None else self._q_profile[2]

    @property
    def i2_ci_upper(self) -> float | None:
        return None if self._q_profile is None else self._q_profile[3]

    def to_dict(self) -> dict[str, Any]:
        """Every field and the Q-profile bounds as JSON-safe plain data: ``weights`` as a list,
        NaN and infinite values as None (so ``json.dumps(..., allow_nan=False)`` works)."""
        return {
            "k": self.k,
            "method": self.method,
            "test": self.test,
            "estimate": plain(self.estimate),
            "se": plain(self.se),
            "statistic": plain(self.statistic),
            "p_value": plain(self.p_value),
            "ci_lower": plain(self.ci_lower),
            "ci_upper": plain(self.ci_upper),
            "pi_lower": plain(self.pi_lower),
            "pi_upper": plain(self.pi_upper),
            "df": plain(self.df),
            "tau2": plain(self.tau2),
            "tau2_ci_lower": plain(self.tau2_ci_lower),
            "tau2_ci_upper": plain(self.tau2_ci_upper),
            "i2": plain(self.i2),
            "i2_ci_lower": plain(self.i2_ci_lower),
            "i2_ci_upper": plain(self.i2_ci_upper),
            "h2": plain(self.h2),
            "q": plain(self.q),
            "q_df": self.q_df,
            "q_p": plain(self.q_p),
            "weights": plain(self.weights),
            "iterations": self.iterations,
            "notes": list(self.notes),
            "loglik": plain(self.loglik),
            "aic": plain(self.aic),
            "bic": plain(self.bic),
            "tau2_se": plain(self.tau2_se),
            "mh": plain(self.mh),
            "level": self.level,
            "components": plain(self.components),
        }

    def __repr__(self) -> str:
        test = "" if self.test == "z" else f", test={self.test!r}"
        i2 = "None" if self.i2 is None else f"{self.i2:.1f}%"
        return (
            f"PoolResult(k={self.k}, method={self.method!r}{test}, "
            f"estimate={short(self.estimate)} [{short(self.ci_lower)}, {short(self.ci_upper)}], "
            f"tau2={short(self.tau2)}, I2={i2})"
        )

    def _table(self) -> Table:
        return table(
            "quantity",
            ("value", "lower", "upper"),
            [
                ("estimate", (self.estimate, self.ci_lower, self.ci_upper)),
                ("prediction", (self.estimate, self.pi_lower, self.pi_upper)),
                ("se", (self.se, None, None)),
                ("statistic", (self.statistic, None, None)),
                ("p_value", (self.p_value, None, None)),
                ("df", (self.df, None, None)),
                ("tau2", (self.tau2, self.tau2_ci_lower, self.tau2_ci_upper)),
                ("i2", (self.i2, self.i2_ci_lower, self.i2_ci_upper)),
                ("h2", (self.h2, None, None)),
                ("q", (self.q, None, None)),
                ("q_df", (float(self.q_df), None, None)),
                ("q_p", (self.q_p, None, None)),
                ("k", (float(self.k), None, None)),
            ],
        )

    def summary(self) -> pd.DataFrame:
        """A tidy DataFrame: one row per quantity, with columns ``value``, ``lower`` and
        ``upper`` (the CI at ``level`` of the estimate, tau2 and I2; the prediction interval on
        the row ``prediction``). Missing values are NaN; ``attrs`` holds ``method`` and ``test``."""
        frame = self._table().frame()
        frame.attrs.update(method=self.method, test=self.test)
        return frame

    def _repr_html_(self) -> str:
        return self._table().html(f"PoolResult(k={self.k}, method={self.method}, test={self.test})")


def pool(
    yi: ArrayLike,
    vi: ArrayLike,
    method: str = "REML",
    test: str = "z",
    level: float = DEFAULT_LEVEL,
) -> PoolResult:
    """Pool effect sizes ``yi`` with sampling variances ``vi`` (as ``metafor::rma``).

    ``method``: "FE" (fixed/common effect) or a tau2 estimator: "DL", "REML", "ML", "PM", "HS",
    "SJ", "HE", "EB".
    ``test``: "z" (normal) or "knha" (Knapp-Hartung: variance scaled by the weighted residual
    mean square, without truncation, and a t distribution with k - 1 df).
    ``level``: the confidence level in percent (metafor's ``level``), for the CI, the prediction
    interval and the Q-profile intervals of tau2 and I2.

    Edge cases: tau2 is floored at 0; with k = 1 the study's own estimate is returned with a z
    interval, tau2 is taken as 0 for the fit and heterogeneity is reported as not estimable; the
    95% prediction interval is ``estimate +/- crit * sqrt(se^2 + tau2)`` with the same critical
    value as the CI (metafor's default), so it equals the CI for a fixed-effect model.
    """
    y, v = _checked_inputs(yi, vi, method, test)
    level = check_level(level)
    k = y.size
    if k == 1:
        return _single_study(y[0], v[0], method, test, level)

    buffers = Buffers.for_size(k)
    w0 = buffers.weights(v, 0.0)
    sw0 = w0.sum()
    residual0 = np.subtract(y, inner(w0, y) / sw0, out=buffers.residual)
    q = max(0.0, float(inner(np.multiply(w0, residual0, out=buffers.weighted), residual0)))
    q_df = k - 1
    trace_p0 = sw0 - inner(w0, w0) / sw0

    tau2, iterations = estimate_tau2(y, v, method, buffers)

    w = buffers.weights(v, tau2)
    sw = w.sum()
    estimate = float(inner(w, y) / sw)
    variance, df, crit = _variance_and_critical_value(y, w, estimate, 1 / sw, test, buffers, level)
    se = float(np.sqrt(variance))
    statistic = estimate / se if se > 0 else float(np.copysign(np.inf, estimate))
    p_value = float(2 * (ndtr(-abs(statistic)) if df is None else stdtr(df, -abs(statistic))))

    typical_variance = q_df / trace_p0
    i2, h2 = _i2_h2(method, q, q_df, tau2, typical_variance)
    pi_half = crit * np.sqrt(variance + tau2)
    weights = percent_weights(w)  # before fit_statistics, which reuses the buffer w is in
    fit = fit_statistics(y, v, float(tau2), method, buffers)
    return PoolResult(
        k=k,
        method=method,
        test=test,
        estimate=estimate,
        se=se,
        statistic=float(statistic),
        p_value=p_value,
        ci_lower=estimate - crit * se,
        ci_upper=estimate + crit * se,
        pi_lower=float(estimate - pi_half),
        pi_upper=float(estimate + pi_half),
        df=df,
        tau2=float(tau2),
        i2=float(i2),
        h2=float(h2),
        q=q,
        q_df=q_df,
        q_p=float(chdtrc(q_df, q)),
        weights=weights,
        iterations=iterations,
        loglik=fit.loglik,
        aic=fit.aic,
        bic=fit.bic,
        tau2_se=fit.tau2_se,
        level=level,
        _profile_data=(y, v, float(tau2), float(typical_variance)),
    )


def _checked_inputs(
    yi: ArrayLike, vi: ArrayLike, method: str, test: str
) -> tuple[FloatArray, FloatArray]:
    """Options checked on entry; private read-only copies of the inputs (the result keeps them
    for its Q-profile interval)."""
    if method not in METHODS:
        raise ValueError(f"Invalid method {method!r}; must be one of {', '.join(METHODS)}")
    if test not in TESTS:
        raise ValueError(f"Invalid test {test!r}; must be one of {', '.join(TESTS)}")
    y = readonly_array(np.ravel(np.asarray(yi, dtype=float)))
    v = readonly_array(np.ravel(np.asarray(vi, dtype=float)))
    if y.size == 0 or v.size != y.size:
        raise ValueError("yi and vi must be non-empty and of the same length")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v))):
        raise AnalysisError("effect sizes and variances must be finite numbers")
    if np.any(v <= 0):
        raise AnalysisError("every sampling variance must be positive")
    return y, v


def _variance_and_critical_value(
    y: FloatArray,
    w: FloatArray,
    estimate: float,
    variance: float,
    test: str,
    buffers: Buffers,
    level: float = DEFAULT_LEVEL,
) -> tuple[float, float | None, float]:
    """The estimate's variance, the t distribution's df (None for z) and the critical value.

    Knapp-Hartung scales the variance by the weighted residual mean square, untruncated; metafor
    sets the scale to 0 when the residuals vanish, rather than dividing noise.
    """
    if test != "knha":
        return variance, None, critical_value(level)
    k = y.size
    residual = np.subtract(y, estimate, out=buffers.residual)
    rss = float(inner(np.multiply(w, residual, out=buffers.weighted), residual))
    scale = rss / (k - 1) if rss > np.finfo(float).eps else 0.0
    df = float(k - 1)
    return variance * scale, df, critical_value(level, df)


def _i2_h2(
    method: str, q: float, q_df: int, tau2: float, typical_variance: float
) -> tuple[float, float]:
    """I2 (percent) and H2 as metafor computes them: from Q for the fixed-effect model, from
    tau2 and the typical within-study variance otherwise."""
    if method == "FE":
        return (max(0.0, 100 * (q - q_df) / q) if q > 0 else 0.0), q / q_df
    return 100 * tau2 / (typical_variance + tau2), tau2 / typical_variance + 1


def percent_weights(weights: FloatArray) -> FloatArray:
    """Weights as percentages summing to 100, in a read-only array (results are frozen)."""
    percent: FloatArray = weights * (100 / weights.sum())
    return readonly_new(percent)


def _single_study(
    y: float, v: float, method: str, test: str, level: float = DEFAULT_LEVEL
) -> PoolResult:
    crit = critical_value(level)
    se = float(np.sqrt(v))
    statistic = float(y / se)
    notes = ["Only one study: its own result is shown and heterogeneity cannot be estimated."]
    if test == "knha":
        notes.append("Knapp-Hartung needs at least two studies; a z-test was used instead.")
    return PoolResult(
        k=1,
        method=method,
        test="z",
        estimate=float(y),
        se=se,
        statistic=statistic,
        p_value=float(2 * ndtr(-abs(statistic))),
        ci_lower=float(y - crit * se),
        ci_upper=float(y + crit * se),
        pi_lower=float(y - crit * se),
        pi_upper=float(y + crit * se),
        df=None,
        tau2=None,
        i2=None,
        h2=None,
        q=0.0,
        q_df=0,
        q_p=None,
        weights=percent_weights(np.array([1.0])),
        notes=tuple(notes),
        level=level,
    )
