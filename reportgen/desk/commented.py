"""YAML written for people: every key preceded by a comment that says what it means, taken from
the config's JSON Schema (the fields' descriptions), so that the words are written once, on the
pydantic models.

Only what a config skeleton holds is written: mappings, lists of mappings, flow lists of scalars
and scalars (quoted by PyYAML where YAML needs it).
"""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

COMMENT_WIDTH = 96
CONTRACT_MARK = "*Contract.* "  # for developers (a key other tools read); not shown to editors
COLUMNS_INTRO = "The file's columns (arms flattened with an underscore):"


def _resolve(schema: dict[str, Any], node: dict[str, Any], value: Any) -> dict[str, Any]:
    """The schema that ``value`` is checked against: ``$ref`` followed, the alternative of an
    ``anyOf`` that fits the value's shape, the ``oneOf`` member its ``type`` discriminates."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "oneOf" in node and isinstance(value, dict):
            mapping = node.get("discriminator", {}).get("mapping", {})
            target = mapping.get(value.get("type"))
            node = {"$ref": target} if target else node["oneOf"][0]
        elif "anyOf" in node:
            node = _fitting(node["anyOf"], value)
        else:
            return node


def _fitting(alternatives: list[dict[str, Any]], value: Any) -> dict[str, Any]:
    """The alternative of an ``anyOf`` whose JSON type matches ``value``'s."""
    wanted = (
        "object"
        if isinstance(value, dict)
        else "array"
        if isinstance(value, list)
        else "string"
        if isinstance(value, str)
        else None
    )
    for alternative in alternatives:
        kind = alternative.get("type", "object" if "$ref" in alternative else None)
        if kind == wanted:
            return alternative
    return next((a for a in alternatives if a.get("type") != "null"), alternatives[0])


def _scalar(value: Any) -> str:
    """One scalar as YAML (quoted only where plain YAML would misread it)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _comment(description: str, pad: str, indent: str = "") -> list[str]:
    text = description.replace(CONTRACT_MARK, "")
    lines = textwrap.wrap(text, COMMENT_WIDTH - len(pad) - 2, subsequent_indent=indent) or [""]
    return [f"{pad}# {line}" for line in lines]


def _description(schema: dict[str, Any], node: dict[str, Any], key: str) -> tuple[str, Any]:
    """The description of ``key`` in the object schema ``node`` and the property's schema."""
    prop = node.get("properties", {}).get(key, {})
    description = prop.get("description") or _resolve(schema, prop, None).get("description", "")
    return description, prop


def commented_yaml(data: dict[str, Any], schema: dict[str, Any]) -> str:
    """``data`` (a config) as YAML text with each key's description as a comment above it.

    In a list of mappings only the first item's keys are commented (the others repeat them)."""
    return "\n".join(_mapping(data, schema, schema, "", True)) + "\n"


def _mapping(
    data: dict[str, Any], node: dict[str, Any], schema: dict[str, Any], pad: str, comments: bool
) -> list[str]:
    lines: list[str] = []
    node = _resolve(schema, node, data)
    for key, value in data.items():
        description, prop = _description(schema, node, key)
        if comments and description:
            lines += _comment(description, pad)
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines += _mapping(value, prop, schema, pad + "  ", comments)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{pad}{key}:")
            items = _resolve(schema, prop, value).get("items", {})
            for index, item in enumerate(value):
                body = _mapping(item, items, schema, pad + "    ", comments and index == 0)
                first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
                body[first] = f"{pad}  - {body[first].lstrip()}"
                lines += body
        else:
            if comments and isinstance(value, str):
                lines += _file_columns(schema, prop, pad)
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def _file_columns(schema: dict[str, Any], prop: dict[str, Any], pad: str) -> list[str]:
    """For a key that names a data file (a list given as a file), a comment line per column:
    the row model's keys, arms flattened (``intervention_events``), with their descriptions."""
    listed = _fitting(prop.get("anyOf", []), []) if "anyOf" in prop else {}
    if listed.get("type") != "array":
        return []
    row = _resolve(schema, listed.get("items", {}), {})
    columns = list(_columns(schema, row, ""))
    if not columns:
        return []
    lines = _comment(COLUMNS_INTRO, pad)
    for name, description in columns:
        lines += _comment(f"  {name}: {description}", pad, "    ")
    return lines


def _columns(schema: dict[str, Any], row: dict[str, Any], prefix: str) -> Any:
    """(column, description) of each key of a row model, nested models flattened."""
    for key, prop in row.get("properties", {}).items():
        target = _resolve(schema, prop, {})
        if target.get("type") == "object" and "properties" in target:
            yield from _columns(schema, target, f"{prefix}{key}_")
        else:
            yield f"{prefix}{key}", prop.get("description", "")
