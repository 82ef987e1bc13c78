"""Check a parsed config (data files already attached) against ``config.limits``: how many
studies and outcomes, how long each text, how large each count, and numbers that are not finite
where the schema does not type them (study attributes, exclusion values).

Every problem is located at its key (in the config, or at the row and column of a data file) and
says which limit it met and how an operator raises it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from reportgen.config.limits import Limits, env_name, excerpt
from reportgen.config.yamlpos import KeyPath, PositionedDocument
from reportgen.errors import Problem

COUNT_KEYS = frozenset({"events", "total", "n", "participants"})
LABEL_KEYS = frozenset({"label", "plain_label", "name", "id", "study"})


def check_limits(document: PositionedDocument, limits: Limits) -> list[Problem]:
    """Every place where ``document`` goes over ``limits``."""
    data = document.data
    problems: list[Problem] = []

    def add(path: KeyPath, message: str, limit: str) -> None:
        hint = f" (a limit; an operator can raise it with {env_name(limit)})"
        problems.append(Problem(*document.locate(path), message + hint))

    studies = data.get("studies")
    if isinstance(studies, list) and len(studies) > limits.studies:
        add(("studies",), f"more than {limits.studies:,} studies", "studies")
    outcomes = data.get("outcomes")
    if isinstance(outcomes, list):
        if len(outcomes) > limits.outcomes:
            add(("outcomes",), f"more than {limits.outcomes:,} outcomes", "outcomes")
        for index, outcome in enumerate(outcomes):
            rows = outcome.get("data") if isinstance(outcome, dict) else None
            if isinstance(rows, list) and len(rows) > limits.studies_per_outcome:
                add(
                    ("outcomes", index, "data"),
                    f"more than {limits.studies_per_outcome:,} studies in one outcome",
                    "studies_per_outcome",
                )
    for path, value in _walk(data, ()):
        _check_value(path, value, limits, add, problems, document)
    return problems


def _walk(value: Any, path: KeyPath):
    """Every (key path, value) in ``value``, keys included as (path of the key, key)."""
    stack: list[tuple[KeyPath, Any]] = [(path, value)]
    while stack:
        here, item = stack.pop()
        yield here, item
        if isinstance(item, dict):
            for key, child in item.items():
                stack.append(((*here, key), child))
        elif isinstance(item, list):
            stack.extend(((*here, index), child) for index, child in enumerate(item))


def _check_value(
    path: KeyPath,
    value: Any,
    limits: Limits,
    add: Callable[[KeyPath, str, str], None],
    problems: list[Problem],
    document: PositionedDocument,
) -> None:
    key = path[-1] if path else ""
    if isinstance(key, str) and len(key) > limits.label_chars:
        add(
            path[:-1],
            f"a key longer than {limits.label_chars:,} characters ({excerpt(key)})",
            "label_chars",
        )
    if isinstance(value, str):
        if path == ("report", "title"):
            most, limit = limits.title_chars, "title_chars"
        elif key in LABEL_KEYS:
            most, limit = limits.label_chars, "label_chars"
        else:
            most, limit = limits.text_chars, "text_chars"
        if len(value) > most:
            add(path, f"longer than {most:,} characters ({len(value):,})", limit)
    elif isinstance(value, int) and not isinstance(value, bool):
        if key in COUNT_KEYS and value > limits.max_count:
            add(path, f"must be at most {limits.max_count:,}", "max_count")
    elif isinstance(value, float) and not math.isfinite(value):
        untyped = path[:1] == ("studies",) or "exclude" in path
        if untyped:
            problems.append(
                Problem(*document.locate(path), f"expected a finite number, got {value!r}")
            )
