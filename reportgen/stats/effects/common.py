"""What every effect-size module shares: the result type and the back-transformations to the
scale readers see (``to_natural``; for proportions ``to_proportion``, whose sources are given in
``proportion``: PFT is Miller JJ (1978), Am Stat 32:138, as metafor's ``transf.ipft``).

This module imports no other effect-size module, so each of them can import it without a cycle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from reportgen.stats.measures import MEASURES, measure_info

ZERO_CELL_ADDITION = 0.5
# Measures pooled on the log scale and shown on their natural (ratio) scale.
RATIO_MEASURES = frozenset(code for code, m in MEASURES.items() if m.scale == "ratio")


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
    """Values on the analysis scale of ``measure`` -> the scale readers see, by the registry's
    back-transformation: exp for ratios (OR, RR, HR, IRR, Peto OR), the measure's inverse for
    proportions, clipped to [0, 1] (``n`` is the sample size PFT needs; ValueError without it),
    unchanged for differences (RD, MD, SMD)."""
    natural: np.ndarray = measure_info(measure).to_natural(np.asarray(values, dtype=float), n)
    return natural
