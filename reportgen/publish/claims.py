"""Before a run builds anything: the output folder is usable, and no two configs claim the same
report folder.

Two configs with one report id would silently replace each other's report (in turn, or at the
same time with ``--jobs``). Which of them is right is not reportgen's to guess, so every config
of such a group is refused, with a message naming the others, and none of them is built; the
report published earlier, if any, stays as it was. Report ids are read from the YAML alone (no
validation, no data files), so that the check is cheap; a config that cannot be read this way
fails in its own build with its own message.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from reportgen.errors import OutputError


def prepare_output(out: Path) -> None:
    """Create the output folder if needed; raise a one-line ``OutputError`` if it is a file or
    cannot be created."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: the output folder (--out) is a file, not a folder") from None
    except OSError as error:
        raise OutputError(
            f"{out}: cannot create the output folder (--out): {error.strerror or error}"
        ) from None
    if not out.is_dir():
        raise OutputError(f"{out}: the output folder (--out) is not a folder")


def quick_id(config: Path) -> str | None:
    """The ``report.id`` a config declares, read from libyaml's C parser events and stopping as
    soon as it is seen (``config.quickyaml``: no positions, no validation, a hundred times
    cheaper than ``declared_id``, which the batch needs only for the line of a refusal); None
    if the YAML cannot be read or has no text id there."""
    from reportgen.config.quickyaml import report_fields

    fields = report_fields(config, ("id",), stop_after="id")
    return None if fields is None else fields.get("id")


def declared_id(config: Path) -> tuple[str | None, int]:
    """The ``report.id`` a config declares and its line (0 if unknown), from its YAML alone;
    (None, 0) if the YAML cannot be read or has no string id there."""
    from reportgen.config.peek import peek

    document = peek(config)
    if document is None:  # unreadable or not YAML: the build itself says why
        return None, 0
    data = document.data
    report = data.get("report") if isinstance(data, dict) else None
    report_id = report.get("id") if isinstance(report, dict) else None
    if not isinstance(report_id, str):
        return None, 0
    return report_id, document.line_of(("report", "id"))


def claim_report_ids(
    configs: list[Path], known: dict[Path, str]
) -> tuple[dict[Path, str], dict[Path, str]]:
    """(report id of each config, refusal message of each config that shares its id).

    ``known`` gives ids already known (unchanged configs, from the state file; others read with
    ``quick_id``); the others are read with ``quick_id``, and the line of each refusal with
    ``declared_id``.
    """
    ids: dict[Path, str] = {}
    for config in configs:
        report_id = known.get(config)
        if report_id is None:
            report_id = quick_id(config)
        if report_id is not None:
            ids[config] = report_id
    groups: defaultdict[str, list[Path]] = defaultdict(list)
    for config, report_id in ids.items():
        groups[report_id].append(config)
    refused: dict[Path, str] = {}
    for report_id, group in groups.items():
        if len(group) < 2:
            continue
        for config in group:
            line = declared_id(config)[1]
            where = f"{config}:{line}" if line else str(config)
            others = ", ".join(str(other) for other in group if other != config)
            refused[config] = (
                f"{where}: report.id: {report_id!r} is also the report id of {others}; "
                "two configs cannot publish one report, so neither is built "
                "(give each config its own report.id)"
            )
    return ids, refused
