"""``reportgen import covidence``: a Covidence extraction export becomes a config and data CSVs
that validate and pool as the same numbers typed by hand.

The fixtures in ``tests/fixtures/covidence/`` are synthetic, shaped like real Extraction 2 CSV
exports (``reportgen/desk/covidence.py`` names the public exports the shape comes from): the
four columns Covidence writes first (``Covidence #``, ``Study ID``, ``Title``, ``Reviewer
Name``), one line per study per reviewer plus a ``Consensus`` line, empty cells written ``""``,
a value starting with a space, a note with a line break, tables exported as an empty "<table>:"
column followed by one "<row> <column>" column per cell, and (own-template) two tables with the
same row and column names.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_desk_schema import schema_errors

from reportgen.cli import main
from reportgen.config.load import load_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "covidence"
RESULTS = FIXTURES / "extraction2-results.csv"
OWN = FIXTURES / "extraction2-own-template.csv"
CONFIG = "extraction2-results.yaml"
HEADER = "Covidence #,Study ID,Title,Reviewer Name"

# The fixture's numbers typed by hand (consensus lines; Lindqvist's agreeing reviewers;
# Moreau's single reviewer), with the choices the import lists as inferred.
FALLS = {
    "barker": (21, 150, 30, 148),
    "lindqvist": (19, 140, 29, 142),
    "okafor": (15, 120, 22, 118),
    "moreau": (25, 160, 33, 158),
    "tanaka": (12, 90, 18, 91),
}
BALANCE = {
    "barker": (44.1, 6.2, 150, 42.3, 6.5, 148),
    "lindqvist": (46.0, 5.1, 140, 43.6, 5.4, 142),
    "okafor": (45.2, 6.0, 118, 44.0, 6.1, 117),
    "moreau": (43.0, 7.0, 158, 41.9, 7.2, 155),
}
BY_HAND = (
    "report: {id: by-hand, title: Typed by hand}\n"
    "studies:\n" + "".join(f"  - {{id: {s}, label: {s.title()}}}\n" for s in FALLS) + "outcomes:\n"
    "  - {id: falls, label: Falls, plain_label: falls, role: harm, type: binary, measure: RR,\n"
    "     data: [\n"
    + "".join(
        f"       {{study: {s}, intervention: {{events: {a}, total: {b}}},\n"
        f"        control: {{events: {c}, total: {d}}}}},\n"
        for s, (a, b, c, d) in FALLS.items()
    )
    + "     ]}\n"
    "  - {id: balance, label: Balance score, plain_label: balance score, role: benefit,\n"
    "     type: continuous, measure: MD, good: higher, unit: units, mid: 3.15,\n"
    "     data: [\n"
    + "".join(
        f"       {{study: {s}, intervention: {{mean: {m1}, sd: {s1}, n: {n1}}},\n"
        f"        control: {{mean: {m2}, sd: {s2}, n: {n2}}}}},\n"
        for s, (m1, s1, n1, m2, s2, n2) in BALANCE.items()
    )
    + "     ]}\n"
)


def reportgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m reportgen ARGS`` run on this checkout's code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "reportgen", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def copy_with(tmp_path: Path, source: Path, edit=lambda lines: lines) -> Path:
    """The fixture copied as ``export.csv`` with its lines (header = index 0) edited."""
    lines = source.read_text(encoding="utf-8").split("\n")
    target = tmp_path / "export.csv"
    target.write_text("\n".join(edit(lines)), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("covidence")
    result = reportgen("import", "covidence", str(RESULTS), "--out", "review", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "review", result.stderr


def pooled(folder: Path, config: str) -> list[tuple]:
    built = reportgen("build", config, "--out", "out", "--format", "json", cwd=folder)
    assert built.returncode == 0, built.stderr
    report = json.loads(next((folder / "out").glob("*/results.json")).read_text("utf-8"))
    return [(o["label"], o["k"], o["measure"], o["pooled"]) for o in report["outcomes"]]


def test_the_config_validates_and_pools_as_the_numbers_typed_by_hand(imported):
    folder, _ = imported
    checked = reportgen("validate", CONFIG, "--out", "out", cwd=folder)
    assert checked.returncode == 0, checked.stderr
    assert schema_errors(folder / CONFIG, folder / "reportgen.schema.json") == []
    (folder / "by-hand.yaml").write_text(BY_HAND, encoding="utf-8")
    assert pooled(folder, CONFIG) == pooled(folder, "by-hand.yaml")


def test_consensus_lines_are_preferred_and_other_choices_listed(imported):
    folder, stderr = imported
    config = load_config(folder / CONFIG).config
    falls, balance = config.outcomes
    barker = falls.data[0]
    assert (barker.study, barker.control.events) == ("barker-2016", 30)  # Ben Ode typed 31
    assert [row.study for row in balance.data][-1] == "moreau-2015"  # Tanaka: no balance data
    expected = [
        "columns not read: DOI, Country, Results:, Continuous results:, Notes",
        "'Lindqvist 2018' (Covidence #30102): no consensus line: its reviewers (Ann Lee, Ben "
        "Ode) agree",
        "'Moreau 2015' (Covidence #30104): no consensus line: Ann Lee's extraction (line 9)",
        "outcome 'Balance score': study 'Tanaka 2019' (line 11) has no data",
        "outcome 'Falls': check measure RR, role harm (not in the export)",
        "check unit and mid",
    ]
    header = (folder / CONFIG).read_text(encoding="utf-8").split("\n\n", 1)[0]
    for text in expected:
        assert text in stderr
    for text in expected[1:]:
        assert text in header  # also listed in the config itself


def test_reviewers_who_disagree_without_consensus_are_located(tmp_path):
    export = copy_with(tmp_path, RESULTS, lambda lines: lines[:3] + lines[4:])  # no consensus
    result = reportgen("import", "covidence", str(export), "--out", "review", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "study 'Barker 2016' (Covidence #30101) not imported: its reviewers, and it has no "
        "consensus line, disagree: Falls Control events: export.csv:2: '30' (Ann Lee) vs "
        "export.csv:3: '31' (Ben Ode)"
    ) in result.stderr
    config = load_config(tmp_path / "review" / "export.yaml").config
    assert "barker-2016" not in {study.id for study in config.studies}


def test_missing_and_garbled_numbers_are_located(tmp_path):
    def spoil(lines: list[str]) -> list[str]:
        lines[7] = lines[7].replace(",15,120,", ",15a,120,")  # Okafor, line 8
        lines[8] = lines[8].replace(",7.2,155,", ',"",155,')  # Moreau, line 9
        lines[9] = lines[9].replace(",12,90,", ",95,90,")  # Tanaka's reviewer: not used
        lines[10] = lines[10].replace(",18,91,", ",18,-91,")  # Tanaka, line 11
        return lines

    export = copy_with(tmp_path, RESULTS, spoil)
    result = reportgen("import", "covidence", str(export), "--out", "review", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for message in (
        "export.csv:8: Falls Intervention events: expected a whole number, got '15a'",
        "export.csv:9: Balance score Control SD: empty, while the outcome's other columns",
        "export.csv:11: Falls Control total: expected a whole number (0 or more), got '-91'",
    ):
        assert message in result.stderr
    assert not (tmp_path / "review").exists()  # nothing written


def test_import_never_overwrites(imported, tmp_path):
    folder, _ = imported
    before = (folder / CONFIG).read_bytes()
    again = reportgen("import", "covidence", str(RESULTS), "--out", "review", cwd=folder.parent)
    assert again.returncode == 1 and "not overwriting" in again.stderr
    assert (folder / CONFIG).read_bytes() == before


def test_an_unrecognised_template_gets_a_map_to_fill_in(tmp_path):
    result = reportgen("import", "covidence", str(OWN), "--out", "review", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no results columns recognised: fill in covidence-map.yaml" in result.stderr
    written = sorted(p.name for p in (tmp_path / "review").iterdir())
    assert written == ["covidence-map.yaml", "reportgen.schema.json"]
    skeleton = (tmp_path / "review" / "covidence-map.yaml").read_text(encoding="utf-8")
    assert "outcomes: []" in skeleton
    assert '#   "Treatment arm Fallers [2]"' in skeleton  # the second table's column
    filled = skeleton.replace(
        "outcomes: []",
        "outcomes:\n  - label: Falls at 12 months\n    type: binary\n    columns:\n"
        '      intervention_events: "Treatment arm Fallers [2]"\n'
        '      intervention_total: "Treatment arm Randomised [2]"\n'
        '      control_events: "Usual care Fallers [2]"\n'
        '      control_total: "Usual care Randomised [2]"',
    )
    (tmp_path / "map.yaml").write_text(filled, encoding="utf-8")
    again = reportgen(
        "import", "covidence", str(OWN), "--map", "map.yaml", "--out", "mapped", cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert "study 'Ibe 2017' (line 4) has no data" in again.stderr
    config_path = tmp_path / "mapped" / "extraction2-own-template.yaml"
    checked = reportgen("validate", str(config_path), "--out", "out", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    (falls,) = load_config(config_path).config.outcomes
    assert [(r.study, r.intervention.events, r.control.total) for r in falls.data] == [
        ("ng-2020", 11, 60),
        ("ruiz-2022", 15, 78),
    ]


def test_a_wrong_map_is_located(tmp_path):
    (tmp_path / "map.yaml").write_text(
        "outcomes:\n"
        "  - label: Falls\n"
        "    type: counts\n"
        "  - label: Falls again\n"
        "    type: binary\n"
        "    columns:\n"
        "      intervention_events: Fallers\n",
        encoding="utf-8",
    )
    result = reportgen("import", "covidence", str(OWN), "--map", "map.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "map.yaml:3: outcomes[0].type: expected binary or continuous, got 'counts'" in (
        result.stderr
    )
    assert "map.yaml:7: outcomes[1].columns.intervention_events: no column 'Fallers'" in (
        result.stderr
    )
    assert "outcomes[1].columns: missing control_total" in result.stderr


def test_a_file_that_is_not_a_covidence_export_is_a_located_error(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("study,events,total\na,1,2\n", encoding="utf-8")
    result = reportgen("import", "covidence", str(other), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{other}:1: not a Covidence extraction export" in result.stderr
    assert "Traceback" not in result.stderr


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.lists(st.lists(CELL, max_size=12), max_size=8).map(
            lambda rows: (
                "\n".join(
                    [
                        HEADER
                        + ",Intervention events,Intervention total,Control events,Control total"
                    ]
                )
                + "\n"
                + "\n".join(",".join(row) for row in rows)
            )
        ),
    )
)
def test_any_csv_text_never_gives_a_traceback(text):
    err = io.StringIO()
    with tempfile.TemporaryDirectory() as folder, redirect_stderr(err), redirect_stdout(err):
        export = Path(folder) / "export.csv"
        export.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        status = main(["import", "covidence", str(export), "--out", str(Path(folder) / "o")])
    assert status in (0, 1), err.getvalue()
    assert "Traceback" not in err.getvalue()
