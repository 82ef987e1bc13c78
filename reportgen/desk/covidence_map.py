"""The map of a Covidence export: which of the template's columns holds which number.

Covidence names an Extraction 2 export's columns after the review's own template, so the
editor says which column holds what in a small YAML file, ``covidence-map.yaml``::

    report:
      title: Exercise for falls in older adults
    outcomes:
      - label: Falls
        type: binary                  # binary: events and totals; continuous: means, SDs, sizes
        columns:
          intervention_events: Falls Intervention events
          intervention_total: Falls Intervention total
          control_events: Falls Control events
          control_total: Falls Control total

``reportgen import covidence FILE`` without ``--map`` writes this file, listing every column of
the export, with the outcomes it recognised filled in. A column is recognised when its name ends
in one arm word and one quantity word (case and punctuation aside, with "number", "of", "group"
and "arm" allowed between): arms ``intervention``, ``experimental``, ``treatment``, ``exposed``
/ ``control``, ``comparator``, ``placebo``, ``unexposed``; quantities ``events``, ``cases`` /
``total``, ``participants``, ``n`` / ``mean`` / ``sd``, ``standard deviation``. Names of this
kind are in use in public Covidence exports and the scripts that read them (``Model 1 number of
cases exposed group``, ``number of participants unexposed group``: an IHME cleaning script;
``Intervention Mean``, ``Intervention SD``: klsea/time_prefs_meta). The words before them name
the outcome (the row of the template's table); columns that recognisably hold results but do
not make up a whole outcome are reported, not guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.config.yamlpos import KeyPath, format_key_path, load_yaml
from reportgen.desk.covidence import LEADING
from reportgen.desk.imported import FIELDS
from reportgen.errors import ConfigError, Problem
from reportgen.stats.measures import OUTCOME_TYPES

MAP_NAME = "covidence-map.yaml"
ARMS = {
    "intervention": "intervention",
    "experimental": "intervention",
    "treatment": "intervention",
    "exposed": "intervention",
    "control": "control",
    "comparator": "control",
    "placebo": "control",
    "unexposed": "control",
}
QUANTITIES = {
    "events": "events",
    "cases": "events",
    "total": "total",
    "participants": "total",
    "n": "total",
    "mean": "mean",
    "sd": "sd",
}
FILLER = {"number", "of", "no", "group", "arm", "in", "the"}
OUTCOME_KEYS = ("label", "type", "measure", "role", "good", "columns")
REPORT_KEYS = ("id", "title", "intervention", "comparator")
CHOICES = {"role": ("benefit", "harm"), "good": ("lower", "higher")}


@dataclass
class OutcomeMap:
    label: str
    type: str
    columns: dict[str, str]
    measure: str | None = None
    role: str | None = None
    good: str | None = None


@dataclass
class ExportMap:
    report: dict[str, str] = field(default_factory=dict)
    year: str | None = None
    outcomes: list[OutcomeMap] = field(default_factory=list)


def _words(name: str) -> list[str]:
    text = re.sub(r"standard\s+deviation", "sd", name.lower())
    return re.findall(r"[a-z0-9]+", text)


def _recognised(name: str) -> tuple[str, str, str] | None:
    """(outcome words, arm, quantity) when ``name`` ends in one arm and one quantity word."""
    base = re.sub(r" \[\d+\]$", "", name)
    words, tail = _words(base), []
    while words and (words[-1] in ARMS or words[-1] in QUANTITIES or words[-1] in FILLER):
        tail.append(words.pop())
    arms = [ARMS[w] for w in tail if w in ARMS]
    amounts = [QUANTITIES[w] for w in tail if w in QUANTITIES]
    if len(arms) != 1 or len(amounts) != 1:
        return None
    prefix = " ".join(base.split()[: len(words)]) if words else ""
    return prefix + name[len(base) :], arms[0], amounts[0]


def recognise(columns: tuple[str, ...]) -> tuple[list[OutcomeMap], list[str]]:
    """The whole outcomes the column names make, and notes on the partial ones."""
    groups: dict[str, dict[str, list[str]]] = {}
    for name in columns[len(LEADING) :]:
        parts = _recognised(name)
        if parts:
            prefix, arm, amount = parts
            groups.setdefault(prefix, {}).setdefault(f"{arm}_{amount}", []).append(name)
    outcomes: list[OutcomeMap] = []
    notes: list[str] = []
    for prefix, found in groups.items():
        made = _outcome(prefix or f"Outcome {len(outcomes) + 1}", found)
        if made is None:
            names = ", ".join(n for names in found.values() for n in names)
            notes.append(f"columns that look like results but make no whole outcome: {names}")
        else:
            outcomes.append(made)
    return outcomes, notes


def _outcome(label: str, found: dict[str, list[str]]) -> OutcomeMap | None:
    for kind, fields in FIELDS.items():
        wanted = {f: f.replace("_n", "_total") for f in fields}
        if set(found) == set(wanted.values()) and all(len(found[w]) == 1 for w in wanted.values()):
            return OutcomeMap(label.strip(), kind, {f: found[w][0] for f, w in wanted.items()})
    return None


def skeleton(
    columns: tuple[str, ...], outcomes: list[OutcomeMap], report_id: str, export: str
) -> str:
    """The commented map to fill in: the recognised ``outcomes`` and every column listed."""
    lines = [
        f"# Which column of the Covidence export {export} holds what, for",
        f"#   reportgen import covidence {export} --map {MAP_NAME}",
        "# Each outcome names its type (binary: events and totals in two arms; continuous:",
        "# means, SDs and sizes) and, under columns, the export's column for each number.",
        "# Optional per outcome: measure (binary: OR, RR, RD; continuous: MD, SMD), role",
        "# (benefit or harm) and good (lower or higher: which direction is better).",
        "# Copy column names exactly as listed at the bottom of this file.",
        "report:",
        f"  id: {report_id}",
        "  title: Imported Covidence review",
        "  # intervention: the treatment studied, in plain words",
        "  # comparator: what it was compared with",
        "# year: the column holding each study's year (default: the year ending its Study ID)",
    ]
    if not outcomes:
        lines.append("outcomes: []  # none recognised: add one per outcome, as below")
        lines += ["#  - label: Falls", "#    type: binary", "#    columns:"]
        lines += [f"#      {name}: <column>" for name in FIELDS["binary"]]
    else:
        lines.append("outcomes:")
    for outcome in outcomes:
        lines += [
            f"  - label: {_quoted(outcome.label)}",
            f"    type: {outcome.type}",
            "    columns:",
        ]
        lines += [f"      {key}: {_quoted(name)}" for key, name in outcome.columns.items()]
    lines.append("# The export's columns (after Covidence's own four):")
    lines += [f"#   {_quoted(name)}" for name in columns[len(LEADING) :]]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """``text`` as a YAML scalar (double-quoted, escaped as JSON is)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def read_map(text: str, file: str, columns: tuple[str, ...]) -> ExportMap:
    """The map in ``text``, checked against the export's ``columns``; every problem at once."""
    document = load_yaml(text, file)
    problems: list[Problem] = []

    def problem(path: KeyPath, message: str) -> None:
        problems.append(Problem(file, document.line_of(path), format_key_path(path), message))

    def text_at(data: dict[str, Any], key: str, path: KeyPath) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool)):
            return None if value is None else str(value)
        problem((*path, key), f"expected text, got {value!r}")
        return None

    def column(data: dict[str, Any], key: str, path: KeyPath) -> str | None:
        name = text_at(data, key, path)
        if name is not None and name not in columns:
            problem((*path, key), f"no column {name!r} in the export")
            return None
        return name

    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError([Problem(file, 1, "", "expected a mapping (report, year, outcomes)")])
    made = ExportMap()
    for key in data:
        if key not in ("report", "year", "outcomes"):
            problem((key,), "unknown key; expected report, year or outcomes")
    report = data.get("report") or {}
    if isinstance(report, dict):
        for key in report:
            value = text_at(report, key, ("report",)) if key in REPORT_KEYS else None
            if key not in REPORT_KEYS:
                problem(("report", key), f"unknown key; expected one of {', '.join(REPORT_KEYS)}")
            elif value:
                made.report[key] = value
    else:
        problem(("report",), "expected a mapping (id, title, intervention, comparator)")
    made.year = column(data, "year", ())
    outcomes = data.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes:
        problem(("outcomes",), "expected a list of at least one outcome")
        outcomes = []
    for index, entry in enumerate(outcomes):
        path: KeyPath = ("outcomes", index)
        if not isinstance(entry, dict):
            problem(path, "expected a mapping (label, type, columns, ...)")
            continue
        made.outcomes.append(_read_outcome(entry, path, problem, text_at, column))
    if problems:
        raise ConfigError(problems)
    return made


