"""Generic inverse-variance data: an estimate with its standard error or 95% CI, as papers report
them (Cochrane Handbook section 6.3). Ratio measures are given on their natural scale and pooled
on the log scale."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtri

from reportgen.stats.effects.common import RATIO_MEASURES, EffectSizes

Z_975 = float(ndtri(0.975))  # 1.959964: the SE = (log upper - log lower) / (2 x 1.959964)


def generic_effects(
    estimate: ArrayLike, se: ArrayLike, ci_lower: ArrayLike, ci_upper: ArrayLike, measure: str
) -> EffectSizes:
    """(yi, vi) from per-study estimates with either ``se`` or a 95% CI (NaN where absent).

    Ratio measures: yi = log(estimate); SE from the CI is (log upper - log lower) / (2 z_0.975); a
    given SE is taken to be on the log scale, as papers and RevMan report it. Difference measures:
    yi = estimate and SE = (upper - lower) / (2 z_0.975).
    """
    est = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    lower = np.asarray(ci_lower, dtype=float)
    upper = np.asarray(ci_upper, dtype=float)
    if measure in RATIO_MEASURES:
        yi = np.log(est)
        se_from_ci = (np.log(upper) - np.log(lower)) / (2 * Z_975)
    else:
        yi = est
        se_from_ci = (upper - lower) / (2 * Z_975)
    standard_error = np.where(np.isnan(se), se_from_ci, se)
    return EffectSizes(measure, yi, standard_error**2, np.zeros(yi.shape, dtype=bool))
