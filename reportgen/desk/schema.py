"""``reportgen schema``: the config's JSON Schema, generated from the pydantic models.

The schema is what editors' tools read (VS Code's YAML extension, through the
``# yaml-language-server: $schema=...`` line at the top of a config): completion of every key and
hover help from the fields' descriptions. It is committed at ``SCHEMA_FILE`` (inside the package,
so an installed reportgen has it) and a test checks that it equals what this module generates.

Generation is deterministic: pydantic's own JSON Schema (fields in declaration order, choices in
registry order) serialised with a fixed indent and a final newline. Two things pydantic cannot
know are added: ``studies``, ``outcomes[].data`` and ``risk_of_bias.judgements`` also accept the
name of a CSV or XLSX file (``config.sources`` reads it), and the document's ``$schema``
dialect and ``$id``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reportgen.config.schema import ReportConfig
from reportgen.paths import data_dir

SCHEMA_FILE = data_dir() / "schema" / "reportgen.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "reportgen.schema.json"
# The editor's hover help for the file alternative of ``studies`` and ``data``.
DATA_FILE_DESCRIPTION = (
    "A CSV or XLSX file beside the config (e.g. data/orr.csv), one row per item; its columns "
    "are the keys of a row, arms flattened with an underscore (intervention_events)."
)


def _or_data_file(prop: dict[str, Any]) -> dict[str, Any]:
    """A list property that may also be given as a data file name: ``anyOf`` the list and a
    string, the property's description kept on the whole."""
    listed = {key: value for key, value in prop.items() if key not in ("description", "title")}
    wrapped: dict[str, Any] = {}
    if "title" in prop:
        wrapped["title"] = prop["title"]
    wrapped["description"] = prop.get("description", "")
    wrapped["anyOf"] = [
        listed,
        {"type": "string", "minLength": 1, "description": DATA_FILE_DESCRIPTION},
    ]
    return wrapped


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a config file, as a dict.

    From ``ReportConfig.model_json_schema()`` (validation mode: what an editor writes), with
    ``studies``, ``risk_of_bias.judgements`` and every outcome's ``data`` widened to accept a
    data-file name (the keys ``config.peek.data_file_keys`` names). Any outcome model (a
    ``$defs`` entry with a ``type`` and an array ``data``) is widened, so that outcome types
    added later need no change here."""
    generated = ReportConfig.model_json_schema(mode="validation")
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **generated}
    properties = schema["properties"]
    properties["studies"] = _or_data_file(properties["studies"])
    risk_of_bias = schema.get("$defs", {}).get("RiskOfBias", {}).get("properties", {})
    if "judgements" in risk_of_bias:
        risk_of_bias["judgements"] = _or_data_file(risk_of_bias["judgements"])
    for definition in schema.get("$defs", {}).values():
        fields = definition.get("properties", {})
        if "type" in fields and fields.get("data", {}).get("type") == "array":
            fields["data"] = _or_data_file(fields["data"])
    return schema


def schema_text() -> str:
    """The schema as committed: two-space indented JSON, key order as generated, final newline."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def missing_descriptions(schema: dict[str, Any]) -> list[str]:
    """Every property of every object in ``schema`` that has no description (its JSON pointer),
    so that a key added without one is named; empty when every key is documented."""
    missing: list[str] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if not (isinstance(prop, dict) and prop.get("description")):
                    missing.append(f"{pointer}/properties/{name}")
            for key, value in node.items():
                walk(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{pointer}/{index}")

    walk(schema, "#")
    return missing


def write_schema(out: Path | None) -> str:
    """Print the schema (``out`` None) or write it to ``out``; returns what was written."""
    text = schema_text()
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return text
