"""Size and direction of a comparative effect, which choose the outcome's statement (the words
are in ``present.statements``).

The statement depends on three things only: the certainty of the evidence, the size of the
effect (from the outcome's thresholds, not from p-values) and its direction. A 95% CI that
includes no effect and also an important effect (beyond the "small" threshold) is "uncertain",
never "no difference".
"""

from __future__ import annotations

from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info

# Default thresholds of a small, moderate and large effect are the registry's
# (``Measure.thresholds``): relative change for ratios (0.10 = a 10% change), risk difference,
# and standardised mean difference (Cohen).
SIZES = ("trivial", "small", "moderate", "large")


def thresholds_for(result: OutcomeResult) -> tuple[float, float, float] | None:
    """(small, moderate, large) on the effect's natural scale, or None if unknown (an MD with
    no thresholds in the config)."""
    given = getattr(result.outcome, "thresholds", None)
    if given is not None:
        return (given.small, given.moderate, given.large)
    return measure_info(result.outcome.measure).thresholds


def _distance(value: float, measure: str) -> float:
    """How far an effect is from no effect: relative change for ratios (both directions
    measured alike on the log scale), absolute difference otherwise (``Measure.distance``)."""
    return measure_info(measure).distance(value)


def classify(result: OutcomeResult) -> tuple[str, str]:
    """(size, direction) of a comparative effect. Size: trivial, small, moderate, large, or
    uncertain when the CI includes no effect and an important one."""
    pooled, measure = result.pooled, result.outcome.measure
    null = measure_info(measure).null
    if null is None:
        raise ValueError(f"measure {measure} has no value of no effect: a rate has no direction")
    direction = "decrease" if pooled.estimate < null else "increase"
    limits = thresholds_for(result)
    crosses = pooled.ci_lower <= null <= pooled.ci_upper
    if limits is None:
        return ("uncertain" if crosses else "moderate"), direction
    small, moderate, large = limits
    if crosses:
        widest = max(_distance(pooled.ci_lower, measure), _distance(pooled.ci_upper, measure))
        return ("trivial" if widest < small else "uncertain"), direction
    distance = _distance(pooled.estimate, measure)
    size = (
        "trivial"
        if distance < small
        else "small"
        if distance < moderate
        else "moderate"
        if distance < large
        else "large"
    )
    return size, direction
