"""Related reports: the other reports of a config's folder that share its condition or its
intervention (``report.condition`` / ``report.intervention``, compared case-insensitively, with
spaces trimmed).

The set is read from the configs beside a config (``*.yaml`` and ``*.yml`` in its folder: the set
``reportgen build`` builds into one output folder), never from what happens to be published
already. So it does not depend on build order or on which workers finished first, a rebuild is
byte-identical, and it can be hashed into a report's input digest (``related_digest``): adding a
matching config, or retitling one, rebuilds the reports that link to it, and nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportgen.config.peek import peek

CONFIG_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RelatedReport:
    """Another report of the folder: its id (its output folder's name) and title."""

    id: str
    title: str
    shares: str  # "condition" or "intervention" (the condition first when both match)


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    condition: str
    intervention: str


def _key(value: object) -> str:
    return " ".join(value.split()).casefold() if isinstance(value, str) else ""


def _entry(path: Path) -> _Entry | None:
    """The report fields of one config, read cheaply (no validation); None if unreadable or
    without a text id and title (such a config does not build, so nothing links to it)."""
    document = peek(path)
    report = document.data.get("report") if document and isinstance(document.data, dict) else None
    if not isinstance(report, dict):
        return None
    report_id, title = report.get("id"), report.get("title")
    if not isinstance(report_id, str) or not isinstance(title, str):
        return None
    return _Entry(report_id, title, _key(report.get("condition")), _key(report.get("intervention")))


def _listing(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Each config of ``folder`` with its modification time and size (the cache key)."""
    found = []
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in CONFIG_SUFFIXES)
    except OSError:
        return ()
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=8)
def _catalogue(folder: Path, listing: tuple[tuple[str, int, int], ...]) -> tuple[_Entry, ...]:
    """The report fields of every config in ``folder``; cached per listing, so a batch of
    many reports reads each config once per process (a stat per config per report remains)."""
    entries = (_entry(folder / name) for name, _mtime, _size in listing)
    return tuple(entry for entry in entries if entry is not None)


def related_reports(config: Path) -> tuple[RelatedReport, ...]:
    """The reports of ``config``'s folder, other than its own, that share its condition or
    intervention, sorted by id. Empty when the config names neither; reports that share the
    config's own id (refused by the batch) are left out."""
    folder = config.resolve().parent
    catalogue = _catalogue(folder, _listing(folder))
    own = _entry(config)
    if own is None or not (own.condition or own.intervention):
        return ()
    related = []
    for entry in catalogue:
        if entry.id == own.id:
            continue
        if own.condition and entry.condition == own.condition:
            related.append(RelatedReport(entry.id, entry.title, "condition"))
        elif own.intervention and entry.intervention == own.intervention:
            related.append(RelatedReport(entry.id, entry.title, "intervention"))
    unique = {report.id: report for report in related}  # two configs of one id: keep one
    return tuple(unique[key] for key in sorted(unique))


def related_digest(config: Path) -> str:
    """A hash of ``config``'s related reports (ids, titles and what they share), or "" when it
    has none (so the input digest of a report without related reports is as before)."""
    related = related_reports(config)
    if not related:
        return ""
    payload = json.dumps([[r.id, r.title, r.shares] for r in related])
    return hashlib.sha256(payload.encode()).hexdigest()
