"""Per-outcome analysis: the main model, subgroups, leave-one-out, named sensitivity analyses and
small-study tests. Pure computation: takes a validated config, returns frozen results of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import chdtrc

from reportgen.config.schema import Outcome, ReportConfig, Sensitivity
from reportgen.errors import AnalysisError
from reportgen.stats.data import OutcomeTable, outcome_table, participants_per_study
from reportgen.stats.fitting import Fit, NaturalScale, fit_table, study_intervals
from reportgen.stats.measures import METHODS
from reportgen.stats.pooling import PoolResult, pool
from reportgen.stats.small_study import TestResult, TrimFill, begg_test, egger_test, trim_and_fill

LEAVE_ONE_OUT_MIN_K = 3


@dataclass(frozen=True)
class StudyResult:
    """One study's effect size, its 95% CI on the natural scale and its weight (percent)."""

    id: str
    label: str
    data: dict[str, Any]
    yi: float
    vi: float
    weight: float
    estimate: float
    ci_lower: float
    ci_upper: float
    zero_cell_corrected: bool


@dataclass(frozen=True)
class SubResult:
    """A model fitted to part of the studies (a subgroup, an omitted study, a re-analysis)."""

    label: str
    k: int
    model: PoolResult
    pooled: NaturalScale


@dataclass(frozen=True)
class Subgroups:
    variable: str
    groups: tuple[SubResult, ...]
    q_between: float
    q_between_df: int
    q_between_p: float


@dataclass(frozen=True)
class SmallStudy:
    egger: TestResult
    begg: TestResult
    trimfill: TrimFill
    trimfill_pooled: NaturalScale


@dataclass(frozen=True)
class OutcomeResult:
    """Everything computed for one outcome."""

    outcome: Outcome
    model: PoolResult
    pooled: NaturalScale
    studies: tuple[StudyResult, ...]
    participants: int | None
    events: int | None
    back_transform_n: float | None
    subgroups: Subgroups | None
    leave_one_out: tuple[SubResult, ...]
    sensitivity: tuple[SubResult, ...]
    small_study: SmallStudy | None
    notes: tuple[str, ...]
    study_groups: tuple[str, ...] = ()  # each study's subgroup value, when subgroups were fitted

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
    table = outcome_table(config, outcome)
    main = fit_table(table, outcome.measure, outcome.method, outcome.test)
    notes = list(main.model.notes)
    small_study = None
    if table.k >= outcome.small_study_min_k:
        small_study = _small_study(main, outcome)
    else:
        notes.append(
            f"Small-study tests (Egger, Begg, trim and fill) were not run: they need at least "
            f"{outcome.small_study_min_k} studies and this outcome has {table.k}."
        )
    return OutcomeResult(
        outcome=outcome,
        model=main.model,
        pooled=main.pooled,
        studies=_study_results(table, main),
        participants=table.participants(),
        events=int(table["events"].sum()) if table.type == "proportion" else None,
        back_transform_n=main.back_transform_n,
        subgroups=_subgroups(config, outcome, table) if outcome.subgroup else None,
        leave_one_out=_leave_one_out(outcome, table),
        sensitivity=tuple(_sensitivity(config, outcome, table, s) for s in outcome.sensitivity),
        small_study=small_study,
        notes=tuple(notes),
        study_groups=tuple(_group_labels(config, table, outcome.subgroup))
        if outcome.subgroup
        else (),
    )


def _study_results(table: OutcomeTable, fit: Fit) -> tuple[StudyResult, ...]:
    estimate, lower, upper = study_intervals(fit, table)
    effects = fit.effects
    return tuple(
        StudyResult(
            id=table.study_ids[i],
            label=table.labels[i],
            data=table.rows[i],
            yi=float(effects.yi[i]),
            vi=float(effects.vi[i]),
            weight=float(fit.model.weights[i]),
            estimate=float(estimate[i]),
            ci_lower=float(lower[i]),
            ci_upper=float(upper[i]),
            zero_cell_corrected=bool(effects.corrected[i]),
        )
        for i in range(table.k)
    )


