"""Load YAML into plain Python objects and remember the line of every node.

The loader is PyYAML's SafeLoader without its implicit timestamp conversion (``published:
2026-07-01`` stays the string an editor typed). Positions are recorded per key path, a tuple such
as ``("outcomes", 0, "data", 2, "events")``, so that validation errors can name the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from reportgen.errors import ConfigError, Problem

KeyPath = tuple[str | int, ...]


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without timestamp resolution: dates remain strings."""


_PlainLoader.yaml_implicit_resolvers = {
    first_char: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first_char, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class PositionedDocument:
    """A parsed YAML document with the 1-based line of each node and of each mapping key."""

    data: Any
    file: str
    value_lines: dict[KeyPath, int] = field(default_factory=dict)
    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    # Rows read from data files: row path -> (file, line, {key path inside the row: column}).
    external: dict[KeyPath, tuple[str, int, dict[tuple[str, ...], str]]] = field(
        default_factory=dict
    )

    def locate(self, path: KeyPath) -> tuple[str, int, str]:
        """(file, line, key) of ``path``: in the config, or in the data file a row came from
        (then the key is the column name)."""
        for end in range(len(path), 0, -1):
            source = self.external.get(path[:end])
            if source is not None:
                file, line, columns = source
                rest = tuple(str(part) for part in path[end:])
                return file, line, columns.get(rest, "_".join(rest))
        return self.file, self.line_of(path), format_key_path(path)

    def line_of(self, path: KeyPath) -> int:
        """Line of the deepest node on ``path`` that exists in the document (0 if none)."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            # A key's own line is where a reader looks for a misspelt or misplaced key.
            if prefix in self.key_lines:
                return self.key_lines[prefix]
            if prefix in self.value_lines:
                return self.value_lines[prefix]
        return 0


def format_key_path(path: KeyPath) -> str:
    """``("outcomes", 0, "data")`` -> ``outcomes[0].data``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def load_yaml(text: str, file: str) -> PositionedDocument:
    """Parse ``text`` (the contents of ``file``) into a ``PositionedDocument``.

    Raises ``ConfigError`` with the line of a syntax error, or for a duplicate mapping key (which
    PyYAML would otherwise silently resolve to the last value).
    """
    try:
        root = yaml.compose(text, Loader=_PlainLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([Problem(file, line, "", f"invalid YAML: {reason}")]) from None
    value_lines: dict[KeyPath, int] = {}
    key_lines: dict[KeyPath, int] = {}
    problems: list[Problem] = []
    constructor = _PlainLoader(text)

    def build(node: yaml.Node, path: KeyPath) -> Any:
        value_lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = constructor.construct_object(key_node, deep=True)
                if not isinstance(key, str):
                    key = str(key)
                child = (*path, key)
                if key in result:
                    problems.append(
                        Problem(
                            file,
                            key_node.start_mark.line + 1,
                            format_key_path(child),
                            "duplicate key (it is already set above)",
                        )
                    )
                key_lines[child] = key_node.start_mark.line + 1
                result[key] = build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*path, index)) for index, item in enumerate(node.value)]
        return constructor.construct_object(node, deep=True)

    data = build(root, ()) if root is not None else None
    if problems:
        raise ConfigError(problems)
    return PositionedDocument(data, file, value_lines, key_lines)
