"""The config's JSON Schema: committed, complete, and what editors' tools check the examples
and ``reportgen init``'s configs against (with the ``jsonschema`` library)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from reportgen.config.yamlpos import load_yaml
from reportgen.desk.schema import SCHEMA_FILE, config_schema, missing_descriptions, schema_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "configs").glob("*.yaml"))
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
REFRESH = (
    "the committed schema is out of date (a config key was added or its description changed); "
    f"refresh it on purpose with: reportgen schema --out {SCHEMA_FILE.relative_to(ROOT)} "
    "and commit the file"
)


def reportgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def validator(schema_path: Path = SCHEMA_FILE) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_reportgen_reads(path: Path) -> object:
    """The config as reportgen parses it (no YAML timestamps: a date stays text)."""
    return load_yaml(path.read_text(encoding="utf-8"), str(path)).data


def schema_errors(path: Path, schema_path: Path = SCHEMA_FILE) -> list[str]:
    errors = validator(schema_path).iter_errors(as_reportgen_reads(path))
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_the_committed_schema_is_what_reportgen_schema_prints():
    printed = reportgen("schema", cwd=ROOT)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed.stdout, REFRESH


def test_schema_out_writes_the_same_file(tmp_path):
    result = reportgen("schema", "--out", str(tmp_path / "s.json"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == schema_text()


def test_every_key_has_a_description():
    missing = missing_descriptions(config_schema())
    assert not missing, "config keys without a description (add Field(description=...)):\n" + (
        "\n".join(missing)
    )


def test_missing_descriptions_are_found():
    schema = {"properties": {"a": {"type": "string"}, "b": {"description": "B."}}}
    assert missing_descriptions(schema) == ["#/properties/a"]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    validator()


@pytest.mark.parametrize("config", EXAMPLES, ids=lambda p: p.name)
def test_every_example_names_the_schema_and_validates_against_it(config):
    first = config.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{config.name} must start with: # yaml-language-server: $schema=<path>"
    assert (config.parent / match.group(1)).resolve() == SCHEMA_FILE.resolve()
    assert schema_errors(config) == []


def test_the_schema_catches_what_an_editor_gets_wrong(tmp_path):
    """Completion is only useful if the schema refuses what reportgen refuses."""
    example = (ROOT / "configs" / "venetoclax-rr-aml.yaml").read_text(encoding="utf-8")
    broken = example.replace("  title:", "  titel:", 1)
    broken = broken.replace("type: proportion", "type: rate?", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    errors = "\n".join(schema_errors(path))
    assert "titel" in errors and "'title' is a required property" in errors
    assert "outcomes.0" in errors


def test_data_files_may_be_named_instead_of_listed():
    schema = config_schema()
    studies = schema["properties"]["studies"]
    assert {"type": "string", "minLength": 1}.items() <= studies["anyOf"][1].items()
    outcomes = [d for d in schema["$defs"].values() if "type" in d.get("properties", {})]
    for outcome in outcomes:
        if "data" in outcome["properties"]:
            assert outcome["properties"]["data"]["anyOf"][1]["type"] == "string"
