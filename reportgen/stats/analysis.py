"""Per-outcome analysis: the main model, subgroups, leave-one-out, named sensitivity analyses and
small-study tests. Pure computation: takes a validated config, returns frozen results of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.config.schema import Outcome, ReportConfig
from reportgen.stats.data import (
    THREE_LEVEL_NOTES,
    OutcomeTable,
    grouped_by_study,
    outcome_table,
    participants_per_study,
)
from reportgen.stats.display import Table, short, table
from reportgen.stats.fitting import (
    Fit,
    FitOptions,
    NaturalScale,
    fit_table,
    fit_three_level_table,
    study_intervals,
)
from reportgen.stats.frozen import FrozenResult, dataclass_dict, freeze
from reportgen.stats.leave_one_out import leave_one_out
from reportgen.stats.measures import METHODS
from reportgen.stats.pooling import PoolResult
from reportgen.stats.regression_analysis import MetaRegression, regressions
from reportgen.stats.small_study import TestResult, TrimFill, begg_test, egger_test, trim_and_fill
from reportgen.stats.subanalyses import (
    Subgroups,
    SubResult,
    fit_options,
    group_labels,
    sensitivity,
    subgroup_notes,
    subgroups,
    without_double_zeros,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OutcomeResult",
    "ReportResults",
    "StudyResult",
    "SubResult",
    "Subgroups",
    "analyse",
    "analyse_outcome",
]


@dataclass(frozen=True)
class StudyResult(FrozenResult):
    """One study's effect size, its 95% CI on the natural scale and its weight (percent).

    ``data`` is the study's row as given, read-only (a ``FrozenDict``, nested values too).
    """

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", freeze(self.data))


@dataclass(frozen=True)
class SmallStudy(FrozenResult):
    egger: TestResult
    begg: TestResult
    trimfill: TrimFill
    trimfill_pooled: NaturalScale


@dataclass(frozen=True)
class OutcomeResult(FrozenResult):
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
    meta_regression: tuple[MetaRegression, ...] = ()  # outcome.regression, fitted

    def __post_init__(self) -> None:
        for name in (
            "studies",
            "leave_one_out",
            "sensitivity",
            "notes",
            "study_groups",
            "meta_regression",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def k(self) -> int:
        return self.model.k

    @property
    def study_count(self) -> int:
        """Studies in the analysis: k, or fewer for a three-level model (several effects per
        study)."""
        return len({s.id for s in self.studies})

    def to_dict(self) -> dict[str, Any]:
        """Every field, ``k`` and the nested results as JSON-safe plain data (NaN and infinite
        values as None); ``outcome`` is the outcome's config as ``model_dump(mode="json")``."""
        return {"k": self.k, **dataclass_dict(self)}

    def __repr__(self) -> str:
        model, pooled = self.model, self.pooled
        i2 = "None" if model.i2 is None else f"{model.i2:.1f}%"
        return (
            f"OutcomeResult(id={self.outcome.id!r}, measure={self.outcome.measure!r}, "
            f"k={self.k}, method={model.method!r}, pooled={short(pooled.estimate)} "
            f"[{short(pooled.ci_lower)}, {short(pooled.ci_upper)}], "
            f"tau2={short(model.tau2)}, I2={i2})"
        )

    def _table(self) -> Table:
        rows: list[tuple[str, tuple[Any, ...]]] = [
            (
                s.id,
                (s.label, s.yi, s.vi, s.weight, s.estimate, s.ci_lower, s.ci_upper),
            )
            for s in self.studies
        ]
        model, pooled = self.model, self.pooled
        rows.append(
            (
                "pooled",
                (
                    None,
                    model.estimate,
                    model.se**2,
                    100.0,
                    pooled.estimate,
                    pooled.ci_lower,
                    pooled.ci_upper,
                ),
            )
        )
        columns = ("label", "yi", "vi", "weight", "estimate", "ci_lower", "ci_upper")
        return table("study", columns, rows)

    def summary(self) -> pd.DataFrame:
        """A tidy DataFrame, one row per study and a last row ``pooled``: the effect size and
        sampling variance on the analysis scale (``yi``, ``vi``), the weight in percent, and the
        estimate with its 95% CI on the natural scale (as in the forest plot)."""
        frame = self._table().frame()
        frame.attrs.update(outcome=self.outcome.id, measure=self.outcome.measure)
        return frame

    def _repr_html_(self) -> str:
        return self._table().html(
            f"OutcomeResult(id={self.outcome.id}, measure={self.outcome.measure})"
        )


