"""``reportgen import covidence``: a config and data CSVs from a Covidence extraction export.

The export is read by ``desk.covidence`` (its layout and sources are described there) and the
map of its columns by ``desk.covidence_map``. Without ``--map`` the map is written next to the
config, with the outcomes whose columns were recognised; when none were, only the map is
written, to be filled in. Each study contributes its consensus line, or its reviewers' lines
when there is no consensus line and they agree on every column imported (else it is reported
and left out). Every choice the export does not record is listed at the top of the config and
printed: a binary outcome's measure RR and role harm (fewer events are better), a continuous
outcome's measure MD, role benefit and good higher, and a mean difference's unit ('units') and
mid (half the median control SD: Norman et al. 2003, Med Care 41:582-92). Columns that are not
read, studies and outcomes not imported are reported; an empty or garbled number in an outcome
that has other numbers for the study is an error located as ``file:line: column: message``.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

from reportgen.desk.covidence import LEADING, CovidenceExport, CovidenceStudy, extraction
from reportgen.desk.covidence_map import MAP_NAME, ExportMap, OutcomeMap, read_map, recognise
from reportgen.desk.covidence_map import skeleton as map_skeleton
from reportgen.desk.imported import Imported, add_config, cell_number, data_csv, slug
from reportgen.errors import UserError

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)[a-z]?\b")
DEFAULTS = {"binary": ("RR", "harm", None), "continuous": ("MD", "benefit", "higher")}


def import_covidence(export: CovidenceExport, file: Path, map_file: Path | None) -> Imported:
    """The files and notes of importing ``export`` (read from ``file``) with its map."""
    imported = Imported()
    report_id = slug(file.stem, "covidence-review")
    if map_file is None:
        outcomes, notes = recognise(export.columns)
        imported.notes += notes
        imported.files[MAP_NAME] = map_skeleton(export.columns, outcomes, report_id, file.name)
        if not outcomes:
            imported.notes.append(
                f"no results columns recognised: fill in {MAP_NAME}, then run reportgen import "
                f"covidence {file.name} --map {MAP_NAME}"
            )
            return imported
        imported.notes.append(
            f"{MAP_NAME}: the columns of {len(outcomes)} outcome(s) were recognised by their "
            "names: check them (edit the map and import again with --map)"
        )
        mapped = ExportMap({"id": report_id}, None, outcomes)
    else:
        try:
            text = map_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"{map_file}: cannot be read ({error})") from None
        mapped = read_map(text, str(map_file), export.columns)
    _config(export, file, mapped, imported)
    return imported


def _config(export: CovidenceExport, file: Path, mapped: ExportMap, imported: Imported) -> None:
    used = [c for o in mapped.outcomes for c in o.columns.values()]
    used += [mapped.year] if mapped.year else []
    unread = [c for c in export.columns[len(LEADING) :] if c not in used]
    if unread:
        imported.notes.append(f"columns not read: {', '.join(unread)}")
    config_id = slug(mapped.report.get("id", ""), slug(file.stem, "covidence-review"))
    notes: list[str] = []
    chosen: list[tuple[CovidenceStudy, Any]] = []
    for study in export.studies:
        pick = extraction(study, used, file.name)
        where = f"study '{study.study_id}' (Covidence #{study.number})"
        if pick.row is None:
            notes.append(f"{where} not imported: {pick.problem}")
        else:
            notes += [f"{where}: {pick.note}"] if pick.note else []
            chosen.append((study, pick.row))
    studies = _study_entries(chosen, mapped.year)
    problems: list[str] = []
    entries = []
    for outcome in mapped.outcomes:
        entry = _outcome(outcome, chosen, studies, file.name, config_id, imported, notes, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise UserError("\n".join(problems))
    if not entries:
        imported.notes += [f"{config_id}.yaml: {note}" for note in notes]
        imported.notes.append("nothing to import: no outcome has a study with data")
        return
    notes.append(
        "rewrite report.title, report.intervention and each outcome's plain_label in plain "
        "words (they are the map's labels)"
    )
    report = {"id": config_id, "title": mapped.report.get("title", "Imported Covidence review")}
    for key in ("intervention", "comparator"):
        if key in mapped.report:
            report[key] = mapped.report[key]
    report["source"] = f"Imported from {file.name} (Covidence extraction)"
    made_by = f"reportgen import covidence from {file.name}"
    add_config(imported, config_id, report, studies, entries, notes, made_by)


def _study_entries(
    chosen: list[tuple[CovidenceStudy, Any]], year_column: str | None
) -> dict[str, dict[str, Any]]:
    """Covidence number -> the study's entry under ``studies:`` (ids unique)."""
    entries: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    for study, row in chosen:
        label = study.study_id or f"Covidence #{study.number}"
        study_id = slug(label, f"study-{study.number}")
        if study_id in used:
            study_id = slug(f"{study_id} {study.number}", study_id)
        used.add(study_id)
        entry: dict[str, Any] = {"id": study_id, "label": label}
        given = row.cells.get(year_column, "") if year_column else ""
        match = YEAR.search(given) if given else YEAR.search(label)
        if match:
            entry["year"] = int(match.group(1))
        entries[study.number] = entry
    return entries


