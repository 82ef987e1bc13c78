"""A config's YAML read cheaply, without validation or data files, for the batch's quick
questions (which report id a config declares, which data files it names), and the one list of
keys that name data files (also used by ``sources.attach_sources``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from reportgen.config.datafiles import SourceError, read_config_bytes, resolve_data_path
from reportgen.config.limits import data_root
from reportgen.config.yamlpos import KeyPath, PositionedDocument, load_yaml


def peek(config: Path) -> PositionedDocument | None:
    """The positioned YAML of ``config``, read as ``load_config`` reads it (a bounded regular
    file, limited YAML); None if it cannot be read or parsed (the build itself says why)."""
    from reportgen.errors import UserError

    try:
        return load_yaml(read_config_bytes(config).decode("utf-8-sig"), str(config))
    except (SourceError, UserError, UnicodeDecodeError):
        return None


def data_file_keys(data: Any) -> Iterator[tuple[KeyPath, Any]]:
    """Each key that may name a data file, with its value: ``studies`` and every
    ``outcomes[i].data`` and ``risk_of_bias.judgements`` (a file when the value is text, inline
    rows otherwise)."""
    if not isinstance(data, dict):
        return
    if "studies" in data:
        yield ("studies",), data["studies"]
    outcomes = data.get("outcomes")
    if isinstance(outcomes, list):
        for index, outcome in enumerate(outcomes):
            if isinstance(outcome, dict) and "data" in outcome:
                yield ("outcomes", index, "data"), outcome["data"]
    risk_of_bias = data.get("risk_of_bias")
    if isinstance(risk_of_bias, dict) and "judgements" in risk_of_bias:
        yield ("risk_of_bias", "judgements"), risk_of_bias["judgements"]


def declared_data_files(config: Path) -> set[Path]:
    """The data files a config names that lie where data may be read from (the config's folder
    or --data-root); empty if the YAML cannot be read."""
    document = peek(config)
    if document is None:
        return set()
    base = config.parent
    root = data_root(base)
    files = set()
    for _path, value in data_file_keys(document.data):
        if isinstance(value, str):
            try:
                files.add(resolve_data_path(value, base, root))
            except SourceError:
                continue  # the build refuses it with a located message; nothing to watch
    references = document.data.get("references") if isinstance(document.data, dict) else None
    if isinstance(references, dict) and isinstance(references.get("file"), str):
        with suppress(SourceError):  # read from the config's own folder only
            files.add(resolve_data_path(references["file"], base, base.resolve()))
    return files