@dataclass(frozen=True)
class ReportResults(FrozenResult):
    """The results of every outcome, in config order, and totals across the review."""

    outcomes: tuple[OutcomeResult, ...]
    study_count: int
    participant_count: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcomes", tuple(self.outcomes))

    def outcome(self, outcome_id: str) -> OutcomeResult:
        return next(r for r in self.outcomes if r.outcome.id == outcome_id)

    def to_dict(self) -> dict[str, Any]:
        """Every outcome's results (``OutcomeResult.to_dict``) and the totals, as JSON-safe
        plain data."""
        return dataclass_dict(self)

    def __repr__(self) -> str:
        ids = tuple(r.outcome.id for r in self.outcomes)
        return (
            f"ReportResults(outcomes={ids!r}, study_count={self.study_count}, "
            f"participant_count={self.participant_count})"
        )

    def _table(self) -> Table:
        columns = (
            "k",
            "measure",
            "method",
            "test",
            "estimate",
            "ci_lower",
            "ci_upper",
            "pi_lower",
            "pi_upper",
            "p_value",
            "tau2",
            "i2",
        )
        rows = [
            (
                r.outcome.id,
                (
                    r.k,
                    r.outcome.measure,
                    r.model.method,
                    r.model.test,
                    r.pooled.estimate,
                    r.pooled.ci_lower,
                    r.pooled.ci_upper,
                    r.pooled.pi_lower,
                    r.pooled.pi_upper,
                    r.model.p_value,
                    r.model.tau2,
                    r.model.i2,
                ),
            )
            for r in self.outcomes
        ]
        return table("outcome", columns, rows)

    def summary(self) -> pd.DataFrame:
        """A DataFrame with one row per outcome: k, measure, method and test, the pooled
        estimate with its 95% CI and prediction interval on the natural scale, and the p-value,
        tau2 and I2 (percent) of the model."""
        return self._table().frame()

    def _repr_html_(self) -> str:
        return self._table().html(
            f"ReportResults(study_count={self.study_count}, "
            f"participant_count={self.participant_count})"
        )


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
    options = fit_options(outcome)
    if outcome.structure == "three_level":
        return _three_level_outcome(config, outcome, options)
    table, dropped = without_double_zeros(outcome_table(config, outcome), outcome.method, options)
    main = fit_table(table, outcome.measure, outcome.method, outcome.test, options)
    notes = list(main.model.notes)
    if dropped:
        notes.append(
            f"Studies with no events (or only events) in both arms were left out (drop00): "
            f"{', '.join(dropped)}."
        )
    small_study = None
    if table.k >= outcome.small_study_min_k:
        small_study = _small_study(main, outcome)
    else:
        notes.append(
            f"Small-study tests (Egger, Begg, trim and fill) were not run: they need at least "
            f"{outcome.small_study_min_k} studies and this outcome has {table.k}."
        )
    groups = subgroups(config, outcome, table) if outcome.subgroup else None
    if groups is not None:
        notes.extend(subgroup_notes(groups, outcome.test))
    return OutcomeResult(
        outcome=outcome,
        model=main.model,
        pooled=main.pooled,
        studies=_study_results(table, main),
        participants=table.participants(),
        events=int(table["events"].sum()) if table.type == "proportion" else None,
        back_transform_n=main.back_transform_n,
        subgroups=groups,
        leave_one_out=leave_one_out(outcome, table, main),
        sensitivity=tuple(sensitivity(config, outcome, table, s) for s in outcome.sensitivity),
        small_study=small_study,
        notes=tuple(notes),
        study_groups=tuple(group_labels(config, table, outcome.subgroup))
        if outcome.subgroup
        else (),
        meta_regression=regressions(config, outcome, table, main),
    )


def _three_level_outcome(
    config: ReportConfig, outcome: Outcome, options: FitOptions
) -> OutcomeResult:
    """A three-level outcome (several effects per study): rows grouped by study in the order
    studies first appear, each labelled with its effect id; analyses that assume independent
    effects (leave-one-out, small-study tests) are not run, and the notes say so."""
    grouped = grouped_by_study(outcome_table(config, outcome))
    table, dropped = without_double_zeros(grouped, outcome.method, options)
    main = fit_three_level_table(table, outcome.measure, outcome.method, options)
    notes = [*main.model.notes, *THREE_LEVEL_NOTES]
    if dropped:
        studies = ", ".join(dict.fromkeys(dropped))
        notes.append(f"Effects with no events in either arm were left out (drop00), of: {studies}.")
    return OutcomeResult(
        outcome=outcome,
        model=main.model,
        pooled=main.pooled,
        studies=_study_results(table, main),
        participants=None,  # a study's people may count in several of its effects
        events=None,
        back_transform_n=main.back_transform_n,
        subgroups=None,
        leave_one_out=(),
        sensitivity=(),
        small_study=None,
        notes=tuple(notes),
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


def _small_study(main: Fit, outcome: Outcome) -> SmallStudy:
    yi, vi = main.effects.yi, main.effects.vi
    # Mantel-Haenszel, Peto and GLMM fits have no rma.uni equivalent: trim and fill uses an
    # inverse-variance model of the effect sizes instead (fixed effect, or REML for the GLMM).
    substitute = METHODS[outcome.method].small_study_method
    # The original model's test is kept only where trim and fill starts from that very model.
    test = "z" if substitute else outcome.test
    trimfill = trim_and_fill(yi, vi, substitute or outcome.method, test, float(outcome.level))
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
