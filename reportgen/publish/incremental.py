"""Deciding what to rebuild: hashes of every input of a report, kept between runs.

Only the standard library is imported here: a scheduled run over a thousand unchanged configs
must not pay for numpy, matplotlib or WeasyPrint. The state file ``<out>/.reportgen-state.json``
remembers, per config file, its hash, its report id and the data files it read; a report is
unchanged when the digest of all its inputs equals the one in its ``manifest.json`` and every
requested output exists.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from reportgen.publish.output import (
    GENERATOR,
    MANIFEST,
    STATE_FILE,
    report_id_problem,
    write_atomic,
)
from reportgen.render import OUTPUT_FILES
from reportgen.version import __version__

__all__ = ["MANIFEST", "STATE_FILE", "State", "inputs_digest", "is_unchanged", "manifest"]


def hash_limit() -> int:
    """The largest file ``file_sha256`` reads: the data-file or config limit in force."""
    from reportgen.config.limits import current_limits

    limits = current_limits()
    return max(limits.data_file_bytes, limits.config_bytes)


def file_sha256(path: Path, limit: int | None = None) -> str:
    """SHA-256 of a regular file; OSError for anything else (a FIFO or device is never opened
    for a blocking read, a file over ``limit``, default ``hash_limit()``, is not read)."""
    from reportgen.config.datafiles import SourceError, read_regular_file

    try:
        limit = hash_limit() if limit is None else limit
        raw = read_regular_file(path, limit, "data_file_bytes", follow=True)
    except SourceError as error:
        raise OSError(str(error)) from None
    return hashlib.sha256(raw).hexdigest()


def templates_sha256(folder: Path) -> str:
    """One hash over every template file (names and contents), in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(
    config_sha256: str, sources: dict[str, str], templates: str, related: str = ""
) -> str:
    """The digest that decides whether a report is up to date. ``related``: the digest of its
    related reports (``config.related.related_digest``; "" for none, which leaves the digest
    as it was before related reports existed)."""
    inputs = {
        "config": config_sha256,
        "sources": sources,
        "templates": templates,
        "reportgen": __version__,
    }
    if related:
        inputs["related"] = related
    payload = json.dumps(inputs, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def manifest(
    config: Path,
    config_sha256: str,
    sources: dict[str, str],
    templates: str,
    formats: tuple[str, ...],
    version: str,
    title: str | None = None,
    updated: str | None = None,
    related: str = "",
) -> dict:
    """The manifest of a report folder: what made it (skipping) and what the index lists."""
    return {
        "generator": GENERATOR,
        "reportgen_version": __version__,
        "report_version": version,
        "report_title": title,
        "report_updated": updated,
        "inputs": {
            "config": {"path": config.as_posix(), "sha256": config_sha256},
            "sources": [{"path": path, "sha256": sha} for path, sha in sorted(sources.items())],
            "templates_sha256": templates,
        },
        "digest": inputs_digest(config_sha256, sources, templates, related),
        "formats": sorted(formats),
    }


def source_hashes(paths) -> dict[str, str]:
    return {Path(p).as_posix(): file_sha256(Path(p)) for p in paths}


def _entry_problem(entry: object) -> str | None:
    """Why a state entry cannot be used (None if it can)."""
    if not isinstance(entry, dict):
        return "not a mapping"
    if report_id_problem(entry.get("report_id")) is not None:
        return f"bad report_id {entry.get('report_id')!r}"
    if not isinstance(entry.get("config_sha256"), str):
        return "no config_sha256"
    sources = entry.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        return "sources is not a list of paths"
    return None


@dataclass
class State:
    """What the last runs learned about each config (keyed by the config path as given).

    Only a cache: a state file that cannot be read, or entries of the wrong shape, are dropped
    (those configs are rebuilt) and ``warning`` says so.
    """

    path: Path
    entries: dict[str, dict]
    warning: str | None = None

    @classmethod
    def load(cls, out: Path) -> State:
        path = out / STATE_FILE
        if not os.path.lexists(path):
            return cls(path, {})
        try:
            loaded = json.loads(path.read_bytes()) if path.is_file() else None
        except (OSError, ValueError):
            loaded = None
        if not isinstance(loaded, dict):
            return cls(path, {}, f"{path}: damaged (not a JSON mapping); treated as missing")
        entries = {k: v for k, v in loaded.items() if _entry_problem(v) is None}
        dropped = sorted(set(loaded) - set(entries))
        warning = None
        if dropped:
            warning = (
                f"{path}: ignored {len(dropped)} damaged entr{'y' if len(dropped) == 1 else 'ies'}"
                f" ({', '.join(map(repr, dropped[:3]))}{', ...' if len(dropped) > 3 else ''})"
            )
        return cls(path, entries, warning)

    def save(self) -> None:
        """Write the state file atomically (mode 0644). Raises ``OSError``."""
        text = json.dumps(self.entries, indent=1, sort_keys=True)
        write_atomic(self.path, text.encode("utf-8"))

    def built_here(self, report_id: str) -> bool:
        """True if a config in the state published ``report_id`` into this folder."""
        return any(entry.get("report_id") == report_id for entry in self.entries.values())


def is_unchanged(
    config: Path, out: Path, formats: tuple[str, ...], state: State, templates: str
) -> bool:
    """True when the config, its data files, the templates and reportgen are as when its
    report was last built, and that report has every requested output."""
    entry = state.entries.get(config.as_posix())
    if not entry:
        return False
    try:
        config_sha = file_sha256(config)
        if config_sha != entry.get("config_sha256"):
            return False
        sources = source_hashes(entry.get("sources", []))
    except OSError:
        return False
    folder = out / entry["report_id"]
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    from reportgen.config.related import related_digest

    if not isinstance(recorded, dict) or recorded.get("digest") != inputs_digest(
        config_sha, sources, templates, related_digest(config)
    ):
        return False
    return all((folder / OUTPUT_FILES[f]).exists() for f in formats)
