"""``reportgen import revman-web``: configs and data CSVs from RevMan Web's study data CSVs.

The files are read by ``desk.revman_web`` (layout and sources there). Study arms say which
intervention each arm received (without that file, an arm's name is its intervention). One
intervention is the comparator: the first whose name says so (placebo, control, usual care,
...), else the last one listed; every other intervention makes one config, ``<intervention>
versus <comparator>``. Each outcome of the results becomes:

- binary (``Dichotomous``: ``Cases`` and ``Sample size``) or continuous (``Continuous``:
  ``Mean``, ``SD``, ``Sample size``) from the arm-level rows of the study's two arms;
- generic, from contrast-level rows (``Reference arm`` filled) when the outcome has no arm-level
  data: ``Exp mean`` with ``Exp CI start`` / ``Exp CI end`` or ``Mean`` with ``SE`` or ``CI
  start`` / ``CI end``. For a ratio, ``Mean`` and ``SE`` are read as the log ratio and its SE,
  as RevMan's generic inverse-variance data are (data package specification).

What the files do not say is filled in and listed at the top of the config and printed: the
measure of arm-level data (RR, MD) unless ``Effect measure`` names it, role and good (binary
and ratio outcomes are harms, lower is better; others benefits, higher is better), a ratio's
``event``, and a mean difference's unit ('units') and mid (half the median control SD: Norman
et al. 2003, Med Care 41:582-92). Risk-of-bias files are recognised and reported, not imported:
their RoB 1 domains have no tool in reportgen's ``risk_of_bias`` (RoB 2, ROBINS-I, QUADAS-2).
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from reportgen.desk.covidence_import import YEAR
from reportgen.desk.imported import Imported, add_config, cell_number, data_csv, slug
from reportgen.desk.revman_web import Row, StudyData
from reportgen.desk.revman_web_contrast import RATIOS, contrast_outcome, measure_of
from reportgen.errors import UserError

CONTROL_WORDS = (
    "placebo",
    "control",
    "usual care",
    "standard care",
    "no treatment",
    "sham",
    "no intervention",
    "waiting list",
    "wait-list",
    "waitlist",
)
DATA_TYPES = {"dichotomous": "binary", "continuous": "continuous"}
ARM_COLUMNS = {
    "binary": {"events": "Cases", "total": "Sample size"},
    "continuous": {"mean": "Mean", "sd": "SD", "n": "Sample size"},
}


def import_study_data(data: StudyData) -> Imported:
    """Every config (and its data files) the study data make, with the notes to print."""
    imported = Imported()
    if data.skipped:
        imported.notes.append(
            f"files not read (not RevMan Web study data): {', '.join(data.skipped)}"
        )
    if data.unknown:
        imported.notes.append(f"columns not read: {', '.join(data.unknown)}")
    if data.characteristics:
        imported.notes.append(f"study characteristics not read: {', '.join(data.characteristics)}")
    if data.rows["rob"]:
        imported.notes.append(
            f"risk of bias not imported: its domains ({'; '.join(data.rob_domains)}) are RoB 1's, "
            "and reportgen's risk_of_bias takes RoB 2, ROBINS-I or QUADAS-2 (add it by hand)"
        )
    intervention = _arm_interventions(data, imported.notes)
    names = list(dict.fromkeys(intervention.values()))
    if len(names) < 2:
        raise UserError(
            f"{', '.join(data.files)}: the arms name {len(names)} intervention(s); a "
            "comparison needs two"
        )
    comparator = next((n for n in names if any(w in n.lower() for w in CONTROL_WORDS)), None)
    how = "its name says so" if comparator else "the last intervention listed"
    comparator = comparator or names[-1]
    imported.notes.append(f"comparator: '{comparator}' ({how}); check")
    problems: list[str] = []
    for experimental in (n for n in names if n != comparator):
        _config(data, intervention, (experimental, comparator), imported, problems)
    if problems:
        raise UserError("\n".join(problems))
    return imported


def _arm_interventions(data: StudyData, notes: list[str]) -> dict[tuple[str, str], str]:
    """(study, arm) -> intervention, from Study arms, else each arm's own name."""
    mapped = {(r.get("Study"), r.get("Arm")): r.get("Intervention") for r in data.rows["arms"]}
    mapped = {key: name for key, name in mapped.items() if name}
    result_arms = [(r.get("Study"), a) for r in data.rows["results"] for a in _arms(r) if a]
    missing = [key for key in dict.fromkeys(result_arms) if key not in mapped]
    if missing and data.rows["arms"]:
        listed = ", ".join(f"{study} / {arm}" for study, arm in missing)
        notes.append(f"arms not in Study arms (their names taken as interventions): {listed}")
    elif missing:
        notes.append("no Study arms file: each arm's name is taken as its intervention")
    return {**{key: key[1] for key in missing}, **mapped}


