"""Per-outcome analysis: effect sizes, pooling and back-transformation to the natural scale.

Pure computation: takes a validated config, returns frozen results holding numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from .config import Outcome, ReportConfig
from .data import ProportionTable, participants_per_study, proportion_table
from .effects import harmonic_mean, proportion_effects, to_proportion
from .pooling import CONFIDENCE_LEVEL, PoolResult, pool


@dataclass(frozen=True)
class NaturalScale:
    """A pooled result back-transformed to a proportion (0 to 1)."""

    estimate: float
    ci_lower: float
    ci_upper: float
    pi_lower: float
    pi_upper: float


@dataclass(frozen=True)
class StudyResult:
    """One study's effect size, its 95% CI on the natural scale and its weight (percent)."""

    id: str
    label: str
    events: int
    total: int
    yi: float
    vi: float
    weight: float
    estimate: float
    ci_lower: float
    ci_upper: float
    zero_cell_corrected: bool


@dataclass(frozen=True)
class OutcomeResult:
    """Everything computed for one outcome."""

    outcome: Outcome
    model: PoolResult
    pooled: NaturalScale
    studies: tuple[StudyResult, ...]
    participants: int
    events: int
    back_transform_n: float | None  # harmonic mean sample size used for PFT, else None

    @property
    def k(self) -> int:
        return self.model.k


@dataclass(frozen=True)
class ReportResults:
    """The results of every outcome, in config order, and totals across the review."""

    outcomes: tuple[OutcomeResult, ...]
    study_count: int
    participant_count: int

    def outcome(self, outcome_id: str) -> OutcomeResult:
        return next(r for r in self.outcomes if r.outcome.id == outcome_id)


def analyse(config: ReportConfig) -> ReportResults:
    """Analyse every outcome of a validated config."""
    results = tuple(analyse_outcome(config, outcome) for outcome in config.outcomes)
    participants = participants_per_study(config)
    return ReportResults(
        outcomes=results,
        study_count=len(config.studies),
        participant_count=sum(participants.get(study.id, 0) for study in config.studies),
    )


def analyse_outcome(config: ReportConfig, outcome: Outcome) -> OutcomeResult:
    """Effect sizes, pooled model and natural-scale results for one proportion outcome.

    The PFT pooled values are back-transformed with the harmonic mean of the sample sizes
    (``transf.ipft.hm``); each study's own values with its own sample size.
    """
    table = proportion_table(config, outcome)
    effects = proportion_effects(table.events, table.totals, outcome.measure)
    model = pool(effects.yi, effects.vi, method=outcome.method, test=outcome.test)
    n_pooled = harmonic_mean(table.totals) if outcome.measure == "PFT" else None

    def natural(values, n=n_pooled) -> np.ndarray:
        return to_proportion(values, outcome.measure, n)

    pooled_values = natural(
        [model.estimate, model.ci_lower, model.ci_upper, model.pi_lower, model.pi_upper]
    )
    pooled = NaturalScale(*(float(value) for value in pooled_values))
    return OutcomeResult(
        outcome=outcome,
        model=model,
        pooled=pooled,
        studies=_study_results(table, effects.yi, effects.vi, effects.corrected, model, natural),
        participants=int(table.totals.sum()),
        events=int(table.events.sum()),
        back_transform_n=n_pooled,
    )


def _study_results(
    table: ProportionTable, yi, vi, corrected, model: PoolResult, natural
) -> tuple[StudyResult, ...]:
    crit = float(ndtri(1 - (1 - CONFIDENCE_LEVEL) / 2))
    half = crit * np.sqrt(vi)
    n = table.totals.astype(float)
    estimate, lower, upper = natural(yi, n), natural(yi - half, n), natural(yi + half, n)
    return tuple(
        StudyResult(
            id=table.study_ids[i],
            label=table.labels[i],
            events=int(table.events[i]),
            total=int(table.totals[i]),
            yi=float(yi[i]),
            vi=float(vi[i]),
            weight=model.weights[i],
            estimate=float(estimate[i]),
            ci_lower=float(lower[i]),
            ci_upper=float(upper[i]),
            zero_cell_corrected=bool(corrected[i]),
        )
        for i in range(table.k)
    )
