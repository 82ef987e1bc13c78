"""``reportgen init``: for every kind, through the real entry point, the files it writes validate
against the schema, pass ``reportgen validate`` and build; nothing is ever overwritten."""

from __future__ import annotations

import json
import re

import pytest
from test_desk_schema import reportgen, schema_errors

from reportgen.desk.init import CONFIG_NAME, KINDS, SCHEMA_NAME
from reportgen.desk.schema import config_schema


def test_there_is_a_kind_for_each_review_the_issue_names():
    assert set(KINDS) == {"single-arm", "binary", "continuous", "time-to-event"}


@pytest.mark.parametrize("kind", KINDS)
def test_init_writes_a_config_that_validates_and_builds(kind, tmp_path):
    folder = tmp_path / "review"
    result = reportgen("init", kind, str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = folder / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_NAME}\n")
    assert json.loads((folder / SCHEMA_NAME).read_text(encoding="utf-8")) == config_schema()
    assert schema_errors(config, folder / SCHEMA_NAME) == []
    assert sorted(p.name for p in (folder / "data").iterdir())  # data templates written

    checked = reportgen("validate", CONFIG_NAME, "--out", str(tmp_path / "out"), cwd=folder)
    assert checked.returncode == 0, checked.stderr
    assert f"{CONFIG_NAME}: ok" in checked.stdout

    built = reportgen("build", CONFIG_NAME, "--out", "out", "--format", "html,json", cwd=folder)
    assert built.returncode == 0, built.stderr
    results = json.loads(next((folder / "out").glob("*/results.json")).read_text())
    assert results["outcomes"][0]["k"] == 3
    # The optional parts are there as examples: risk of bias judged with the kind's tool (RoB 2
    # for trials, ROBINS-I for the single-arm cohorts), for every study.
    assert (folder / "references.bib").is_file()
    assert results["risk_of_bias"]["tool"] == ("robins-i" if kind == "single-arm" else "rob2")
    judged = {row["study"] for row in results["risk_of_bias"]["judgements"]}
    assert len(judged) == 3
    assert results["outcomes"][0]["certainty"]["high_risk_weight"] is not None


@pytest.mark.parametrize("kind", KINDS)
def test_every_key_is_explained_by_a_comment_from_the_schema(kind, tmp_path):
    reportgen("init", kind, str(tmp_path), cwd=tmp_path)
    lines = (tmp_path / CONFIG_NAME).read_text(encoding="utf-8").splitlines()
    keys = [i for i, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+:", line)]
    assert len(keys) > 10
    seen = set()  # (indent, key): later items of a list repeat the first item's keys uncommented
    for i in keys:
        key = re.match(r"^(\s*(?:- )?)([a-z_]+):", lines[i])
        assert key
        if (len(key.group(1)), key.group(2)) in seen:
            continue
        seen.add((len(key.group(1)), key.group(2)))
        assert lines[i - 1].lstrip().startswith("#"), f"no comment above: {lines[i]}"
    report_id = next(line for line in lines if line.strip().startswith("id:"))
    described = config_schema()["$defs"]["ReportInfo"]["properties"]["id"]["description"]
    assert lines[lines.index(report_id) - 1].strip() == f"# {described}"


def test_init_never_overwrites(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "studies.csv").write_text("mine\n", encoding="utf-8")
    result = reportgen("init", "binary", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "not overwriting" in result.stderr and "studies.csv" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "studies.csv").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / CONFIG_NAME).exists()  # nothing written at all


def test_an_unknown_kind_is_a_usage_error(tmp_path):
    result = reportgen("init", "network", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "single-arm" in result.stderr
