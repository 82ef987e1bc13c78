"""The random-effects logistic (binomial-normal) model for single-arm proportions, as
``metafor::rma.glmm(measure = "PLO")`` fits it through lme4 with 7-point adaptive Gauss-Hermite
quadrature (Stijnen T, Hamza TH & Ozdemir P 2010, Stat Med 29:3046-3067).

Model: x_i ~ Binomial(n_i, expit(mu + tau u_i)), u_i ~ N(0, 1). Each study's likelihood is
integrated by adaptive quadrature around its conditional mode (Pinheiro & Bates 1995, J Comput
Graph Stat 4:12-35), so 0% and 100% studies and small k need no correction. The maximum is
found by nested one-dimensional searches (tau outside, mu inside), which do not fail where
lme4's joint optimiser sometimes does; the SE of mu comes from the observed information of both
parameters, as lme4's ``vcov`` with the Hessian. Heterogeneity: the likelihood-ratio test of the
saturated against the fixed-effect logistic model (metafor's QE.LRT), and I2/H2 from tau2 and
the typical within-study variance of the logits (as metafor reports them).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, expit, gammaln, ndtr

from reportgen.errors import AnalysisError
from reportgen.stats.effects import proportion_effects
from reportgen.stats.levels import DEFAULT_LEVEL, check_level, critical_value
from reportgen.stats.pooling import PoolResult, percent_weights
from reportgen.stats.vectors import inner

QUADRATURE_POINTS = 7  # metafor's rma.glmm default nAGQ
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(QUADRATURE_POINTS)
_LOG_WEIGHTS = np.log(_WEIGHTS / np.sqrt(2 * np.pi))
_LOG_PHI = -0.5 * _NODES**2 - 0.5 * np.log(2 * np.pi)
TAU_UPPER = 20.0  # on the logit scale: far beyond any plausible between-study SD
SEARCH_TOLERANCE = 1e-10
MODE_MAX_ITERATIONS = 200  # bisection alone would need about 60 at this tolerance
MODE_TOLERANCE = 1e-12
_PARAMETERS = 2  # mu and tau2, as rma.glmm counts them for AIC and BIC


def _log_binomial(x: np.ndarray, n: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """log P(x | n, expit(eta)) without the binomial coefficient, stable for any eta."""
    log_p: np.ndarray = -x * np.logaddexp(0.0, -eta) - (n - x) * np.logaddexp(0.0, eta)
    return log_p


def _conditional_modes(
    x: np.ndarray, n: np.ndarray, mu: float, tau: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each study's mode of h(u) = log f(x | u) + log phi(u) and the quadrature scale
    1 / sqrt(-h''(u)) there.

    h is strictly concave and its mode solves u = tau (x - n p(u)), so it lies in the bracket
    [tau (x - n), tau x]. Safeguarded Newton: each step shrinks the bracket by the sign of h'
    and a Newton step that leaves the bracket is replaced by bisection. Plain Newton can cycle
    (for 50/100 at tau near 5 it jumps between u = 0 and u = 118, where p is 0 or 1 to
    machine precision), which corrupted the likelihood and its finite-difference Hessian.
    """
    lower, upper = tau * (x - n), tau * x
    u = np.clip(np.zeros_like(x), lower, upper)
    for _ in range(MODE_MAX_ITERATIONS):
        p = expit(mu + tau * u)
        gradient = tau * (x - n * p) - u
        lower = np.where(gradient > 0, u, lower)
        upper = np.where(gradient < 0, u, upper)
        newton = u + gradient / (tau**2 * n * p * (1 - p) + 1)
        inside = (newton > lower) & (newton < upper)
        following = np.where(inside | (gradient == 0), newton, 0.5 * (lower + upper))
        step = following - u
        u = following
        if np.max(np.abs(step)) <= MODE_TOLERANCE * max(1.0, float(np.max(np.abs(u)))):
            break
    p = expit(mu + tau * u)
    return u, 1 / np.sqrt(tau**2 * n * p * (1 - p) + 1)