def _sub_result(label: str, table: OutcomeTable, measure: str, method: str, test: str) -> SubResult:
    fit = fit_table(table, measure, method, test)
    return SubResult(label, table.k, fit.model, fit.pooled)


def _attribute_values(config: ReportConfig, table: OutcomeTable, name: str) -> list[Any]:
    studies = {s.id: s for s in config.studies}
    values = []
    for study_id in table.study_ids:
        study = studies[study_id]
        value = getattr(study, name, None) if name in type(study).model_fields else None
        values.append((study.model_extra or {}).get(name, value))
    return values


def _group_labels(config: ReportConfig, table: OutcomeTable, name: str) -> list[str]:
    return ["not reported" if v is None else str(v) for v in _attribute_values(config, table, name)]


def _subgroups(config: ReportConfig, outcome: Outcome, table: OutcomeTable) -> Subgroups:
    """A separate model per value of the attribute (each with its own tau2), and the test for
    subgroup differences: Q of a fixed-effect fit to the subgroup estimates (Borenstein et al.
    2009, Introduction to Meta-Analysis, ch. 19; Cochrane Handbook 10.11.3.1)."""
    shown = _group_labels(config, table, outcome.subgroup)
    labels = list(dict.fromkeys(shown))
    groups = tuple(
        _sub_result(
            label,
            table.subset(np.array([s == label for s in shown])),
            outcome.measure,
            outcome.method,
            outcome.test,
        )
        for label in labels
    )
    estimates = np.array([g.model.estimate for g in groups])
    variances = np.array([g.model.se**2 for g in groups])
    if len(groups) < 2:
        return Subgroups(outcome.subgroup, groups, 0.0, 0, 1.0)
    between = pool(estimates, variances, method="FE")
    return Subgroups(
        outcome.subgroup, groups, between.q, between.q_df, float(chdtrc(between.q_df, between.q))
    )


def _leave_one_out(outcome: Outcome, table: OutcomeTable) -> tuple[SubResult, ...]:
    if table.k < LEAVE_ONE_OUT_MIN_K:
        return ()
    results = []
    for i, study_id in enumerate(table.study_ids):
        keep = np.ones(table.k, dtype=bool)
        keep[i] = False
        results.append(
            _sub_result(study_id, table.subset(keep), outcome.measure, outcome.method, outcome.test)
        )
    return tuple(results)


def _sensitivity(
    config: ReportConfig, outcome: Outcome, table: OutcomeTable, analysis: Sensitivity
) -> SubResult:
    keep = np.array([sid not in analysis.exclude_studies for sid in table.study_ids])
    for name, excluded in analysis.exclude.items():
        excluded_values = excluded if isinstance(excluded, list) else [excluded]
        values = _attribute_values(config, table, name)
        keep &= np.array([value not in excluded_values for value in values])
    if not keep.any():
        raise AnalysisError(
            f"outcome '{outcome.id}': sensitivity analysis '{analysis.name}' leaves out every study"
        )
    method = analysis.method or outcome.method
    test = analysis.test or outcome.test
    return _sub_result(analysis.name, table.subset(keep), outcome.measure, method, test)


def _small_study(main: Fit, outcome: Outcome) -> SmallStudy:
    yi, vi = main.effects.yi, main.effects.vi
    # Mantel-Haenszel, Peto and GLMM fits have no rma.uni equivalent: trim and fill uses an
    # inverse-variance model of the effect sizes instead (fixed effect, or REML for the GLMM).
    method = METHODS[outcome.method].small_study_method or outcome.method
    trimfill = trim_and_fill(yi, vi, method)
    values = main.natural(
        [
            trimfill.model.estimate,
            trimfill.model.ci_lower,
            trimfill.model.ci_upper,
            trimfill.model.pi_lower,
            trimfill.model.pi_upper,
        ]
    )
    return SmallStudy(
        egger_test(yi, vi), begg_test(yi, vi), trimfill, NaturalScale(*(float(x) for x in values))
    )
