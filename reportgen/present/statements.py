"""Outcome statements in words, from the locale's statement table (GRADE informative statements:
Santesso N et al. 2020, J Clin Epidemiol 119:126-135).

The finding (certainty, size, direction, which side is good, what the outcome counts) is
computed once in ``interpret.findings``; this module only chooses and fills the table's cell,
and adds the numbers behind it. Two kinds of sentence: counted events say how many people had
the event ("fewer people died"), named by the outcome's ``event``, never by its technical label;
measured outcomes (mean differences) say whether the outcome improves or worsens, by ``good``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.interpret.findings import Finding
from reportgen.present.format import (
    as_entered,
    capitalise,
    compact,
    count,
    effect_value,
    frequency_scale,
    number,
    per_scale,
    per_time_count,
    round_half_up,
)
from reportgen.present.locale import Locale, locale
from reportgen.present.rates import incidence_sentence, rate_frequencies, rate_unit
from reportgen.stats.measures import displayed_measure


@dataclass(frozen=True)
class Statement:
    """An outcome's statement: ``lead`` is the claim (the table's sentence, or the rate for
    single-arm data), ``detail`` the sentences that follow it. ``key`` is
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


def counts_events(finding: Finding) -> bool:
    """Whether the outcome's statement counts people with an event (ratios, risk differences)."""
    return bool(finding.result.outcome.counts_events())


def comparative_statement(
    finding: Finding, intervention: str, words: Locale | None = None
) -> Statement:
    """The table's sentence for a comparative finding (``detail`` left empty): how many people
    had the event, or whether the measured outcome improves or worsens."""
    words = words or locale()
    table = words.section("statements")
    level, size, direction = finding.certainty.level, finding.size, finding.direction
    outcome = finding.result.outcome
    if counts_events(finding):
        event = finding.event or outcome.plain_label
        events = table["events"]
        if size in ("uncertain", "trivial"):
            template = events[size] if size == "uncertain" else events[size][level]
        else:
            template = events[level]
        timing = table["timing"][direction] if outcome.measure == "HR" else ""
        text = template.format(
            intervention=intervention,
            event=event,
            amount=table["amounts"][direction].get(size, ""),
            timing=timing.format(event=event),
        )
    else:
        better = "increase" if finding.good == "higher" else "decrease"
        verbs = table["verbs"]["better" if direction == better else "worse"]
        measured = table["measured"]
        template = measured["uncertain"] if size == "uncertain" else measured[level][size]
        text = template.format(
            intervention=intervention,
            outcome=outcome.plain_label,
            verb_s=verbs[0],
            verb=verbs[1],
            noun=verbs[2],
        )
    return Statement(f"{level}:{size}:{direction}", capitalise(text), "", size, direction)


def single_arm_statement(certainty: str, reasons: str, words: Locale | None = None) -> str:
    """How sure we are of a single-arm rate, and why."""
    return (words or locale()).text(f"statements.single_arm.{certainty}", reasons=reasons)


def outcome_statement(
    finding: Finding, intervention: str | None, words: Locale | None = None
) -> Statement:
    """The key sentences of an outcome for readers: the statement and the numbers behind it, in
    natural frequencies where the data allow, in the outcome's unit for mean differences."""
    words = words or locale()
    result, rating = finding.result, finding.certainty
    pooled, outcome = result.pooled, result.outcome
    if finding.is_rate and outcome.type == "rate":  # incidence per 1,000 units of time
        sure = single_arm_statement(rating.level, words.reasons(rating.reasons), words)
        rate = incidence_sentence(result, words)
        key = f"{rating.level}:incidence:{per_time_count(pooled.estimate)}"
        return Statement(key, rate, sure, "rate", "none")
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
    statement = comparative_statement(finding, named, words)
    numbers = " ".join(numbers_behind(finding, words, named))
    return Statement(statement.key, statement.lead, numbers, statement.size, statement.direction)


def numbers_behind(finding: Finding, words: Locale, intervention: str) -> list[str]:
    """The sentences with the numbers behind a comparative statement: natural frequencies
    (binary), the ratio and what it means, people per 100 (risk differences), the difference in
    units with the MID (MD), or the size in words (SMD)."""
    result = finding.result
    pooled, outcome = result.pooled, result.outcome
    event = finding.event or outcome.plain_label
    if finding.absolute is not None:
        control, treated = finding.absolute.control, finding.absolute.treated
        scale = frequency_scale(control)
        return [
            words.text(
                "numbers.two_arm",
                treated=per_scale(treated, scale),
                control=per_scale(control, scale),
                scale=count(scale),
                plain_label=event,
                intervention=intervention,
            )
        ]
    if outcome.measure == "MD":
        return _mean_difference(finding, words)
    frequencies = rate_frequencies(result, words, intervention)  # rate comparisons only
    unit = rate_unit(outcome)  # rate differences: "per 1,000 person-years"
    effect = words.text(
        "numbers.effect_per_time" if unit else "numbers.effect",
        **unit,
        measure=words.text(
            f"numbers.measures.{displayed_measure(outcome.measure, outcome.method)}"
        ),
        estimate=effect_value(pooled.estimate, outcome.measure),
        lower=effect_value(pooled.ci_lower, outcome.measure),
        upper=effect_value(pooled.ci_upper, outcome.measure),
    )
    if outcome.measure == "SMD":
        smd = words.text(
            "numbers.smd",
            size=words.text(f"numbers.smd_sizes.{finding.size}"),
            estimate=number(pooled.estimate, 2),
            lower=number(pooled.ci_lower, 2),
            upper=number(pooled.ci_upper, 2),
        )
        return [smd, *familiar_sentences(finding, words)]
    if outcome.measure == "RD":
        return [effect, _risk_difference(pooled.estimate, event, words)]
    displayed = displayed_measure(outcome.measure, outcome.method)
    meaning = words.section("numbers")["ratio_meaning"].get(displayed)
    if meaning is None:
        return [*frequencies, effect]
    change = _ratio_change(pooled.estimate, words)
    return [*frequencies, effect, meaning.format(event=event, change=change)]


