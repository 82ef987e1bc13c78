"""The measure registry: what each effect measure is, and which outcome types and methods use it.

The one place that knows measure facts. Config validation (the schema's allowed values and the
cross-checks of measure, method and test), the effect-size back-transformations, the fitters'
dispatch, the summary statement's thresholds and the absolute effects all read it. Codes are
metafor's (``escalc``'s ``measure``, ``rma``'s ``method``). No English here: names and sentences
for readers live in ``reportgen.present`` keyed by these codes.

Sources: metafor's documentation of ``escalc``, ``rma.uni``, ``rma.mh``, ``rma.peto`` and
``rma.glmm`` (Viechtbauer 2010, J Stat Softw 36(3)); absolute effects as in the Cochrane Handbook
section 14.1.5 and GRADE summary-of-findings tables (Guyatt et al. 2013, J Clin Epidemiol
66:158-172); default thresholds: relative change for ratios, risk difference, and Cohen's
(1988) 0.2/0.5/0.8 for standardised mean differences.

Edge cases: ``PETO`` is a *method* whose effect sizes are Peto log odds ratios; it has a measure
entry of its own (so that its effects can be back-transformed and named) that no outcome type
lists, and ``displayed_measure(measure, method)`` says which measure a fit is shown as. GLMM is
fitted on the logit scale and is therefore only allowed with ``PLO``; the Knapp-Hartung test
exists only for inverse-variance (``rma.uni``) fits.
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

Scale = Literal["proportion", "ratio", "difference"]
Fitter = Literal["uni", "mh", "peto", "glmm"]
Transform = transforms.Transform
AbsoluteEffect = Callable[[float, float], float]  # (control risk, natural-scale effect) -> risk

__all__ = [
    "ESTIMATORS",
    "MEASURES",
    "METHODS",
    "OUTCOME_TYPES",
    "TESTS",
    "Measure",
    "Method",
    "OutcomeType",
    "allowed_methods",
    "combination_problems",
    "displayed_measure",
    "measure_info",
    "method_info",
    "outcome_type_info",
]


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
    outcome_types: tuple[str, ...] = ("proportion", "binary", "continuous", "generic")
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


# -- methods ------------------------------------------------------------------------------------

_METHOD_LIST = (
    *(
        Method(code, "uni", random_effects=code != "FE", small_study_method=None)
        for code in ESTIMATORS
    ),
    Method(
        "MH",
        "mh",
        random_effects=False,
        tests=("z",),
        outcome_types=("binary",),
        small_study_method="FE",
    ),
    Method(
        "PETO",
        "peto",
        random_effects=False,
        tests=("z",),
        outcome_types=("binary",),
        effect_measure="PETO",
        small_study_method="FE",
    ),
    Method(
        "GLMM",
        "glmm",
        random_effects=True,
        tests=("z",),
        outcome_types=("proportion",),
        small_study_method="REML",
    ),
)
METHODS: dict[str, Method] = {m.code: m for m in _METHOD_LIST}


# -- measures -----------------------------------------------------------------------------------

RATIO_THRESHOLDS = (0.10, 0.25, 0.50)  # relative change: 0.10 = a 10% change either way


_IV = ESTIMATORS  # every measure can be pooled by inverse variance
_PROPORTION = ("proportion",)

_MEASURE_LIST = (
    # single-arm proportions (escalc PR, PLO, PLN, PFT, PAS)
    Measure(
        "PR",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.identity,
        transforms.clipped_proportion(transforms.identity),
        zero_cell_correction=True,
    ),
    Measure(
        "PLO",
        "proportion",
        None,
        _PROPORTION,
        (*_IV, "GLMM"),
        transforms.logit,
        transforms.clipped_proportion(transforms.inverse_logit),
        zero_cell_correction=True,
    ),
    Measure(
        "PLN",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.log,
        transforms.clipped_proportion(transforms.exp),
        zero_cell_correction=True,
    ),
    Measure(
        "PFT",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.to_freeman_tukey,
        transforms.clipped_proportion(transforms.from_freeman_tukey),
    ),
    Measure(
        "PAS",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.arcsine,
        transforms.clipped_proportion(transforms.inverse_arcsine),
    ),
    # ratios, pooled on the log scale
    Measure(
        "HR", "ratio", 1.0, ("generic",), _IV, transforms.log, transforms.exp, RATIO_THRESHOLDS
    ),
    Measure(
        "OR",
        "ratio",
        1.0,
        ("binary", "generic"),
        (*_IV, "MH", "PETO"),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        transforms.risk_with_odds_ratio,
        zero_cell_correction=True,
    ),
    Measure(
        "RR",
        "ratio",
        1.0,
        ("binary", "generic"),
        (*_IV, "MH"),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        transforms.risk_with_risk_ratio,
        zero_cell_correction=True,
    ),
    Measure(
        "IRR", "ratio", 1.0, ("generic",), _IV, transforms.log, transforms.exp, RATIO_THRESHOLDS
    ),
    # differences, pooled as they are
    Measure(
        "MD",
        "difference",
        0.0,
        ("continuous", "generic"),
        _IV,
        transforms.identity,
        transforms.identity,
    ),
    Measure(
        "RD",
        "difference",
        0.0,
        ("binary", "generic"),
        (*_IV, "MH"),
        transforms.identity,
        transforms.identity,
        (0.01, 0.05, 0.10),
        transforms.risk_with_risk_difference,
        zero_cell_correction=True,
    ),
    Measure(
        "SMD",
        "difference",
        0.0,
        ("continuous", "generic"),
        _IV,
        transforms.identity,
        transforms.identity,
        (0.2, 0.5, 0.8),
    ),
    # the effect sizes of method PETO (binary outcomes with measure OR); chosen by the method
    Measure(
        "PETO",
        "ratio",
        1.0,
        (),
        ("PETO",),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        transforms.risk_with_odds_ratio,
        zero_cell_correction=True,
    ),
)
MEASURES: dict[str, Measure] = {m.code: m for m in _MEASURE_LIST}


# -- outcome types ------------------------------------------------------------------------------


def allowed_methods(type_code: str, measure_code: str) -> tuple[str, ...]:
    """The methods that can pool ``measure_code`` data of ``type_code``, in registry order: those
    valid for the measure whose fitter has the data it needs."""
    return tuple(
        code for code in MEASURES[measure_code].methods if type_code in METHODS[code].outcome_types
    )


def _outcome_type(code: str, default_measure: str | None) -> OutcomeType:
    measures = tuple(m.code for m in _MEASURE_LIST if code in m.outcome_types)
    allowed = {method for m in measures for method in allowed_methods(code, m)}
    return OutcomeType(code, measures, default_measure, tuple(c for c in METHODS if c in allowed))


OUTCOME_TYPES: dict[str, OutcomeType] = {
    t.code: t
    for t in (
        _outcome_type("proportion", "PLO"),
        _outcome_type("binary", "RR"),
        _outcome_type("continuous", "MD"),
        _outcome_type("generic", None),
    )
}


# -- look-ups -----------------------------------------------------------------------------------


def measure_info(code: str) -> Measure:
    """The registry entry of a measure code (KeyError names the valid codes)."""
    try:
        return MEASURES[code]
    except KeyError:
        raise KeyError(f"unknown measure {code!r}; known: {', '.join(MEASURES)}") from None


def method_info(code: str) -> Method:
    """The registry entry of a method code (KeyError names the valid codes)."""
    try:
        return METHODS[code]
    except KeyError:
        raise KeyError(f"unknown method {code!r}; known: {', '.join(METHODS)}") from None


def outcome_type_info(code: str) -> OutcomeType:
    """The registry entry of an outcome type (KeyError names the valid types)."""
    try:
        return OUTCOME_TYPES[code]
    except KeyError:
        known = ", ".join(OUTCOME_TYPES)
        raise KeyError(f"unknown outcome type {code!r}; known: {known}") from None


def displayed_measure(measure_code: str, method_code: str) -> str:
    """The measure a fit's effects are on and are shown as: the method's own measure where it
    has one (PETO -> Peto odds ratio), else the outcome's measure."""
    return METHODS[method_code].effect_measure or measure_code


