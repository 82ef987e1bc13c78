"""``reportgen import FORMAT FILE``: a config and its data CSVs from another tool's export.

``revman``: a RevMan "Data and analyses" CSV export (columns: ``desk.revman``). Each comparison
becomes one config, ``<comparison>.yaml``, with its studies listed inline and each outcome's
rows in ``data/<comparison>-<outcome>.csv``; the config is commented from the schema as
``reportgen init``'s is. What RevMan does not record and a config needs is filled in from what
it does record, and every such choice is listed at the top of the config and printed:

- ``method``: Peto -> PETO; MH with the fixed model -> MH; inverse variance with the fixed
  model -> FE; a random-effects model -> DL (RevMan's random-effects estimator).
- ``good`` (and ``role``, for dichotomous outcomes): from the graph label that names the
  experimental group: left (``Favours experimental``) means lower is better, and fewer events
  mean the outcome is a harm.
- ``unit`` and ``mid`` of a mean difference: ``units`` and half the median control-group SD
  (the half-SD rule of thumb, Norman et al. 2003, Med Care 41:582-92), to be replaced.

Columns the importer does not know and outcomes it cannot import (other data types, rows
without data) are reported, never silently dropped. Nothing is overwritten.

``revman-web``: RevMan Web's study data CSVs (study information, arms, results, risk of bias;
layout: ``desk.revman_web``), one config per intervention compared (``desk.revman_web_import``).

``covidence``: a Covidence extraction CSV export (layout: ``desk.covidence``), whose columns are
named by the review's own template; ``--map`` names which column holds which number (the map is
``desk.covidence_map``, the config ``desk.covidence_import``: one config for the export).
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from reportgen.desk.imported import Imported, config_text, data_csv, slug
from reportgen.desk.init import SCHEMA_NAME
from reportgen.desk.revman import (
    DATA_TYPES,
    RevManComparison,
    RevManError,
    RevManOutcome,
    read_revman,
)
from reportgen.desk.schema import schema_text
from reportgen.errors import UserError
from reportgen.stats.measures import OUTCOME_TYPES

FORMATS = ("revman", "revman-web", "covidence")
# RevMan's long names of its effect measures; its abbreviations are the registry's own codes.
MEASURE_NAMES = {
    "ODDS RATIO": "OR",
    "PETO OR": "OR",
    "PETO ODDS RATIO": "OR",
    "RISK RATIO": "RR",
    "RISK DIFFERENCE": "RD",
    "MEAN DIFFERENCE": "MD",
    "STD. MEAN DIFFERENCE": "SMD",
}
EXPERIMENTAL_WORDS = ("experimental", "intervention", "treatment")
BINARY_COLUMNS = {
    "intervention_events": "Events 1",
    "intervention_total": "Total 1",
    "control_events": "Events 2",
    "control_total": "Total 2",
}
CONTINUOUS_COLUMNS = {
    "intervention_mean": "Mean 1",
    "intervention_sd": "SD 1",
    "intervention_n": "Total 1",
    "control_mean": "Mean 2",
    "control_sd": "SD 2",
    "control_n": "Total 2",
}


def _measure(name: str, kind: str | None) -> str | None:
    """The registry's code of RevMan's measure ``name`` if the outcome type ``kind`` allows it."""
    code = MEASURE_NAMES.get(name.upper(), name.upper())
    return code if kind is not None and code in OUTCOME_TYPES[kind].measures else None


def _method(outcome: RevManOutcome) -> str:
    method, random = outcome.method.upper(), outcome.model.lower().startswith("random")
    if method == "PETO" or outcome.measure.upper().startswith("PETO"):
        return "PETO"
    if random:
        return "DL"
    return "MH" if method == "MH" else "FE"


def _lower_is_better(outcome: RevManOutcome) -> bool | None:
    """Whether the left of RevMan's forest plot (lower values) favours the experimental group,
    from the graph labels; None when neither label names it."""
    names = [w for w in (*EXPERIMENTAL_WORDS, outcome.group_labels[0].lower()) if w]
    left, right = (label.lower() for label in outcome.graph_labels)
    if any(word in left for word in names):
        return True
    if any(word in right for word in names):
        return False
    return None


def _rows(outcome: RevManOutcome, kind: str, notes: list[str], where: str) -> list[dict]:
    """The outcome's data rows (study label -> CSV columns); rows without data are noted."""
    columns = BINARY_COLUMNS if kind == "binary" else CONTINUOUS_COLUMNS
    rows = []
    for study in outcome.studies:
        values = {name: study.values.get(source, "") for name, source in columns.items()}
        empty = [source for name, source in columns.items() if not values[name]]
        if empty or values["intervention_" + ("total" if kind == "binary" else "n")] == "0":
            notes.append(
                f"{where}: study '{study.label}' (line {study.line}) not imported: no data"
            )
            continue
        rows.append({"study": study, **values})
    return rows


