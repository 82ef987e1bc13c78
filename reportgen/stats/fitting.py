"""Fit one outcome table: effect sizes, the pooled model and its natural-scale summary.

The unit that the main analysis, subgroups, leave-one-out and sensitivity analyses all reuse.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from reportgen.errors import AnalysisError
from reportgen.stats.data import OutcomeTable
from reportgen.stats.effects import (
    DEFAULT_ZERO_CELLS,
    EffectSizes,
    ZeroCells,
    binary_effects,
    continuous_effects,
    generic_effects,
    harmonic_mean,
    peto_effects,
    proportion_effects,
    rate_comparison_effects,
    rate_effects,
    to_natural,
)
from reportgen.stats.effects.binary import double_zero
from reportgen.stats.fitstats import fixed_effect_statistics
from reportgen.stats.glmm import fit_glmm
from reportgen.stats.levels import DEFAULT_LEVEL, critical_value
from reportgen.stats.mantel_haenszel import mantel_haenszel, peto
from reportgen.stats.measures import METHODS, combination_problems, displayed_measure
from reportgen.stats.mh_rates import mantel_haenszel_rates
from reportgen.stats.multilevel import fit_three_level
from reportgen.stats.pooling import PoolResult, pool


@dataclass(frozen=True)
class NaturalScale:
    """A pooled result on the scale readers see: a proportion (0 to 1), a ratio, or a
    difference."""

    estimate: float
    ci_lower: float
    ci_upper: float
    pi_lower: float
    pi_upper: float


@dataclass(frozen=True)
class FitOptions:
    """Per-outcome options of the effect sizes and the fit: escalc's zero-cell options, rma.mh's
    ``correct`` (continuity correction of the CMH test) and the confidence ``level`` in percent
    of every interval (metafor's ``level``)."""

    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS
    correct: bool = True
    level: float = DEFAULT_LEVEL
    entered_level: float = DEFAULT_LEVEL  # of the CIs entered for generic outcomes


DEFAULT_OPTIONS = FitOptions()


@dataclass(frozen=True, eq=False)
class Fit:
    effects: EffectSizes
    model: PoolResult
    pooled: NaturalScale
    back_transform_n: float | None  # harmonic mean sample size used for PFT, else None

    def natural(self, values: ArrayLike, n: float | np.ndarray | None = None) -> np.ndarray:
        return to_natural(values, self.effects.measure, self.back_transform_n if n is None else n)


def _proportion_effects(table: OutcomeTable, measure: str, zero_cells: ZeroCells) -> EffectSizes:
    return proportion_effects(table["events"], table["total"], measure, zero_cells)


def _binary_effects(table: OutcomeTable, measure: str, zero_cells: ZeroCells) -> EffectSizes:
    arms = (table["events_1"], table["total_1"], table["events_2"], table["total_2"])
    if measure == "PETO":
        return peto_effects(*arms, zero_cells)
    return binary_effects(*arms, measure, zero_cells)


def _continuous_effects(table: OutcomeTable, measure: str, zero_cells: ZeroCells) -> EffectSizes:
    return continuous_effects(
        table["mean_1"],
        table["sd_1"],
        table["n_1"],
        table["mean_2"],
        table["sd_2"],
        table["n_2"],
        measure,
    )


def _generic_effects(table: OutcomeTable, measure: str, zero_cells: ZeroCells) -> EffectSizes:
    return generic_effects(
        table["estimate"], table["se"], table["ci_lower"], table["ci_upper"], measure
    )


def _rate_effects(table: OutcomeTable, measure: str, zero_cells: ZeroCells) -> EffectSizes:
    return rate_effects(table["events"], table["time"], measure, zero_cells)


def _rate_comparison_effects(
    table: OutcomeTable, measure: str, zero_cells: ZeroCells
) -> EffectSizes:
    arms = (table["events_1"], table["time_1"], table["events_2"], table["time_2"])
    return rate_comparison_effects(*arms, measure, zero_cells)


# The effect-size function of each outcome type (``stats.measures.OUTCOME_TYPES``).
EFFECT_SIZES: dict[str, Callable[[OutcomeTable, str, ZeroCells], EffectSizes]] = {
    "proportion": _proportion_effects,
    "binary": _binary_effects,
    "continuous": _continuous_effects,
    "generic": _generic_effects,
    "rate": _rate_effects,
    "rate_comparison": _rate_comparison_effects,
}


def effect_sizes(
    table: OutcomeTable,
    measure: str,
    method: str,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
    entered_level: float = DEFAULT_LEVEL,
) -> EffectSizes:
    """Per-study (yi, vi) for any outcome type, on the measure the method fits
    (``displayed_measure``: Peto log odds ratios for PETO); generic CIs read at
    ``entered_level`` percent."""
    if table.type == "generic" and entered_level != DEFAULT_LEVEL:
        return generic_effects(
            table["estimate"],
            table["se"],
            table["ci_lower"],
            table["ci_upper"],
            measure,
            entered_level,
        )
    return EFFECT_SIZES[table.type](table, displayed_measure(measure, method), zero_cells)


def _arms(table: OutcomeTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return table["events_1"], table["total_1"], table["events_2"], table["total_2"]


def _fit_uni(
    table: OutcomeTable, effects: EffectSizes, method: str, test: str, options: FitOptions
) -> PoolResult:
    return pool(effects.yi, effects.vi, method=method, test=test, level=options.level)


def _fit_mh(
    table: OutcomeTable, effects: EffectSizes, method: str, test: str, options: FitOptions
) -> PoolResult:
    if table.type == "rate_comparison":
        arms = (table["events_1"], table["time_1"], table["events_2"], table["time_2"])
        model = mantel_haenszel_rates(
            *arms, effects.measure, correct=options.correct, zero_cells=options.zero_cells
        )
    else:
        model = mantel_haenszel(
            *_arms(table), effects.measure, correct=options.correct, zero_cells=options.zero_cells
        )
    return at_level(_with_fit_statistics(model, table, effects.measure, options), options.level)


def _fit_peto(
    table: OutcomeTable, effects: EffectSizes, method: str, test: str, options: FitOptions
) -> PoolResult:
    model = peto(*_arms(table), zero_cells=options.zero_cells)
    return at_level(_with_fit_statistics(model, table, "PETO", options), options.level)


def _with_fit_statistics(
    model: PoolResult, table: OutcomeTable, measure: str, options: FitOptions
) -> PoolResult:
    """A Mantel-Haenszel or Peto fit with the log-likelihood, AIC and BIC metafor reports
    (``fitstats.fixed_effect_statistics``), from the effect sizes of its Cochran's Q: double
    zeros left out unless ``drop00`` is false (rma.mh's and rma.peto's default is true). Tables
    of other types (person-time) are returned unchanged."""
    if table.type != "binary":
        return model
    arms = _arms(table)
    drop00 = True if options.zero_cells.drop00 is None else options.zero_cells.drop00
    keep = ~double_zero(*arms) if drop00 else np.ones(table.k, dtype=bool)
    a, n1, c, n2 = (arm[keep] for arm in arms)
    if measure == "PETO":
        effects = peto_effects(a, n1, c, n2, options.zero_cells)
    else:
        effects = binary_effects(a, n1, c, n2, measure, options.zero_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = fixed_effect_statistics(effects.yi, effects.vi, model.estimate)
    return dataclasses.replace(model, loglik=fit.loglik, aic=fit.aic, bic=fit.bic)


def _fit_glmm(
    table: OutcomeTable, effects: EffectSizes, method: str, test: str, options: FitOptions
) -> PoolResult:
    return fit_glmm(table["events"], table["total"], level=options.level)


# The fitter of each ``Method.fitter`` key: rma.uni, rma.mh, rma.peto, rma.glmm.
FITTERS: dict[str, Callable[[OutcomeTable, EffectSizes, str, str, FitOptions], PoolResult]] = {
    "uni": _fit_uni,
    "mh": _fit_mh,
    "peto": _fit_peto,
    "glmm": _fit_glmm,
}


def at_level(model: PoolResult, level: float) -> PoolResult:
    """A fixed-effect fit (Mantel-Haenszel, Peto: z-based, prediction interval equal to the CI,
    as ``rma.mh`` and ``rma.peto``) with its intervals at ``level`` percent: estimate +/- z SE.
    The fit itself is returned at the default level, so 95% stays bit-identical."""
    if level == model.level:
        return model
    half = critical_value(level) * model.se
    lower, upper = model.estimate - half, model.estimate + half
    return dataclasses.replace(
        model, ci_lower=lower, ci_upper=upper, pi_lower=lower, pi_upper=upper, level=level
    )


def check_combination(type_code: str, measure: str, method: str, test: str) -> None:
    """Options checked on entry: AnalysisError if the registry does not allow fitting
    ``measure`` data of ``type_code`` by ``method`` with ``test`` (config validation refuses
    these first; this guards direct callers, e.g. a GLMM fit would otherwise be back-transformed
    with another measure's inverse)."""
    for mismatch in combination_problems(type_code, measure, method, test):
        allowed = ", ".join(mismatch.allowed)
        value = {"measure": measure, "method": method, "test": test}[mismatch.key]
        raise AnalysisError(
            f"{type_code} outcome with measure {measure}, method {method}, test {test}: "
            f"{mismatch.key} {value} is not possible; allowed: {allowed or 'none'}"
        )


def fit_table(
    table: OutcomeTable,
    measure: str,
    method: str,
    test: str,
    options: FitOptions = DEFAULT_OPTIONS,
) -> Fit:
    """Effect sizes and pooled model of a table, with the pooled values back-transformed."""
    check_combination(table.type, measure, method, test)
    effects = effect_sizes(table, measure, method, options.zero_cells, options.entered_level)
    model = FITTERS[METHODS[method].fitter](table, effects, method, test, options)
    n = back_transform_size(table, measure)
    values = to_natural(
        [model.estimate, model.ci_lower, model.ci_upper, model.pi_lower, model.pi_upper],
        effects.measure,
        n,
    )
    return Fit(effects, model, NaturalScale(*(float(x) for x in values)), n)


def fit_three_level_table(
    table: OutcomeTable, measure: str, method: str, options: FitOptions = DEFAULT_OPTIONS
) -> Fit:
    """Effect sizes of a table with several effects per study (``table.study_ids`` repeat) and
    the three-level model of ``stats.multilevel`` (REML or ML, z test), back-transformed as
    ``fit_table`` does."""
    check_combination(table.type, measure, method, "z")
    effects = effect_sizes(table, measure, method, options.zero_cells)
    model = fit_three_level(effects.yi, effects.vi, table.study_ids, method, "z", options.level)
    n = back_transform_size(table, measure)
    values = to_natural(
        [model.estimate, model.ci_lower, model.ci_upper, model.pi_lower, model.pi_upper],
        effects.measure,
        n,
    )
    return Fit(effects, model, NaturalScale(*(float(x) for x in values)), n)


def back_transform_size(table: OutcomeTable, measure: str) -> float | None:
    """The size the pooled values' back-transformation needs: the harmonic mean of the sample
    sizes for PFT (``transf.ipft.hm``) and, by the same choice, of the person-time for IRFT
    (``transf.iirft`` with that time); None for every other measure."""
    column = size_column(measure)
    return harmonic_mean(table[column]) if column else None


def size_column(measure: str) -> str | None:
    """The table column a measure's back-transformation needs (PFT: total, IRFT: time)."""
    if measure == "PFT":
        return "total"
    if measure == "IRFT":
        return "time"
    return None


def study_intervals(fit: Fit, table: OutcomeTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each study's estimate and Wald CI on the natural scale (PFT with its own n, IRFT with
    its own person-time), at the model's level: yi +/- z sqrt(vi), as metafor's ``escalc``
    summary and forest plot."""
    crit = critical_value(fit.model.level)
    yi, vi = fit.effects.yi, fit.effects.vi
    half = crit * np.sqrt(vi)
    column = size_column(fit.effects.measure)
    sizes = table[column] if column else None
    return fit.natural(yi, sizes), fit.natural(yi - half, sizes), fit.natural(yi + half, sizes)
