"""``reportgen import revman-web``: RevMan Web's study data CSVs become configs and data CSVs
that validate and pool as the same numbers typed by hand.

The fixtures in ``tests/fixtures/revman-web/`` are synthetic, shaped like the files RevMan Web
and Covidence's "Export to RevMan Web" write (``reportgen/desk/revman_web.py`` names the public
files the layout comes from): ``Study information`` with ``Study``, ``Year``, ``Data source``
and ``Char: ...`` columns (UTF-8 with a byte-order mark, CRLF lines, a note with a line break,
as in the RevMan Web data package shipped with R's meta package); ``Study arms`` with ``Study``,
``Arm``, ``Description``, ``Intervention``; ``Study results`` with its 41 columns, arm-level
rows (``Cases``, ``Sample size``; ``Mean``, ``SD``, ``Sample size``) and contrast-level rows
(``Reference arm`` filled; ``Exp mean`` with its CI, or the log ratio in ``Mean`` with ``SE``);
and an RoB 1 ``Risk of bias`` file (``Domain (judgement): ...``, ``Domain (support): ...``).
"""

from __future__ import annotations

import io
import json
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_desk_covidence import reportgen  # python -m reportgen on this checkout
from test_desk_schema import schema_errors

from reportgen.cli import main
from reportgen.config.load import load_config
from reportgen.desk.revman_web import RESULTS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "revman-web"
RESULTS_FILE = FIXTURES / "review-study-results.csv"
CONFIG = "exercise-versus-usual-care.yaml"

# The fixture's numbers typed by hand (Lindqvist's two exercise arms are not combined; Tanaka
# has no balance data), with the choices the import lists as inferred.
FALLS = {
    "barker": (21, 150, 30, 148),
    "okafor": (15, 120, 22, 118),
    "moreau": (25, 160, 33, 158),
    "tanaka": (12, 90, 18, 91),
}
BALANCE = {
    "barker": (44.1, 6.2, 150, 42.3, 6.5, 148),
    "okafor": (45.2, 6.0, 118, 44.0, 6.1, 117),
    "moreau": (43.0, 7.0, 158, 41.9, 7.2, 155),
}
TIME = {
    "barker": "estimate: 0.72, ci_lower: 0.55, ci_upper: 0.94",
    "moreau": "estimate: 0.81, ci_lower: 0.62, ci_upper: 1.06",
    "tanaka": "estimate: 0.7, se: 0.21",
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
    "     type: continuous, measure: MD, good: higher, unit: units, mid: 3.25,\n"
    "     data: [\n"
    + "".join(
        f"       {{study: {s}, intervention: {{mean: {m1}, sd: {s1}, n: {n1}}},\n"
        f"        control: {{mean: {m2}, sd: {s2}, n: {n2}}}}},\n"
        for s, (m1, s1, n1, m2, s2, n2) in BALANCE.items()
    )
    + "     ]}\n"
    "  - {id: time, label: Time to first fall, plain_label: time to first fall, role: harm,\n"
    "     type: generic, measure: HR, good: lower, event: time to first fall,\n"
    "     data: [\n"
    + "".join(f"       {{study: {s}, {v}}},\n" for s, v in TIME.items())
    + "     ]}\n"
)


