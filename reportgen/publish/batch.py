"""``reportgen build`` over many configs: skip what is unchanged, build the rest (in parallel
with ``--jobs``, or on a Dask cluster: ``publish.executors``; only one shard of them with
``--shard``: ``publish.shard``), report one line per config as each finishes, keep the state
file and the index page current.

One config never stops the others. A user error fails that config with its located messages; a
bug (any other exception, or a worker process that dies) fails it with one line,
``configs/x.yaml: internal error: KeyError: 'foo' (details in output/.reportgen-errors.log)``,
and its traceback goes to that log (or to the terminal with ``debug``). Only Ctrl-C stops the
run; the state file and index page are still written for what was built.

Nothing heavy is imported until a report actually needs building.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from reportgen.errors import InternalError, OutputError
from reportgen.publish.claims import claim_report_ids, prepare_output
from reportgen.publish.executors import Executor, LocalExecutor
from reportgen.publish.incremental import State, templates_sha256
from reportgen.publish.output import ERROR_LOG, MANIFEST, STATE_FILE, STATE_LOCK, locked
from reportgen.publish.progress import Progress
from reportgen.publish.shard import Shard, report_ids, select
from reportgen.publish.skip import Checker, signature
from reportgen.publish.sweep import sweep
from reportgen.publish.warm import warm
from reportgen.version import __version__

BUILT, UNCHANGED, FAILED = "built", "unchanged", "failed"
__all__ = ["BUILT", "ERROR_LOG", "FAILED", "UNCHANGED", "Outcome", "run"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one config in a batch."""

    config: Path
    status: str
    detail: str = ""
    report_id: str | None = None
    title: str | None = None
    version: str | None = None
    updated: str | None = None
    config_sha256: str | None = None
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    internal: InternalError | None = None  # set when a bug, not the input, failed the build
    hashes: tuple[tuple[str, str], ...] = ()  # (path, sha256) of each data file
    stats: tuple[tuple[str, tuple[int, ...]], ...] = ()  # signatures to trust (publish.skip)


def _say(text: str) -> None:
    """Print to stderr (a module-level function, so that worker processes can be given it)."""
    print(text, file=sys.stderr, flush=True)


def _build_one(
    out: Path,
    formats: tuple[str, ...],
    allow_untraced: bool,
    strict: bool,
    force: bool,
    config: Path,
    expected_id: str | None,
) -> Outcome:
    """Build one report; any error becomes a failed outcome (the old report stays).

    Runs in a worker process with ``--jobs`` or on a Dask worker: it returns rather than
    raises, so that nothing unpicklable crosses back and the pool keeps working.
    ``KeyboardInterrupt`` still escapes.
    """
    from reportgen.errors import UserError
    from reportgen.publish.build import build_report

    try:
        current = None if force else _up_to_date(out, formats, config, expected_id)
        if current is not None:
            return current
        started = time.time_ns()
        built = build_report(
            config,
            out,
            formats,
            allow_untraced_numbers=allow_untraced,
            strict=strict,
            on_wait=_say,
            expected_id=expected_id,
        )
    except UserError as error:
        return Outcome(config, FAILED, str(error))
    except Exception as error:  # a bug in reportgen: fail this config only
        return _internal_failure(config, error)
    return Outcome(
        config,
        BUILT,
        str(built.folder),
        built.report_id,
        built.title,
        built.version,
        built.updated,
        built.config_sha256,
        built.sources,
        built.warnings,
        hashes=tuple(zip(built.sources, built.source_sha256, strict=True)),
        stats=_signatures((config.as_posix(), *built.sources), started),
    )


