"""``reportgen import revman``: a RevMan "Data and analyses" CSV export (fixture written to the
layout documented in ``reportgen/desk/revman.py``) becomes a config and data CSVs that validate;
columns and outcomes it cannot import are reported, never silently dropped."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from test_desk_schema import reportgen, schema_errors

from reportgen.config.load import load_config

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "import" / "revman-analysis-data.csv"
CONFIG = "exercise-programmes-versus-usual-care-for-older-adults.yaml"


@pytest.fixture
def imported(tmp_path) -> tuple[Path, str]:
    result = reportgen("import", "revman", str(FIXTURE), "--out", "review", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "review", result.stderr


def fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_config_validates_and_keeps_revmans_numbers(imported, tmp_path):
    folder, _ = imported
    checked = reportgen("validate", CONFIG, "--out", str(tmp_path / "out"), cwd=folder)
    assert checked.returncode == 0, checked.stderr
    assert schema_errors(folder / CONFIG, folder / "reportgen.schema.json") == []
    config = load_config(folder / CONFIG).config
    falls, balance = config.outcomes
    assert (falls.type, falls.measure, falls.method, falls.role) == ("binary", "RR", "DL", "harm")
    assert (balance.type, balance.measure, balance.method) == ("continuous", "MD", "FE")
    assert balance.good == "higher"  # RevMan's right-hand label favours the experimental group
    study_rows = [r for r in fixture_rows() if r["Outcome Number"] == "1" and r["Year of study"]]
    assert [row.intervention.events for row in falls.data] == [
        int(r["Events 1"]) for r in study_rows
    ]
    assert [row.control.total for row in falls.data] == [int(r["Total 2"]) for r in study_rows]
    labels = {s.id: s.label for s in config.studies}
    assert [labels[row.study] for row in falls.data] == [r["Name"] for r in study_rows]
    groups = {(s.model_extra or {}).get(falls.subgroup) for s in config.studies}
    assert groups == {"Group exercise", "Home-based exercise"}
    means = [(row.intervention.mean, row.control.sd) for row in balance.data]
    assert means[0] == (44.1, 6.5)


def test_what_cannot_be_imported_is_reported(imported):
    folder, stderr = imported
    assert "columns not read: O-E, Variance" in stderr
    assert "'Time to first fall' (line 17): not imported: data type 'IPD'" in stderr
    assert "check unit and mid" in stderr
    header = (folder / CONFIG).read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "not imported: data type 'IPD'" in header  # also listed in the config itself


def test_import_builds(imported):
    folder, _ = imported
    built = reportgen("build", CONFIG, "--out", "out", "--format", "json", cwd=folder)
    assert built.returncode == 0, built.stderr


def test_a_windows_1252_export_reads_the_same(tmp_path):
    latin = tmp_path / "export.csv"
    latin.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("cp1252"))
    result = reportgen("import", "revman", str(latin), "--out", "review", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load_config(tmp_path / "review" / CONFIG).config.outcomes[0].data[0].control.events


def test_import_never_overwrites(imported, tmp_path):
    folder, _ = imported
    before = (folder / CONFIG).read_bytes()
    again = reportgen("import", "revman", str(FIXTURE), "--out", "review", cwd=tmp_path)
    assert again.returncode == 1 and "not overwriting" in again.stderr
    assert (folder / CONFIG).read_bytes() == before


def test_a_file_that_is_not_a_revman_export_is_a_located_error(tmp_path):
    other = tmp_path / "other.csv"
    shutil.copy(FIXTURE, other)
    other.write_text("study,events,total\na,1,2\n", encoding="utf-8")
    result = reportgen("import", "revman", str(other), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{other}:1: not a RevMan 'Data and analyses' export" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_line_python_cannot_read_is_located_not_a_traceback(tmp_path):
    """A cell over Python's csv field limit (128 KiB), after a quoted cell holding a line break:
    the message names the line the bad row starts on (4, not its row index 3) and exits 1."""
    export = tmp_path / "export.csv"
    header = "Comparison Number,Outcome Number,Subgroup Number,Name,Data Type\n"
    rows = '1,0,0,"Exercise\nversus usual care",\n' + f'1,1,0,"{"x" * 200_000}",Dichotomous\n'
    export.write_text(header + rows, encoding="utf-8")
    result = reportgen("import", "revman", str(export), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"{export}:4: not a CSV line (field larger than field limit" in result.stderr
    assert "Traceback" not in result.stderr
