"""Models fitted to part of an outcome's studies: subgroups, leave-one-out and named sensitivity
analyses.

A sub-analysis that cannot be fitted (a Paule-Mandel search past its bound, a GLMM with no
finite maximum, a Mantel-Haenszel ratio with no events) does not stop the report: its row is
kept as not estimable, with NaN numbers and the reason in ``error``, as metafor's ``leave1out``
returns NA rows. The main model still raises ``AnalysisError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import chdtrc

from reportgen.config.schema import Outcome, ReportConfig, Sensitivity
from reportgen.errors import AnalysisError
from reportgen.stats.data import OutcomeTable
from reportgen.stats.effects import DEFAULT_ZERO_CELLS, ZeroCells
from reportgen.stats.effects.binary import double_zero
from reportgen.stats.effects.rate import double_zero_rates
from reportgen.stats.fitting import DEFAULT_OPTIONS, FitOptions, NaturalScale, fit_table
from reportgen.stats.frozen import FrozenResult
from reportgen.stats.levels import DEFAULT_LEVEL
from reportgen.stats.measures import METHODS
from reportgen.stats.pooling import PoolResult, pool

LEAVE_ONE_OUT_MIN_K = 3
_NAN = float("nan")


@dataclass(frozen=True)
class SubResult(FrozenResult):
    """A model fitted to part of the studies (a subgroup, an omitted study, a re-analysis).

    ``error`` is None for a fitted model; otherwise the reason it could not be fitted, and the
    numbers of ``model`` and ``pooled`` are NaN (heterogeneity None).
    """

    label: str
    k: int
    model: PoolResult
    pooled: NaturalScale
    error: str | None = None

    @property
    def estimable(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Subgroups(FrozenResult):
    """One model per value of ``variable`` and the test for subgroup differences (Q between),
    from the groups that could be fitted."""

    variable: str
    groups: tuple[SubResult, ...]
    q_between: float
    q_between_df: int
    q_between_p: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", tuple(self.groups))


def not_estimable_model(k: int, method: str, test: str) -> PoolResult:
    """A model that could not be fitted: every number NaN, heterogeneity None."""
    return PoolResult(
        k=k,
        method=method,
        test=test,
        estimate=_NAN,
        se=_NAN,
        statistic=_NAN,
        p_value=_NAN,
        ci_lower=_NAN,
        ci_upper=_NAN,
        pi_lower=_NAN,
        pi_upper=_NAN,
        df=None,
        tau2=None,
        i2=None,
        h2=None,
        q=_NAN,
        q_df=0,
        q_p=None,
        weights=np.full(k, _NAN),
    )


def fit_options(outcome: Outcome) -> FitOptions:
    """The outcome's zero-cell options and MH ``correct`` (binary and proportion outcomes), its
    confidence ``level`` and the level of CIs entered for a generic outcome."""
    options = getattr(outcome, "zero_cells", None)
    zero_cells = (
        DEFAULT_ZERO_CELLS
        if options is None
        else ZeroCells(options.add, options.to, options.drop00)
    )
    return FitOptions(
        zero_cells,
        bool(getattr(outcome, "correct", True)),
        float(outcome.level),
        float(getattr(outcome, "entered_level", DEFAULT_LEVEL)),
    )


def without_double_zeros(
    table: OutcomeTable, method: str, options: FitOptions
) -> tuple[OutcomeTable, list[str]]:
    """escalc's ``drop00 = TRUE`` for inverse-variance fits of two-arm counts: studies with no
    events (or only events) in both arms are left out (metafor sets their yi to NA). MH and Peto
    fit the tables themselves and apply drop00 to their heterogeneity statistics only."""
    if not options.zero_cells.drop00 or table.type not in ("binary", "rate_comparison"):
        return table, []
    if METHODS[method].fitter != "uni":
        return table, []
    if table.type == "rate_comparison":
        dropped = double_zero_rates(table["events_1"], table["events_2"])
    else:
        dropped = double_zero(
            table["events_1"], table["total_1"], table["events_2"], table["total_2"]
        )
    if not dropped.any() or dropped.all():
        return table, []
    ids = [table.study_ids[i] for i in np.flatnonzero(dropped)]
    return table.subset(~dropped), ids


def sub_result(
    label: str,
    table: OutcomeTable,
    measure: str,
    method: str,
    test: str,
    options: FitOptions = DEFAULT_OPTIONS,
) -> SubResult:
    """The model of ``table``; a not-estimable row with the reason if it cannot be fitted."""
    try:
        fit = fit_table(table, measure, method, test, options)
    except AnalysisError as error:
        return SubResult(
            label,
            table.k,
            not_estimable_model(table.k, method, test),
            NaturalScale(_NAN, _NAN, _NAN, _NAN, _NAN),
            str(error),
        )
    return SubResult(label, table.k, fit.model, fit.pooled)


def attribute_values(config: ReportConfig, table: OutcomeTable, name: str) -> list[Any]:
    studies = {s.id: s for s in config.studies}
    values = []
    for study_id in table.study_ids:
        study = studies[study_id]
        value = getattr(study, name, None) if name in type(study).model_fields else None
        values.append((study.model_extra or {}).get(name, value))
    return values


def group_labels(config: ReportConfig, table: OutcomeTable, name: str) -> list[str]:
    return ["not reported" if v is None else str(v) for v in attribute_values(config, table, name)]


def subgroups(config: ReportConfig, outcome: Outcome, table: OutcomeTable) -> Subgroups:
    """A separate model per value of the attribute (each with its own tau2), and the test for
    subgroup differences: Q of a fixed-effect fit to the subgroup estimates (Borenstein et al.
    2009, Introduction to Meta-Analysis, ch. 19; Cochrane Handbook 10.11.3.1). Groups that
    cannot be fitted are shown as not estimable and left out of the test."""
    variable = outcome.subgroup
    if variable is None:
        raise ValueError(f"outcome {outcome.id!r} has no subgroup variable")
    shown = group_labels(config, table, variable)
    labels = list(dict.fromkeys(shown))
    groups = tuple(
        sub_result(
            label,
            table.subset(np.array([s == label for s in shown])),
            outcome.measure,
            outcome.method,
            outcome.test,
            fit_options(outcome),
        )
        for label in labels
    )
    fitted = [g for g in groups if g.estimable]
    if len(fitted) < 2:
        return Subgroups(variable, groups, 0.0, 0, 1.0)
    estimates = np.array([g.model.estimate for g in fitted])
    variances = np.array([g.model.se**2 for g in fitted])
    between = pool(estimates, variances, method="FE")
    return Subgroups(
        variable, groups, between.q, between.q_df, float(chdtrc(between.q_df, between.q))
    )


def single_study_groups(result: Subgroups) -> tuple[str, ...]:
    """The fitted subgroups of one study, when there is a test for subgroup differences: their
    variance has no between-study part, so the test is anti-conservative (too small a p)."""
    if result.q_between_df == 0:
        return ()
    return tuple(g.label for g in result.groups if g.estimable and g.k == 1)


def knha_in_chi_square(result: Subgroups, test: str) -> bool:
    """Whether the test for subgroup differences compares Knapp-Hartung SEs with a chi-square
    distribution (anti-conservative; a meta-regression with a common tau2 is the alternative)."""
    return test == "knha" and result.q_between_df > 0


def subgroup_notes(result: Subgroups, test: str) -> list[str]:
    """Why a test for subgroup differences may be anti-conservative (the numbers are kept)."""
    notes = []
    single = single_study_groups(result)
    if single:
        names = ", ".join(f"'{label}'" for label in single)
        notes.append(
            f"Test for subgroup differences: subgroup {names} has a single study, whose "
            "variance has no between-study component; the test is anti-conservative (its "
            "p-value is too small)."
        )
    if knha_in_chi_square(result, test):
        notes.append(
            "Test for subgroup differences: the subgroup estimates carry Knapp-Hartung standard "
            "errors but are compared with a chi-square test; the test is anti-conservative. A "
            "meta-regression with the subgroup as moderator (common tau2) is the usual "
            "alternative."
        )
    failed = [g for g in result.groups if not g.estimable]
    for group in failed:
        notes.append(
            f"Subgroup '{group.label}' could not be fitted ({group.error}); it is left out of "
            "the test for subgroup differences."
        )
    return notes


def sensitivity(
    config: ReportConfig, outcome: Outcome, table: OutcomeTable, analysis: Sensitivity
) -> SubResult:
    keep = np.array([sid not in analysis.exclude_studies for sid in table.study_ids])
    for name, excluded in analysis.exclude.items():
        excluded_values = excluded if isinstance(excluded, list) else [excluded]
        values = attribute_values(config, table, name)
        keep &= np.array([value not in excluded_values for value in values])
    if not keep.any():
        raise AnalysisError(
            f"outcome '{outcome.id}': sensitivity analysis '{analysis.name}' leaves out every study"
        )
    method = analysis.method or outcome.method
    test = analysis.test or outcome.test
    options = fit_options(outcome)
    return sub_result(analysis.name, table.subset(keep), outcome.measure, method, test, options)
