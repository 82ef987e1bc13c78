"""What the technical appendix says about incidence-rate outcomes (``type: rate`` and
``rate_comparison``): the data columns of the study table and the methods sentences (zero
counts, the back-transformation, the unit rates are shown per). English, like the rest of the
appendix; numbers through ``present.format``."""

from __future__ import annotations

from typing import Any

from reportgen.interpret.rates import control_rate, treated_rate
from reportgen.present.format import MEASURES, RATE_PER, as_entered, count, per_time_count
from reportgen.present.locale import Locale
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info

RATE_TYPES = ("rate", "rate_comparison")
ARMS = ("intervention", "control")


def _events_time(data: dict) -> str:
    return f"{data['events']} / {as_entered(data['time'])}"


def rate_study_columns(result: OutcomeResult) -> tuple[list[str], list[list[str]]]:
    """Headers and one row of cells per study: events / person-time (per arm)."""
    unit = result.outcome.time_unit  # type: ignore[union-attr]
    if result.outcome.type == "rate":
        return [f"Events / {unit}"], [[_events_time(s.data)] for s in result.studies]
    headers = [f"{arm.capitalize()} events / {unit}" for arm in ARMS]
    return headers, [[_events_time(s.data[arm]) for arm in ARMS] for s in result.studies]


def outcome_methods(outcome: Any, measure: str) -> str:
    """Methods sentences that depend on the outcome's own keys: a three-level structure, and
    the rate sentences of ``rate_methods`` (empty for other outcomes)."""
    text = ""
    if getattr(outcome, "structure", None) == "three_level":
        text += (
            "Several effects per study were pooled with a three-level model (effects within "
            "studies; metafor's rma.mv with random = ~ 1 | study/effect, fitted by "
            f"{'restricted ' if outcome.method == 'REML' else ''}maximum likelihood), which "
            "estimates the variance between studies and between effects within studies; "
            "I\u00b2 is given for each level (Cheung 2014). "
        )
    return text + rate_methods(outcome.type, measure, getattr(outcome, "time_unit", ""))


def rate_methods(kind: str, measure: str, time_unit: str) -> str:
    """The methods sentences of a rate outcome pooled with ``measure`` (empty for other
    types): zero counts as escalc, the back-transformation and the unit of display."""
    if kind not in RATE_TYPES:
        return ""
    text = ""
    if measure_info(measure).zero_cell_correction:
        text += (
            "Studies with zero events in either arm had 0.5 added to the event counts of both arms"
            if kind == "rate_comparison"
            else "Studies with zero events had 0.5 added to their event count"
        ) + " (not to the person-time) before effect sizes were computed. "
    if measure == "IRLN":
        text += "Rates were pooled on the log scale and back-transformed with the exponential. "
    elif measure == "IRS":
        text += (
            "Rates were pooled on the square-root scale and back-transformed by squaring "
            "(bounds below 0 shown as 0). "
        )
    elif measure == "IRFT":
        text += (
            "Rates were pooled on the Freeman-Tukey scale and back-transformed with its "
            "inverse (metafor's transf.iirft) at the harmonic mean of the studies' "
            "person-time. "
        )
    elif measure == "IRSD":
        text += "Differences of square-root rates have no back-transformation: shown as pooled. "
    if measure_info(measure).scale == "rate" or measure == "IRD":
        text += f"Rates are shown per {RATE_PER:,} {time_unit}."
    return text


def incidence_sentence(result: OutcomeResult, words: Locale) -> str:
    """'People had a stroke about 22 times per 1,000 patient-years (between 14 and 35).'"""
    pooled, outcome = result.pooled, result.outcome
    return words.text(
        "numbers.incidence",
        plain_label=outcome.plain_label,
        count=per_time_count(pooled.estimate),
        lower=per_time_count(pooled.ci_lower),
        upper=per_time_count(pooled.ci_upper),
        per=count(RATE_PER),
        time_unit=outcome.time_unit,  # type: ignore[union-attr]
    )


def rate_frequencies(result: OutcomeResult, words: Locale, intervention: str) -> list[str]:
    """The natural frequencies behind a rate ratio or rate difference: 'People had a stroke
    about 17 times per 1,000 patient-years with warfarin, compared with about 48 times without
    it.' at the median control-arm rate (``interpret.rates``); none for IRSD."""
    outcome = result.outcome
    if outcome.type != "rate_comparison":
        return []
    control = control_rate(result)
    treated = treated_rate(control, result.pooled.estimate, outcome.measure)
    if treated is None:
        return []
    return [
        words.text(
            "numbers.two_arm_rate",
            plain_label=outcome.counted_event() or outcome.plain_label,
            treated=per_time_count(treated),
            control=per_time_count(control),
            per=count(RATE_PER),
            time_unit=outcome.time_unit,  # type: ignore[union-attr]
            intervention=intervention,
        )
    ]


def rate_unit(outcome: Any) -> dict[str, str]:
    """The unit slots of a sentence about a rate difference (``per``, ``time_unit``), or none
    for measures not shown per unit of time."""
    if not MEASURES[outcome.measure].per_time:
        return {}
    return {"per": count(RATE_PER), "time_unit": outcome.time_unit}


def brief_rate(result: OutcomeResult) -> str:
    """The brief's rate cell of a single-arm rate: '22 per 1,000 patient-years (14 to 35)'."""
    pooled = result.pooled
    return (
        f"{per_time_count(pooled.estimate)} per {count(RATE_PER)} "
        f"{result.outcome.time_unit} "  # type: ignore[union-attr]
        f"({per_time_count(pooled.ci_lower)} to {per_time_count(pooled.ci_upper)})"
    )


def _more_or_fewer(difference: float) -> str:
    text = per_time_count(abs(difference))
    if text == "0":
        return "0 fewer"
    return f"{text} {'more' if difference > 0 else 'fewer'}"


def rate_absolute(result: OutcomeResult) -> tuple[tuple[str, str, str, str], ...]:
    """The brief's absolute effects of a rate ratio or rate difference at the median
    control-arm rate, per 1,000 units of time: (label, comparator, intervention, difference);
    none where the measure has no rate with treatment (IRSD)."""
    pooled, outcome = result.pooled, result.outcome
    control = control_rate(result)
    treated = [
        treated_rate(control, value, outcome.measure)
        for value in (pooled.estimate, pooled.ci_lower, pooled.ci_upper)
    ]
    if any(t is None for t in treated):
        return ()
    rates = [float(t) for t in treated if t is not None]
    per = f"per {count(RATE_PER)} {outcome.time_unit}"  # type: ignore[union-attr]
    low, high = sorted(rates[1:])
    return (
        (
            "Median of the studies",
            f"{per_time_count(control)} {per}",
            f"{per_time_count(rates[0])} {per} ({per_time_count(low)} to {per_time_count(high)})",
            f"{_more_or_fewer(rates[0] - control)} {per} "
            f"({_more_or_fewer(low - control)} to {_more_or_fewer(high - control)})",
        ),
    )