def _outcome(
    outcome: RevManOutcome, studies: dict[str, dict[str, Any]], config_id: str, imported: Imported
) -> dict[str, Any] | None:
    """The outcome's config entry (its data file written into ``imported``), or None."""
    where = f"outcome {outcome.number} '{outcome.name}' (line {outcome.line})"
    kind = DATA_TYPES.get(outcome.data_type.upper())
    measure = _measure(outcome.measure, kind)
    if kind is None or measure is None:
        what = f"data type {outcome.data_type!r}" if kind is None else repr(outcome.measure)
        imported.notes.append(f"{where}: not imported: {what} is not supported")
        return None
    rows = _rows(outcome, kind, imported.notes, where)
    if not rows:
        imported.notes.append(f"{where}: not imported: no study rows with data")
        return None
    outcome_id = slug(outcome.name, f"outcome-{outcome.number}")
    lower = _lower_is_better(outcome)
    if lower is None:
        imported.notes.append(f"{where}: check good: the graph labels do not say (lower assumed)")
        lower = True
    entry: dict[str, Any] = {
        "id": outcome_id,
        "label": outcome.name,
        "plain_label": outcome.name[:1].lower() + outcome.name[1:],
        "role": "harm" if kind == "binary" and lower else "benefit",
        "type": kind,
        "measure": measure,
        "method": _method(outcome),
    }
    if kind == "continuous":
        entry["good"] = "lower" if lower else "higher"
    if measure == "MD":
        sds = [float(r["control_sd"]) for r in rows]
        entry["unit"] = "units"
        entry["mid"] = round(statistics.median(sds) / 2, 3)
        imported.notes.append(
            f"{where}: check unit and mid (set to 'units' and half the median control SD)"
        )
    _add_studies(rows, studies, entry, outcome_id)
    file = f"data/{config_id}-{outcome_id}.csv"
    imported.files[file] = data_csv(rows)
    entry["data"] = file
    return entry


def _add_studies(
    rows: list[dict], studies: dict[str, dict[str, Any]], entry: dict[str, Any], outcome_id: str
) -> None:
    """Give each row's study an id (listed once under ``studies``) and its subgroup."""
    attribute = f"{outcome_id}_subgroup"
    used: set[str] = set()
    for row in rows:
        study = row.pop("study")
        year = "" if study.year in study.label else study.year
        study_id = slug(f"{study.label} {year}".strip(), f"study-{study.line}")
        if study_id in used:  # the same study twice in one outcome (RevMan subgroups)
            study_id = slug(f"{study_id} {study.subgroup or study.line}", study_id)
        used.add(study_id)
        listed = studies.setdefault(study_id, {"id": study_id, "label": study.label})
        if study.year:
            listed["year"] = int(study.year) if study.year.isdigit() else study.year
        if study.subgroup:
            listed[attribute] = study.subgroup
            entry["subgroup"] = attribute
        row["study"] = study_id