def _signatures(paths: tuple[str, ...], started: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The signatures of the inputs a build read, for the next no-op run to trust instead of
    hashing them again: only of files untouched since before the build ``started`` (less
    ``skip.RACY_NS``), so that what was hashed is what the signature shows."""
    from reportgen.publish import skip

    found = []
    for path in paths:
        sig = signature(path)
        if sig is not None and max(sig[1], sig[2]) < started - skip.RACY_NS:
            found.append((path, tuple(sig)))
    return tuple(found)


def run(
    configs: list[Path],
    out: Path,
    formats: tuple[str, ...],
    force: bool = False,
    jobs: int = 1,
    allow_untraced: bool = False,
    strict: bool = False,
    echo: Callable[[str], None] = print,
    echo_error: Callable[[str], None] | None = None,
    log: Path | None = None,
    debug: bool = False,
    shard: Shard | None = None,
    executor: Executor | None = None,
) -> list[Outcome]:
    """Build what changed among ``configs`` into ``out``.

    Each build holds its report's lock, so runs on other reports can share ``out``; the state
    file and index page are merged and written under a short lock at the end. Configs that
    share a report id are all refused (none of them is built: which one should win is not
    reportgen's to guess). Tracebacks of internal errors are appended to ``log`` (default
    ``<out>/.reportgen-errors.log``), or printed through ``echo_error`` when ``debug`` is set.
    With ``shard``, only the configs whose report id falls in that shard are considered (see
    ``publish.shard``; duplicate ids are found within the shard, which holds every config of an
    id). ``executor`` runs the builds (default: ``LocalExecutor(jobs)``).
    Raises ``OutputError`` if ``out`` is not a usable folder or the state cannot be written.
    """
    echo_error = echo_error or (lambda text: print(text, file=sys.stderr))
    errors = ErrorLog(log or out / ERROR_LOG, debug, echo_error)
    prepare_output(out)
    sweep(out)  # what killed builds left in .staging/ and .trash/
    configs = list(dict.fromkeys(configs))  # the same file named twice is built once
    state = State.load(out)  # only a cache: damaged entries are dropped (with a warning)
    if state.warning:
        echo_error(f"warning: {state.warning}")
    from reportgen.paths import templates_dir

    checker = Checker(out, formats, state, templates_sha256(templates_dir()))
    if shard is not None:
        ids = report_ids(configs, state, checker.config_sha256, checker.declared_id)
        configs = select(configs, ids, shard)
    fresh = {} if force else {config: checker.check(config) for config in configs}
    unchanged = {config: entry for config, entry in fresh.items() if entry is not None}
    known = {c: i for c, i in checker.declared.items() if i is not None and c in fresh}
    known |= {config: entry["report_id"] for config, entry in unchanged.items()}
    expected, refused = claim_report_ids(configs, known)
    outcomes: list[Outcome] = []
    updates: dict[str, dict] = dict(checker.refreshed)
    for config in configs:
        if config in refused:
            outcomes.append(Outcome(config, FAILED, refused[config]))
            _record(outcomes[-1], updates, errors, echo, echo_error)
        elif config in unchanged:
            outcomes.append(_unchanged(config, unchanged[config]))
            echo(f"unchanged {config}")
    todo = [c for c in configs if c not in refused and c not in unchanged]
    progress = Progress(len(todo))
    executor = executor or LocalExecutor(jobs)
    work = partial(_build_one, out, formats, allow_untraced, strict, force)
    tasks = [(config, expected.get(config)) for config in todo]
    try:
        for outcome in executor.run(work, tasks, _internal_failure, partial(warm, formats)):
            outcomes.append(outcome)
            _record(outcome, updates, errors, echo, echo_error)
            progress.step()
    except BaseException:
        # Ctrl-C (or a bug outside any one config): keep what was built so far.
        with contextlib.suppress(Exception):
            _finish(out, updates, outcomes, progress, state)
        raise
    _finish(out, updates, outcomes, progress, state)
    return outcomes


def _up_to_date(
    out: Path, formats: tuple[str, ...], config: Path, report_id: str | None
) -> Outcome | None:
    """The unchanged outcome of a config whose report ``report_id`` its manifest shows is up
    to date (so a retried or concurrent build is not done twice); None if it must be built.
    Costs one ``lstat`` when the report was never published."""
    from reportgen.paths import templates_dir

    if report_id is None or signature(str(out / report_id / MANIFEST), follow=False) is None:
        return None
    checker = Checker(out, formats, State(out / STATE_FILE, {}), templates_sha256(templates_dir()))
    entry = checker.check(config, report_id)
    if entry is None:
        return None
    return dataclasses.replace(
        _unchanged(config, entry),
        config_sha256=entry["config_sha256"],
        sources=tuple(entry.get("sources", [])),
    )


def _unchanged(config: Path, entry: dict) -> Outcome:
    """The outcome of a skipped config, from its state entry."""
    return Outcome(
        config,
        UNCHANGED,
        "",
        entry.get("report_id"),
        entry.get("title"),
        entry.get("version"),
        entry.get("updated"),
    )


def _record(
    outcome: Outcome,
    updates: dict[str, dict],
    errors: ErrorLog,
    echo: Callable[[str], None],
    echo_error: Callable[[str], None],
) -> None:
    """Report one finished build and remember it in ``updates`` (for the state file). A
    worker may find the report already up to date (built meanwhile by another process, or
    before a worker that built it was killed): it is then reported unchanged."""
    if outcome.status in (BUILT, UNCHANGED):
        for warning in outcome.warnings:
            echo_error(f"warning: {warning}")
        if outcome.status == BUILT:
            echo(f"built     {config_line(outcome)}")
        else:
            echo(f"unchanged {outcome.config}")
        updates[outcome.config.as_posix()] = {
            "config_sha256": outcome.config_sha256,
            "report_id": outcome.report_id,
            "title": outcome.title,
            "version": outcome.version,
            "updated": outcome.updated,
            "sources": list(outcome.sources),
            "hashes": dict(outcome.hashes),
            "stats": {path: list(sig) for path, sig in outcome.stats},
        }
        return
    echo_error(errors.report(outcome.internal) if outcome.internal else outcome.detail)
    echo(
        f"failed    {outcome.config}: see the messages above; the last good "
        "report, if any, is unchanged"
    )


def _finish(
    out: Path,
    updates: dict[str, dict],
    outcomes: list[Outcome],
    progress: Progress,
    state: State,
) -> None:
    """Merge this run's builds into the state file (as read again now) and rewrite the index
    page, under the state lock: runs building other reports into ``out`` at the same time lose
    nothing. A run with nothing to merge neither reads nor writes the state again (``state``,
    as read at its start, only spares the index page reading unchanged manifests)."""
    progress.done()
    from reportgen.publish.index import write_index

    sweep(out)
    with locked(out, STATE_LOCK):
        try:
            if updates:
                state = State.load(out)
                state.entries.update(updates)
                state.save()
            known = {e["report_id"]: {**e, "config": c} for c, e in state.entries.items()}
            write_index(out, outcomes, known)
        except OSError as error:
            raise OutputError(
                f"{out / STATE_FILE}: cannot write the state file or index page: "
                f"{error.strerror or error}"
            ) from None


class ErrorLog:
    """Where the tracebacks of internal errors go: appended to a log file, or to the terminal."""

    def __init__(self, path: Path, debug: bool, echo_error: Callable[[str], None]):
        self.path, self.debug, self.echo_error = path, debug, echo_error

    def report(self, error: InternalError) -> str:
        """Put the traceback in its place; return the one-line message for the terminal."""
        if self.debug:
            self.echo_error(error.details.rstrip())
            return f"{error} (traceback above)"
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # The default log is in the public output folder: never follow a symlink there.
            nofollow = os.O_NOFOLLOW if self.path.name == ERROR_LOG else 0
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | nofollow
            with os.fdopen(os.open(self.path, flags, 0o644), "a", encoding="utf-8") as stream:
                stream.write(f"=== {stamp} {error.config} (reportgen {__version__})\n")
                stream.write(error.details.rstrip() + "\n\n")
        except OSError as exc:
            self.echo_error(error.details.rstrip())
            return f"{error} (traceback above; cannot write {self.path}: {exc.strerror or exc})"
        return f"{error} (details in {self.path})"


def config_line(outcome: Outcome) -> str:
    return f"{outcome.config} -> {outcome.detail}/ (version {outcome.version})"


def _internal_failure(config: Path, error: BaseException, summary: str = "") -> Outcome:
    """A failed outcome for a bug; ``summary`` replaces the exception's one-line summary."""
    internal = InternalError.wrap(str(config), error)
    if summary:
        internal = InternalError(internal.config, summary, internal.details)
    return Outcome(config, FAILED, str(internal), internal=internal)
