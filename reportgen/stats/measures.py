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

from dataclasses import dataclass
from typing import Literal

from reportgen.stats.measure_list import MEASURE_LIST, RATIO_THRESHOLDS
from reportgen.stats.registry_types import (
    ESTIMATORS,
    TESTS,
    AbsoluteEffect,
    Fitter,
    Measure,
    Method,
    OutcomeType,
    Scale,
    Transform,
)

__all__ = [
    "ESTIMATORS",
    "MEASURES",
    "METHODS",
    "OUTCOME_TYPES",
    "RATIO_THRESHOLDS",
    "TESTS",
    "AbsoluteEffect",
    "Fitter",
    "Measure",
    "Method",
    "OutcomeType",
    "Scale",
    "Transform",
    "allowed_methods",
    "combination_problems",
    "displayed_measure",
    "measure_info",
    "method_info",
    "outcome_type_info",
]


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
        outcome_types=("binary", "rate_comparison"),
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


MEASURES: dict[str, Measure] = {m.code: m for m in MEASURE_LIST}


# -- outcome types ------------------------------------------------------------------------------


def allowed_methods(type_code: str, measure_code: str) -> tuple[str, ...]:
    """The methods that can pool ``measure_code`` data of ``type_code``, in registry order: those
    valid for the measure whose fitter has the data it needs."""
    return tuple(
        code for code in MEASURES[measure_code].methods if type_code in METHODS[code].outcome_types
    )


def _outcome_type(code: str, default_measure: str | None) -> OutcomeType:
    measures = tuple(m.code for m in MEASURE_LIST if code in m.outcome_types)
    allowed = {method for m in measures for method in allowed_methods(code, m)}
    return OutcomeType(code, measures, default_measure, tuple(c for c in METHODS if c in allowed))


OUTCOME_TYPES: dict[str, OutcomeType] = {
    t.code: t
    for t in (
        _outcome_type("proportion", "PLO"),
        _outcome_type("binary", "RR"),
        _outcome_type("continuous", "MD"),
        _outcome_type("generic", None),
        _outcome_type("rate", "IRLN"),
        _outcome_type("rate_comparison", "IRR"),
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
