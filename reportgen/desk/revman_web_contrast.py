"""Contrast-level rows of RevMan Web's Study results (``Reference arm`` filled) as a generic
outcome, and the effect measure a results row names.

A contrast row gives the effect of ``Arm`` against ``Reference arm``: ``Exp mean`` with ``Exp CI
start`` and ``Exp CI end`` (a ratio on its own scale), or ``Mean`` with ``SE`` or ``CI start`` and
``CI end``. For a ratio, ``Mean``, ``CI start`` and ``CI end`` are read as logs (RevMan's
generic inverse-variance data are log ratios: RevMan knowledge base, "Data package
specification", on ``GIV Mean`` and ``GIV SE``) and ``SE`` as the SE of the log ratio, which is
what reportgen's generic rows take. ``CI level`` (default 95) becomes ``entered_level``.
"""

from __future__ import annotations

import math
from typing import Any

from reportgen.desk.revman_web import Row
from reportgen.stats.measures import OUTCOME_TYPES, measure_info

MEASURES = {
    "odds ratio": "OR",
    "risk ratio": "RR",
    "risk difference": "RD",
    "mean difference": "MD",
    "standardized mean difference": "SMD",
    "standardised mean difference": "SMD",
    "std. mean difference": "SMD",
    "hazard ratio": "HR",
    "rate ratio": "IRR",
}
# The Study results columns of an arm, by reportgen's data column (after "intervention_" or
# "control_").
# The measures RevMan writes on the log scale (ratios), from the measure registry.
RATIOS = frozenset(code for code in MEASURES.values() if measure_info(code).scale == "ratio")


def measure_of(rows: list[Row], kind: str, notes: list[str], where: str) -> str | None:
    named = {r.get("Effect measure") for r in rows} - {""}
    if len(named) > 1:
        notes.append(f"{where}: not imported: several effect measures {sorted(named)}")
        return None
    if named:
        text = named.pop()
        code = MEASURES.get(text.lower(), text.upper())
        if code in OUTCOME_TYPES[kind].measures:
            return code
        notes.append(
            f"{where}: not imported: effect measure '{text}' is not one of "
            f"{', '.join(OUTCOME_TYPES[kind].measures)} for {kind} data"
        )
        return None
    code = "RR" if kind == "binary" else "MD"
    notes.append(f"{where}: check measure {code} (the study data do not name one)")
    return code


def contrast_outcome(where, rows, arm_of, pair, notes, problems) -> dict[str, Any] | None:
    measure = measure_of(rows, "generic", notes, where) if rows else None
    if measure is None:
        return None
    reversed_rows = [r for r in rows if arm_of.get((r.get("Study"), r.get("Arm"))) == pair[1]]
    for row in reversed_rows:
        notes.append(
            f"{where}: study '{row.get('Study')}' (line {row.line}) not imported: "
            f"its contrast is {pair[1]} versus {pair[0]}"
        )
    picked: dict[str, Row] = {}
    for row in rows:
        study = row.get("Study")
        if (
            arm_of.get((study, row.get("Arm"))),
            arm_of.get((study, row.get("Reference arm"))),
        ) == pair:
            picked.setdefault(study, row)
    out, levels = [], set()
    for study, row in picked.items():
        made = _generic_row(row, measure, problems)
        if made is not None:
            out.append({"study": study, **made[0]})
            levels.add(made[1])
    if len(levels) > 1:
        problems.append(f"{where}: CI level differs between studies ({sorted(levels)})")
    if not out:
        return None
    return {"type": "generic", "measure": measure, "rows": out, "level": levels.pop()}


def _generic_row(row: Row, measure: str, problems: list[str]) -> tuple[dict, float] | None:
    """(estimate, se or CI) of a contrast row and its CI level, or None (problem recorded)."""
    ratio = measure in RATIOS
    log = ratio and not row.get("Exp mean")
    columns = ("Mean", "SE", "CI start", "CI end")
    if not log and ratio:
        columns = ("Exp mean", "SE", "Exp CI start", "Exp CI end")
    numbers: dict[str, float | None] = {}
    for column in (*columns, "CI level"):
        text = row.get(column)
        numbers[column] = _float(text) if text else None
        # a log ratio beyond +-700 has no ratio a float can hold
        limit = 700 if log and column != "SE" else math.inf
        value = numbers[column]
        positive = column in ("SE", "CI level")
        if text and (value is None or abs(value) > limit or (positive and value <= 0)):
            what = "a number above 0" if positive else "a finite number"
            problems.append(f"{row.file}:{row.line}: {column}: expected {what}, got {text!r}")
            numbers[column] = None
    estimate, se, low, high = (numbers[c] for c in columns)
    if estimate is None or (se is None and (low is None or high is None)):
        problems.append(
            f"{row.file}:{row.line}: {columns[0]}: a contrast needs an estimate "
            f"with SE or CI start and CI end"
        )
        return None
    if log:
        estimate, low, high = (None if v is None else math.exp(v) for v in (estimate, low, high))
    made = {"estimate": estimate, "se": se, "ci_lower": low, "ci_upper": high}
    if se is not None:
        made.update(ci_lower=None, ci_upper=None)
    return {k: ("" if v is None else _text(v)) for k, v in made.items()}, numbers[
        "CI level"
    ] or 95.0


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _text(value: float) -> str:
    return repr(round(value, 12)).removesuffix(".0") if math.isfinite(value) else "nan"
