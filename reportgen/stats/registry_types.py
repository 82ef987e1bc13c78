"""The registry's record types: what a pooling method, an effect measure and an outcome type are.

Split from ``stats.measures`` (which holds the tables and look-ups) so that the measure table
(``stats.measure_list``) can build its rows without importing the registry itself. No English
here; sources as in ``stats.measures``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from reportgen.stats import transforms

# The inverse-variance methods: the fixed-effect model and the tau2 estimators of ``stats.tau2``.
ESTIMATORS = ("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")
# Tests and confidence intervals of inverse-variance models: normal (z) or Knapp-Hartung.
TESTS = ("z", "knha")

Scale = Literal["proportion", "rate", "ratio", "difference"]
Fitter = Literal["uni", "mh", "peto", "glmm"]
Transform = transforms.Transform
AbsoluteEffect = Callable[[float, float], float]  # (control risk, natural-scale effect) -> risk


@dataclass(frozen=True)
class Method:
    """A way of pooling.

    ``fitter`` picks the function in ``stats.fitting`` (``rma.uni``, ``rma.mh``, ``rma.peto`` or
    ``rma.glmm``); ``random_effects`` is True when tau2 is estimated (so a prediction interval
    differs from the CI); ``tests`` are the tests the fitter offers; ``outcome_types`` the data
    the fitter needs (MH and PETO need 2x2 counts, GLMM single-arm counts: a generic OR cannot
    use them); ``effect_measure`` replaces the outcome's measure for the fit's effect sizes
    (PETO); ``small_study_method`` is the inverse-variance method that trim and fill uses in its
    place (None: the method itself).
    """

    code: str
    fitter: Fitter
    random_effects: bool
    tests: tuple[str, ...] = TESTS
    outcome_types: tuple[str, ...] = (
        "proportion",
        "binary",
        "continuous",
        "generic",
        "rate",
        "rate_comparison",
    )
    effect_measure: str | None = None
    small_study_method: str | None = None


@dataclass(frozen=True)
class Measure:
    """An effect measure.

    ``scale``: what readers see (a proportion in [0, 1], a ratio, or a difference). ``null``: the
    value of no effect (None for single-arm proportions, which have none). ``to_analysis`` and
    ``to_natural`` map between that scale and the pooling scale; both take ``(values, n=None)``
    where ``n`` is the sample size PFT needs. ``methods``: the pooling methods valid with it
    (where the outcome type has the data they need: see ``allowed_methods``).
    ``thresholds``: default (small, moderate, large) distances from no effect, or None.
    ``absolute``: for two-arm binary outcomes, the risk with treatment from the control risk and
    the natural-scale effect (clipped to [0, 1]), else None. ``zero_cell_correction``: whether
    ``escalc`` adds 1/2 to the cells of a study with a zero count (count data only).
    ``outcome_types``: the outcome types a config may use it with (empty: not chosen in configs).
    """

    code: str
    scale: Scale
    null: float | None
    outcome_types: tuple[str, ...]
    methods: tuple[str, ...]
    to_analysis: Transform
    to_natural: Transform
    thresholds: tuple[float, float, float] | None = None
    absolute: AbsoluteEffect | None = None
    zero_cell_correction: bool = False

    def distance(self, value: float) -> float:
        """How far a natural-scale effect is from no effect: the relative change for ratios
        (both directions alike on the log scale: 0.8 and 1.25 are both 25%), the absolute
        difference otherwise. ValueError for proportions, which have no null."""
        if self.null is None:
            raise ValueError(f"measure {self.code} has no value of no effect")
        if self.scale == "ratio":
            return math.exp(abs(math.log(value))) - 1
        return abs(value - self.null)


@dataclass(frozen=True)
class OutcomeType:
    """A kind of data in configs: the measures it allows (in registry order), its default
    measure (None: the config must name one) and the methods its measures allow."""

    code: str
    measures: tuple[str, ...]
    default_measure: str | None
    methods: tuple[str, ...]
    default_method: str = "REML"
