"""What is already published in a report folder, read without trusting it.

The folder is served to the public and anyone with write access may have damaged it, so every
file is checked before use: the folder must be reportgen's (``output.ownership``); the previous
``results.json`` must have the shape versioning needs, with version strings like ``2.1`` (never
a path); a damaged one is treated as missing, with a warning, and the version history continues
from the newest valid ``versions/<N.M>/results.json``. Only the standard library is used.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import OutputError
from reportgen.publish.output import (
    ABSENT,
    DAMAGED,
    FOREIGN,
    MANIFEST,
    VERSIONS,
    foreign_message,
    ownership,
    valid_version,
)
from reportgen.render import OUTPUT_FILES

RESULTS = OUTPUT_FILES["json"]


@dataclass(frozen=True)
class Published:
    """The report folder as found before a build (read with the report's lock held)."""

    folder: Path
    status: str  # output.ABSENT, OWNED or DAMAGED (a FOREIGN folder raises instead)
    previous: dict[str, Any] | None  # the results to version against (None: a first version)
    from_live: bool  # ``previous`` is the folder's own results.json (so its files may be archived)
    results_damaged: bool  # a results.json is there but could not be used
    digest: str | None  # the inputs digest in manifest.json (None if unknown)
    formats: frozenset[str]  # the formats whose file is present (regular files)
    warnings: tuple[str, ...] = ()


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _outcome_problem(outcome: object) -> str | None:
    if not isinstance(outcome, dict):
        return "an outcome is not a mapping"
    if not _is_text(outcome.get("id")) or not _is_text(outcome.get("label")):
        return "an outcome has no id or label"
    studies = outcome.get("studies", [])
    if not isinstance(studies, list) or not all(
        isinstance(s, dict) and _is_text(s.get("id")) and _is_text(s.get("label")) for s in studies
    ):
        return f"outcome {outcome['id']!r}: studies of the wrong shape"
    pooled = outcome.get("pooled")
    estimate = pooled.get("estimate") if isinstance(pooled, dict) else None
    if isinstance(estimate, bool) or not isinstance(estimate, int | float):
        return f"outcome {outcome['id']!r}: no pooled estimate"
    if not isinstance(outcome.get("statement", {}), dict):
        return f"outcome {outcome['id']!r}: statement of the wrong shape"
    return None


def results_problem(document: object, report_id: str) -> str | None:
    """Why ``document`` (a parsed results.json) cannot be versioned against; None if it can."""
    if not isinstance(document, dict) or not isinstance(document.get("report"), dict):
        return "not a results document"
    report = document["report"]
    if report.get("id", report_id) != report_id:
        return f"made for report {str(report.get('id'))[:80]!r}"
    if not valid_version(report.get("version")):
        return f"version {str(report.get('version'))[:80]!r} is not like 2.1"
    if not isinstance(report.get("updated"), str | None):
        return "updated is not a date"
    outcomes = document.get("outcomes")
    if not isinstance(outcomes, list):
        return "no outcomes"
    for outcome in outcomes:
        problem = _outcome_problem(outcome)
        if problem:
            return problem
    changelog = document.get("changelog", [])
    if not isinstance(changelog, list) or not all(
        isinstance(entry, dict)
        and valid_version(entry.get("version"))
        and isinstance(entry.get("changes", []), list)
        and all(_is_text(change) for change in entry.get("changes", []))
        for entry in changelog
    ):
        return "changelog of the wrong shape"
    return None


def _read_json(path: Path) -> tuple[Any, str | None]:
    """(the parsed file, None), or (None, why not): only a regular file is read."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None, "not a regular file"
        return json.loads(path.read_bytes()), None
    except OSError as error:
        return None, error.strerror or str(error)
    except ValueError:
        return None, "not valid JSON (truncated?)"


def _results(path: Path, report_id: str) -> tuple[dict[str, Any] | None, str | None]:
    document, problem = _read_json(path)
    if problem is None:
        problem = results_problem(document, report_id)
    return (document, None) if problem is None else (None, problem)


def newest_archived(folder: Path, report_id: str) -> tuple[dict[str, Any] | None, Path | None]:
    """The newest valid ``versions/<N.M>/results.json`` (whose version is N.M), and its path."""
    versions = folder / VERSIONS
    try:
        names = [entry.name for entry in versions.iterdir() if valid_version(entry.name)]
    except OSError:
        return None, None
    for name in sorted(names, key=lambda v: tuple(int(p) for p in v.split(".")), reverse=True):
        path = versions / name / RESULTS
        document, _ = _results(path, report_id)
        if document is not None and document["report"]["version"] == name:
            return document, path
    return None, None


def _manifest_digest(folder: Path, status: str, warnings: list[str]) -> str | None:
    manifest, problem = _read_json(folder / MANIFEST)
    if status == DAMAGED or problem is not None or not isinstance(manifest, dict):
        warnings.append(f"{folder / MANIFEST}: damaged; treated as missing")
        return None
    digest = manifest.get("digest")
    return digest if isinstance(digest, str) else None


def read_published(out: Path, report_id: str, built_here: bool) -> Published:
    """The published report ``out/report_id``. Raises ``OutputError`` for a folder reportgen
    does not own; a folder with a damaged manifest is adopted only if ``built_here`` (the state
    file says reportgen published this report id here)."""
    folder = out / report_id
    status = ownership(folder)
    if status == FOREIGN or (status == DAMAGED and not built_here):
        raise OutputError(foreign_message(folder))
    if status == ABSENT:
        return Published(folder, status, None, False, False, None, frozenset())
    warnings: list[str] = []
    digest = _manifest_digest(folder, status, warnings)
    formats = frozenset(
        name
        for name, filename in OUTPUT_FILES.items()
        if stat.S_ISREG(_lstat_mode(folder / filename))
    )
    previous, problem = _results(folder / RESULTS, report_id)
    damaged = problem is not None and os.path.lexists(folder / RESULTS)
    from_live = previous is not None
    if previous is None:
        previous, source = newest_archived(folder, report_id)
        if damaged:
            history = (
                f"the version history continues from {source}"
                if source
                else ("no valid archived version: the history restarts at 1.0")
            )
            warnings.append(
                f"{folder / RESULTS}: damaged ({problem}); treated as missing; {history}"
            )
    return Published(folder, status, previous, from_live, damaged, digest, formats, tuple(warnings))


def _lstat_mode(path: Path) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0