def log_likelihood(x: np.ndarray, n: np.ndarray, mu: float, tau: float) -> float:
    """Marginal log-likelihood by adaptive Gauss-Hermite quadrature, including the binomial
    coefficients."""
    constant = float(np.sum(gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1)))
    if tau == 0:
        return constant + float(np.sum(_log_binomial(x, n, np.full_like(x, mu))))
    modes, scales = _conditional_modes(x, n, mu, tau)
    u = modes[:, None] + scales[:, None] * _NODES[None, :]
    g = _log_binomial(x[:, None], n[:, None], mu + tau * u) - 0.5 * u**2 - 0.5 * np.log(2 * np.pi)
    terms = _LOG_WEIGHTS[None, :] + g - _LOG_PHI[None, :]
    return constant + float(np.sum(np.log(scales) + np.logaddexp.reduce(terms, axis=1)))


def conditional_log_likelihood(x: np.ndarray, n: np.ndarray, mu: float, tau: float) -> float:
    """The log-likelihood ``rma.glmm`` reports: with quadrature, metafor takes the saturated
    model's log-likelihood minus half of lme4's deviance (the sum of squared deviance
    residuals), which is sum of log Binomial(x_i | n_i, expit(mu + tau u_i)), coefficients
    included, at the conditional modes u_i. Not the marginal log-likelihood that the fit
    maximises; the two agree at tau = 0."""
    constant = float(np.sum(gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1)))
    modes = _conditional_modes(x, n, mu, tau)[0] if tau > 0 else np.zeros_like(x)
    return constant + float(np.sum(_log_binomial(x, n, mu + tau * modes)))


def _best_mu(x: np.ndarray, n: np.ndarray, tau: float, start: float) -> tuple[float, float]:
    from scipy.optimize import minimize_scalar  # 0.15 s to import: only when a GLMM is fitted

    result = minimize_scalar(
        lambda mu: -log_likelihood(x, n, mu, tau),
        bracket=(start - 1, start + 1),
        tol=SEARCH_TOLERANCE,
    )
    return float(result.x), -float(result.fun)


def fit_glmm(events: ArrayLike, totals: ArrayLike, level: float = DEFAULT_LEVEL) -> PoolResult:
    """Maximum-likelihood fit of the binomial-normal model; z-test, CI and prediction interval
    for mu (logit) at ``level`` percent.

    Fit statistics as ``rma.glmm`` reports them (``fit.stats``): ``conditional_log_likelihood``
    (metafor's, not the marginal one the fit maximises), with two parameters (mu and tau2, also
    at tau2 = 0) and k observations: AIC = -2 ll + 4, BIC = -2 ll + 2 log k.
    """
    level = check_level(level)
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    k = x.size
    _refuse_unfittable(x, n)
    pooled_logit = float(np.log(x.sum() / (n.sum() - x.sum())))

    def profile(tau: float) -> float:
        return -_best_mu(x, n, tau, pooled_logit)[1]

    from scipy.optimize import minimize_scalar

    search = minimize_scalar(
        profile, bounds=(0.0, TAU_UPPER), method="bounded", options={"xatol": SEARCH_TOLERANCE}
    )
    tau = float(search.x)
    if tau > TAU_UPPER * (1 - 1e-6):
        raise AnalysisError(
            f"the GLMM has no finite maximum: the likelihood still rises at tau2 = "
            f"{TAU_UPPER**2:g} (the search limit); use measure PFT or PAS with another method"
        )
    if profile(0.0) <= search.fun + 1e-9:  # the maximum is on the boundary (tau = 0)
        tau = 0.0
    mu, loglik = _best_mu(x, n, tau, pooled_logit)
    se = _standard_error(x, n, mu, tau)
    reported = conditional_log_likelihood(x, n, mu, tau)

    z = critical_value(level)
    statistic = mu / se
    tau2 = tau**2
    pi_half = z * np.sqrt(se**2 + tau2)
    # Heterogeneity as metafor reports it for GLMMs.
    saturated = _log_binomial_saturated(x, n)
    fixed = float(np.sum(_log_binomial(x, n, np.full_like(x, pooled_logit))))
    q = max(0.0, -2 * (fixed - saturated))
    vi = proportion_effects(x, n, "PLO").vi
    w = 1 / vi
    typical_variance = (k - 1) / (w.sum() - inner(w, w) / w.sum())
    weights = 1 / (vi + tau2)
    return PoolResult(
        k=k,
        method="GLMM",
        test="z",
        estimate=mu,
        se=se,
        statistic=statistic,
        p_value=float(2 * ndtr(-abs(statistic))),
        ci_lower=mu - z * se,
        ci_upper=mu + z * se,
        pi_lower=float(mu - pi_half),
        pi_upper=float(mu + pi_half),
        df=None,
        tau2=tau2,
        i2=float(100 * tau2 / (typical_variance + tau2)),
        h2=float(tau2 / typical_variance + 1),
        q=q,
        q_df=k - 1,
        q_p=float(chdtrc(k - 1, q)),
        # Display weights: inverse-variance weights of the logits at the GLMM's tau2 (the
        # GLMM itself weights studies implicitly).
        weights=percent_weights(weights),
        notes=(
            f"Binomial-normal model fitted by maximum likelihood with {QUADRATURE_POINTS}-point "
            f"adaptive Gauss-Hermite quadrature; marginal log-likelihood {loglik:.4f}.",
        ),
        loglik=reported,
        aic=-2 * reported + 2 * _PARAMETERS,
        bic=-2 * reported + _PARAMETERS * float(np.log(k)),
        level=level,
    )


