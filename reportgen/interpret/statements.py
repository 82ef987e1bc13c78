"""Outcome statements from the versioned phrase table in ``data/statements.yaml``.

The statement depends on three things only: the certainty of the evidence, the size of the
effect (from the outcome's thresholds, not from p-values) and its direction. A 95% CI that
includes no effect and also an important effect (beyond the "small" threshold) is "uncertain",
never "no difference".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportgen.paths import data_dir
from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import displayed_measure, measure_info

# Default thresholds of a small, moderate and large effect are the registry's
# (``Measure.thresholds``): relative change for ratios (0.10 = a 10% change), risk difference,
# and standardised mean difference (Cohen).
SIZES = ("trivial", "small", "moderate", "large")


@dataclass(frozen=True)
class Statement:
    key: str  # certainty:size:direction, compared between versions
    text: str
    size: str
    direction: str


@lru_cache(maxsize=1)
def phrase_table() -> dict:
    import yaml

    return yaml.safe_load((data_dir() / "statements.yaml").read_text())


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


def comparative_statement(result: OutcomeResult, certainty: str, intervention: str) -> Statement:
    table = phrase_table()["comparative"]
    size, direction = classify(result)
    words = {
        "increase": ("increases", "increase", "increase"),
        "decrease": ("reduces", "reduce", "reduction"),
    }[direction]
    template = table["uncertain"] if size == "uncertain" else table[certainty][size]
    text = template.format(
        intervention=intervention,
        outcome=result.outcome.label.lower(),
        verb_s=words[0],
        verb=words[1],
        noun=words[2],
    )
    return Statement(
        f"{certainty}:{size}:{direction}", text[:1].upper() + text[1:], size, direction
    )


def single_arm_statement(certainty: str, reasons_text: str) -> str:
    return phrase_table()["single_arm"][certainty].format(reasons=reasons_text)


def outcome_statement(result: OutcomeResult, config) -> Statement:
    """The key sentences of an outcome for the patient summary: the phrase-table statement and
    the numbers behind it, in natural frequencies where the data allow."""
    from reportgen.interpret.absolute import control_risk, treated_risk
    from reportgen.interpret.certainty import certainty_of, reasons_text
    from reportgen.present.format import (
        capitalise,
        effect_value,
        frequency_scale,
        natural_frequency,
        per_scale,
    )

    rating = certainty_of(result, [study.design for study in config.studies])
    pooled, outcome = result.pooled, result.outcome
    if outcome.type == "proportion":
        rate = (
            f"{capitalise(natural_frequency(pooled.estimate))} (between "
            f"{per_scale(pooled.ci_lower, 100)} and {per_scale(pooled.ci_upper, 100)}) "
            f"{outcome.plain_label}."
        )
        sure = single_arm_statement(rating.level, reasons_text(rating.reasons))
        return Statement(
            f"{rating.level}:rate:{per_scale(pooled.estimate, 100)}",
            f"{rate} {sure}",
            "rate",
            "none",
        )
    intervention = config.report.intervention or "the treatment"
    statement = comparative_statement(result, rating.level, intervention)
    if outcome.type == "binary":
        control = control_risk(result)
        treated = treated_risk(control, pooled.estimate, outcome.measure)
        scale = frequency_scale(control)
        numbers = (
            f"About {per_scale(treated, scale)} in {scale:,} people {outcome.plain_label} "
            f"with the treatment, compared with {per_scale(control, scale)} in "
            f"{scale:,} without it."
        )
    else:
        name = MEASURES[displayed_measure(outcome.measure, outcome.method)].name
        numbers = (
            f"The {name} was {effect_value(pooled.estimate, outcome.measure)} (between "
            f"{effect_value(pooled.ci_lower, outcome.measure)} and "
            f"{effect_value(pooled.ci_upper, outcome.measure)})."
        )
    return Statement(
        statement.key, f"{statement.text} {numbers}", statement.size, statement.direction
    )
