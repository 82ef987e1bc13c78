"""Cross-checks of three-level outcomes (``structure: three_level``, several effects per study,
each row naming its ``effect`` id): what reportgen can fit (rma.mv by REML or ML with z tests)
and what it refuses, each problem located at its key. Rows may name an ``effect`` only in a
three-level outcome; there, a study may have several rows but each (study, effect) pair once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportgen.config.yamlpos import KeyPath

THREE_LEVEL = "three_level"
# rma.mv's estimators and the test reportgen offers with them (metafor has no Knapp-Hartung
# adjustment for rma.mv; its t test is not the same thing, so it is not offered under that name).
THREE_LEVEL_METHODS = ("REML", "ML")
THREE_LEVEL_TESTS = ("z",)
# Analyses that assume one independent effect per study: refused in a three-level outcome.
UNSUPPORTED_KEYS = {
    "subgroup": "subgroups are not available for three-level outcomes",
    "sensitivity": "sensitivity analyses are not available for three-level outcomes",
}

Add = Callable[[KeyPath, str], None]


def is_three_level(outcome: dict[str, Any]) -> bool:
    """Whether the raw outcome asks for a three-level model."""
    return outcome.get("structure") == THREE_LEVEL


def check_three_level(outcome: dict[str, Any], here: KeyPath, add: Add) -> None:
    """Every problem with an outcome's structure and its rows' ``effect`` ids."""
    data = outcome.get("data")
    rows: list[Any] = data if isinstance(data, list) else []
    if not is_three_level(outcome):
        for r_index, row in enumerate(rows):
            if isinstance(row, dict) and row.get("effect") is not None:
                add(
                    (*here, "data", r_index, "effect"),
                    "effect ids apply to three-level outcomes: add structure: three_level to "
                    "the outcome",
                )
        return
    method, test = outcome.get("method", "REML"), outcome.get("test", "z")
    if isinstance(method, str) and method not in THREE_LEVEL_METHODS:
        add(
            (*here, "method"),
            f"{method} is not possible with structure: three_level; allowed here: "
            f"{', '.join(THREE_LEVEL_METHODS)}",
        )
    if isinstance(test, str) and test not in THREE_LEVEL_TESTS:
        add(
            (*here, "test"),
            f"{test} is not possible with structure: three_level; allowed here: "
            f"{', '.join(THREE_LEVEL_TESTS)}",
        )
    for key, message in UNSUPPORTED_KEYS.items():
        if outcome.get(key):
            add((*here, key), message)
    seen: set[tuple[str, str]] = set()
    for r_index, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("study"), str):
            continue
        effect = row.get("effect")
        if effect is None:
            continue
        pair = (row["study"], str(effect))
        if pair in seen:
            add(
                (*here, "data", r_index, "effect"),
                f"study '{pair[0]}' has effect '{pair[1]}' more than once in this outcome",
            )
        seen.add(pair)
