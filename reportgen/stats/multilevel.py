"""Three-level meta-analysis: several effects per study, as metafor's
``rma.mv(yi, vi, random = ~ 1 | study/effect, method = "REML" | "ML")``.

Model: y_ij = mu + u_i + w_ij + e_ij with u_i ~ N(0, sigma2_between) per study,
w_ij ~ N(0, sigma2_within) per effect and e_ij ~ N(0, v_ij) known. The marginal covariance is
block-diagonal by study, V_i = D_i + sigma2_between 11' with D_i = diag(v_ij + sigma2_within),
so every quantity is computed block-wise in closed form (Sherman-Morrison), linear in k: with
w_ij = 1/(v_ij + sigma2_within), a_i = sum_j w_ij and c_i = 1/(1 + sigma2_between a_i),
V_i^-1 = diag(w) - sigma2_between c_i w w', 1'V_i^-1 1 = c_i a_i, log|V_i| = sum log(1/w) -
log c_i. The (restricted) log-likelihood is maximised over both components (>= 0) with its
analytic gradient (L-BFGS-B, scipy imported lazily).

Sources: Konstantopoulos S (2011), Res Synth Methods 2:61-76; Cheung MWL (2014), Psychol Methods
19:211-229 (three-level models and the I2 of each level, computed as metafor's website does:
sigma2_l / (sum(sigma2) + (k - 1) / tr(P)) with P from the weights 1/v_ij); Harville DA (1977),
JASA 72:320-338 (REML). metafor conventions followed: the REML log-likelihood includes
+1/2 log|X'X| (REMLf = TRUE), AIC and BIC count the intercept and both components, BIC uses k - 1
observations under REML; Cochran's Q is that of the fixed-effect model; ``test = "t"`` uses a t
distribution with k - 1 degrees of freedom (no Knapp-Hartung adjustment); the prediction
interval adds both components to SE^2; weights are the diagonal of V^-1, in percent.

Edge cases: with one effect per study the two components are not identified separately (only
their sum is); the fit is returned with both halves equal, as metafor's search gives from equal
starting values, and a note says so. With a single study the between-study variance cannot be
estimated at all: AnalysisError. Components on the 0 boundary are 0 here
(metafor reports values near 1e-10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, ndtr, stdtr

from reportgen.errors import AnalysisError
from reportgen.stats.frozen import FloatArray
from reportgen.stats.levels import DEFAULT_LEVEL, check_level, critical_value
from reportgen.stats.pooling import PoolResult, percent_weights
from reportgen.stats.variance_components import VarianceComponents

THREE_LEVEL_METHODS = ("REML", "ML")
THREE_LEVEL_TESTS = ("z", "t")
_LOG_2PI = math.log(2 * math.pi)


@dataclass(frozen=True)
class _Blocks:
    """The data grouped by study: ``index`` maps each effect to its study's block."""

    y: FloatArray
    v: FloatArray
    index: np.ndarray
    n_blocks: int

    def sums(self, values: FloatArray) -> FloatArray:
        """Per-study sums of ``values`` (one per effect)."""
        out: FloatArray = np.bincount(self.index, weights=values, minlength=self.n_blocks).astype(
            float
        )
        return out


@dataclass(frozen=True)
class _State:
    """Everything the likelihood and its gradient need at one (sigma2_between, sigma2_within)."""

    mu: float
    s11: float
    rss: float
    logdet: float
    w: FloatArray
    c: FloatArray
    a: FloatArray
    u: FloatArray  # V^-1 (y - mu)
    u_sums: FloatArray  # 1' u_i per study


def _state(blocks: _Blocks, between: float, within: float) -> _State:
    w = 1.0 / (blocks.v + within)
    a = blocks.sums(w)
    c = 1.0 / (1.0 + between * a)
    b = blocks.sums(w * blocks.y)
    s11 = float((c * a).sum())
    mu = float((c * b).sum()) / s11
    r = blocks.y - mu
    e = blocks.sums(w * r)
    u = w * r - between * (c * e)[blocks.index] * w
    rss = float((w * r * r).sum() - between * (c * e * e).sum())
    logdet = float(-np.log(w).sum() - np.log(c).sum())
    return _State(mu, s11, rss, logdet, w, c, a, u, c * e)


def _loglik(state: _State, k: int, method: str) -> float:
    if method == "ML":
        return -0.5 * (k * _LOG_2PI + state.logdet + state.rss)
    restricted = math.log(state.s11) - math.log(k)  # log|X'V^-1 X| - log|X'X| (REMLf)
    return -0.5 * ((k - 1) * _LOG_2PI + restricted + state.logdet + state.rss)


def _gradient(blocks: _Blocks, state: _State, between: float, method: str) -> FloatArray:
    """d loglik / d (sigma2_between, sigma2_within): -1/2 tr(P dV) + 1/2 u' dV u, with P the
    REML projection (ML: V^-1), dV = blockdiag(11') for the between and I for the within
    component."""
    w, c, a = state.w, state.c, state.a
    ww = blocks.sums(w * w)
    trace_between = float((c * a).sum())
    trace_within = float(w.sum() - between * (c * ww).sum())
    if method == "REML":
        trace_between -= float(((c * a) ** 2).sum()) / state.s11
        trace_within -= float((c * c * ww).sum()) / state.s11
    quad_between = float((state.u_sums**2).sum())
    quad_within = float((state.u**2).sum())
    return np.array([quad_between - trace_between, quad_within - trace_within]) / 2


