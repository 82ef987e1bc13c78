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


# Sizes of a mean difference in minimal important differences (MIDs): small from 1 MID, moderate
# from 2 and large from 3. The MID is by definition the smallest change that matters (Jaeschke R
# et al. 1989, Control Clin Trials 10:407-415), so it is the "small" threshold, as GRADE uses it
# for continuous outcomes (Guyatt GH et al. 2013, J Clin Epidemiol 66:173-183). No published
# rule fixes the larger sizes; we step by one MID each, as effects expressed in "MID units" are
# read (Thorlund K et al. 2011, Res Synth Methods 2:188-203). Editors override with thresholds.
MID_MULTIPLES = (1.0, 2.0, 3.0)


def thresholds_for(result: OutcomeResult) -> tuple[float, float, float] | None:
    """(small, moderate, large) on the effect's natural scale: the config's ``thresholds``,
    else multiples of its ``mid`` (mean differences), else the registry's defaults; None if
    unknown (an MD with neither, which config validation refuses)."""
    outcome = result.outcome
    given = getattr(outcome, "thresholds", None)
    if given is not None:
        return (given.small, given.moderate, given.large)
    mid = getattr(outcome, "mid", None)
    if mid is not None and outcome.measure == "MD":
        small, moderate, large = (mid * multiple for multiple in MID_MULTIPLES)
        return (small, moderate, large)
    return measure_info(outcome.measure).thresholds


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


def favoured(size: str, direction: str, good: str | None) -> str:
    """Which arm the effect favours: ``uncertain`` (the CI includes no effect and an important
    one), ``neither`` (a trivial effect), else ``intervention`` when the measure moved the way
    ``good`` says is better (a decrease of a lower-is-better outcome) and ``comparator``
    otherwise."""
    if size == "uncertain" or good is None:
        return "uncertain"
    if size == "trivial":
        return "neither"
    better = "decrease" if good == "lower" else "increase"
    return "intervention" if direction == better else "comparator"
