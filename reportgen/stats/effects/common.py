"""What every effect-size module shares: the result type and the back-transformation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

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


def to_natural(values: ArrayLike, measure: str, n: float | np.ndarray | None = None) -> np.ndarray:
    """Values on the analysis scale of ``measure`` -> the scale readers see.

    Ratio measures (OR, RR, HR, IRR, Peto OR): exp. Proportions: see ``to_proportion`` (``n`` is
    the sample size needed for PFT). Differences (RD, MD, SMD, ...): unchanged.
    """
    from reportgen.stats.effects.proportion import to_proportion

    v = np.asarray(values, dtype=float)
    if measure in RATIO_MEASURES:
        ratio: np.ndarray = np.exp(v)
        return ratio
    if measure in PROPORTION_MEASURES:
        return to_proportion(v, measure, n)
    return v
