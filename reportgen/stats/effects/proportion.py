"""Effect sizes for single-arm proportions, as metafor's ``escalc`` computes them, and their
back-transformations to the proportion scale.

Measures (metafor's names): PR raw proportion, PLO logit, PLN log, PAS arcsine square root, PFT
Freeman-Tukey double arcsine. Sources: Viechtbauer W (2010), metafor, J Stat Softw 36(3), and the
``escalc`` documentation; Freeman MF & Tukey JW (1950), Ann Math Stat 21:607-611; the PFT
back-transformation is Miller JJ (1978), Am Stat 32:138, with the harmonic mean of the sample sizes
as in ``transf.ipft.hm``.

Zero cells: like ``escalc(add = 1/2, to = "only0")``, PR, PLO and PLN add 1/2 to the events and to
the non-events of a study with 0% or 100% events; PAS and PFT need no correction and add nothing
unless ``add`` is given (escalc's defaults). ``ZeroCells`` gives escalc's other choices.
"""

from __future__ import annotations

import numpy as np

from reportgen.stats.effects.common import (
    DEFAULT_ZERO_CELLS,
    ZERO_CELL_ADDITION,
    EffectSizes,
    ZeroCells,
)
from reportgen.stats.measures import MEASURES, OUTCOME_TYPES
from reportgen.stats.transforms import freeman_tukey, inverse_freeman_tukey

__all__ = [
    "freeman_tukey",
    "harmonic_mean",
    "inverse_freeman_tukey",
    "proportion_effects",
    "to_proportion",
]
PROPORTION_MEASURES = OUTCOME_TYPES["proportion"].measures


def proportion_effects(
    events: np.ndarray,
    totals: np.ndarray,
    measure: str,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> EffectSizes:
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
    if measure not in PROPORTION_MEASURES:
        raise ValueError(
            f"Invalid measure {measure!r}; must be one of {', '.join(PROPORTION_MEASURES)}"
        )
    non_events = n - x
    # escalc adds 1/2 by default, nothing for PAS and PFT unless ``add`` is given.
    default_add = ZERO_CELL_ADDITION if MEASURES[measure].zero_cell_correction else 0.0
    add = zero_cells.addition((x == 0) | (non_events == 0), default_add)
    corrected = add > 0
    x, non_events = x + add, non_events + add
    n = x + non_events
    p = x / n
    if measure == "PR":
        yi, vi = p, p * (1 - p) / n
    elif measure == "PLO":
        yi, vi = np.log(p / (1 - p)), 1 / x + 1 / non_events
    elif measure == "PLN":
        yi, vi = np.log(p), 1 / x - 1 / n
    elif measure == "PAS":
        yi, vi = np.arcsin(np.sqrt(p)), 1 / (4 * n)
    elif measure == "PFT":
        yi = 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))
        vi = 1 / (4 * n + 2)
    else:
        raise NotImplementedError(f"no effect-size formula for proportion measure {measure!r}")
    return EffectSizes(measure, yi, vi, corrected)


def harmonic_mean(values: np.ndarray) -> float:
    """Harmonic mean: the sample size ``transf.ipft.hm`` uses to back-transform pooled PFT."""
    return float(1.0 / np.mean(1.0 / np.asarray(values, dtype=float)))


def to_proportion(
    values: float | np.ndarray, measure: str, n: float | np.ndarray | None = None
) -> np.ndarray:
    """Back-transform values on the analysis scale of ``measure`` to proportions in [0, 1], by
    the registry's back-transformation (``stats.measures``).

    PLO: inverse logit; PLN: exp; PAS: sin(x)^2 with x clipped to [0, pi/2] (``transf.iarcsin``);
    PFT: Miller's inverse with sample size ``n`` (required); PR: identity. Results are clipped to
    [0, 1] because a proportion outside it has no meaning: a Wald interval for PR or an exp(log p)
    bound above 1 is shown as 0% or 100%. ValueError for a measure that is not a proportion.
    """
    if measure not in PROPORTION_MEASURES:
        raise ValueError(f"Invalid measure {measure!r}")
    natural: np.ndarray = MEASURES[measure].to_natural(values, n)
    return natural
