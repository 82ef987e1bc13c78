"""Absolute effects of two-arm incidence-rate outcomes: the rate with treatment implied by a
pooled rate ratio or rate difference at the comparator's rate (as ``interpret.absolute`` does for
risks; GRADE summary-of-findings tables, Guyatt et al. 2013, J Clin Epidemiol 66:158-172).

Rates are events per one unit of the outcome's person-time; the presentation layer shows them
per 1,000 units."""

from __future__ import annotations

import statistics

from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info


def control_rate(result: OutcomeResult) -> float:
    """The comparator rate: the median of the studies' control-arm rates (events / person-time
    in each control arm), as the median control-group risk of binary outcomes, so that one
    large study does not dominate."""
    return statistics.median(
        s.data["control"]["events"] / s.data["control"]["time"] for s in result.studies
    )


def treated_rate(control: float, effect: float, measure: str) -> float | None:
    """The rate with treatment for a natural-scale ``effect`` at rate ``control``: IRR x r0 for
    a rate ratio, r0 + IRD for a rate difference (floored at 0: a rate cannot be negative);
    None where the measure has no such reading (a difference of square-root rates)."""
    if measure_info(measure).scale == "ratio":
        return control * effect
    if measure == "IRD":
        return max(0.0, control + effect)
    return None