def _refuse_unfittable(x: np.ndarray, n: np.ndarray) -> None:
    """AnalysisError where the model has no finite maximum likelihood estimate."""
    if x.size < 2:
        raise AnalysisError("the GLMM needs at least two studies to estimate heterogeneity")
    if x.sum() == 0 or x.sum() == n.sum():
        raise AnalysisError(
            "the GLMM cannot be fitted: every study has 0% (or every study 100%) events, so the "
            "pooled logit is infinite; use measure PFT or PAS with another method"
        )
    if np.all((x == 0) | (x == n)):
        raise AnalysisError(
            "the GLMM has no finite maximum: every study has 0% or 100% events, so the "
            "likelihood keeps rising as the between-study variance grows; use measure PFT or "
            "PAS with another method"
        )


def _log_binomial_saturated(x: np.ndarray, n: np.ndarray) -> float:
    """Log-likelihood of the saturated model (each study its own proportion); 0 log 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        terms = np.where(x > 0, x * np.log(p), 0.0) + np.where(x < n, (n - x) * np.log1p(-p), 0.0)
    return float(np.sum(terms))


def _standard_error(x: np.ndarray, n: np.ndarray, mu: float, tau: float) -> float:
    """SE of mu from the inverse observed information of (tau, mu), by central differences;
    at tau = 0 (boundary) from the information about mu alone."""
    h_mu = 1e-4
    if tau < 1e-6:
        second = (
            log_likelihood(x, n, mu + h_mu, 0.0)
            - 2 * log_likelihood(x, n, mu, 0.0)
            + log_likelihood(x, n, mu - h_mu, 0.0)
        ) / h_mu**2
        return float(1 / np.sqrt(-second))
    h_tau = 1e-4 * max(1.0, tau)
    point = np.array([tau, mu])
    steps = np.array([h_tau, h_mu])

    def f(p: np.ndarray) -> float:
        return log_likelihood(x, n, p[1], p[0])

    hessian = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            ei = np.eye(2)[i] * steps[i]
            ej = np.eye(2)[j] * steps[j]
            hessian[i, j] = (
                f(point + ei + ej) - f(point + ei - ej) - f(point - ei + ej) + f(point - ei - ej)
            ) / (4 * steps[i] * steps[j])
    covariance = np.linalg.inv(-hessian)
    return float(np.sqrt(covariance[1, 1]))
