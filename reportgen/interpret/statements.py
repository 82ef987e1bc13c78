"""Size and direction of a comparative effect, which choose the outcome's statement (the words
are in ``present.statements``).

The statement depends on three things only: the certainty of the evidence, the size of the
effect (from the outcome's thresholds, not from p-values) and its direction. A 95% CI that
includes no effect and also an important effect (beyond the "small" threshold) is "uncertain",
never "no difference".
"""

from __future__ import annotations

import math

from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult

# Default thresholds of a small, moderate and large effect, by kind of measure: relative change
# for ratios (0.10 = a 10% change), risk difference, and standardised mean difference (Cohen).
DEFAULT_THRESHOLDS = {
    "ratio": (0.10, 0.25, 0.50),
    "RD": (0.01, 0.05, 0.10),
    "SMD": (0.2, 0.5, 0.8),
}
SIZES = ("trivial", "small", "moderate", "large")


def thresholds_for(result: OutcomeResult) -> tuple[float, float, float] | None:
    """(small, moderate, large) on the effect's natural scale, or None if unknown (an MD with
    no thresholds in the config)."""
    given = getattr(result.outcome, "thresholds", None)
    if given is not None:
        return (given.small, given.moderate, given.large)
    measure = result.outcome.measure
    if MEASURES[measure].scale == "ratio":
        return DEFAULT_THRESHOLDS["ratio"]
    return DEFAULT_THRESHOLDS.get(measure)


def _distance(value: float, measure: str) -> float:
    """How far an effect is from no effect: relative change for ratios (both directions
    measured alike on the log scale), absolute difference otherwise."""
    if MEASURES[measure].scale == "ratio":
        return math.exp(abs(math.log(value))) - 1
    return abs(value)


def classify(result: OutcomeResult) -> tuple[str, str]:
    """(size, direction) of a comparative effect. Size: trivial, small, moderate, large, or
    uncertain when the CI includes no effect and an important one."""
    pooled, measure = result.pooled, result.outcome.measure
    null = MEASURES[measure].null
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
