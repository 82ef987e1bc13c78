"""What each outcome's numbers mean, computed once per build: certainty, size and direction of
the effect, and absolute effects. Every reader of an outcome's meaning (patient summary,
clinician brief, appendix, results.json, version comparison) takes it from here, so they cannot
disagree.

Numbers and categories only: the words live in the presentation layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.config.risk_of_bias import Judgement, judgement_table, judgements_for
from reportgen.config.schema import ReportConfig
from reportgen.interpret.absolute import control_risk, treated_risk
from reportgen.interpret.certainty import Certainty, certainty_of
from reportgen.interpret.reexpress import Reexpressed, reexpress
from reportgen.interpret.statements import classify, favoured
from reportgen.stats.analysis import OutcomeResult, ReportResults

# Size and direction of a single-arm rate: it has no comparison, so neither applies.
RATE = "rate"
NO_DIRECTION = "none"


@dataclass(frozen=True)
class AbsoluteEffect:
    """Risks without and with treatment for a two-arm binary outcome, at the studies' overall
    control-group risk; ``treated_*`` follow the pooled estimate and its CI bounds."""

    control: float
    treated: float
    treated_lower: float
    treated_upper: float


@dataclass(frozen=True)
class Finding:
    """The meaning of one outcome's result."""

    result: OutcomeResult
    certainty: Certainty
    size: str  # trivial, small, moderate, large, uncertain, or "rate" for single-arm data
    direction: str  # increase, decrease, or "none" for single-arm data
    absolute: AbsoluteEffect | None  # two-arm binary outcomes only
    side_effect: bool  # listed under "Side effects" in the patient summary
    good: str | None = None  # higher or lower: which direction of the outcome is better
    event: str | None = None  # what a counted outcome counts ("died"), finishing "fewer people"
    favours: str | None = None  # intervention, comparator, neither, uncertain; None single-arm
    familiar: Reexpressed | None = None  # an SMD on the outcome's familiar scale, when given

    @property
    def outcome_id(self) -> str:
        return self.result.outcome.id

    @property
    def is_rate(self) -> bool:
        return self.size == RATE


@dataclass(frozen=True)
class Findings:
    """The findings of every outcome, in config order."""

    outcomes: tuple[Finding, ...]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def of(self, outcome_id: str) -> Finding:
        return next(f for f in self.outcomes if f.outcome_id == outcome_id)

    @property
    def main(self) -> tuple[Finding, ...]:
        """Outcomes shown under "What the analysis found" (not side effects)."""
        return tuple(f for f in self.outcomes if not f.side_effect)

    @property
    def side_effects(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.outcomes if f.side_effect)


def interpret(config: ReportConfig, results: ReportResults) -> Findings:
    """Interpret every outcome of ``results`` once."""
    designs = [study.design for study in config.studies]
    table = judgement_table(config)
    return Findings(
        tuple(
            interpret_outcome(result, designs, judgements_for(table, result.outcome.id))
            for result in results.outcomes
        )
    )


def interpret_outcome(
    result: OutcomeResult,
    designs: list[str | None],
    judgements: dict[str, Judgement] | None = None,
) -> Finding:
    outcome, pooled = result.outcome, result.pooled
    good = outcome.good_direction()
    favours = None
    if outcome.type in ("proportion", "rate"):  # single arm: no value of no effect
        size, direction = RATE, NO_DIRECTION
    else:
        size, direction = classify(result)
        favours = favoured(size, direction, good)
    absolute = None
    if outcome.type == "binary":
        control = control_risk(result)
        treated = [
            treated_risk(control, value, outcome.measure)
            for value in (pooled.estimate, pooled.ci_lower, pooled.ci_upper)
        ]
        absolute = AbsoluteEffect(control, treated[0], treated[1], treated[2])
    flag = outcome.side_effect
    return Finding(
        result=result,
        certainty=certainty_of(result, designs, judgements),
        size=size,
        direction=direction,
        absolute=absolute,
        side_effect=outcome.role == "harm" if flag is None else flag,
        good=good,
        event=outcome.counted_event(),
        favours=favours,
        familiar=reexpress(result),
    )
