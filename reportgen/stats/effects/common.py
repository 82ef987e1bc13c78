"""What every effect-size module shares: the result type and the back-transformation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def to_natural(values, measure: str, n=None) -> np.ndarray:
    """Values on the analysis scale of ``measure`` -> the scale readers see, by the registry's
    back-transformation: exp for ratios (OR, RR, HR, IRR, Peto OR), the measure's inverse for
    proportions, clipped to [0, 1] (``n`` is the sample size PFT needs; ValueError without it),
    unchanged for differences (RD, MD, SMD)."""
    return measure_info(measure).to_natural(np.asarray(values, dtype=float), n)