def _outcome(
    outcome: OutcomeMap,
    chosen: list[tuple[CovidenceStudy, Any]],
    studies: dict[str, dict[str, Any]],
    source: str,
    config_id: str,
    imported: Imported,
    notes: list[str],
    problems: list[str],
) -> dict[str, Any] | None:
    """The outcome's config entry (its data file added to ``imported``), or None."""
    where = f"outcome '{outcome.label}'"
    rows = []
    for study, row in chosen:
        values = {key: row.cells.get(column, "") for key, column in outcome.columns.items()}
        if not any(values.values()):
            notes.append(f"{where}: study '{study.study_id}' (line {row.line}) has no data")
            continue
        numbers = {}
        for key, text in values.items():
            column = outcome.columns[key]
            number, message = cell_number(text, key, outcome.type)
            if message:
                problems.append(f"{source}:{row.line}: {column}: {message}")
            numbers[key] = number
        problems += [f"{source}:{row.line}: {m}" for m in _consistent(numbers, outcome)]
        rows.append({"study": studies[study.number]["id"], **numbers})
    if not rows:
        notes.append(f"{where}: not imported: no study has data")
        return None
    outcome_id = slug(outcome.label, "outcome")
    measure, role, good = DEFAULTS[outcome.type]
    inferred = [
        f"{name} {value}"
        for name, value, given in (
            ("measure", measure, outcome.measure),
            ("role", role, outcome.role),
            ("good", good, outcome.good),
        )
        if value and not given
    ]
    if inferred:
        notes.append(f"{where}: check {', '.join(inferred)} (not in the export)")
    entry: dict[str, Any] = {
        "id": outcome_id,
        "label": outcome.label,
        "plain_label": outcome.label[:1].lower() + outcome.label[1:],
        "role": outcome.role or role,
        "type": outcome.type,
        "measure": outcome.measure or measure,
    }
    if outcome.good or good:
        entry["good"] = outcome.good or good
    if entry["measure"] == "MD" and not problems:
        sds = [float(r["control_sd"]) for r in rows]
        entry["unit"] = "units"
        entry["mid"] = round(statistics.median(sds) / 2, 3)
        notes.append(f"{where}: check unit and mid (set to 'units' and half the median control SD)")
    file = f"data/{config_id}-{outcome_id}.csv"
    imported.files[file] = data_csv(rows)
    entry["data"] = file
    entry["rows"] = rows  # taken off by the caller, which lists only the studies with data
    return entry


def _consistent(numbers: dict[str, str], outcome: OutcomeMap) -> list[str]:
    """What is wrong across one study's numbers (each message names its column)."""
    messages = []
    for arm in ("intervention", "control"):
        size = f"{arm}_total" if outcome.type == "binary" else f"{arm}_n"
        if not numbers.get(size):
            continue
        least = 1 if outcome.type == "binary" else 2
        if int(numbers[size]) < least:
            messages.append(f"{outcome.columns[size]}: expected {least} or more people")
        events = numbers.get(f"{arm}_events")
        if events and int(events) > int(numbers[size]):
            column = outcome.columns[f"{arm}_events"]
            messages.append(f"{column}: {events} events, more than the {numbers[size]} people")
    return messages