def _ratio_change(ratio: float, words: Locale) -> str:
    """'24% lower' (0.76), '30% higher' (1.3), '2.5 times as high' (2.5 and above)."""
    if ratio >= 2:
        return words.text("numbers.change_times", times=compact(ratio, 1))
    percent = int(round_half_up(abs(1 - ratio) * 100))
    return words.text(f"numbers.change_{'lower' if ratio < 1 else 'higher'}", percent=percent)


def _risk_difference(difference: float, event: str, words: Locale) -> str:
    """'With the treatment, about 5 fewer people in every 100 died.'"""
    count = per_scale(abs(difference), 100)
    if count == 0:
        return words.text("numbers.risk_difference_none", event=event)
    amount = words.text(
        f"numbers.risk_difference_amounts.{'decrease' if difference < 0 else 'increase'}"
    )
    return words.text("numbers.risk_difference", count=count, amount=amount, event=event)


def _mean_difference(finding: Finding, words: Locale) -> list[str]:
    """'On average, people scored about 1.8 points higher on the Berg Balance Scale (0 to 56)
    with the treatment (between 1.1 and 2.4 points higher).' and the MID sentence."""
    outcome, pooled = finding.result.outcome, finding.result.pooled
    unit = outcome.unit or ""

    def word(value: float) -> str:
        return words.text(f"numbers.{'lower' if value < 0 else 'higher'}")

    def amount(value: float) -> str:
        return compact(abs(value), 1)

    range_text = range_words(pooled.ci_lower, pooled.ci_upper, unit, words)
    value = amount(pooled.estimate)
    slots = {"value": value, "unit": words.unit_for(value, unit), "word": word(pooled.estimate)}
    if outcome.scale:
        sentence = words.text(
            "numbers.mean_difference_scale",
            scale=scale_words(outcome.scale),
            range=range_text,
            **slots,
        )
    else:
        sentence = words.text(
            "numbers.mean_difference", outcome=outcome.plain_label, range=range_text, **slots
        )
    if outcome.mid is None:
        return [sentence]
    mid = as_entered(outcome.mid)
    return [sentence, words.text("numbers.mid", mid=mid, unit=words.unit_for(mid, unit))]


def scale_words(scale: str) -> str:
    """'Berg Balance Scale, 0 to 56' -> 'Berg Balance Scale (0 to 56)': a range given after the
    last comma goes in brackets; other scales are shown as written."""
    name, _, rest = scale.rpartition(", ")
    if name and any(char.isdigit() for char in rest):
        return f"{name} ({rest})"
    return scale


def range_words(lower: float, upper: float, unit: str, words: Locale) -> str:
    """A CI of a difference in its unit: 'between 1.1 and 2.4 points higher' when both limits
    are on one side of zero, 'between 1 point lower and 7 points higher' when it spans zero
    (one decimal, as ``compact``)."""

    def word(value: float) -> str:
        return words.text(f"numbers.{'lower' if value < 0 else 'higher'}")

    def amount(value: float) -> str:
        return compact(abs(value), 1)

    if (lower < 0) == (upper < 0):
        near, far = sorted((abs(lower), abs(upper)))
        return words.text(
            "numbers.range_same",
            lower=amount(near),
            upper=amount(far),
            unit=words.unit_for(amount(far), unit),
            word=word(upper),
        )
    return words.text(
        "numbers.range_across",
        lower=amount(lower),
        upper=amount(upper),
        lower_unit=words.unit_for(amount(lower), unit),
        upper_unit=words.unit_for(amount(upper), unit),
        lower_word=word(lower),
        upper_word=word(upper),
    )


def familiar_sentences(finding: Finding, words: Locale | None = None) -> list[str]:
    """An SMD said on the outcome's familiar scale (Cochrane Handbook 15.5.3.2): 'On the Beck
    Depression Inventory, that is about 5 points lower with the treatment (between 2 and 8
    points lower).' and where the typical SD comes from; nothing without a familiar scale."""
    familiar = finding.familiar
    if familiar is None:
        return []
    words = words or locale()
    value = compact(abs(familiar.estimate), 1)
    word = words.text(f"numbers.{'lower' if familiar.estimate < 0 else 'higher'}")
    sentence = words.text(
        "numbers.smd_familiar",
        scale=familiar.name,
        value=value,
        unit=words.unit_for(value, familiar.unit),
        word=word,
        range=range_words(familiar.ci_lower, familiar.ci_upper, familiar.unit, words),
    )
    sd = as_entered(familiar.sd)
    slots = {"sd": sd, "unit": words.unit_for(sd, familiar.unit)}
    if familiar.source:
        return [
            sentence,
            words.text("numbers.smd_familiar_sd_source", **slots, source=familiar.source),
        ]
    return [sentence, words.text("numbers.smd_familiar_sd", **slots)]