def _arms(row: Row) -> tuple[str, str]:
    return row.get("Arm"), row.get("Reference arm")


def _config(
    data: StudyData,
    intervention: dict[tuple[str, str], str],
    pair: tuple[str, str],
    imported: Imported,
    problems: list[str],
) -> None:
    title = f"{pair[0]} versus {pair[1]}"
    config_id = slug(title, "comparison")
    notes: list[str] = []
    outcomes: dict[str, list[Row]] = {}
    for row in data.rows["results"]:
        outcomes.setdefault(row.get("Outcome") or "(no outcome name)", []).append(row)
    studies = _studies(data)
    entries = []
    for name, rows in outcomes.items():
        arms = [r for r in rows if not r.get("Reference arm")]
        contrasts = [r for r in rows if r.get("Reference arm")]
        where = f"outcome '{name}'"
        if arms and contrasts:
            notes.append(f"{where}: contrast-level rows not read (arm-level data preferred)")
        made = (
            _arm_level(where, arms, intervention, pair, notes, problems)
            if arms
            else contrast_outcome(where, contrasts, intervention, pair, notes, problems)
        )
        if made is not None and not problems:
            entries.append(_entry(name, made, studies, config_id, imported, notes))
    if problems:
        return
    if not entries:
        imported.notes += [f"{config_id}.yaml: {note}" for note in notes]
        imported.notes.append(f"{title}: nothing to import (no outcome has data for both arms)")
        return
    notes.append("method: reportgen's default (the study data hold no analysis settings)")
    notes.append("rewrite each outcome's plain_label in plain words (they are RevMan's names)")
    report = {"id": config_id, "title": title, "intervention": pair[0], "comparator": pair[1]}
    report["source"] = f"Imported from {', '.join(data.files)} (RevMan Web study data)"
    made_by = f"reportgen import revman-web from {', '.join(data.files)}"
    add_config(imported, config_id, report, studies, entries, notes, made_by)


def _studies(data: StudyData) -> dict[str, dict[str, Any]]:
    """Study name -> its entry under ``studies:`` (ids unique), year from Study information."""
    years = {r.get("Study"): r.get("Year") for r in data.rows["information"]}
    names = [r.get("Study") for r in data.rows["results"]]
    entries: dict[str, dict[str, Any]] = {}
    for index, name in enumerate(dict.fromkeys(names), start=1):
        study_id = slug(name, f"study-{index}")
        if any(e["id"] == study_id for e in entries.values()):
            study_id = slug(f"{study_id} {index}", study_id)
        entry: dict[str, Any] = {"id": study_id, "label": name}
        match = YEAR.search(years.get(name) or "") or YEAR.search(name)
        if match:
            entry["year"] = int(match.group(1))
        entries[name] = entry
    return entries