def _read_outcome(
    entry: dict[str, Any], path: KeyPath, problem: Any, text_at: Any, column: Any
) -> OutcomeMap:
    for key in entry:
        if key not in OUTCOME_KEYS:
            problem((*path, key), f"unknown key; expected one of {', '.join(OUTCOME_KEYS)}")
    label = text_at(entry, "label", path) or ""
    if not label:
        problem((*path, "label"), "required: the outcome's name")
    kind = text_at(entry, "type", path)
    if kind not in FIELDS:
        problem((*path, "type"), f"expected binary or continuous, got {kind!r}")
        kind = None
    outcome = OutcomeMap(label, kind or "binary", {})
    measure = text_at(entry, "measure", path)
    if measure is not None and kind and measure not in OUTCOME_TYPES[kind].measures:
        listed = ", ".join(OUTCOME_TYPES[kind].measures)
        problem((*path, "measure"), f"expected one of {listed} for {kind}, got {measure!r}")
    outcome.measure = measure
    for key, allowed in CHOICES.items():
        value = text_at(entry, key, path)
        if value is not None and value not in allowed:
            problem((*path, key), f"expected {' or '.join(allowed)}, got {value!r}")
        setattr(outcome, key, value)
    columns = entry.get("columns")
    if not isinstance(columns, dict):
        problem((*path, "columns"), "expected a mapping of the outcome's numbers to columns")
        return outcome
    if kind:
        for name in FIELDS[kind]:
            found = column(columns, name, (*path, "columns"))
            if name not in columns:
                problem((*path, "columns"), f"missing {name}: the column that holds it")
            elif found:
                outcome.columns[name] = found
        for name in columns:
            if name not in FIELDS[kind]:
                names = ", ".join(FIELDS[kind])
                problem((*path, "columns", name), f"unknown key; a {kind} outcome has {names}")
    return outcome
