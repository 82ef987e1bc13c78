"""Mixed-effects meta-regression, as ``metafor::rma.uni(yi, vi, mods = ~ ..., method, test)``.

Model: y_i = x_i' beta + u_i + e_i, u_i ~ N(0, tau2), e_i ~ N(0, v_i) (Berkey et al. 1995, Stat
Med 14:395-411; Viechtbauer 2010, J Stat Softw 36(3); metafor's ``rma.uni`` documentation).
The residual tau2 comes from ``metareg.regression_tau2`` (every estimator of ``ESTIMATORS``);
then, with W = diag(1 / (v + tau2)):

- beta = (X'WX)^-1 X'Wy, Var(beta) = (X'WX)^-1; under Knapp-Hartung (``test="knha"``,
  Knapp & Hartung 2003) Var(beta) is multiplied by s2 = y'Py / (k - p) (0 when y'Py is 0, as
  metafor), and tests and intervals use t with k - p degrees of freedom;
- QM, the omnibus test of every coefficient but the intercept: b' Var(b)^-1 b, chi-square with
  m = p - 1 df, or divided by m and compared with F(m, k - p) under Knapp-Hartung;
- QE, the test of residual heterogeneity: y'P0y with weights 1/v, chi-square with k - p df;
- I2 = 100 tau2 / (vt + tau2) and H2 = tau2 / vt + 1 with the typical variance
  vt = (k - p) / tr(P0); for the fixed-effect model I2 = max(0, 100 (QE - (k - p)) / QE) and
  H2 = QE / (k - p);
- R2, the proportion of tau2 explained: max(0, 100 (tau2_RE - tau2) / tau2_RE) with tau2_RE
  of the intercept-only model by the same estimator (0 when tau2_RE is 0; None when that model
  cannot be fitted); for the fixed-effect model the adjusted R2 of the weighted least-squares
  fit, floored at 0 (as metafor's ``lm(yi ~ X, weights = 1/vi)``);
- predictions x'beta with SE sqrt(x' Var(beta) x), CI x'beta +- crit SE and prediction
  interval x'beta +- crit sqrt(SE^2 + tau2) (``predict.rma``).

Edge cases: k must exceed p (config validation refuses less); tau2 is floored at 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, fdtrc, ndtr, ndtri, stdtr, stdtrit

from reportgen.errors import AnalysisError
from reportgen.stats.display import Table, short, table
from reportgen.stats.frozen import (
    FloatArray,
    FrozenResult,
    dataclass_dict,
    freeze,
    readonly_array,
)
from reportgen.stats.measures import ESTIMATORS, TESTS
from reportgen.stats.metareg import Projection, projection, regression_tau2
from reportgen.stats.moderators import Design, Value, design_matrix
from reportgen.stats.tau2 import estimate_tau2

if TYPE_CHECKING:
    import pandas as pd

# The residual sum of squares below which metafor sets the Knapp-Hartung factor to 0.
KNHA_EPSILON = float(np.finfo(float).eps)


@dataclass(frozen=True)
class Coefficient(FrozenResult):
    """One coefficient on the analysis scale (log scale for ratio measures): per unit of a
    continuous moderator, or the difference of a level from the reference level."""

    term: str
    moderator: str | None
    level: str | None
    estimate: float
    se: float
    statistic: float
    p_value: float
    ci_lower: float
    ci_upper: float


@dataclass(frozen=True)
class Prediction(FrozenResult):
    """The predicted effect at moderator values ``at``, on the analysis scale."""

    at: dict[str, Value]
    estimate: float
    se: float
    ci_lower: float
    ci_upper: float
    pi_lower: float
    pi_upper: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", freeze(dict(self.at)))


@dataclass(frozen=True, eq=False)
class RegressionModel(FrozenResult):
    """A fitted meta-regression. ``qm_df2`` and ``df`` are k - p under Knapp-Hartung (F and t
    tests), else None; ``r2`` and ``i2`` in percent."""

    k: int
    p: int
    method: str
    test: str
    level: float
    coefficients: tuple[Coefficient, ...]
    qm: float
    qm_df: int
    qm_df2: int | None
    qm_p: float
    qe: float
    qe_df: int
    qe_p: float
    tau2: float
    i2: float
    h2: float
    r2: float | None
    tau2_re: float | None  # tau2 of the intercept-only model (R2's reference)
    df: int | None
    design: Design
    _covariance: FloatArray

    def __post_init__(self) -> None:
        object.__setattr__(self, "coefficients", tuple(self.coefficients))
        object.__setattr__(self, "_covariance", readonly_array(self._covariance))

    @property
    def crit(self) -> float:
        """The critical value of the intervals: normal, or t with k - p df (Knapp-Hartung)."""
        upper = 1 - (1 - self.level) / 2
        return float(ndtri(upper) if self.df is None else stdtrit(self.df, upper))

    def predict_row(self, row: FloatArray, at: Mapping[str, Value]) -> Prediction:
        """The prediction at design row ``row`` (``Design.row``), labelled ``at``."""
        beta = np.array([c.estimate for c in self.coefficients])
        estimate = float(row @ beta)
        se = float(np.sqrt(max(0.0, float(row @ self._covariance @ row))))
        crit, spread = self.crit, float(np.sqrt(se**2 + self.tau2))
        return Prediction(
            dict(at),
            estimate,
            se,
            estimate - crit * se,
            estimate + crit * se,
            estimate - crit * spread,
            estimate + crit * spread,
        )

    def predict(self, at: Mapping[str, Value]) -> Prediction:
        """The prediction at moderator values ``at`` (every moderator named)."""
        return self.predict_row(self.design.row(at), at)

    def to_dict(self) -> dict[str, Any]:
        """Every public field as JSON-safe plain data (the design matrix left out)."""
        data = dataclass_dict(self)
        data.pop("design")
        return data

    def __repr__(self) -> str:
        terms = ", ".join(f"{c.term}={short(c.estimate)}" for c in self.coefficients)
        r2 = "None" if self.r2 is None else f"{self.r2:.1f}%"
        return (
            f"RegressionModel(k={self.k}, method={self.method!r}, test={self.test!r}, {terms}, "
            f"QM p={short(self.qm_p)}, tau2={short(self.tau2)}, R2={r2})"
        )

    def _table(self) -> Table:
        columns = ("estimate", "se", "statistic", "p_value", "ci_lower", "ci_upper")
        return table(
            "term",
            columns,
            [(c.term, tuple(getattr(c, name) for name in columns)) for c in self.coefficients],
        )

    def summary(self) -> pd.DataFrame:
        """A tidy DataFrame of the coefficients (one row per term, as metafor prints them);
        ``attrs`` holds the method, test, QM, QE, tau2, I2 and R2."""
        frame = self._table().frame()
        frame.attrs.update(
            method=self.method,
            test=self.test,
            qm=self.qm,
            qm_p=self.qm_p,
            qe=self.qe,
            qe_p=self.qe_p,
            tau2=self.tau2,
            i2=self.i2,
            r2=self.r2,
        )
        return frame

    def _repr_html_(self) -> str:
        return self._table().html(repr(self))


def _r2(
    y: np.ndarray, v: np.ndarray, method: str, tau2: float, fe_fit: Projection
) -> tuple[float | None, float | None]:
    """(R2 in percent or None, tau2 of the intercept-only model or None), as metafor."""
    k, p = fe_fit.X.shape
    if method == "FE":
        if np.var(y) == 0:
            return 0.0, None
        w = fe_fit.w
        fitted = fe_fit.X @ fe_fit.beta
        mean = float(np.sum(w * fitted) / np.sum(w))
        explained = float(np.sum(w * (fitted - mean) ** 2))
        r2 = explained / (explained + fe_fit.quadratic())
        adjusted = 1 - (1 - r2) * (k - 1) / (k - p)
        return max(0.0, 100 * adjusted), None
    try:
        tau2_re = estimate_tau2(y, v, method)[0]
    except AnalysisError:  # metafor: R2 is NA when the intercept-only model fails
        return None, None
    if tau2_re == 0:
        return 0.0, tau2_re
    return max(0.0, 100 * (tau2_re - tau2) / tau2_re), tau2_re


def _coefficients(
    design: Design, beta: np.ndarray, covariance: np.ndarray, df: int | None, level: float
) -> tuple[Coefficient, ...]:
    se = np.sqrt(np.diag(covariance))
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = beta / se
    upper = 1 - (1 - level) / 2
    if df is None:
        p_values, crit = 2 * ndtr(-np.abs(statistic)), float(ndtri(upper))
    else:
        p_values, crit = 2 * stdtr(df, -np.abs(statistic)), float(stdtrit(df, upper))
    return tuple(
        Coefficient(
            term.name,
            term.moderator,
            term.level,
            float(beta[i]),
            float(se[i]),
            float(statistic[i]),
            float(p_values[i]),
            float(beta[i] - crit * se[i]),
            float(beta[i] + crit * se[i]),
        )
        for i, term in enumerate(design.terms)
    )


def meta_regression(
    yi: ArrayLike,
    vi: ArrayLike,
    design: Design | Mapping[str, Sequence[Value]],
    method: str = "REML",
    test: str = "z",
    level: float = 0.95,
) -> RegressionModel:
    """Fit ``rma.uni(yi, vi, mods = design, method = method, test = test)``; see the module
    docstring for every formula. ``design``: a ``Design``, or the moderators' values per study
    by name (``{"ablat": [44, 55, ...]}``), coded by ``moderators.design_matrix``. Options are
    checked on entry (``ValueError``)."""
    if not isinstance(design, Design):
        design = design_matrix(design)
    if method not in ESTIMATORS:
        raise ValueError(f"Invalid method {method!r}; must be one of {', '.join(ESTIMATORS)}")
    if test not in TESTS:
        raise ValueError(f"Invalid test {test!r}; must be one of {', '.join(TESTS)}")
    y, v, X = np.asarray(yi, dtype=float), np.asarray(vi, dtype=float), design.X
    k, p = X.shape
    if y.shape != (k,) or v.shape != (k,):
        raise ValueError(f"yi and vi need {k} values, one per row of the design matrix")
    if k <= p:
        raise AnalysisError(f"a meta-regression with {p} coefficients needs more than {p} studies")
    tau2 = regression_tau2(y, v, X, method, strict=True)
    fit = projection(y, X, 1 / (v + tau2))
    covariance = fit.inverse
    df = None
    if test == "knha":
        df = k - p
        residual = fit.quadratic()
        covariance = (0.0 if residual <= KNHA_EPSILON else residual / df) * covariance
    m = p - 1
    tested = fit.beta[1:]
    qm = float(tested @ np.linalg.solve(covariance[1:, 1:], tested))
    if df is None:
        qm_p = float(chdtrc(m, qm))
    else:
        qm /= m
        qm_p = float(fdtrc(m, df, qm))
    fe_fit = projection(y, X, 1 / v)
    qe = max(0.0, fe_fit.quadratic())
    if method == "FE":
        i2, h2 = max(0.0, 100 * (qe - (k - p)) / qe), qe / (k - p)
    else:
        typical = (k - p) / fe_fit.trace()
        i2, h2 = 100 * tau2 / (typical + tau2), tau2 / typical + 1
    r2, tau2_re = _r2(y, v, method, tau2, fe_fit)
    return RegressionModel(
        k=k,
        p=p,
        method=method,
        test=test,
        level=level,
        coefficients=_coefficients(design, fit.beta, covariance, df, level),
        qm=qm,
        qm_df=m,
        qm_df2=df,
        qm_p=qm_p,
        qe=qe,
        qe_df=k - p,
        qe_p=float(chdtrc(k - p, qe)),
        tau2=tau2,
        i2=i2,
        h2=h2,
        r2=r2,
        tau2_re=tau2_re,
        df=df,
        design=design,
        _covariance=covariance,
    )
