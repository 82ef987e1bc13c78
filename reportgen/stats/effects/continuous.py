"""Two-arm continuous outcomes: mean difference (MD) and standardised mean difference (SMD,
Hedges' g), as ``metafor::escalc`` computes them.

SMD uses the exact small-sample bias correction c(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))
with m = n1 + n2 - 2 (Hedges 1981, J Educ Stat 6:107-128) and the large-sample variance
1/n1 + 1/n2 + g^2 / (2 (n1 + n2)) (vtype "LS").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln

from reportgen.stats.effects.common import EffectSizes
from reportgen.stats.measures import OUTCOME_TYPES

CONTINUOUS_MEASURES = OUTCOME_TYPES["continuous"].measures


def hedges_correction(m: ArrayLike) -> np.ndarray:
    """The exact bias-correction factor c(m) of Hedges' g (metafor's ``.cmicalc``)."""
    m = np.asarray(m, dtype=float)
    factor: np.ndarray = np.exp(gammaln(m / 2) - np.log(np.sqrt(m / 2)) - gammaln((m - 1) / 2))
    return factor


def continuous_effects(
    mean_1: ArrayLike,
    sd_1: ArrayLike,
    n_1: ArrayLike,
    mean_2: ArrayLike,
    sd_2: ArrayLike,
    n_2: ArrayLike,
    measure: str,
) -> EffectSizes:
    """(yi, vi) for intervention (arm 1) against control (arm 2).

    MD:  yi = m1 - m2,               vi = sd1^2/n1 + sd2^2/n2
    SMD: yi = c(m) (m1 - m2) / s_p,  vi = 1/n1 + 1/n2 + yi^2 / (2 (n1 + n2)),
         s_p^2 = ((n1 - 1) sd1^2 + (n2 - 1) sd2^2) / m
    Needs sd > 0 and n >= 2 in each arm (checked at validation).
    """
    if measure not in CONTINUOUS_MEASURES:
        raise ValueError(
            f"Invalid measure {measure!r}; must be one of {', '.join(CONTINUOUS_MEASURES)}"
        )
    m1, s1, n1 = (np.asarray(x, dtype=float) for x in (mean_1, sd_1, n_1))
    m2, s2, n2 = (np.asarray(x, dtype=float) for x in (mean_2, sd_2, n_2))
    if measure == "MD":
        yi, vi = m1 - m2, s1**2 / n1 + s2**2 / n2
    elif measure == "SMD":
        m = n1 + n2 - 2
        pooled_sd = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / m)
        yi = hedges_correction(m) * (m1 - m2) / pooled_sd
        vi = 1 / n1 + 1 / n2 + yi**2 / (2 * (n1 + n2))
    else:
        raise NotImplementedError(f"no effect-size formula for continuous measure {measure!r}")
    return EffectSizes(measure, yi, vi, np.zeros(yi.shape, dtype=bool))
