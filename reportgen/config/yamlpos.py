"""Load YAML into plain Python objects and remember the line of every node.

The loader is PyYAML's SafeLoader without its implicit timestamp conversion (``published:
2026-07-01`` stays the string an editor typed). Positions are recorded per key path, a tuple such
as ``("outcomes", 0, "data", 2, "events")``, so that validation errors can name the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from reportgen.config.limits import Limits, current_limits, env_name, excerpt
from reportgen.errors import ConfigError, Problem

KeyPath = tuple[str | int, ...]


# libyaml's parser where PyYAML was built with it: the pure-Python scanner cost 0.7 CPU s of a
# 1,000-study config's 2,000 rows, libyaml a tenth of that; the same events, nodes and lines.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


class _PlainLoader(_SafeLoader):  # type: ignore[misc,valid-type]
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


def load_yaml(text: str, file: str, limits: Limits | None = None) -> PositionedDocument:
    """Parse ``text`` (the contents of ``file``) into a ``PositionedDocument``.

    Raises ``ConfigError`` with the line of a syntax error, a duplicate mapping key (which
    PyYAML would otherwise silently resolve to the last value), a value its tag cannot make
    (``!!int "abc"``, ``!!python/object``), or a document over the limits: nesting deeper than
    ``yaml_depth`` (checked on the event stream, before anything recurses), more than
    ``yaml_nodes`` nodes once aliases are expanded (an alias bomb), or an alias inside itself.
    """
    limits = limits or current_limits()
    try:
        _check_shape(text, file, limits)
        root = yaml.compose(text, Loader=_PlainLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # An unclosed bracket is found at the end of the stream, past the last line: name the
        # last line the editor can see instead.
        line = min(mark.line + 1, len(text.splitlines()) or 1) if mark is not None else 0
        if getattr(exc, "problem", None) == LIBYAML_TOO_DEEP:
            # libyaml scans a flow collection ahead of the events _check_shape counts, and
            # stops at its own cap (1,000 levels) first: the same refusal, as our limit.
            what = f"lists and mappings nested more than {limits.yaml_depth} deep"
            raise _over_limit(file, line, what, "yaml_depth") from None
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses (NUL, ...)
            line = text.count("\n", 0, exc.position) + 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([Problem(file, line, "", f"invalid YAML: {reason}")]) from None
    builder = _Builder(text, file, limits)
    data = builder.build(root, ()) if root is not None else None
    if builder.problems:
        raise ConfigError(builder.problems)
    return PositionedDocument(data, file, builder.value_lines, builder.key_lines)


def _check_shape(text: str, file: str, limits: Limits) -> None:
    """Refuse nesting deeper than ``limits.yaml_depth`` from the parser's events (PyYAML's
    composer recurses once per level, so a 5,000-deep document would crash it)."""
    depth = 0
    for event in yaml.parse(text, Loader=_PlainLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.yaml_depth:
                raise _over_limit(
                    file,
                    event.start_mark.line + 1,
                    f"lists and mappings nested more than {limits.yaml_depth} deep",
                    "yaml_depth",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _over_limit(file: str, line: int, what: str, limit: str) -> ConfigError:
    return ConfigError(
        [
            Problem(
                file, line, "", f"{what} (a limit; an operator can raise it with {env_name(limit)})"
            )
        ]
    )


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Builder:
    """Turns composed nodes into Python values, recording lines; counts every node it builds
    (aliases included) so that an alias bomb stops at ``yaml_nodes``."""

    def __init__(self, text: str, file: str, limits: Limits):
        self.file, self.limits = file, limits
        self.constructor = _PlainLoader(text)
        self.value_lines: dict[KeyPath, int] = {}
        self.key_lines: dict[KeyPath, int] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.open: set[int] = set()  # ids of the collections being built (an alias to one loops)

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > self.limits.yaml_nodes:
            raise _over_limit(
                self.file,
                line,
                f"more than {self.limits.yaml_nodes:,} values once aliases (*name) are expanded",
                "yaml_nodes",
            )
        self.value_lines[path] = line
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag not in (_MAP_TAG, _SEQ_TAG):  # !!python/object/apply:... on a mapping
            tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise ConfigError(
                [
                    Problem(
                        self.file,
                        line,
                        format_key_path(path),
                        f"the tag {excerpt(tag)[1:-1]} is not allowed: remove it",
                    )
                ]
            )
        if id(node) in self.open:
            raise ConfigError(
                [Problem(self.file, line, format_key_path(path), "an alias refers to itself")]
            )
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(self.file, key_line, format_key_path(path), "a key must be plain text")
                )
                continue
            key = self.scalar(key_node, path)
            child = (*path, key if isinstance(key, str) else str(key))
            if child[-1] in result:
                self.problems.append(
                    Problem(
                        self.file,
                        key_line,
                        format_key_path(child),
                        "duplicate key (it is already set above)",
                    )
                )
            self.key_lines[child] = key_line
            result[child[-1]] = self.build(value_node, child)
        return result

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception:  # any tag PyYAML cannot make from this text: the editor's input
            tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.problems.append(
                Problem(
                    self.file,
                    node.start_mark.line + 1,
                    format_key_path(path),
                    f"cannot read {excerpt(node.value)} as {excerpt(tag)[1:-1]}: write a plain "
                    "value (text, a number, true or false) without a !!tag",
                )
            )
            return None
