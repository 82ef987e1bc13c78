"""Elementary transformations between the scale readers see and the scale effects are pooled on.

Leaf module (numpy only) so that the measure registry and the effect-size modules can both use
it. Each function keeps the exact arithmetic that metafor's ``transf.*`` functions use, so that
results stay bit-identical with the reference values. Sources: Viechtbauer W (2010), metafor,
J Stat Softw 36(3); Freeman MF & Tukey JW (1950), Ann Math Stat 21:607-611; Miller JJ (1978),
Am Stat 32:138.

Every function takes ``(values, n)``; ``n`` is the sample size that only the Freeman-Tukey
transformations need (None elsewhere, and ignored).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Sizes = float | np.ndarray | None
Transform = Callable[..., np.ndarray]  # (values, n=None) -> values


def identity(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """Differences and raw proportions: the analysis scale is the natural scale."""
    return np.asarray(values, dtype=float)


def log(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """Ratios and PLN: natural log (values must be > 0; 0 gives -inf)."""
    return np.asarray(np.log(np.asarray(values, dtype=float)), dtype=float)


def exp(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """Inverse of ``log``."""
    return np.asarray(np.exp(np.asarray(values, dtype=float)), dtype=float)


def logit(p: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """log(p / (1 - p)) (``escalc`` PLO); +-inf at 0 and 1."""
    p = np.asarray(p, dtype=float)
    return np.asarray(np.log(p / (1 - p)), dtype=float)


def inverse_logit(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """1 / (1 + exp(-x)) (``transf.ilogit``)."""
    return np.asarray(1 / (1 + np.exp(-np.asarray(values, dtype=float))), dtype=float)


def arcsine(p: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """asin(sqrt(p)) (``escalc`` PAS, ``transf.arcsin``)."""
    return np.asarray(np.arcsin(np.sqrt(np.asarray(p, dtype=float))), dtype=float)


def inverse_arcsine(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
    """sin(x)^2 with x clipped to [0, pi/2] (``transf.iarcsin``)."""
    return np.asarray(
        np.sin(np.clip(np.asarray(values, dtype=float), 0, np.pi / 2)) ** 2, dtype=float
    )


def freeman_tukey(p: float | np.ndarray, n: float | np.ndarray) -> np.ndarray:
    """The Freeman-Tukey value of a proportion p with sample size n (metafor's ``transf.pft``)."""
    x = np.asarray(p, dtype=float) * n
    return 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))


