"""Certainty of evidence per outcome, after GRADE (Guyatt GH et al. 2008, BMJ 336:924-926;
GRADE handbook, section 5).

The editor's rating (config ``certainty``) is used when given. reportgen also suggests one from
the data, shown beside it: randomised evidence starts high and non-randomised evidence low;
one level is taken off for each of inconsistency (I2 > 50%), imprecision (a 95% CI that includes
no effect, or fewer than 300 events, or a rate's CI wider than 20 percentage points) and
publication bias (Egger's test p < 0.10, where small-study tests ran). Risk of bias and
indirectness need a reader's judgement and are left to the editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info

LEVELS = ("very_low", "low", "moderate", "high")
OPTIMAL_EVENTS = 300
RATE_CI_WIDTH = 0.20
EGGER_ALPHA = 0.10


@dataclass(frozen=True)
class Certainty:
    level: str
    reasons: tuple[str, ...]
    source: str  # "editor" or "suggested"
    note: str | None
    suggested_level: str
    suggested_reasons: tuple[str, ...]


def _randomised(design: str | None) -> bool:
    text = (design or "").lower()
    return ("randomised" in text or "randomized" in text or text in ("rct", "trial")) and not any(
        word in text for word in ("quasi", "non-rand", "nonrand")
    )


def suggest(result: OutcomeResult, designs: list[str | None]) -> tuple[str, tuple[str, ...]]:
    """A suggested GRADE level and the reasons for each level taken off."""
    randomised = bool(designs) and all(_randomised(d) for d in designs)
    reasons: list[str] = [] if randomised else ["non_randomised"]
    level = LEVELS.index("high" if randomised else "low")
    model, pooled, outcome = result.model, result.pooled, result.outcome
    if model.i2 is not None and model.i2 > 50:
        reasons.append("inconsistency")
        level -= 1
    imprecise = False
    if outcome.type == "proportion":
        imprecise = pooled.ci_upper - pooled.ci_lower > RATE_CI_WIDTH
    else:
        null = measure_info(outcome.measure).null
        imprecise = null is not None and pooled.ci_lower <= null <= pooled.ci_upper
    events = _events(result)
    if events is not None and events < OPTIMAL_EVENTS:
        imprecise = True
    if imprecise:
        reasons.append("imprecision")
        level -= 1
    if result.small_study is not None and result.small_study.egger.p_value < EGGER_ALPHA:
        reasons.append("publication_bias")
        level -= 1
    return LEVELS[max(0, level)], tuple(reasons)


def _events(result: OutcomeResult) -> int | None:
    if result.outcome.type == "proportion":
        return result.events
    if result.outcome.type == "rate":
        return sum(s.data["events"] for s in result.studies)
    if result.outcome.type in ("binary", "rate_comparison"):
        return sum(
            s.data["intervention"]["events"] + s.data["control"]["events"] for s in result.studies
        )
    return None


def certainty_of(result: OutcomeResult, designs: list[str | None]) -> Certainty:
    """The editor's rating if the config gives one, otherwise the suggestion."""
    suggested_level, suggested_reasons = suggest(result, designs)
    given = result.outcome.certainty
    if given is not None:
        return Certainty(
            given.level,
            tuple(given.reasons),
            "editor",
            given.note,
            suggested_level,
            suggested_reasons,
        )
    return Certainty(
        suggested_level, suggested_reasons, "suggested", None, suggested_level, suggested_reasons
    )
