"""Per-study effect sizes (yi, vi) for every outcome type, as metafor's ``escalc`` computes them,
and the transformations between the analysis scale and the scale readers see."""

from __future__ import annotations

from reportgen.stats.effects.binary import binary_effects, peto_effects
from reportgen.stats.effects.common import (
    DEFAULT_ZERO_CELLS,
    RATIO_MEASURES,
    ZERO_CELL_TARGETS,
    EffectSizes,
    ZeroCells,
    to_natural,
)
from reportgen.stats.effects.continuous import continuous_effects
from reportgen.stats.effects.generic import generic_effects
from reportgen.stats.effects.proportion import (
    freeman_tukey,
    harmonic_mean,
    inverse_freeman_tukey,
    proportion_effects,
    to_proportion,
)
from reportgen.stats.effects.rate import (
    double_zero_rates,
    rate_comparison_effects,
    rate_effects,
)

__all__ = [
    "DEFAULT_ZERO_CELLS",
    "RATIO_MEASURES",
    "ZERO_CELL_TARGETS",
    "EffectSizes",
    "ZeroCells",
    "binary_effects",
    "continuous_effects",
    "double_zero_rates",
    "freeman_tukey",
    "generic_effects",
    "harmonic_mean",
    "inverse_freeman_tukey",
    "peto_effects",
    "proportion_effects",
    "rate_comparison_effects",
    "rate_effects",
    "to_natural",
    "to_proportion",
]
