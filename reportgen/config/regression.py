"""`outcomes[].regression:` meta-regressions of an outcome on study attributes (*contract*:
``regression: [{name, moderators: [attribute, ...]}]``), and the cross-checks the schema cannot
express, each located at its key: an attribute no study has, a study of the outcome without a
value, a moderator mixing numbers and text or constant across the outcome's studies, too few
studies for the coefficients (k <= p), and prediction points that do not fit the moderators.

A moderator whose values are all numbers is continuous; text or true/false is categorical,
dummy-coded with the first level in sorted order as the reference (``stats.moderators``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import Field

from reportgen.config.parts import Identifier, Strict, Text
from reportgen.config.yamlpos import KeyPath
from reportgen.stats.measures import ESTIMATORS, TESTS

if TYPE_CHECKING:
    Estimator: TypeAlias = str
    Test: TypeAlias = str
else:
    Estimator = Literal[ESTIMATORS]
    Test = Literal[TESTS]


def is_continuous(values: Sequence[object]) -> bool:
    """Whether every value is a number (true/false count as categories, not numbers)."""
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def level_name(value: object) -> str:
    """How a categorical value is named: text as it is, true/false in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def level_sort_key(name: str) -> tuple[str, str]:
    """Sort key of categorical levels as R's ``sort()``/``factor()`` orders text with ICU
    collation (the reference R of tests/reference): case-insensitive first, lower case before
    upper case on a tie ('a', 'A', 'alternate', 'b', 'Random')."""
    return name.casefold(), name.swapcase()


# Keys of `studies:` entries that are not attributes.
NOT_ATTRIBUTES = ("id", "label", "citation")


class Regression(Strict):
    """One meta-regression: ``rma(yi, vi, mods = ~ moderators, method, test)``."""

    name: Text = Field(description="*Contract.* What is regressed, e.g. 'Absolute latitude'.")
    moderators: list[Identifier] = Field(
        min_length=1,
        description="*Contract.* Study attributes (keys of `studies:` entries): numbers are "
        "continuous; text or true/false categorical (first level in sorted order the reference).",
    )
    method: Estimator | None = Field(
        None,
        description="tau2 estimator (FE, DL, REML, ...); default: the outcome's method (FE for "
        "MH and PETO, REML for GLMM).",
    )
    test: Test | None = Field(None, description="z or knha (default: the outcome's test).")
    predict_at: list[dict[Identifier, Any]] = Field(
        default_factory=list,
        description="Moderator values at which to predict the effect, e.g. [{latitude: 13}] "
        "(default for one moderator: its lowest and highest value, or each level). Values are "
        "text, numbers or true/false (checked with the moderators).",
    )


def check_regressions(outcome: dict, here: KeyPath, add, studies: list) -> None:
    """Add a located problem for each regression of ``outcome`` that cannot be fitted."""
    regressions = outcome.get("regression")
    if not isinstance(regressions, list):
        return
    by_id = {s.get("id"): s for s in studies if isinstance(s, dict)}
    attributes = sorted(
        {key for s in by_id.values() for key in s if key not in NOT_ATTRIBUTES}, key=str
    )
    data = outcome.get("data")
    rows = data if isinstance(data, list) else []
    used = [r.get("study") for r in rows if isinstance(r, dict) and r.get("study") in by_id]
    for index, regression in enumerate(regressions):
        if not isinstance(regression, dict):
            continue
        path = (*here, "regression", index)
        names = regression.get("moderators")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            continue
        coded = _check_moderators(names, path, add, attributes, [by_id[s] for s in used])
        if coded is None:
            continue
        p = 1 + sum(1 if levels is None else len(levels) - 1 for levels in coded.values())
        if len(used) <= p:
            add(
                (*path, "moderators"),
                f"a meta-regression with {p} coefficients needs more than {p} studies; this "
                f"outcome has {len(used)}",
            )
        _check_points(regression.get("predict_at"), (*path, "predict_at"), add, coded)


def _check_moderators(
    names: list[str], path: KeyPath, add, attributes: list[str], studies: list[dict]
) -> dict[str, tuple[str, ...] | None] | None:
    """Each moderator's levels (None if continuous), or None if a moderator is unusable."""
    coded: dict[str, tuple[str, ...] | None] = {}
    for m_index, name in enumerate(names):
        at = (*path, "moderators", m_index)
        if name in coded:
            add(at, f"'{name}' is named twice")
            return None
        if name in NOT_ATTRIBUTES:
            add(at, f"'{name}' names or cites a study; use one of its attributes")
            return None
        if name not in attributes:
            hint = difflib.get_close_matches(name, attributes, n=1)
            add(
                at,
                f"no study has an attribute '{name}'"
                + (f" (did you mean '{hint[0]}'?)" if hint else ""),
            )
            return None
        values = [s.get(name) for s in studies]
        missing = [s.get("id") for s, v in zip(studies, values, strict=True) if v is None]
        if missing:
            add(at, f"'{name}' has no value for {', '.join(map(str, missing))}")
            return None
        numbers = is_continuous(values)
        if numbers and not all(_finite(v) for v in values):
            add(at, f"'{name}' has a value that is not a finite number")
            return None
        if not numbers and any(is_continuous([v]) for v in values):
            add(at, f"'{name}' mixes numbers and text; use one or the other")
            return None
        levels = sorted({level_name(v) for v in values}, key=level_sort_key)
        if len(levels) < 2:
            add(
                at, f"'{name}' is {levels[0]} in every study of this outcome: nothing to regress on"
            )
            return None
        coded[name] = None if numbers else tuple(levels)
    return coded


def _finite(value: Any) -> bool:
    """Whether a number is finite as a float (1e999 and huge whole numbers are not)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _is_value(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _finite(value)
    return isinstance(value, str | bool)


def _check_points(
    points: Any, path: KeyPath, add, coded: dict[str, tuple[str, ...] | None]
) -> None:
    for p_index, point in enumerate(points if isinstance(points, list) else []):
        if not isinstance(point, dict):
            continue
        for name in coded:
            if name not in point:
                add((*path, p_index), f"a value of '{name}' is needed")
        for name, value in point.items():
            at = (*path, p_index, name)
            if not _is_value(value):
                add(at, f"expected text, a finite number or true/false, got {value!r}"[:160])
            elif name not in coded:
                add(at, f"'{name}' is not a moderator of this regression")
            elif coded[name] is None and not is_continuous([value]):
                add(at, f"'{name}' is a number, got {value!r}")
            elif coded[name] is not None and level_name(value) not in (coded[name] or ()):
                levels = ", ".join(coded[name] or ())
                add(at, f"'{name}' has no level {value!r}; levels: {levels}")
