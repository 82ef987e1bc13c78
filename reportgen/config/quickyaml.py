"""Fields of a config's ``report:`` mapping read from libyaml's C parser events, stopping as soon
as they are read: no positions, no validation and no Python objects for the studies and data
rows, so a batch can ask thousands of configs for their id, title, condition and intervention
in a fraction of what the positioned loader (``yamlpos``) takes. Values count only where a YAML
loader would resolve them to text, so the answers agree with ``peek``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any


def report_fields(
    config: Path, keys: tuple[str, ...], stop_after: str | None = None
) -> dict[str, str] | None:
    """The text values of ``keys`` in the top-level ``report`` mapping of ``config`` (keys that
    are absent or not text are left out); None if the file cannot be read as YAML or has no
    ``report`` mapping. Reading stops at the end of that mapping, or once ``stop_after`` is
    read. The file is read as ``load_config`` reads it (a bounded regular file)."""
    import yaml

    from reportgen.config.datafiles import SourceError, read_config_bytes

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        events = yaml.parse(read_config_bytes(config).decode("utf-8-sig"), Loader=loader)
        return _report_fields(events, keys, stop_after)
    except (SourceError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _report_fields(
    events: Iterator[Any], keys: tuple[str, ...], stop_after: str | None
) -> dict[str, str] | None:
    import yaml

    stream = iter(events)
    try:
        for event in stream:  # stream and document start, then the root node
            if isinstance(event, yaml.MappingStartEvent):
                break
            if isinstance(event, yaml.NodeEvent):
                return None  # the root is not a mapping
        else:
            return None
        for key in _pairs(stream):
            if key != "report":
                _skip(next(stream), stream)
                continue
            if not isinstance(next(stream), yaml.MappingStartEvent):
                return None
            found: dict[str, str] = {}
            for inner in _pairs(stream):
                value = next(stream)
                text = _text(value) if inner in keys else None
                if inner in keys and inner not in found and text is not None:
                    found[inner] = text
                _skip(value, stream)
                if inner == stop_after:
                    break
            return found
    except StopIteration:
        return None
    return None


def _pairs(stream: Iterator[Any]) -> Iterator[str | None]:
    """The keys of the mapping being read (None for a key that is not text); the caller reads
    or skips each value before asking for the next key."""
    import yaml

    while True:
        event = next(stream)
        if isinstance(event, yaml.MappingEndEvent):
            return
        key = _text(event)
        _skip(event, stream)
        yield key


def _text(event: Any) -> str | None:
    import yaml

    if not isinstance(event, yaml.ScalarEvent):
        return None
    tag = event.tag or yaml.resolver.Resolver().resolve(
        yaml.ScalarNode, event.value, event.implicit
    )
    return str(event.value) if tag == "tag:yaml.org,2002:str" else None


def _skip(event: Any, stream: Iterator[Any]) -> None:
    """Read the rest of the node that ``event`` starts."""
    import yaml

    depth = 1 if isinstance(event, yaml.CollectionStartEvent) else 0
    while depth:
        event = next(stream)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