def inverse_freeman_tukey(t: float | np.ndarray, n: float | np.ndarray) -> np.ndarray:
    """Miller's (1978) inverse of the Freeman-Tukey transformation, as ``transf.ipft``.

    Values below the transform of 0% map to 0 and above that of 100% map to 1.
    """
    t = np.asarray(t, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sin(2 * t)
        p = 0.5 * (1 - np.sign(np.cos(2 * t)) * np.sqrt(1 - (s + (s - 1 / s) / n) ** 2))
    p = np.where(t > freeman_tukey(1.0, n), 1.0, p)
    p = np.where(t < freeman_tukey(0.0, n), 0.0, p)
    return p


def _needs_n(n: Sizes) -> float | np.ndarray:
    if n is None:
        raise ValueError("the PFT back-transformation needs the sample size n")
    return n


def to_freeman_tukey(p: float | np.ndarray, n: Sizes) -> np.ndarray:
    """``freeman_tukey`` with ``n`` required (ValueError without it)."""
    return freeman_tukey(p, _needs_n(n))


def from_freeman_tukey(values: float | np.ndarray, n: Sizes) -> np.ndarray:
    """``inverse_freeman_tukey`` with ``n`` required (ValueError without it)."""
    return inverse_freeman_tukey(values, _needs_n(n))


# -- back-transformations and absolute effects used by the measure registry --------------------


def clipped_proportion(inverse: Transform) -> Transform:
    """A back-transformation to proportions, clipped to [0, 1]: a proportion outside it has no
    meaning, so a Wald bound of PR below 0 or an exp(log p) above 1 is shown as 0% or 100%."""

    def to_natural(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
        return np.clip(inverse(values, n), 0.0, 1.0)

    to_natural.__doc__ = f"{inverse.__name__}, clipped to [0, 1]."
    return to_natural


def risk_with_risk_ratio(control: float, effect: float) -> float:
    """Risk with treatment at control risk p0 for a risk ratio: RR x p0, clipped to [0, 1]."""
    return min(1.0, max(0.0, effect * control))


def risk_with_odds_ratio(control: float, effect: float) -> float:
    """... for an odds ratio: OR p0 / (1 - p0 + OR p0), clipped to [0, 1]."""
    return min(1.0, max(0.0, effect * control / (1 - control + effect * control)))


def risk_with_risk_difference(control: float, effect: float) -> float:
    """... for a risk difference: p0 + RD, clipped to [0, 1]."""
    return min(1.0, max(0.0, control + effect))


# -- incidence rates (escalc IR, IRLN, IRS, IRFT) ------------------------------------------------


def square_root(rate: float | np.ndarray, t: Sizes = None) -> np.ndarray:
    """sqrt(rate) (``escalc`` IRS)."""
    return np.asarray(np.sqrt(np.asarray(rate, dtype=float)), dtype=float)


def square(values: float | np.ndarray, t: Sizes = None) -> np.ndarray:
    """Inverse of ``square_root``: x^2 with x floored at 0 first, so that a negative bound of a
    square-root-scale interval maps to a rate of 0 rather than to a positive rate (metafor's
    ``predict(transf = function(x) x^2)`` would square it; a documented difference)."""
    return np.asarray(np.clip(np.asarray(values, dtype=float), 0.0, None) ** 2, dtype=float)


def freeman_tukey_rate(rate: float | np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """The Freeman-Tukey value of a rate x/t with person-time t (metafor's ``transf.irft``):
    (sqrt(x/t) + sqrt((x + 1)/t)) / 2 with x = rate t."""
    t = np.asarray(t, dtype=float)
    x = np.asarray(rate, dtype=float) * t
    return np.asarray(0.5 * (np.sqrt(x / t) + np.sqrt((x + 1) / t)), dtype=float)


def inverse_freeman_tukey_rate(y: float | np.ndarray, t: float | np.ndarray) -> np.ndarray:
    """The rate whose Freeman-Tukey value with person-time t is y, as ``transf.iirft``: solving
    y sqrt(t) = (sqrt(x) + sqrt(x + 1)) / 2 gives rate = y^2 - 1/(2t) + 1/(16 y^2 t^2); values
    below the transform of 0 events (1 / (2 sqrt(t))) map to 0."""
    y = np.asarray(y, dtype=float)
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = y**2 - 1 / (2 * t) + 1 / (16 * y**2 * t**2)
    return np.asarray(np.where(y < freeman_tukey_rate(0.0, t), 0.0, rate), dtype=float)


def _needs_time(t: Sizes) -> float | np.ndarray:
    if t is None:
        raise ValueError("the IRFT transformations need the person-time t")
    return t


def to_freeman_tukey_rate(rate: float | np.ndarray, t: Sizes) -> np.ndarray:
    """``freeman_tukey_rate`` with ``t`` required (ValueError without it)."""
    return freeman_tukey_rate(rate, _needs_time(t))


def from_freeman_tukey_rate(values: float | np.ndarray, t: Sizes) -> np.ndarray:
    """``inverse_freeman_tukey_rate`` with ``t`` required (ValueError without it)."""
    return inverse_freeman_tukey_rate(values, _needs_time(t))


def nonnegative(inverse: Transform) -> Transform:
    """A back-transformation to rates, floored at 0: a rate below 0 has no meaning, so a Wald
    bound of IR below 0 is shown as 0 (metafor's identity back-transform would keep it)."""

    def to_natural(values: float | np.ndarray, n: Sizes = None) -> np.ndarray:
        return np.clip(inverse(values, n), 0.0, None)

    to_natural.__doc__ = f"{inverse.__name__}, floored at 0."
    return to_natural
