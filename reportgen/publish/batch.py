"""``reportgen build`` over many configs: skip what is unchanged, build the rest (in parallel
with ``--jobs``), report one line per config, keep the state file and the index page current.

Nothing heavy is imported until a report actually needs building.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from reportgen.publish.incremental import State, is_unchanged, templates_sha256
from reportgen.publish.output import locked

BUILT, UNCHANGED, FAILED = "built", "unchanged", "failed"


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


def _build_one(
    config: Path,
    out: Path,
    formats: tuple[str, ...],
    allow_untraced: bool = False,
    strict: bool = False,
) -> Outcome:
    """Build one report; a user error becomes a failed outcome (the old report stays)."""
    from reportgen.errors import UserError
    from reportgen.publish.build import build_report

    try:
        built = build_report(
            config, out, formats, allow_untraced_numbers=allow_untraced, strict=strict
        )
    except UserError as error:
        return Outcome(config, FAILED, str(error))
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
    )


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
) -> list[Outcome]:
    """Build what changed among ``configs`` into ``out``, holding the output lock."""
    echo_error = echo_error or (lambda text: print(text, file=sys.stderr))
    out.mkdir(parents=True, exist_ok=True)
    with locked(
        out,
        on_wait=lambda: echo_error(
            f"reportgen: another build is writing to {out}; waiting for it to finish"
        ),
    ):
        state = State.load(out)
        from reportgen.paths import templates_dir

        templates = templates_sha256(templates_dir())
        todo, outcomes = [], []
        for config in configs:
            if not force and is_unchanged(config, out, formats, state, templates):
                entry = state.entries[config.as_posix()]
                outcome = Outcome(
                    config,
                    UNCHANGED,
                    "",
                    entry.get("report_id"),
                    entry.get("title"),
                    entry.get("version"),
                    entry.get("updated"),
                )
                outcomes.append(outcome)
                echo(f"unchanged {config}")
            else:
                todo.append(config)
        progress = _Progress(len(todo), echo_error)
        for outcome in _build_all(todo, out, formats, jobs, allow_untraced, strict):
            outcomes.append(outcome)
            progress.step()
            if outcome.status == BUILT:
                for warning in outcome.warnings:
                    echo_error(f"warning: {warning}")
                echo(f"built     {config_line(outcome)}")
                state.entries[outcome.config.as_posix()] = {
                    "config_sha256": outcome.config_sha256,
                    "report_id": outcome.report_id,
                    "title": outcome.title,
                    "version": outcome.version,
                    "updated": outcome.updated,
                    "sources": list(outcome.sources),
                }
            else:
                echo_error(outcome.detail)
                echo(
                    f"failed    {outcome.config}: see the messages above; the last good "
                    "report, if any, is unchanged"
                )
        progress.done()
        state.save()
        from reportgen.publish.index import write_index

        write_index(out, state, outcomes)
    return outcomes


def config_line(outcome: Outcome) -> str:
    return f"{outcome.config} -> {outcome.detail}/ (version {outcome.version})"


def _build_all(
    configs: list[Path],
    out: Path,
    formats: tuple[str, ...],
    jobs: int,
    allow_untraced: bool = False,
    strict: bool = False,
):
    if jobs <= 1 or len(configs) <= 1:
        for config in configs:
            yield _build_one(config, out, formats, allow_untraced, strict)
        return
    # fork: workers start with reportgen's modules already imported.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        futures = [
            pool.submit(_build_one, config, out, formats, allow_untraced, strict)
            for config in configs
        ]
        for future in futures:
            yield future.result()


class _Progress:
    """A progress bar on a terminal (stderr); nothing in a log."""

    def __init__(self, total: int, echo_error: Callable[[str], None]):
        self.total, self.count = total, 0
        self.active = total > 1 and sys.stderr.isatty()

    def step(self) -> None:
        self.count += 1
        if self.active:
            width = 30
            filled = width * self.count // self.total
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} "
            )
            sys.stderr.flush()

    def done(self) -> None:
        if self.active:
            sys.stderr.write("\n")
