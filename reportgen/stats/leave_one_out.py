"""Leave-one-out: the model refitted with each study left out in turn (metafor's ``leave1out``).

Cost: one fit of k - 1 studies per study, nothing more. Inverse-variance models (``rma.uni``)
reuse the effect sizes of the full fit, as ``leave1out.rma.uni`` reuses ``yi``/``vi`` of the
fitted object: each refit pools ``yi`` and ``vi`` with one entry deleted, so no table is rebuilt
and no effect size recomputed per study (the pooling's work arrays, sized k - 1, are shared by
every refit). Mantel-Haenszel, Peto and GLMM models fit the counts themselves and get the table
without study ``i`` by slicing (no per-study filtering in Python). Memory stays O(k): one refit
at a time, and each row keeps no arrays of its own (``leave_one_out_model``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from reportgen.config.schema import Outcome
from reportgen.errors import AnalysisError
from reportgen.stats.data import OutcomeTable
from reportgen.stats.effects import EffectSizes, to_natural
from reportgen.stats.fitting import FITTERS, Fit, FitOptions, NaturalScale, size_column
from reportgen.stats.frozen import FloatArray, readonly_array
from reportgen.stats.measures import METHODS
from reportgen.stats.pooling import PoolResult, ProfileData
from reportgen.stats.subanalyses import (
    LEAVE_ONE_OUT_MIN_K,
    SubResult,
    fit_options,
    not_estimable_model,
    sub_result,
)

_NAN = float("nan")
NO_WEIGHTS = readonly_array(np.empty(0))


@dataclass(frozen=True)
class LeftOut:
    """The Q-profile data of a model fitted without study ``index``, read from the whole
    outcome's ``y`` and ``v`` (read-only arrays shared by every row of the outcome): each row
    holds O(1) of its own instead of copies of k - 1 values."""

    y: FloatArray
    v: FloatArray
    index: int
    tau2: float
    typical_variance: float

    def __call__(self) -> ProfileData:
        y, v = np.delete(self.y, self.index), np.delete(self.v, self.index)
        return y, v, self.tau2, self.typical_variance


def leave_one_out_model(
    model: PoolResult, left_out: int, y: FloatArray, v: FloatArray
) -> PoolResult:
    """``model``, fitted to ``y`` and ``v`` without study ``left_out``, keeping no per-study
    arrays: no weights (metafor's ``leave1out`` reports none), its Q-profile data from ``y``
    and ``v`` on first use. k rows then take O(k) memory, not O(k^2) (600 MB at k = 5,000).
    Edge case: a model without Q-profile data keeps none."""
    source = None
    if model._profile_data is not None:
        _y, _v, tau2, typical_variance = model._profile_data
        source = LeftOut(y, v, left_out, tau2, typical_variance)
    return dataclasses.replace(
        model, weights=NO_WEIGHTS, _profile_data=None, _profile_source=source
    )


def leave_one_out(outcome: Outcome, table: OutcomeTable, fit: Fit) -> tuple[SubResult, ...]:
    """One row per study of ``table``: the model of the other k - 1 studies, labelled with the
    left-out study's id (``fit`` is the model of the whole ``table``).

    Edge cases: nothing for k < ``LEAVE_ONE_OUT_MIN_K``; a refit that cannot be fitted is a
    not-estimable row with the reason (metafor's NA row). With PFT the back-transformation uses
    the harmonic mean of the remaining studies' totals."""
    if table.k < LEAVE_ONE_OUT_MIN_K:
        return ()
    options = fit_options(outcome)
    if METHODS[outcome.method].fitter != "uni":
        return tuple(
            _without_weights(
                sub_result(
                    table.study_ids[i],
                    without(table, i),
                    outcome.measure,
                    outcome.method,
                    outcome.test,
                    options,
                )
            )
            for i in range(table.k)
        )
    return _inverse_variance(outcome, table, fit, options)


def _inverse_variance(
    outcome: Outcome, table: OutcomeTable, fit: Fit, options: FitOptions
) -> tuple[SubResult, ...]:
    """Leave-one-out of an ``rma.uni`` model from the full fit's ``yi`` and ``vi``, each refit
    by the same fitter (and so with the same options) as the main model; that fitter reads only
    the effect sizes, so it gets the whole table."""
    effects, k = fit.effects, table.k
    refit = FITTERS["uni"]
    n_left: np.ndarray | None = None
    column = size_column(effects.measure)
    if fit.back_transform_n is not None and column is not None:
        # PFT (IRFT): the harmonic mean of the other studies' totals (person-time)
        reciprocal = 1.0 / np.asarray(table[column], dtype=float)
        n_left = (k - 1) / (reciprocal.sum() - reciprocal)
    rows = []
    y, v = readonly_array(effects.yi), readonly_array(effects.vi)  # shared by every row
    for i in range(k):
        label = table.study_ids[i]
        rest = EffectSizes(
            effects.measure,
            np.delete(effects.yi, i),
            np.delete(effects.vi, i),
            np.delete(effects.corrected, i),
        )
        try:
            model = refit(table, rest, outcome.method, outcome.test, options)
        except AnalysisError as error:
            rows.append(_not_estimable(label, k - 1, outcome, str(error)))
            continue
        n = None if n_left is None else float(n_left[i])
        natural = _natural(model, effects.measure, n)
        rows.append(SubResult(label, k - 1, leave_one_out_model(model, i, y, v), natural))
    return tuple(rows)


def _without_weights(row: SubResult) -> SubResult:
    """A Mantel-Haenszel, Peto or GLMM row without its per-study weights, like the
    inverse-variance rows (``leave_one_out_model``): k rows stay O(k) in memory."""
    return dataclasses.replace(row, model=dataclasses.replace(row.model, weights=NO_WEIGHTS))


def _natural(model: PoolResult, measure: str, n: float | None) -> NaturalScale:
    values = to_natural(
        [model.estimate, model.ci_lower, model.ci_upper, model.pi_lower, model.pi_upper],
        measure,
        n,
    )
    return NaturalScale(*(float(x) for x in values))


def _not_estimable(label: str, k: int, outcome: Outcome, reason: str) -> SubResult:
    model = not_estimable_model(k, outcome.method, outcome.test)
    return SubResult(label, k, model, NaturalScale(_NAN, _NAN, _NAN, _NAN, _NAN), reason)


def without(table: OutcomeTable, i: int) -> OutcomeTable:
    """``table`` without study ``i``, by slicing (the order of the others kept)."""
    return OutcomeTable(
        table.type,
        table.study_ids[:i] + table.study_ids[i + 1 :],
        table.labels[:i] + table.labels[i + 1 :],
        {name: np.delete(values, i) for name, values in table.columns.items()},
        table.rows[:i] + table.rows[i + 1 :],
    )
