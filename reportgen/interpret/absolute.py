"""Absolute effects of two-arm binary outcomes: the risk with treatment implied by a pooled
relative effect at a given control-group risk (Cochrane Handbook section 14.1.5; GRADE
summary-of-findings tables, Guyatt et al. 2013, J Clin Epidemiol 66:158-172)."""

from __future__ import annotations

import statistics

from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info


def control_risk(result: OutcomeResult) -> float:
    """The comparator risk of a summary-of-findings table: the median of the studies'
    control-group risks (events / total in each control arm; GRADE handbook 5.2, "the median
    control group risk across studies"), not pooled events over pooled totals, which one large
    study would dominate."""
    return statistics.median(
        s.data["control"]["events"] / s.data["control"]["total"] for s in result.studies
    )


def treated_risk(control: float, effect: float, measure: str) -> float:
    """Risk with treatment for a natural-scale ``effect``, by the registry's ``absolute``
    function: RR x p0; OR x p0 / (1 - p0 + OR p0); p0 + RD. Clipped to [0, 1]. ValueError for a
    measure without one."""
    absolute = measure_info(measure).absolute
    if absolute is None:
        raise ValueError(f"no absolute effect for measure {measure!r}")
    return absolute(control, effect)
