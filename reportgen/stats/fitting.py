"""Fit one outcome table: effect sizes, the pooled model and its natural-scale summary.

The unit that the main analysis, subgroups, leave-one-out and sensitivity analyses all reuse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtri

from reportgen.errors import AnalysisError
from reportgen.stats.data import OutcomeTable
from reportgen.stats.effects import (
    EffectSizes,
    binary_effects,
    continuous_effects,
    generic_effects,
    harmonic_mean,
    peto_effects,
    proportion_effects,
    to_natural,
)
from reportgen.stats.glmm import fit_glmm
from reportgen.stats.mantel_haenszel import mantel_haenszel, peto
from reportgen.stats.pooling import CONFIDENCE_LEVEL, PoolResult, pool


@dataclass(frozen=True)
class NaturalScale:
    """A pooled result on the scale readers see: a proportion (0 to 1), a ratio, or a
    difference."""

    estimate: float
    ci_lower: float
    ci_upper: float
    pi_lower: float
    pi_upper: float


@dataclass(frozen=True, eq=False)
class Fit:
    effects: EffectSizes
    model: PoolResult
    pooled: NaturalScale
    back_transform_n: float | None  # harmonic mean sample size used for PFT, else None

    def natural(self, values: ArrayLike, n: float | np.ndarray | None = None) -> np.ndarray:
        return to_natural(values, self.effects.measure, self.back_transform_n if n is None else n)


def effect_sizes(table: OutcomeTable, measure: str, method: str) -> EffectSizes:
    """Per-study (yi, vi) for any outcome type."""
    if table.type == "proportion":
        return proportion_effects(table["events"], table["total"], measure)
    if table.type == "binary":
        arms = (table["events_1"], table["total_1"], table["events_2"], table["total_2"])
        return peto_effects(*arms) if method == "PETO" else binary_effects(*arms, measure)
    if table.type == "continuous":
        return continuous_effects(
            table["mean_1"],
            table["sd_1"],
            table["n_1"],
            table["mean_2"],
            table["sd_2"],
            table["n_2"],
            measure,
        )
    return generic_effects(
        table["estimate"], table["se"], table["ci_lower"], table["ci_upper"], measure
    )


def fit_table(table: OutcomeTable, measure: str, method: str, test: str) -> Fit:
    """Effect sizes and pooled model of a table, with the pooled values back-transformed."""
    effects = effect_sizes(table, measure, method)
    if method == "MH":
        arms = (table["events_1"], table["total_1"], table["events_2"], table["total_2"])
        model = mantel_haenszel(*arms, measure)
    elif method == "PETO":
        model = peto(table["events_1"], table["total_1"], table["events_2"], table["total_2"])
    elif method == "GLMM":
        if table.type != "proportion":
            raise AnalysisError("method GLMM is available for proportion outcomes only")
        model = fit_glmm(table["events"], table["total"])
    else:
        model = pool(effects.yi, effects.vi, method=method, test=test)
    n = harmonic_mean(table["total"]) if measure == "PFT" else None
    values = to_natural(
        [model.estimate, model.ci_lower, model.ci_upper, model.pi_lower, model.pi_upper],
        effects.measure,
        n,
    )
    return Fit(effects, model, NaturalScale(*(float(x) for x in values)), n)


def study_intervals(fit: Fit, table: OutcomeTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each study's estimate and Wald 95% CI on the natural scale (PFT with its own n)."""
    crit = float(ndtri(1 - (1 - CONFIDENCE_LEVEL) / 2))
    yi, vi = fit.effects.yi, fit.effects.vi
    half = crit * np.sqrt(vi)
    n = table["total"] if fit.effects.measure == "PFT" else None
    return fit.natural(yi, n), fit.natural(yi - half, n), fit.natural(yi + half, n)
