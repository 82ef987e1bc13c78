"""What ``reportgen import`` makes, whatever the export: the files (path -> text), the notes to
print, and the helpers every importer shares (ids, data CSVs, the commented config)."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.desk.commented import commented_yaml
from reportgen.desk.init import SCHEMA_NAME
from reportgen.desk.schema import config_schema

# The data CSV columns of each outcome type (reportgen's own names, arms flattened).
BINARY_FIELDS = ("intervention_events", "intervention_total", "control_events", "control_total")
CONTINUOUS_FIELDS = (
    "intervention_mean",
    "intervention_sd",
    "intervention_n",
    "control_mean",
    "control_sd",
    "control_n",
)
FIELDS = {"binary": BINARY_FIELDS, "continuous": CONTINUOUS_FIELDS}


@dataclass
class Imported:
    """What an import wrote (path -> text) and the choices and omissions to report."""

    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def slug(text: str, fallback: str) -> str:
    """Lower-case letters, digits and single hyphens (a report or outcome id), at most 60."""
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return made or fallback


def data_csv(rows: list[dict[str, Any]]) -> str:
    """Rows (``study`` first) as a data CSV."""
    buffer = io.StringIO()
    names = ["study", *(name for name in rows[0] if name != "study")]
    writer = csv.DictWriter(buffer, names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def config_text(document: dict[str, Any], made_by: str, notes: list[str]) -> str:
    """The config ``document`` commented from the schema, with the import's notes on top."""
    header = [f"# yaml-language-server: $schema={SCHEMA_NAME}"]
    header.append(f"# Imported by {made_by}. Check:")
    header += [f"#   - {note}" for note in notes] or ["#   - nothing to check"]
    return "\n".join(header) + "\n\n" + commented_yaml(document, config_schema())


def add_config(
    imported: Imported,
    config_id: str,
    report: dict[str, Any],
    studies: dict[str, dict[str, Any]],
    entries: list[dict[str, Any]],
    notes: list[str],
    made_by: str,
) -> None:
    """Add ``<config_id>.yaml`` to ``imported``: the outcomes ``entries`` (each with the
    ``rows`` it read, taken out here), only the studies some outcome has rows for, and the
    import's ``notes`` on top of the config and in what is printed."""
    listed = {row["study"] for entry in entries for row in entry.pop("rows")}
    document = {
        "report": report,
        "studies": [s for s in studies.values() if s["id"] in listed],
        "outcomes": entries,
    }
    imported.notes += [f"{config_id}.yaml: {note}" for note in notes]
    imported.files[f"{config_id}.yaml"] = config_text(document, made_by, notes)


def cell_number(text: str, key: str, kind: str) -> tuple[str, str]:
    """A cell of an export as the data CSV writes it (counts and sizes whole), or the message
    saying what is wrong with it; ``key`` is the data column (``..._n`` is a size)."""
    if not text:
        return "", "empty, while the outcome's other columns for this study are filled in"
    whole = kind == "binary" or key.endswith("_n")
    try:
        value = float(text)
    except ValueError:
        return "", f"expected a {'whole ' if whole else ''}number, got {text!r}"
    if not math.isfinite(value):
        return "", f"expected a finite number, got {text!r}"
    if whole and (value != int(value) or value < 0):
        return "", f"expected a whole number (0 or more), got {text!r}"
    if key.endswith("_sd") and value <= 0:
        return "", f"expected a standard deviation above 0, got {text!r}"
    return (str(int(value)) if whole else text), ""
