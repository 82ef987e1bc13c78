"""Design matrices of meta-regressions: study attributes (moderators) as the columns of X.

A moderator whose values are all numbers (not true/false) is continuous: one column of its
values. Any other moderator (text or true/false) is categorical and dummy-coded as R's
``model.matrix`` codes a factor: its levels in sorted order (``level_sort_key``: R's
``factor()`` order with the ICU collation R uses, letters compared regardless of case and
lower case first on a tie, e.g. a, A, alternate, b, Random), the first level the
reference, one 0/1 column per other level. true/false sort as false, true (R's FALSE, TRUE),
so false is the reference. Column names: ``intrcpt`` (as metafor), the moderator's name for a
continuous moderator and ``name: level`` for a level of a categorical one.

Edge cases are the caller's to refuse (config validation reports them, located): a missing
value, a moderator constant across the studies, and k <= p (no residual degrees of freedom);
``design_matrix`` raises ``AnalysisError`` for them as a guard for direct callers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from reportgen.config.regression import is_continuous, level_name, level_sort_key
from reportgen.errors import AnalysisError
from reportgen.stats.frozen import FloatArray, FrozenResult, readonly_array

INTERCEPT = "intrcpt"
Value = str | int | float | bool


def _level_key(value: object) -> tuple[int, str, str]:
    # false before true (R's FALSE < TRUE); text in R's order.
    if isinstance(value, bool):
        return (0, "1" if value else "0", "")
    return (1, *level_sort_key(str(value)))


@dataclass(frozen=True)
class Term:
    """One column of the design matrix: the intercept, a continuous moderator, or one level
    (not the reference) of a categorical moderator."""

    name: str
    moderator: str | None  # None for the intercept
    level: str | None  # the level a dummy column stands for, else None


@dataclass(frozen=True)
class Moderator:
    """A moderator as coded: its kind and, if categorical, its levels with the reference
    first; ``values`` in study order (numbers for a continuous moderator, level names else)."""

    name: str
    kind: Literal["continuous", "categorical"]
    levels: tuple[str, ...]
    values: tuple[float | str, ...]

    @property
    def reference(self) -> str | None:
        return self.levels[0] if self.kind == "categorical" else None


@dataclass(frozen=True, eq=False)
class Design(FrozenResult):
    """The design matrix ``X`` (k x p, read-only) with its ``terms`` and ``moderators``."""

    moderators: tuple[Moderator, ...]
    terms: tuple[Term, ...]
    X: FloatArray

    def __post_init__(self) -> None:
        object.__setattr__(self, "X", readonly_array(self.X))

    @property
    def k(self) -> int:
        return int(self.X.shape[0])

    @property
    def p(self) -> int:
        return int(self.X.shape[1])

    def row(self, at: Mapping[str, Value]) -> FloatArray:
        """The design row of a prediction at moderator values ``at`` (every moderator given;
        a categorical value must be one of its levels)."""
        values = [1.0]
        for moderator in self.moderators:
            if moderator.name not in at:
                raise AnalysisError(f"a prediction needs a value of '{moderator.name}'")
            value = at[moderator.name]
            if moderator.kind == "continuous":
                if not is_continuous([value]):
                    raise AnalysisError(f"'{moderator.name}' needs a number, got {value!r}")
                values.append(float(value))
                continue
            name = level_name(value)
            if name not in moderator.levels:
                raise AnalysisError(
                    f"'{moderator.name}' has no level '{name}'; levels: "
                    + ", ".join(moderator.levels)
                )
            values += [1.0 if name == level else 0.0 for level in moderator.levels[1:]]
        return readonly_array(values)


def _coded(name: str, values: Sequence[object]) -> tuple[Moderator, list[Term], list[FloatArray]]:
    if any(v is None for v in values):
        raise AnalysisError(f"moderator '{name}': a study has no value")
    if is_continuous(values):
        numbers = np.array([float(v) for v in values])  # type: ignore[arg-type]
        if np.all(numbers == numbers[0]):
            raise AnalysisError(f"moderator '{name}' has the same value in every study")
        moderator = Moderator(name, "continuous", (), tuple(float(x) for x in numbers))
        return moderator, [Term(name, name, None)], [numbers]
    levels = tuple(level_name(v) for v in sorted(set(values), key=_level_key))
    if len(levels) < 2:
        raise AnalysisError(f"moderator '{name}' has the same value in every study")
    names = [level_name(v) for v in values]
    moderator = Moderator(name, "categorical", levels, tuple(names))
    terms = [Term(f"{name}: {level}", name, level) for level in levels[1:]]
    columns = [np.array([1.0 if n == level else 0.0 for n in names]) for level in levels[1:]]
    return moderator, terms, columns


def design_matrix(values: Mapping[str, Sequence[object]]) -> Design:
    """The design matrix of an intercept and the moderators ``values`` (name -> the value of
    each study, in study order), as ``model.matrix(~ m1 + m2 + ...)`` with character and
    logical moderators as factors. Raises ``AnalysisError`` for a missing value, a constant
    moderator, k <= p, or columns that are linearly dependent (X'X singular)."""
    columns: list[FloatArray] = []
    moderators: list[Moderator] = []
    terms = [Term(INTERCEPT, None, None)]
    k = len(next(iter(values.values()))) if values else 0
    for name, column in values.items():
        moderator, new_terms, new_columns = _coded(name, column)
        moderators.append(moderator)
        terms += new_terms
        columns += new_columns
    X = np.column_stack([np.ones(k), *columns])
    if k <= X.shape[1]:
        raise AnalysisError(
            f"a meta-regression with {X.shape[1]} coefficients needs more than {X.shape[1]} "
            f"studies; there are {k}"
        )
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise AnalysisError("the moderators are redundant: one is determined by the others")
    return Design(tuple(moderators), tuple(terms), X)