def _pick(
    rows: list[Row], arm_of: dict[tuple[str, str], str], pair: tuple[str, str], notes, where
) -> dict[str, tuple[Row, Row]]:
    """Study -> its rows for the pair's (experimental, control) arms; others noted."""
    by_study: dict[str, list[Row]] = {}
    for row in rows:
        by_study.setdefault(row.get("Study"), []).append(row)
    picked = {}
    for study, found in by_study.items():
        sides = [[r for r in found if arm_of.get((study, r.get("Arm"))) == n] for n in pair]
        if any(len(side) > 1 for side in sides):
            lines = ", ".join(str(r.line) for side in sides for r in side)
            notes.append(
                f"{where}: study '{study}' not imported: several arms of one "
                f"intervention (lines {lines}; combine them in RevMan first)"
            )
        elif all(sides):
            picked[study] = (sides[0][0], sides[1][0])
    return picked


def _arm_level(where, rows, arm_of, pair, notes, problems) -> dict[str, Any] | None:
    types = Counter(r.get("Data type").lower() for r in rows)
    kind = DATA_TYPES.get(types.most_common(1)[0][0])
    if kind is None or len(types) > 1:
        notes.append(
            f"{where}: not imported: data type {sorted(types)} (dichotomous or "
            "continuous arm-level data are imported)"
        )
        return None
    out = []
    for study, (exp, ctl) in _pick(rows, arm_of, pair, notes, where).items():
        values: dict[str, Any] = {"study": study}
        for arm, row in (("intervention", exp), ("control", ctl)):
            cells = {name: row.get(column) for name, column in ARM_COLUMNS[kind].items()}
            if not any(cells.values()):
                values = {}
                notes.append(f"{where}: study '{study}' not imported: no data (line {row.line})")
                break
            for name, text in cells.items():
                column, key = ARM_COLUMNS[kind][name], f"{arm}_{name}"
                number, message = cell_number(text, key, kind)
                if message:
                    problems.append(f"{row.file}:{row.line}: {column}: {message}")
                values[key] = number
        if values:
            problems += _consistent(values, kind, (exp, ctl))
            out.append(values)
    measure = measure_of(rows, kind, notes, where)
    return {"type": kind, "measure": measure, "rows": out} if out and measure else None


def _consistent(values: dict[str, Any], kind: str, rows: tuple[Row, Row]) -> list[str]:
    messages = []
    for arm, row in zip(("intervention", "control"), rows, strict=True):
        size = values.get(f"{arm}_total" if kind == "binary" else f"{arm}_n")
        least = 1 if kind == "binary" else 2
        if size and int(size) < least:
            messages.append(f"{row.file}:{row.line}: Sample size: expected {least} or more people")
        events = values.get(f"{arm}_events")
        if size and events and int(events) > int(size):
            messages.append(
                f"{row.file}:{row.line}: Cases: {events} cases, more than the {size} people"
            )
    return messages


def _entry(name, made, studies, config_id, imported, notes) -> dict[str, Any]:
    outcome_id = slug(name, "outcome")
    kind, measure = made["type"], made["measure"]
    rows = [{**row, "study": studies[row["study"]]["id"]} for row in made["rows"]]
    harm = kind == "binary" or measure in RATIOS
    entry: dict[str, Any] = {
        "id": outcome_id,
        "label": name,
        "plain_label": name[:1].lower() + name[1:],
        "role": "harm" if harm else "benefit",
        "type": kind,
        "measure": measure,
    }
    inferred = [f"role {entry['role']}"]
    if kind != "binary":
        entry["good"] = "lower" if harm else "higher"
        inferred.append(f"good {entry['good']}")
    if kind == "generic" and measure in RATIOS:
        entry["event"] = entry["plain_label"]
        inferred.append("event (its plain_label)")
    notes.append(f"outcome '{name}': check {', '.join(inferred)} (not in the study data)")
    if measure == "MD":
        entry["unit"] = "units"
        if kind == "continuous":
            entry["mid"] = round(statistics.median(float(r["control_sd"]) for r in rows) / 2, 3)
        notes.append(f"outcome '{name}': check unit (set to 'units') and mid")
    if kind == "generic" and made["level"] != 95:
        entry["entered_level"] = made["level"]
    file = f"data/{config_id}-{outcome_id}.csv"
    imported.files[file] = data_csv(rows)
    entry["data"] = file
    entry["rows"] = rows
    return entry
