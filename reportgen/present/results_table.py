"""The results as one table: a row per outcome and analysis (main, subgroup, subgroup
difference, sensitivity, leave-one-out), for ``results.csv`` and ``results.xlsx``.

Numbers stay numbers here (full precision; NaN where a model could not be fitted): the table is
for spreadsheets and other programs, not for readers, so nothing is rounded or put into words.
The estimate and its intervals are on the scale readers see (a proportion, a ratio, a
difference: ``NaturalScale``); tau2, I2 and Q are those of the model on its analysis scale.
``n`` counts the participants of the studies in the analysis (both arms), as
``OutcomeTable.participants`` does; it is empty for generic (estimate and SE) data.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields

import numpy as np

from reportgen.config.schema import ReportConfig
from reportgen.stats.analysis import OutcomeResult, ReportResults
from reportgen.stats.data import OutcomeTable, outcome_table
from reportgen.stats.fitting import NaturalScale
from reportgen.stats.pooling import PoolResult
from reportgen.stats.subanalyses import (
    SubResult,
    attribute_values,
    fit_options,
    group_labels,
    without_double_zeros,
)

# The ``analysis`` column's values (contract: spreadsheets filter on them).
MAIN, SUBGROUP, SUBGROUP_DIFFERENCE = "main", "subgroup", "subgroup_difference"
SENSITIVITY, LEAVE_ONE_OUT = "sensitivity", "leave_one_out"


@dataclass(frozen=True)
class ResultsRow:
    """One analysis of one outcome. ``subset``: the subgroup (``variable=value``), the
    variable of a subgroup-difference test, the sensitivity analysis's name or the omitted
    study's id; empty for the main analysis. ``error``: why a model could not be fitted."""

    outcome_id: str
    outcome_label: str
    analysis: str
    subset: str
    k: int
    n: int | None
    measure: str
    method: str
    test: str
    estimate: float | None
    ci_lower: float | None
    ci_upper: float | None
    pi_lower: float | None
    pi_upper: float | None
    p_value: float | None
    tau2: float | None
    i2: float | None
    q: float | None
    q_df: int | None
    q_p: float | None
    error: str

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The column names, in order (contract: the header of results.csv and .xlsx)."""
        return tuple(field.name for field in fields(cls))

    def values(self) -> tuple[object, ...]:
        """The row's values in column order; a non-finite number becomes None (empty cell)."""
        return tuple(
            None if isinstance(v, float) and not math.isfinite(v) else v for v in astuple(self)
        )


def results_rows(config: ReportConfig, results: ReportResults) -> tuple[ResultsRow, ...]:
    """Every analysis of every outcome, in report order: the main analysis, then its
    subgroups and their difference test, sensitivity analyses, then leave-one-out."""
    rows: list[ResultsRow] = []
    for result in results.outcomes:
        rows += _outcome_rows(config, result)
    return tuple(rows)


def _outcome_rows(config: ReportConfig, result: OutcomeResult) -> list[ResultsRow]:
    outcome = result.outcome
    table, _ = without_double_zeros(
        outcome_table(config, outcome), outcome.method, fit_options(outcome)
    )
    rows = [_row(result, MAIN, "", result.model, result.pooled, result.participants)]
    if result.subgroups is not None:
        variable = result.subgroups.variable
        labels = np.array(group_labels(config, table, variable), dtype=object)
        counted: list[int | None] = []
        for group in result.subgroups.groups:
            n = _participants(table, labels == group.label)
            counted += [n] if group.estimable else []
            rows.append(_sub_row(result, SUBGROUP, f"{variable}={group.label}", group, n))
        rows.append(_difference_row(result, variable, counted))
    for analysis, sub in zip(outcome.sensitivity, result.sensitivity, strict=True):
        keep = np.array([sid not in analysis.exclude_studies for sid in table.study_ids])
        for name, excluded in analysis.exclude.items():
            values = excluded if isinstance(excluded, list) else [excluded]
            keep &= np.array([v not in values for v in attribute_values(config, table, name)])
        rows.append(_sub_row(result, SENSITIVITY, sub.label, sub, _participants(table, keep)))
    ids = np.array(table.study_ids, dtype=object)
    for sub in result.leave_one_out:
        n = _participants(table, ids != sub.label)
        rows.append(_sub_row(result, LEAVE_ONE_OUT, sub.label, sub, n))
    return rows


def _participants(table: OutcomeTable, keep: np.ndarray) -> int | None:
    return table.subset(np.asarray(keep, dtype=bool)).participants()


def _row(
    result: OutcomeResult,
    analysis: str,
    subset: str,
    model: PoolResult,
    pooled: NaturalScale,
    n: int | None,
    error: str | None = None,
) -> ResultsRow:
    outcome = result.outcome
    return ResultsRow(
        outcome_id=outcome.id,
        outcome_label=outcome.label,
        analysis=analysis,
        subset=subset,
        k=model.k,
        n=n,
        measure=outcome.measure,
        method=model.method,
        test=model.test,
        estimate=pooled.estimate,
        ci_lower=pooled.ci_lower,
        ci_upper=pooled.ci_upper,
        pi_lower=pooled.pi_lower,
        pi_upper=pooled.pi_upper,
        p_value=model.p_value,
        tau2=model.tau2,
        i2=model.i2,
        q=model.q,
        q_df=model.q_df,
        q_p=model.q_p,
        error=error or "",
    )


def _sub_row(
    result: OutcomeResult, analysis: str, subset: str, sub: SubResult, n: int | None
) -> ResultsRow:
    return _row(result, analysis, subset, sub.model, sub.pooled, n, sub.error)


def _difference_row(result: OutcomeResult, variable: str, counted: list[int | None]) -> ResultsRow:
    """The test for subgroup differences (Q between the subgroups that could be fitted, its df
    and p); no estimate. ``counted``: the participants of those subgroups."""
    groups = result.subgroups
    if groups is None:
        raise ValueError("no subgroups")
    k = sum(g.k for g in groups.groups if g.estimable)
    n = None if any(c is None for c in counted) else sum(c for c in counted if c is not None)
    nothing = {
        name: None
        for name in ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper", "p_value")
    }
    return ResultsRow(
        outcome_id=result.outcome.id,
        outcome_label=result.outcome.label,
        analysis=SUBGROUP_DIFFERENCE,
        subset=variable,
        k=k,
        n=n,
        measure=result.outcome.measure,
        method=result.model.method,
        test=result.model.test,
        tau2=None,
        i2=None,
        q=groups.q_between,
        q_df=groups.q_between_df,
        q_p=groups.q_between_p,
        error="",
        **nothing,
    )
