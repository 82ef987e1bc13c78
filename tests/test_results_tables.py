"""results.csv and results.xlsx: one row per outcome and analysis, the same numbers as
results.json, identical bytes for identical inputs; built through ``reportgen build``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from test_desk_schema import reportgen

from reportgen.present.results_table import ResultsRow

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = [
    "outcome_id",
    "outcome_label",
    "analysis",
    "subset",
    "k",
    "n",
    "measure",
    "method",
    "test",
    "estimate",
    "ci_lower",
    "ci_upper",
    "pi_lower",
    "pi_upper",
    "p_value",
    "tau2",
    "i2",
    "q",
    "q_df",
    "q_p",
    "error",
]
CONFIGS = ("venetoclax-rr-aml", "bcg-vaccine-tuberculosis")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The examples built twice, into two output folders, with csv, xlsx and json."""
    work = tmp_path_factory.mktemp("tables")
    shutil.copytree(ROOT / "configs", work / "configs")
    configs = [f"configs/{name}.yaml" for name in CONFIGS]
    folders = {}
    for out in ("first", "second"):
        result = reportgen("build", *configs, "--out", out, "--format", "csv,xlsx,json", cwd=work)
        assert result.returncode == 0, result.stderr
        folders[out] = work / out
    return folders


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_the_columns_are_the_contract():
    assert list(ResultsRow.columns()) == COLUMNS


@pytest.mark.parametrize("report_id", CONFIGS)
def test_identical_inputs_give_identical_bytes(built, report_id):
    for name in ("results.csv", "results.xlsx"):
        first = (built["first"] / report_id / name).read_bytes()
        assert first == (built["second"] / report_id / name).read_bytes(), name


@pytest.mark.parametrize("report_id", CONFIGS)
def test_one_row_per_outcome_and_analysis_with_the_numbers_of_results_json(built, report_id):
    folder = built["first"] / report_id
    document = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    rows = read_csv(folder / "results.csv")
    assert list(rows[0]) == COLUMNS
    for outcome in document["outcomes"]:
        mine = [r for r in rows if r["outcome_id"] == outcome["id"]]
        main = [r for r in mine if r["analysis"] == "main"]
        assert len(main) == 1
        main_row = main[0]
        assert float(main_row["estimate"]) == outcome["pooled"]["estimate"]
        assert float(main_row["ci_lower"]) == outcome["pooled"]["ci_lower"]
        assert float(main_row["p_value"]) == outcome["model"]["p_value"]
        assert float(main_row["tau2"]) == outcome["heterogeneity"]["tau2"]
        assert float(main_row["i2"]) == outcome["heterogeneity"]["i2"]
        assert int(main_row["k"]) == outcome["k"]
        assert int(main_row["n"]) == outcome["participants"]
        loo = [r for r in mine if r["analysis"] == "leave_one_out"]
        assert [r["subset"] for r in loo] == [x["omitted"] for x in outcome["leave_one_out"]]
        for row, study in zip(loo, outcome["studies"], strict=True):
            data = study["data"]
            size = (
                data["total"]
                if "total" in data
                else sum(arm.get("total", arm.get("n", 0)) for arm in data.values())
            )
            assert int(row["n"]) == outcome["participants"] - size
            assert int(row["k"]) == outcome["k"] - 1
        sens = [r for r in mine if r["analysis"] == "sensitivity"]
        assert [r["subset"] for r in sens] == [s["name"] for s in outcome["sensitivity"]]
        for row, given in zip(sens, outcome["sensitivity"], strict=True):
            assert float(row["estimate"]) == given["pooled"]["estimate"]
            assert int(row["k"]) == given["k"]
        groups = (outcome.get("subgroups") or {}).get("groups", [])
        subgroup_rows = [r for r in mine if r["analysis"] == "subgroup"]
        assert len(subgroup_rows) == len(groups)
        if groups:
            variable = outcome["subgroups"]["variable"]
            assert [r["subset"] for r in subgroup_rows] == [
                f"{variable}={g['value']}" for g in groups
            ]
            assert sum(int(r["n"]) for r in subgroup_rows) == outcome["participants"]
            (test,) = [r for r in mine if r["analysis"] == "subgroup_difference"]
            assert float(test["q_p"]) == outcome["subgroups"]["q_between_p"]
            assert test["estimate"] == ""


@pytest.mark.parametrize("report_id", CONFIGS)
def test_the_workbook_holds_the_same_table_as_numbers(built, report_id):
    folder = built["first"] / report_id
    rows = read_csv(folder / "results.csv")
    book = openpyxl.load_workbook(folder / "results.xlsx")
    sheet = book["results"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == COLUMNS
    assert len(cells) == len(rows) + 1
    for row, values in zip(rows, cells[1:], strict=True):
        for name, value in zip(COLUMNS, values, strict=True):
            if value is None:
                assert row[name] == ""
            elif isinstance(value, int | float) and not isinstance(value, bool):
                # openpyxl writes 16 significant digits (Excel itself keeps 15)
                assert float(row[name]) == pytest.approx(value, rel=1e-15, abs=0), name
            else:
                assert row[name] == value, name
    assert sheet.freeze_panes == "A2"


def test_the_manifest_and_index_list_the_tables(built):
    manifest = json.loads((built["first"] / CONFIGS[0] / "manifest.json").read_text())
    assert {"csv", "xlsx"} <= set(manifest["formats"])
    index = (built["first"] / "index.html").read_text(encoding="utf-8")
    assert "results.csv" in index and "results.xlsx" in index


@pytest.mark.parametrize("report_id", CONFIGS)
def test_the_workbook_holds_no_time_of_saving(built, report_id):
    """openpyxl stamps the time of saving; every stamp must be the report's date instead."""
    import re
    import zipfile

    folder = built["first"] / report_id
    updated = json.loads((folder / "manifest.json").read_text())["report_updated"]
    year, month, day = (int(part) for part in updated.split("-"))
    with zipfile.ZipFile(folder / "results.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(year, month, day, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
    assert sorted(stamps) == [
        ("created", f"{updated}T00:00:00Z"),
        ("modified", f"{updated}T00:00:00Z"),
    ]
