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

from reportgen.config.quickyaml import report_fields

CONFIG_SUFFIXES = (".yaml", ".yml")
REPORT_KEYS = ("id", "title", "condition", "intervention")
# At most this many links (the first by id): a summary is no catalogue, and the digest of each
# report's related set stays small however many reports share a condition.
MAX_RELATED = 10
Listing = tuple[tuple[str, int, int], ...]


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
    """The report fields of one config, read cheaply (``quickyaml``: no validation); None if
    unreadable or without a text id and title (such a config does not build, so nothing links
    to it)."""
    fields = report_fields(path, REPORT_KEYS)
    if fields is None or "id" not in fields or "title" not in fields:
        return None
    return _Entry(
        fields["id"],
        fields["title"],
        _key(fields.get("condition")),
        _key(fields.get("intervention")),
    )


def _listing(folder: Path) -> Listing:
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


@dataclass(frozen=True)
class _Catalogue:
    """Every config of a folder by file name, and the ids sharing each condition and
    intervention (sorted), so a report's related set costs a lookup, not a pass over all."""

    by_name: dict[str, _Entry]
    by_condition: dict[str, tuple[_Entry, ...]]
    by_intervention: dict[str, tuple[_Entry, ...]]


def _index(entries: list[_Entry], field: str) -> dict[str, tuple[_Entry, ...]]:
    groups: dict[str, list[_Entry]] = {}
    for entry in entries:
        value = getattr(entry, field)
        if value:
            groups.setdefault(value, []).append(entry)
    return {key: tuple(sorted(group, key=lambda e: e.id)) for key, group in groups.items()}


@lru_cache(maxsize=8)
def _catalogue(folder: Path, listing: Listing) -> _Catalogue:
    """The report fields of every config in ``folder``; cached per listing, so a batch of
    many reports reads each config once per process."""
    by_name = {}
    for name, _mtime, _size in listing:
        entry = _entry(folder / name)
        if entry is not None:
            by_name[name] = entry
    entries = list(by_name.values())
    return _Catalogue(by_name, _index(entries, "condition"), _index(entries, "intervention"))


def related_reports(config: Path, listing: Listing | None = None) -> tuple[RelatedReport, ...]:
    """The reports of ``config``'s folder, other than its own, that share its condition or
    intervention: at most ``MAX_RELATED``, the first by id. Empty when the config names
    neither; reports that share the config's own id (refused by the batch) are left out.
    ``listing``: the folder's configs as ``_listing`` reads them, when the caller (a batch
    checking thousands of configs) has read it once already."""
    folder = config.resolve().parent
    catalogue = _catalogue(folder, _listing(folder) if listing is None else listing)
    own = catalogue.by_name.get(config.name) or _entry(config)
    if own is None or not (own.condition or own.intervention):
        return ()
    related: dict[str, RelatedReport] = {}
    candidates = (
        ("condition", catalogue.by_condition.get(own.condition, ()) if own.condition else ()),
        (
            "intervention",
            catalogue.by_intervention.get(own.intervention, ()) if own.intervention else (),
        ),
    )
    for shares, entries in candidates:  # the condition first when both match
        # The first MAX_RELATED + 1 by id hold the first MAX_RELATED other than the report itself.
        for entry in entries[: MAX_RELATED + 1]:
            if entry.id != own.id and entry.id not in related:
                related[entry.id] = RelatedReport(entry.id, entry.title, shares)
    return tuple(related[key] for key in sorted(related)[:MAX_RELATED])


def folder_listing(folder: Path) -> Listing:
    """The configs of ``folder`` with their modification times and sizes (``related_reports``
    reads a folder's catalogue once per listing)."""
    return _listing(folder)


def related_digest(config: Path, listing: Listing | None = None) -> str:
    """A hash of ``config``'s related reports (ids, titles and what they share), or "" when it
    has none (so the input digest of a report without related reports is as before)."""
    related = related_reports(config, listing)
    if not related:
        return ""
    payload = json.dumps([[r.id, r.title, r.shares] for r in related])
    return hashlib.sha256(payload.encode()).hexdigest()
