"""An outcome's meta-regressions (``outcomes[].regression``): the study attributes as a design
matrix, the fit on the outcome's effect sizes, and predictions on both scales.

The effect sizes are those of the main analysis (after ``drop00``). rma.uni has no
Mantel-Haenszel, Peto or GLMM regression: those outcomes are regressed by the inverse-variance
method their small-study tests use (``Method.small_study_method``: FE for MH and PETO, REML
for the GLMM) unless the regression names its own ``method``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.config.regression import level_name
from reportgen.config.schema import Outcome, ReportConfig
from reportgen.errors import AnalysisError
from reportgen.stats.data import OutcomeTable
from reportgen.stats.fitting import Fit
from reportgen.stats.frozen import FrozenResult, freeze
from reportgen.stats.measures import METHODS
from reportgen.stats.moderators import Design, Value, design_matrix
from reportgen.stats.regression import Prediction, RegressionModel, meta_regression
from reportgen.stats.subanalyses import attribute_values


@dataclass(frozen=True)
class NaturalPrediction(FrozenResult):
    """A prediction back-transformed to the scale readers see (a ratio for ratio measures)."""

    at: dict[str, Value]
    estimate: float
    ci_lower: float
    ci_upper: float
    pi_lower: float
    pi_upper: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", freeze(dict(self.at)))


@dataclass(frozen=True, eq=False)
class MetaRegression(FrozenResult):
    """One named meta-regression of an outcome: the model, each study's moderator values (in
    the order of the outcome's studies) and the predictions on both scales."""

    name: str
    moderators: tuple[str, ...]
    model: RegressionModel
    study_values: dict[str, tuple[Any, ...]]
    predictions: tuple[Prediction, ...]
    natural: tuple[NaturalPrediction, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "moderators", tuple(self.moderators))
        object.__setattr__(self, "study_values", freeze(dict(self.study_values)))
        object.__setattr__(self, "predictions", tuple(self.predictions))
        object.__setattr__(self, "natural", tuple(self.natural))

    @property
    def design(self) -> Design:
        return self.model.design

    def single_continuous(self) -> bool:
        """Whether the regression is on one continuous moderator (what a bubble plot shows)."""
        moderators = self.design.moderators
        return len(moderators) == 1 and moderators[0].kind == "continuous"


def regression_method(outcome: Outcome, method: str | None) -> str:
    """The estimator of a regression: its own, else the outcome's, with MH, PETO and GLMM
    replaced by their inverse-variance substitute."""
    if method is not None:
        return method
    return METHODS[outcome.method].small_study_method or outcome.method


def default_points(values: Mapping[str, Sequence[Any]]) -> list[dict[str, Value]]:
    """Where to predict when the config does not say: for one moderator, its lowest and
    highest value (continuous) or each level; for several, nowhere."""
    if len(values) != 1:
        return []
    name, column = next(iter(values.items()))
    design = design_matrix({name: column})
    moderator = design.moderators[0]
    if moderator.kind == "continuous":
        return [{name: min(column)}, {name: max(column)}]
    return [{name: level} for level in moderator.levels]


def regressions(
    config: ReportConfig, outcome: Outcome, table: OutcomeTable, fit: Fit
) -> tuple[MetaRegression, ...]:
    """Fit every regression of ``outcome`` on the main analysis's effect sizes."""
    fitted = []
    for spec in outcome.regression:
        values = {name: attribute_values(config, table, name) for name in spec.moderators}
        try:
            design = design_matrix(values)
            model = meta_regression(
                fit.effects.yi,
                fit.effects.vi,
                design,
                regression_method(outcome, spec.method),
                spec.test or outcome.test,
                level=float(outcome.level) / 100,  # the config's level is a percentage
            )
            points = [dict(p) for p in spec.predict_at] or default_points(values)
            predictions = tuple(model.predict(point) for point in points)
        except AnalysisError as error:
            raise AnalysisError(f"meta-regression '{spec.name}': {error.message}") from error
        natural = tuple(
            NaturalPrediction(
                {k: v if not isinstance(v, bool) else level_name(v) for k, v in p.at.items()},
                *(
                    float(x)
                    for x in fit.natural(
                        [p.estimate, p.ci_lower, p.ci_upper, p.pi_lower, p.pi_upper]
                    )
                ),
            )
            for p in predictions
        )
        fitted.append(
            MetaRegression(
                spec.name,
                tuple(spec.moderators),
                model,
                {name: tuple(column) for name, column in values.items()},
                predictions,
                natural,
            )
        )
    return tuple(fitted)
