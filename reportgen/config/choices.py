"""The config fields' value types built from the measure registry: Literals of its codes.

Pydantic reads them at run time (the allowed values in validation errors and the JSON schema);
mypy cannot read a Literal built from a variable, so for it they are plain strings. Split from
``schema`` so that each module stays small.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from reportgen.stats.measures import METHODS, OUTCOME_TYPES, TESTS

# The allowed values come from the measure registry (``stats.measures``); the combinations of
# measure, method and test that the registry refuses are checked in ``config.load.cross_check``.
PROPORTION = OUTCOME_TYPES["proportion"]
BINARY = OUTCOME_TYPES["binary"]
CONTINUOUS = OUTCOME_TYPES["continuous"]
GENERIC = OUTCOME_TYPES["generic"]
RATE = OUTCOME_TYPES["rate"]
RATE_COMPARISON = OUTCOME_TYPES["rate_comparison"]
ALL_METHODS = tuple(METHODS)
# Outcome types whose data count events, so ``good`` and ``event`` have defaults from the role.
COUNTED_TYPES = ("binary", "proportion", "rate", "rate_comparison")

if TYPE_CHECKING:
    AnyMethod: TypeAlias = str
    AnyTest: TypeAlias = str
    ProportionMeasure: TypeAlias = str
    ProportionMethod: TypeAlias = str
    BinaryMeasure: TypeAlias = str
    BinaryMethod: TypeAlias = str
    ContinuousMeasure: TypeAlias = str
    ContinuousMethod: TypeAlias = str
    GenericMeasure: TypeAlias = str
    GenericMethod: TypeAlias = str
    RateMeasure: TypeAlias = str
    RateMethod: TypeAlias = str
    RateComparisonMeasure: TypeAlias = str
    RateComparisonMethod: TypeAlias = str
else:
    AnyMethod = Literal[ALL_METHODS]
    AnyTest = Literal[TESTS]
    ProportionMeasure = Literal[PROPORTION.measures]
    ProportionMethod = Literal[PROPORTION.methods]
    BinaryMeasure = Literal[BINARY.measures]
    BinaryMethod = Literal[BINARY.methods]
    ContinuousMeasure = Literal[CONTINUOUS.measures]
    ContinuousMethod = Literal[CONTINUOUS.methods]
    GenericMeasure = Literal[GENERIC.measures]
    GenericMethod = Literal[GENERIC.methods]
    RateMeasure = Literal[RATE.measures]
    RateMethod = Literal[RATE.methods]
    RateComparisonMeasure = Literal[RATE_COMPARISON.measures]
    RateComparisonMethod = Literal[RATE_COMPARISON.methods]
