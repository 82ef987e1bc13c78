"""Outcome statements in words, from the locale's statement table (GRADE informative statements:
Santesso N et al. 2020, J Clin Epidemiol 119:126-135).

The finding (certainty, size, direction) is computed once in ``interpret.findings``; this module
only chooses and fills the table's cell, and adds the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.interpret.findings import Finding
from reportgen.interpret.statements import classify
from reportgen.present.format import (
    capitalise,
    effect_value,
    frequency_scale,
    per_scale,
)
from reportgen.present.locale import Locale, locale
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import displayed_measure


@dataclass(frozen=True)
class Statement:
    """An outcome's statement: ``lead`` is the claim (the table's sentence, or the rate for
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


def phrase_table(words: Locale | None = None) -> dict[str, Any]:
    """The statement table of a locale (English by default), with its version."""
    words = words or locale()
    return {**words.section("statements"), "version": words.version}


def comparative_statement(
    result: OutcomeResult, certainty: str, intervention: str, words: Locale | None = None
) -> Statement:
    """The table's sentence for a comparative effect (``detail`` left empty)."""
    size, direction = classify(result)
    return _comparative(result, certainty, intervention, size, direction, words or locale())


def _comparative(
    result: OutcomeResult,
    certainty: str,
    intervention: str,
    size: str,
    direction: str,
    words: Locale,
) -> Statement:
    table = words.section("statements")
    verbs = table["verbs"][direction]
    template = table["comparative"]["uncertain" if size == "uncertain" else certainty]
    if size != "uncertain":
        template = template[size]
    text = template.format(
        intervention=intervention,
        outcome=result.outcome.label.lower(),
        verb_s=verbs[0],
        verb=verbs[1],
        noun=verbs[2],
    )
    return Statement(f"{certainty}:{size}:{direction}", capitalise(text), "", size, direction)


def single_arm_statement(certainty: str, reasons: str, words: Locale | None = None) -> str:
    """How sure we are of a single-arm rate, and why."""
    return (words or locale()).text(f"statements.single_arm.{certainty}", reasons=reasons)


def outcome_statement(
    finding: Finding, intervention: str | None, words: Locale | None = None
) -> Statement:
    """The key sentences of an outcome for readers: the statement and the numbers behind it, in
    natural frequencies where the data allow."""
    words = words or locale()
    result, rating = finding.result, finding.certainty
    pooled, outcome = result.pooled, result.outcome
    if finding.is_rate:
        rate = words.text(
            "numbers.rate",
            frequency=capitalise(words.natural_frequency(pooled.estimate)),
            lower=per_scale(pooled.ci_lower, 100),
            upper=per_scale(pooled.ci_upper, 100),
            plain_label=outcome.plain_label,
        )
        sure = single_arm_statement(rating.level, words.reasons(rating.reasons), words)
        key = f"{rating.level}:rate:{per_scale(pooled.estimate, 100)}"
        return Statement(key, rate, sure, "rate", "none")
    named = intervention or words.text("statements.default_intervention")
    statement = _comparative(result, rating.level, named, finding.size, finding.direction, words)
    if finding.absolute is not None:
        control, treated = finding.absolute.control, finding.absolute.treated
        scale = frequency_scale(control)
        numbers = words.text(
            "numbers.two_arm",
            treated=per_scale(treated, scale),
            control=per_scale(control, scale),
            scale=f"{scale:,}",
            plain_label=outcome.plain_label,
        )
    else:
        numbers = words.text(
            "numbers.effect",
            measure=words.text(
                f"numbers.measures.{displayed_measure(outcome.measure, outcome.method)}"
            ),
            estimate=effect_value(pooled.estimate, outcome.measure),
            lower=effect_value(pooled.ci_lower, outcome.measure),
            upper=effect_value(pooled.ci_upper, outcome.measure),
        )
    return Statement(statement.key, statement.lead, numbers, statement.size, statement.direction)
