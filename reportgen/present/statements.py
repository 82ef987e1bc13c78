"""Outcome statements in words, from the versioned phrase table ``data/statements.yaml``
(GRADE informative statements: Santesso N et al. 2020, J Clin Epidemiol 119:126-135).

The finding (certainty, size, direction) is computed once in ``interpret.findings``; this module
only chooses and fills the phrase-table cell, and adds the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportgen.interpret.findings import Finding
from reportgen.interpret.statements import classify
from reportgen.paths import data_dir
from reportgen.present.format import (
    MEASURES,
    capitalise,
    effect_value,
    frequency_scale,
    natural_frequency,
    per_scale,
)
from reportgen.present.phrases import reasons_text
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import displayed_measure

VERBS = {
    "increase": ("increases", "increase", "increase"),
    "decrease": ("reduces", "reduce", "reduction"),
}


@dataclass(frozen=True)
class Statement:
    """An outcome's statement: ``lead`` is the claim (the phrase-table sentence, or the rate for
    single-arm data), ``detail`` the sentence that follows it. ``key`` is
    certainty:size:direction, compared between versions."""

    key: str
    lead: str
    detail: str
    size: str
    direction: str

    @property
    def text(self) -> str:
        return f"{self.lead} {self.detail}" if self.detail else self.lead


@lru_cache(maxsize=1)
def phrase_table() -> dict[str, Any]:
    import yaml

    table: dict[str, Any] = yaml.safe_load((data_dir() / "statements.yaml").read_text())
    return table


def comparative_statement(result: OutcomeResult, certainty: str, intervention: str) -> Statement:
    """The phrase-table sentence for a comparative effect (``detail`` left empty)."""
    size, direction = classify(result)
    return _comparative(result, certainty, intervention, size, direction)


def _comparative(
    result: OutcomeResult, certainty: str, intervention: str, size: str, direction: str
) -> Statement:
    table = phrase_table()["comparative"]
    words = VERBS[direction]
    template = table["uncertain"] if size == "uncertain" else table[certainty][size]
    text = template.format(
        intervention=intervention,
        outcome=result.outcome.label.lower(),
        verb_s=words[0],
        verb=words[1],
        noun=words[2],
    )
    return Statement(f"{certainty}:{size}:{direction}", capitalise(text), "", size, direction)


def single_arm_statement(certainty: str, reasons: str) -> str:
    """How sure we are of a single-arm rate, and why."""
    text: str = phrase_table()["single_arm"][certainty].format(reasons=reasons)
    return text


def outcome_statement(finding: Finding, intervention: str | None) -> Statement:
    """The key sentences of an outcome for readers: the statement and the numbers behind it, in
    natural frequencies where the data allow."""
    result, rating = finding.result, finding.certainty
    pooled, outcome = result.pooled, result.outcome
    if finding.is_rate:
        rate = (
            f"{capitalise(natural_frequency(pooled.estimate))} (between "
            f"{per_scale(pooled.ci_lower, 100)} and {per_scale(pooled.ci_upper, 100)}) "
            f"{outcome.plain_label}."
        )
        sure = single_arm_statement(rating.level, reasons_text(rating.reasons))
        return Statement(
            f"{rating.level}:rate:{per_scale(pooled.estimate, 100)}", rate, sure, "rate", "none"
        )
    statement = _comparative(
        result, rating.level, intervention or "the treatment", finding.size, finding.direction
    )
    if finding.absolute is not None:
        control, treated = finding.absolute.control, finding.absolute.treated
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
    return Statement(statement.key, statement.lead, numbers, statement.size, statement.direction)