def copy_with(tmp_path: Path, edit=lambda lines: lines) -> Path:
    """The fixture folder copied, its results file's lines (header = index 0) edited."""
    folder = tmp_path / "export"
    folder.mkdir()
    for source in FIXTURES.glob("*.csv"):
        (folder / source.name).write_bytes(source.read_bytes())
    lines = RESULTS_FILE.read_bytes().decode("utf-8-sig").split("\r\n")
    (folder / RESULTS_FILE.name).write_text("\r\n".join(edit(lines)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("revman-web")
    result = reportgen("import", "revman-web", str(FIXTURES), "--out", "review", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "review", result.stderr


def pooled(folder: Path, config: str) -> list[tuple]:
    out = folder / f"out-{config}"
    built = reportgen("build", config, "--out", str(out), "--format", "json", cwd=folder)
    assert built.returncode == 0, built.stderr
    report = json.loads(next(out.glob("*/results.json")).read_text("utf-8"))
    return [(o["label"], o["k"], o["measure"], o["pooled"]) for o in report["outcomes"]]


def test_the_config_validates_and_pools_as_the_numbers_typed_by_hand(imported):
    folder, _ = imported
    checked = reportgen("validate", CONFIG, "--out", "out", cwd=folder)
    assert checked.returncode == 0, checked.stderr
    assert schema_errors(folder / CONFIG, folder / "reportgen.schema.json") == []
    (folder / "by-hand.yaml").write_text(BY_HAND, encoding="utf-8")
    assert pooled(folder, CONFIG) == pooled(folder, "by-hand.yaml")


def test_arms_map_to_interventions_and_choices_are_listed(imported):
    folder, stderr = imported
    config = load_config(folder / CONFIG).config
    assert (config.report.intervention, config.report.comparator) == ("Exercise", "Usual care")
    assert [s.year for s in config.studies] == [2016, 2020, 2021, 2022]
    falls, balance, time = config.outcomes
    assert (falls.type, falls.measure, falls.role) == ("binary", "RR", "harm")
    assert (balance.type, balance.measure, balance.unit, balance.mid) == (
        "continuous",
        "MD",
        "units",
        3.25,
    )
    assert (time.type, time.measure, time.good, time.event) == (
        "generic",
        "HR",
        "lower",
        "time to first fall",
    )
    header = (folder / CONFIG).read_text(encoding="utf-8").split("\n\n")[0]
    for said in (
        "outcome 'Falls': check measure RR",
        "study 'Lindqvist 2019' not imported: several arms of one intervention",
        "outcome 'Balance score': study 'Tanaka 2022' not imported: no data",
        "check role harm, good lower, event",
    ):
        assert said in header
        assert said in stderr
    assert "comparator: 'Usual care' (its name says so)" in stderr
    assert "risk of bias not imported" in stderr
    assert "study characteristics not read: Char: Methods" in stderr


def test_files_named_one_by_one_import_as_their_folder(imported, tmp_path):
    folder, _ = imported
    files = [str(path) for path in sorted(FIXTURES.glob("*.csv"))]
    result = reportgen("import", "revman-web", *files, "--out", "again", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "again" / CONFIG).read_text("utf-8") == (folder / CONFIG).read_text("utf-8")


def test_unknown_columns_and_no_arms_file_are_reported(tmp_path):
    export = copy_with(tmp_path, lambda lines: [lines[0] + ",Timepoint", *lines[1:]])
    (export / "review-study-arms.csv").unlink()
    result = reportgen("import", "revman-web", str(export), "--out", "o", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "columns not read: review-study-results.csv: Timepoint" in result.stderr
    assert "no Study arms file: each arm's name is taken as its intervention" in result.stderr


def test_missing_and_garbled_numbers_are_located(tmp_path):
    def edit(lines):
        lines[1] = lines[1].replace(",150,21,", ",150,2l,")
        lines[3] = lines[3].replace(",120,15,", ",,15,")
        return lines

    result = reportgen("import", "revman-web", str(copy_with(tmp_path, edit)), cwd=tmp_path)
    assert result.returncode == 1
    name = RESULTS_FILE.name
    assert f"{name}:2: Cases: expected a whole number, got '2l'" in result.stderr
    assert f"{name}:4: Sample size: empty, while" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.yaml"))


def test_import_never_overwrites(imported, tmp_path):
    folder, _ = imported
    before = (folder / CONFIG).read_text(encoding="utf-8")
    again = reportgen("import", "revman-web", str(FIXTURES), "--out", str(folder), cwd=tmp_path)
    assert again.returncode == 1
    assert "not overwriting existing files" in again.stderr
    assert (folder / CONFIG).read_text(encoding="utf-8") == before


def test_a_file_that_is_not_study_data_is_a_located_error(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("study,events,total\na,1,2\n", encoding="utf-8")
    result = reportgen("import", "revman-web", str(other), cwd=tmp_path)
    assert result.returncode == 1
    assert "other.csv:1: not a RevMan Web study data file" in result.stderr
    assert "Traceback" not in result.stderr


CELL = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
ROWS = st.lists(st.lists(CELL, max_size=8), max_size=8)
# Cells that reach the import's every branch: names, data types, measures, odd numbers.
WORDS = ["A", "B", "Falls", "Dichotomous", "Continuous", "Exercise", "Placebo", "Hazard Ratio"]
WORDS += ["Odds Ratio", "Mean Difference", "1", "2.5", "-0.3", "0", "", "x", "nan", "1e400"]
WORDS += ["90", "1000"]
PLAUSIBLE = st.lists(st.lists(st.sampled_from(WORDS), min_size=18, max_size=18), max_size=10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(max_size=300),
        ROWS.map(lambda rows: "\n".join([",".join(RESULTS[:8]), *(",".join(r) for r in rows)])),
        PLAUSIBLE.map(
            lambda rows: "\n".join([",".join(RESULTS[:18])] + [",".join(r) for r in rows])
        ),
    ),
    arms=st.one_of(
        st.none(),
        ROWS.map(
            lambda rows: "\n".join(
                ["Study,Arm,Description,Intervention"] + [",".join(r) for r in rows]
            )
        ),
    ),
)
def test_any_csv_text_never_gives_a_traceback(text, arms):
    err = io.StringIO()
    with tempfile.TemporaryDirectory() as folder, redirect_stderr(err), redirect_stdout(err):
        export = Path(folder) / "in"
        export.mkdir()
        (export / "results.csv").write_bytes(text.encode("utf-8", errors="surrogatepass"))
        if arms is not None:
            (export / "arms.csv").write_text(arms, encoding="utf-8")
        status = main(["import", "revman-web", str(export), "--out", str(Path(folder) / "o")])
    assert status in (0, 1), err.getvalue()
    assert "Traceback" not in err.getvalue()
