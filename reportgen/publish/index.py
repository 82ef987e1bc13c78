"""``<out>/index.html``: every report published in the output folder, read from the reports' own
``manifest.json`` files (title, version, date, config) with links to their files, and the status
of the last run where one is given. Built with the standard library only (the no-op path).

Because the page is rebuilt from what is on disk, not from one run's memory, any number of runs
(shards, Dask clients, cron jobs) may publish into one folder: each rewrites the page under the
output folder's short state lock after its own reports are published, so the last writer lists
every report published until then. ``reportgen index OUT`` rewrites it on demand (without the
"Last run" column, so the page is the same however the catalogue was built).
"""

from __future__ import annotations

import html
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import OutputError
from reportgen.publish.output import (
    GENERATOR,
    INDEX,
    MANIFEST,
    RESERVED,
    STATE_LOCK,
    locked,
    write_atomic,
)
from reportgen.publish.skip import MANIFEST_STAT, signature
from reportgen.render import OUTPUT_FILES, RENDERERS

STYLE = """
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem; line-height: 1.5; }
h1 { color: #1f3a5f; font-size: 1.6rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #c9ced6;
         vertical-align: top; }
thead th { border-bottom: 2px solid #1a1a1a; }
.failed { color: #8a1c1c; font-weight: 700; }
a { color: #1f3a5f; }
"""
LEGACY_KEYS = ("reportgen_version", "digest", "inputs")  # manifests before the "generator" mark


@dataclass(frozen=True)
class Listed:
    """One published report, as its manifest describes it."""

    report_id: str
    title: str
    version: str
    updated: str
    config: str
    files: tuple[str, ...]  # the formats whose file is in the folder


def _read_json(path: Path) -> Any:
    """A regular file's JSON, or None."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _files(folder: Path) -> tuple[str, ...]:
    """The formats whose file is in ``folder`` (regular files, links not followed)."""
    base = str(folder)  # strings, not Path objects: 30,000 of these on a no-op run
    return tuple(
        name
        for name, filename in OUTPUT_FILES.items()
        if stat.S_ISREG(_mode(os.path.join(base, filename)))
    )


def _remembered(folder: Path, entry: Mapping[str, Any] | None) -> Listed | None:
    """The report as the state file remembers it, if its manifest is still the very file the
    state recorded (same signature: see ``publish.skip``); else None (read the manifest)."""
    if not isinstance(entry, Mapping) or entry.get(MANIFEST_STAT) is None:
        return None
    if signature(str(folder / MANIFEST), follow=False) != entry[MANIFEST_STAT]:
        return None
    return Listed(
        folder.name,
        _text(entry.get("title")) or folder.name,
        _text(entry.get("version")),
        _text(entry.get("updated")),
        _text(entry.get("config")),
        _files(folder),
    )


def _listed(folder: Path) -> Listed | None:
    """The report in ``folder`` if reportgen made it (its manifest says so), else None."""
    manifest = _read_json(folder / MANIFEST)
    if not isinstance(manifest, dict) or not (
        manifest.get("generator") == GENERATOR or all(key in manifest for key in LEGACY_KEYS)
    ):
        return None
    title, updated = manifest.get("report_title"), manifest.get("report_updated")
    if title is None:  # a manifest written before titles were recorded: ask results.json
        results = _read_json(folder / OUTPUT_FILES["json"])
        report = results.get("report") if isinstance(results, dict) else None
        if isinstance(report, dict):
            title, updated = report.get("title"), report.get("updated")
    inputs = manifest.get("inputs")
    config = inputs.get("config") if isinstance(inputs, dict) else None
    files = _files(folder)
    return Listed(
        folder.name,
        _text(title) or folder.name,
        _text(manifest.get("report_version")),
        _text(updated),
        _text(config.get("path")) if isinstance(config, dict) else "",
        files,
    )


def _mode(path: str | Path) -> int:
    try:
        return os.lstat(path).st_mode
    except OSError:
        return 0


def published_reports(
    out: Path, known: Mapping[str, Mapping[str, Any]] | None = None
) -> list[Listed]:
    """Every report folder reportgen made in ``out``, by title then id (a stable order).
    ``known`` (report id -> state entry with its ``config`` path) spares reading the manifests
    that are unchanged since the state recorded them (the no-op run over 10,000 reports)."""
    known = known or {}
    found = []
    with os.scandir(out) as entries:
        for entry in entries:
            if entry.name in RESERVED or entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                folder = Path(entry.path)
                listed = _remembered(folder, known.get(entry.name)) or _listed(folder)
                if listed is not None:
                    found.append(listed)
    return sorted(found, key=lambda r: (r.title, r.report_id))


def _row(report: Listed, status: str | None) -> str:
    links = " · ".join(
        f'<a href="{html.escape(report.report_id)}/{RENDERERS[name].filename}">'
        f"{RENDERERS[name].label}</a>"
        for name in report.files
    )
    cells = [
        f"<td>{html.escape(report.title)}</td>",
        f"<td>{html.escape(report.version)}</td>",
        f"<td>{html.escape(report.updated)}</td>",
    ]
    if status is not None:
        cells.append(('<td class="failed">' if status == "failed" else "<td>") + f"{status}</td>")
    cells += [f"<td>{links}</td>", f"<td><code>{html.escape(report.config)}</code></td>"]
    return "<tr>" + "".join(cells) + "</tr>"


def index_page(reports: list[Listed], outcomes: Iterable[Any] | None = None) -> str:
    """The index page listing ``reports``; with ``outcomes`` (a run's), a "Last run" column."""
    run = {o.config.as_posix(): o for o in outcomes} if outcomes is not None else None
    rows = []
    for report in reports:
        outcome = run.get(report.config) if run is not None else None
        status = None if run is None else (outcome.status if outcome else "not in this run")
        rows.append(_row(report, html.escape(status) if status else None))
    listed = {report.config for report in reports}
    for config, outcome in (run or {}).items():
        if outcome.status == "failed" and config not in listed:
            rows.append(
                f'<tr><td colspan="3">{html.escape(config)}</td>'
                '<td class="failed">failed</td><td></td>'
                f"<td><code>{html.escape(config)}</code></td></tr>"
            )
    last_run = '<th scope="col">Last run</th>' if run is not None else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Evidence summaries</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Evidence summaries</h1>\n<table>\n<caption>Reports in this folder</caption>\n"
        '<thead><tr><th scope="col">Report</th><th scope="col">Version</th>'
        f'<th scope="col">Updated</th>{last_run}'
        '<th scope="col">Files</th><th scope="col">Config</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</main>\n</body>\n</html>\n"
    )


def write_index(
    out: Path,
    outcomes: Iterable[Any] | None = None,
    known: Mapping[str, Mapping[str, Any]] | None = None,
) -> int:
    """Write ``out/index.html`` from the published manifests (call with the state lock held);
    return the number of reports listed. ``known``: see ``published_reports``. Raises
    ``OSError``."""
    reports = published_reports(out, known)
    write_atomic(out / INDEX, index_page(reports, outcomes).encode("utf-8"))
    return len(reports)


def rebuild_index(out: Path) -> int:
    """``reportgen index OUT``: rewrite the index page under the state lock; return the number
    of reports listed. Raises ``OutputError`` if ``out`` cannot be used."""
    if not out.is_dir():
        raise OutputError(f"{out}: no such output folder")
    with locked(out, STATE_LOCK):
        try:
            return write_index(out)
        except OSError as error:
            raise OutputError(
                f"{out / INDEX}: cannot write the index page: {error.strerror or error}"
            ) from None
