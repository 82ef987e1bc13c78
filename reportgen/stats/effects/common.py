"""What every effect-size module shares: the result type and the back-transformations to the
scale readers see (``to_natural``; for proportions ``to_proportion``, whose sources are given in
``proportion``: PFT is Miller JJ (1978), Am Stat 32:138, as metafor's ``transf.ipft``).

This module imports no other effect-size module, so each of them can import it without a cycle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ZERO_CELL_ADDITION = 0.5
# Measures pooled on the log scale and shown on their natural (ratio) scale.
RATIO_MEASURES = frozenset({"OR", "RR", "HR", "IRR", "PETO"})
PROPORTION_MEASURES = frozenset({"PR", "PLO", "PLN", "PFT", "PAS"})


@dataclass(frozen=True, eq=False)
class EffectSizes:
    """Per-study effect sizes ``yi`` and sampling variances ``vi`` on the analysis scale.

    ``corrected`` marks studies whose counts had the zero-cell correction applied.
    """

    measure: str
    yi: np.ndarray
    vi: np.ndarray
    corrected: np.ndarray


def to_natural(values, measure: str, n=None) -> np.ndarray:
    """Values on the analysis scale of ``measure`` -> the scale readers see.

    Ratio measures (OR, RR, HR, IRR, Peto OR): exp. Proportions: see ``to_proportion`` (``n`` is
    the sample size needed for PFT). Differences (RD, MD, SMD, ...): unchanged.
    """
    v = np.asarray(values, dtype=float)
    if measure in RATIO_MEASURES:
        return np.exp(v)
    if measure in PROPORTION_MEASURES:
        return to_proportion(v, measure, n)
    return v


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


def to_proportion(
    values: float | np.ndarray, measure: str, n: float | np.ndarray | None = None
) -> np.ndarray:
    """Back-transform values on the analysis scale of ``measure`` to proportions in [0, 1].

    PLO: inverse logit; PLN: exp; PAS: sin(x)^2 with x clipped to [0, pi/2] (``transf.iarcsin``);
    PFT: Miller's inverse with sample size ``n`` (required); PR: identity. Results are clipped to
    [0, 1] because a proportion outside it has no meaning: a Wald interval for PR or an exp(log p)
    bound above 1 is shown as 0% or 100%.
    """
    v = np.asarray(values, dtype=float)
    if measure == "PR":
        p = v
    elif measure == "PLO":
        p = 1 / (1 + np.exp(-v))
    elif measure == "PLN":
        p = np.exp(v)
    elif measure == "PAS":
        p = np.sin(np.clip(v, 0, np.pi / 2)) ** 2
    elif measure == "PFT":
        if n is None:
            raise ValueError("the PFT back-transformation needs the sample size n")
        p = inverse_freeman_tukey(v, n)
    else:
        raise ValueError(f"Invalid measure {measure!r}")
    return np.clip(p, 0.0, 1.0)