def _maximise(blocks: _Blocks, k: int, method: str) -> tuple[float, float, int]:
    """The components maximising the (restricted) log-likelihood, and the iterations used."""
    from scipy.optimize import minimize

    start = max(float(np.var(blocks.y)) / 2, 1e-4)

    def objective(params: FloatArray) -> tuple[float, FloatArray]:
        between, within = (max(0.0, float(p)) for p in params)
        state = _state(blocks, between, within)
        return -_loglik(state, k, method), -_gradient(blocks, state, between, method)

    found = minimize(
        objective,
        np.array([start, start]),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None), (0.0, None)],
        options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 2000},
    )
    if not np.all(np.isfinite(found.x)):
        raise AnalysisError(f"three-level {method} fit did not converge: {found.message}")
    return max(0.0, float(found.x[0])), max(0.0, float(found.x[1])), int(found.nit)


def _blocks(yi: ArrayLike, vi: ArrayLike, study: list[str] | tuple[str, ...]) -> _Blocks:
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    if y.shape != v.shape or y.ndim != 1 or len(study) != y.size:
        raise ValueError("yi, vi and study must be one-dimensional and of the same length")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v)) and np.all(v > 0)):
        raise AnalysisError("three-level model: every effect needs a finite yi and a vi > 0")
    labels = {name: i for i, name in enumerate(dict.fromkeys(study))}
    index = np.array([labels[s] for s in study], dtype=np.intp)
    return _Blocks(y, v, index, len(labels))


def fit_three_level(
    yi: ArrayLike,
    vi: ArrayLike,
    study: list[str] | tuple[str, ...],
    method: str = "REML",
    test: str = "z",
    level: float = DEFAULT_LEVEL,
) -> PoolResult:
    """The three-level model of effects ``yi`` (sampling variances ``vi``) nested in
    ``study`` (one label per effect), as ``rma.mv(yi, vi, random = ~ 1 | study/effect)``.
    ``method``: REML or ML; ``test``: z, or t (t distribution with k - 1 df). The result's
    ``tau2`` is the total heterogeneity (sum of both components), ``i2`` the total multilevel
    I2, and ``components`` the two components and their I2."""
    if method not in THREE_LEVEL_METHODS:
        raise ValueError(f"Invalid method {method!r}; must be one of REML, ML")
    if test not in THREE_LEVEL_TESTS:
        raise ValueError(f"Invalid test {test!r}; must be one of z, t")
    blocks = _blocks(yi, vi, study)
    k = blocks.y.size
    if k < 2:
        raise AnalysisError("a three-level model needs at least two effects")
    if blocks.n_blocks < 2:
        raise AnalysisError(
            "a three-level model needs at least two studies: with one, the variance between "
            "studies cannot be estimated"
        )
    between, within, iterations = _maximise(blocks, k, method)
    state = _state(blocks, between, within)
    return _result(blocks, state, (between, within), method, test, iterations, check_level(level))


def _result(
    blocks: _Blocks,
    state: _State,
    components: tuple[float, float],
    method: str,
    test: str,
    iterations: int,
    level: float,
) -> PoolResult:
    between, within = components
    k = blocks.y.size
    se = math.sqrt(1.0 / state.s11)
    statistic = state.mu / se
    df = k - 1 if test == "t" else None
    crit = critical_value(level, df)
    if df is None:
        p_value = float(2 * ndtr(-abs(statistic)))
    else:
        p_value = float(2 * stdtr(df, -abs(statistic)))
    pi_half = crit * math.sqrt(se**2 + between + within)
    w_fe = 1.0 / blocks.v
    mu_fe = float((w_fe * blocks.y).sum() / w_fe.sum())
    q = float((w_fe * (blocks.y - mu_fe) ** 2).sum())
    typical = (k - 1) / float(w_fe.sum() - (w_fe**2).sum() / w_fe.sum())
    total = between + within + typical
    loglik = _loglik(state, k, method)
    parameters = 3
    n_bic = k - 1 if method == "REML" else k
    notes: tuple[str, ...] = ()
    if blocks.n_blocks == k:
        notes = (
            "Three-level model: with one effect per study the between- and within-study "
            "variances cannot be told apart; only their sum is estimated (shown split equally).",
        )
    diagonal = state.w - between * state.c[blocks.index] * state.w**2
    return PoolResult(
        k=k,
        method=method,
        test=test,
        estimate=state.mu,
        se=se,
        statistic=statistic,
        p_value=p_value,
        ci_lower=state.mu - crit * se,
        ci_upper=state.mu + crit * se,
        pi_lower=state.mu - pi_half,
        pi_upper=state.mu + pi_half,
        df=df,
        tau2=between + within,
        i2=100 * (between + within) / total,
        h2=None,
        q=q,
        q_df=k - 1,
        q_p=float(chdtrc(k - 1, q)),
        weights=percent_weights(diagonal),
        iterations=iterations,
        notes=notes,
        loglik=loglik,
        aic=-2 * loglik + 2 * parameters,
        bic=-2 * loglik + parameters * math.log(n_bic),
        components=VarianceComponents(
            sigma2_between=between,
            sigma2_within=within,
            i2_between=100 * between / total,
            i2_within=100 * within / total,
            studies=blocks.n_blocks,
        ),
        level=level,
    )
