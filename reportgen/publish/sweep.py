"""Clearing what interrupted builds left in the output folder's working folders.

A build killed while publishing may leave ``.staging/<report.id>--<hex>/`` (an unfinished
report) or ``.trash/<report.id>--<hex>/`` (the old report moved aside where the system cannot
swap folders atomically). The next build of that report clears them under its lock
(``output.recover``); a run sweeps the rest, so that a report that is unchanged, or a catalogue
that no longer has that config, does not keep them forever:

- only entries reportgen itself names are touched: a real folder (never a symbolic link, which
  is not followed) named ``<valid report id>--<32 hex digits>`` directly in ``.staging/`` or
  ``.trash/``; anything else there is left alone;
- an entry is provably no longer in use when its report's lock can be taken without waiting:
  a build holds that lock from before it creates its staging folder until after it is gone;
- ``.staging/`` and ``.trash/`` themselves are removed once empty (``rmdir`` removes only an
  empty folder, so a build that just created an entry keeps it).

Only the standard library is used (the no-op path runs this too: one ``lstat`` when clean).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from reportgen.errors import OutputError
from reportgen.publish.output import STAGING, TRASH, locked, recover, report_id_problem

ENTRY = re.compile(r"(?P<id>.+?)--(?P<token>[0-9a-f]{32})")  # output.publish names them so

__all__ = ["stale_reports", "sweep"]


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def stale_reports(out: Path) -> list[str]:
    """The report ids with an entry in ``.staging/`` or ``.trash/`` (real folders only)."""
    found: set[str] = set()
    for name in (STAGING, TRASH):
        folder = out / name
        if not _is_dir(folder):
            continue
        with os.scandir(folder) as entries:
            for entry in entries:
                match = ENTRY.fullmatch(entry.name)
                if match is None or not entry.is_dir(follow_symlinks=False):
                    continue
                if report_id_problem(match["id"]) is None:
                    found.add(match["id"])
    return sorted(found)


def sweep(out: Path) -> list[str]:
    """Recover or delete the working entries of every report no build is publishing now, then
    remove the working folders if empty; return the report ids cleared. Never raises for a
    folder that cannot be cleared (it is left for the next run)."""
    cleared = []
    for report_id in stale_reports(out):
        with contextlib.suppress(OSError, OutputError), locked(out, report_id, wait=False) as held:
            if held:
                recover(out, report_id)
                cleared.append(report_id)
    remove_empty(out)
    return cleared


def remove_empty(out: Path) -> None:
    """Remove ``.staging/`` and ``.trash/`` if they are empty folders."""
    for name in (STAGING, TRASH):
        folder = out / name
        if _is_dir(folder):
            with contextlib.suppress(OSError):
                os.rmdir(folder)
