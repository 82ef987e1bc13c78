"""Effect sizes for single-arm proportions, as metafor's ``escalc`` computes them, and their
back-transformations to the proportion scale.

Measures (metafor's names): PR raw proportion, PLO logit, PLN log, PAS arcsine square root, PFT
Freeman-Tukey double arcsine. Sources: Viechtbauer W (2010), metafor, J Stat Softw 36(3), and the
``escalc`` documentation; Freeman MF & Tukey JW (1950), Ann Math Stat 21:607-611; the PFT
back-transformation is Miller JJ (1978), Am Stat 32:138, with the harmonic mean of the sample sizes
as in ``transf.ipft.hm``.

Zero cells: like ``escalc(add = 1/2, to = "only0")``, PR, PLO and PLN add 1/2 to the events and to
the non-events of a study with 0% or 100% events; PAS and PFT need no correction and add nothing.
"""

from __future__ import annotations

import numpy as np

from reportgen.stats.effects.common import ZERO_CELL_ADDITION, EffectSizes

_CORRECTED_MEASURES = frozenset({"PR", "PLO", "PLN"})


def proportion_effects(events: np.ndarray, totals: np.ndarray, measure: str) -> EffectSizes:
    """Compute ``(yi, vi)`` for single-arm counts, exactly as ``metafor::escalc`` (vtype "LS").

    Formulas, with x events among n and p = x/n (after any zero-cell correction):
    PR  yi = p,                  vi = p(1-p)/n
    PLO yi = log(p/(1-p)),       vi = 1/x + 1/(n-x)
    PLN yi = log(p),             vi = 1/x - 1/n
    PAS yi = asin(sqrt(p)),      vi = 1/(4n)
    PFT yi = [asin(sqrt(x/(n+1))) + asin(sqrt((x+1)/(n+1)))]/2,   vi = 1/(4n+2)
    """
    x = np.asarray(events, dtype=float)
    n = np.asarray(totals, dtype=float)
    if measure not in ("PR", "PLO", "PLN", "PAS", "PFT"):
        raise ValueError(f"Invalid measure {measure!r}; must be one of PR, PLO, PLN, PAS, PFT")
    non_events = n - x
    corrected = (x == 0) | (non_events == 0)
    if measure in _CORRECTED_MEASURES:
        x = np.where(corrected, x + ZERO_CELL_ADDITION, x)
        non_events = np.where(corrected, non_events + ZERO_CELL_ADDITION, non_events)
        n = x + non_events
    else:
        corrected = np.zeros_like(corrected)
    p = x / n
    if measure == "PR":
        yi, vi = p, p * (1 - p) / n
    elif measure == "PLO":
        yi, vi = np.log(p / (1 - p)), 1 / x + 1 / non_events
    elif measure == "PLN":
        yi, vi = np.log(p), 1 / x - 1 / n
    elif measure == "PAS":
        yi, vi = np.arcsin(np.sqrt(p)), 1 / (4 * n)
    else:  # PFT
        yi = 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))
        vi = 1 / (4 * n + 2)
    return EffectSizes(measure, yi, vi, corrected)


def harmonic_mean(values: np.ndarray) -> float:
    """Harmonic mean: the sample size ``transf.ipft.hm`` uses to back-transform pooled PFT."""
    return float(1.0 / np.mean(1.0 / np.asarray(values, dtype=float)))


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
    proportion: np.ndarray = np.clip(p, 0.0, 1.0)
    return proportion
