"""Certainty of evidence per outcome, after GRADE (Guyatt GH et al. 2008, BMJ 336:924-926;
GRADE handbook, section 5).

The editor's rating (config ``certainty``) is used when given. reportgen also suggests one from
the data, shown beside it: randomised evidence starts high and non-randomised evidence low;
one level is taken off for each of inconsistency (I2 > 50%), imprecision (a 95% CI that includes
no effect, or fewer than 300 events, or a rate's CI wider than 20 percentage points) and
publication bias (Egger's test p < 0.10, where small-study tests ran). Risk of bias is taken
off one level when the config gives risk-of-bias judgements and studies at high risk (RoB 2 and
QUADAS-2 'high', ROBINS-I 'serious' or 'critical', overall) carry more than half of the
outcome's weight (GRADE handbook 5.2.1: "most information is from studies at high risk of
bias"); without judgements it is left to the editor, like indirectness.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config.risk_of_bias import Judgement
from reportgen.config.rob_tools import is_high
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info

LEVELS = ("very_low", "low", "moderate", "high")
OPTIMAL_EVENTS = 300
RATE_CI_WIDTH = 0.20
EGGER_ALPHA = 0.10
HIGH_RISK_WEIGHT = 50.0  # percent of the weight: "most information" from high-risk studies


@dataclass(frozen=True)
class Certainty:
    level: str
    reasons: tuple[str, ...]
    source: str  # "editor" or "suggested"
    note: str | None
    suggested_level: str
    suggested_reasons: tuple[str, ...]
    # Percent of the pooled weight in studies judged at high risk of bias (None: not judged).
    high_risk_weight: float | None = None


def _randomised(design: str | None) -> bool:
    text = (design or "").lower()
    return ("randomised" in text or "randomized" in text or text in ("rct", "trial")) and not any(
        word in text for word in ("quasi", "non-rand", "nonrand")
    )


def high_risk_weight(result: OutcomeResult, judgements: dict[str, Judgement]) -> float | None:
    """Percent of the outcome's pooled weight in studies whose overall judgement is high risk;
    None when no study of the outcome is judged. Studies without a judgement count as not at
    high risk (the appendix lists them as 'no information')."""
    if not any(study.id in judgements for study in result.studies):
        return None
    total = sum(study.weight for study in result.studies)
    high = sum(
        study.weight
        for study in result.studies
        if study.id in judgements and is_high(judgements[study.id].overall)
    )
    return 100.0 * high / total if total > 0 else 0.0


def suggest(
    result: OutcomeResult,
    designs: list[str | None],
    judgements: dict[str, Judgement] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """A suggested GRADE level and the reasons for each level taken off."""
    randomised = bool(designs) and all(_randomised(d) for d in designs)
    reasons: list[str] = [] if randomised else ["non_randomised"]
    level = LEVELS.index("high" if randomised else "low")
    share = high_risk_weight(result, judgements or {})
    if share is not None and share > HIGH_RISK_WEIGHT:
        reasons.append("risk_of_bias")
        level -= 1
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


def certainty_of(
    result: OutcomeResult,
    designs: list[str | None],
    judgements: dict[str, Judgement] | None = None,
) -> Certainty:
    """The editor's rating if the config gives one, otherwise the suggestion."""
    suggested_level, suggested_reasons = suggest(result, designs, judgements)
    share = high_risk_weight(result, judgements or {})
    given = result.outcome.certainty
    if given is not None:
        return Certainty(
            given.level,
            tuple(given.reasons),
            "editor",
            given.note,
            suggested_level,
            suggested_reasons,
            share,
        )
    return Certainty(
        suggested_level,
        suggested_reasons,
        "suggested",
        None,
        suggested_level,
        suggested_reasons,
        share,
    )
