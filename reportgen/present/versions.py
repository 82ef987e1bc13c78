"""Report versions and what changed between them.

A rebuild whose results differ from the published ones gets a new version: major (2.0) when an
outcome was added or removed or any outcome's statement changed (the rounded natural frequency
of a rate, or the direction of a comparative effect), minor (1.1) when only numbers moved.
Identical results keep their version and date, so the same inputs give the same files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

FIRST_VERSION = "1.0"


@dataclass(frozen=True)
class VersionInfo:
    version: str
    updated: str | None
    previous_version: str | None
    changes: tuple[str, ...]  # what changed since previous_version, in words
    changelog: tuple[dict[str, Any], ...]  # every version, newest first


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def _numbers(outcome: dict[str, Any]) -> Any:
    keys = (
        "model",
        "pooled",
        "heterogeneity",
        "studies",
        "subgroups",
        "leave_one_out",
        "sensitivity",
        "small_study",
    )
    return {key: outcome.get(key) for key in keys}


def compare(
    previous: dict[str, Any] | None, current: dict[str, Any], editor_date: str | None
) -> VersionInfo:
    """The version of ``current`` given the ``previous`` results.json (None for a first build).

    ``editor_date`` (the config's ``report.updated``) wins over any derived date; otherwise a new
    version is dated today (or by SOURCE_DATE_EPOCH) and an unchanged one keeps its date.
    """
    if previous is None:
        updated = editor_date or _today()
        entry = {"version": FIRST_VERSION, "updated": updated, "changes": ["First version."]}
        return VersionInfo(FIRST_VERSION, updated, None, (), (entry,))
    old_report = previous.get("report", {})
    old_version = str(old_report.get("version", FIRST_VERSION))
    old_log = tuple(previous.get("changelog", ()))
    old = {o["id"]: o for o in previous.get("outcomes", [])}
    new = {o["id"]: o for o in current.get("outcomes", [])}
    changes: list[str] = []
    major = False
    for outcome_id in new.keys() - old.keys():
        changes.append(f"New outcome: {new[outcome_id]['label']}.")
        major = True
    for outcome_id in old.keys() - new.keys():
        changes.append(f"Outcome removed: {old[outcome_id]['label']}.")
        major = True
    minor = False
    for outcome_id in [o for o in new if o in old]:
        before, after = old[outcome_id], new[outcome_id]
        label = after["label"]
        before_ids = [s["id"] for s in before.get("studies", [])]
        after_ids = [s["id"] for s in after.get("studies", [])]
        added = [s["label"] for s in after.get("studies", []) if s["id"] not in before_ids]
        removed = [s["label"] for s in before.get("studies", []) if s["id"] not in after_ids]
        if added:
            changes.append(f"{label}: studies added: {', '.join(added)}.")
        if removed:
            changes.append(f"{label}: studies removed: {', '.join(removed)}.")
        if _numbers(before) != _numbers(after):
            minor = True
            changes.append(f"{label}: {_moved(before, after)}")
        old_statement = before.get("statement", {}).get("key")
        new_statement = after.get("statement", {}).get("key")
        if old_statement != new_statement:
            major = True
            changes.append(
                f"{label}: the summary statement changed from "
                f"\u201c{before.get('statement', {}).get('text', '')}\u201d to "
                f"\u201c{after.get('statement', {}).get('text', '')}\u201d"
            )
    if not (major or minor):
        return VersionInfo(
            old_version,
            editor_date or old_report.get("updated"),
            _previous_of(old_log),
            _changes_of(old_log),
            old_log,
        )
    number_major, number_minor = (int(part) for part in old_version.split(".")[:2])
    version = f"{number_major + 1}.0" if major else f"{number_major}.{number_minor + 1}"
    updated = editor_date or _today()
    entry = {"version": version, "updated": updated, "changes": changes}
    return VersionInfo(version, updated, old_version, tuple(changes), (entry, *old_log))


def _previous_of(log: tuple[dict[str, Any], ...]) -> str | None:
    return log[1]["version"] if len(log) > 1 else None


def _changes_of(log: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    return tuple(log[0].get("changes", ())) if len(log) > 1 else ()


def _moved(before: dict[str, Any], after: dict[str, Any]) -> str:
    from reportgen.present.format import MEASURES, RATE_PER, number, per_time_value, percent, signed

    old, new = before["pooled"]["estimate"], after["pooled"]["estimate"]
    display = MEASURES.get(after.get("measure", ""))
    if display is not None and display.per_time:  # rates: per 1,000 units of time
        return (
            f"pooled estimate moved from {per_time_value(old)} to {per_time_value(new)} per "
            f"{RATE_PER:,} ({signed(RATE_PER * (new - old), 1)})."
        )
    if after.get("type") == "proportion":
        return (
            f"pooled estimate moved from {percent(old, 1)} to {percent(new, 1)} "
            f"({signed(100 * (new - old), 1)} percentage points)."
        )
    return (
        f"pooled estimate moved from {number(old, 2)} to {number(new, 2)} ({signed(new - old, 2)})."
    )