@dataclass(frozen=True)
class Mismatch:
    """Why a (type, measure, method, test) combination cannot be fitted, as data: ``key`` is the
    option at fault ("measure", "method" or "test"), ``needs`` what would make it valid (the
    measures the method needs, or the tests the method offers) and ``allowed`` the values of
    that option that are valid here."""

    key: Literal["measure", "method", "test"]
    needs: tuple[str, ...]
    allowed: tuple[str, ...]


def combination_problems(
    type_code: str, measure_code: str, method_code: str, test: str
) -> list[Mismatch]:
    """Everything wrong with fitting ``measure_code`` data of ``type_code`` by ``method_code``
    with ``test``; empty if the registry allows it. Codes unknown to the registry are reported
    as a mismatch of their key with the valid values (the schema reports them first in configs).
    """
    kind = OUTCOME_TYPES.get(type_code)
    if kind is None:
        return [Mismatch("measure", (), ())]
    if measure_code not in kind.measures:
        return [Mismatch("measure", (), kind.measures)]
    allowed = allowed_methods(type_code, measure_code)
    problems = []
    if method_code not in allowed:
        needs = tuple(m for m in kind.measures if method_code in allowed_methods(type_code, m))
        problems.append(Mismatch("method", needs, allowed))
    if method_code in METHODS and test not in METHODS[method_code].tests:
        offered = METHODS[method_code].tests
        problems.append(Mismatch("test", offered, offered))
    return problems