def _config(comparison: RevManComparison, source: str, imported: Imported) -> None:
    """One comparison's config (and data files) into ``imported``; its notes are listed at
    the top of the config and added to the import's, prefixed with the config's name."""
    config_id = slug(comparison.name, f"comparison-{comparison.number}")
    studies: dict[str, dict[str, Any]] = {}
    mine = Imported(imported.files)
    outcomes = [_outcome(o, studies, config_id, mine) for o in comparison.outcomes]
    kept = [o for o in outcomes if o is not None]
    imported.notes += [f"{config_id}.yaml: {note}" for note in mine.notes]
    if not kept:
        imported.notes.append(f"comparison {comparison.number}: nothing to import")
        return
    mine.notes.append(
        "rewrite each outcome's plain_label and report.intervention in plain words (they are "
        "RevMan's labels)"
    )
    imported.notes.append(f"{config_id}.yaml: {mine.notes[-1]}")
    first = comparison.outcomes[0]
    report: dict[str, Any] = {"id": config_id, "title": comparison.name}
    if first.group_labels[0]:
        report["intervention"] = first.group_labels[0]
    if first.group_labels[1]:
        report["comparator"] = first.group_labels[1]
    report["source"] = f"Imported from {source} (RevMan analysis data)"
    document = {"report": report, "studies": list(studies.values()), "outcomes": kept}
    made_by = f"reportgen import revman from {source}"
    imported.files[f"{config_id}.yaml"] = config_text(document, made_by, mine.notes)


def import_export(kind: str, files: Path | list[Path], map_file: Path | None = None) -> Imported:
    """The files an import of ``files`` (a ``kind`` export: one file, or for revman-web the
    CSVs or their folder) makes, and its notes; ``map_file`` says which column of a Covidence
    export holds what (``desk.covidence_map``)."""
    if kind not in FORMATS:
        raise UserError(f"reportgen import: unknown format {kind!r}; choose from {FORMATS}")
    if map_file is not None and kind != "covidence":
        raise UserError("reportgen import: --map is for covidence exports only")
    paths = files if isinstance(files, list) else [files]
    if kind == "revman-web":
        return _revman_web(paths)
    if len(paths) != 1:
        raise UserError(f"reportgen import {kind}: give one exported CSV file")
    file = paths[0]
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise UserError(f"{file}: cannot be read ({error.strerror})") from None
    if kind == "covidence":
        return _covidence(raw, file, map_file)
    try:
        export = read_revman(raw)
    except RevManError as error:
        where = f"{file}:{error.line}" if error.line else str(file)
        raise UserError(f"{where}: {error}") from None
    imported = Imported()
    if export.unread_columns:
        imported.notes.append(f"columns not read: {', '.join(export.unread_columns)}")
    for comparison in export.comparisons:
        _config(comparison, file.name, imported)
    return imported


def _covidence(raw: bytes, file: Path, map_file: Path | None) -> Imported:
    from reportgen.desk.covidence import CovidenceError, read_covidence
    from reportgen.desk.covidence_import import import_covidence

    try:
        export = read_covidence(raw)
    except CovidenceError as error:
        where = f"{file}:{error.line}" if error.line else str(file)
        column = f" {error.column}:" if error.column else ""
        raise UserError(f"{where}:{column} {error}") from None
    return import_covidence(export, file, map_file)


def _revman_web(paths: list[Path]) -> Imported:
    from reportgen.desk.revman_web import RevManWebError, read_study_data
    from reportgen.desk.revman_web_import import import_study_data

    try:
        data = read_study_data(paths)
    except RevManWebError as error:
        raise UserError(error.located()) from None
    return import_study_data(data)


def write_import(imported: Imported, out: Path) -> list[Path]:
    """Write the imported files into ``out``, refusing to overwrite any; the paths written."""
    files = dict(imported.files)
    schema = out / SCHEMA_NAME
    if not (schema.exists() and schema.read_text(encoding="utf-8") == schema_text()):
        files[SCHEMA_NAME] = schema_text()
    existing = [str(out / name) for name in files if (out / name).exists()]
    if existing:
        raise UserError(f"reportgen import: not overwriting existing files: {', '.join(existing)}")
    written = []
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written
