"""Generic inverse-variance data: an estimate with its standard error or 95% CI, as papers report
them (Cochrane Handbook section 6.3). Ratio measures are given on their natural scale and pooled
on the log scale."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtri

from reportgen.stats.effects.common import EffectSizes
from reportgen.stats.levels import DEFAULT_LEVEL, critical_value
from reportgen.stats.measures import MEASURES, OUTCOME_TYPES

GENERIC_MEASURES = OUTCOME_TYPES["generic"].measures

Z_975 = float(ndtri(0.975))  # 1.959964: the SE = (log upper - log lower) / (2 x 1.959964)


def generic_effects(
    estimate: ArrayLike,
    se: ArrayLike,
    ci_lower: ArrayLike,
    ci_upper: ArrayLike,
    measure: str,
    entered_level: float = DEFAULT_LEVEL,
) -> EffectSizes:
    """(yi, vi) from per-study estimates with either ``se`` or a CI (NaN where absent).

    The CIs are read at ``entered_level`` percent (default 95, whatever level the report shows
    its own intervals at): z_0.975 below becomes the matching normal quantile, e.g. z_0.95 =
    1.644854 for 90% intervals (Cochrane Handbook 6.3.1).

    Ratio measures: yi = log(estimate); SE from the CI is (log upper - log lower) / (2 z_0.975); a
    given SE is taken to be on the log scale, as papers and RevMan report it. Difference measures:
    yi = estimate and SE = (upper - lower) / (2 z_0.975). The analysis scale is the registry's
    (``Measure.to_analysis``): log for ratios, identity for differences.
    """
    if measure not in GENERIC_MEASURES:
        raise ValueError(
            f"Invalid measure {measure!r}; must be one of {', '.join(GENERIC_MEASURES)}"
        )
    to_analysis = MEASURES[measure].to_analysis
    est = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    lower = np.asarray(ci_lower, dtype=float)
    upper = np.asarray(ci_upper, dtype=float)
    yi = to_analysis(est)
    z = Z_975 if entered_level == DEFAULT_LEVEL else critical_value(entered_level)
    se_from_ci = (to_analysis(upper) - to_analysis(lower)) / (2 * z)
    standard_error = np.where(np.isnan(se), se_from_ci, se)
    return EffectSizes(measure, yi, standard_error**2, np.zeros(yi.shape, dtype=bool))
