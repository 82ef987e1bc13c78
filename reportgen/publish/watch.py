"""``reportgen watch``: rebuild reports while an editor works on them.

Watches every config, the data files each one names and the templates (watchfiles), and runs
the same incremental build as ``reportgen build`` whenever one of them changes. Nothing stops
it but Ctrl-C: a config that fails, even with a bug in reportgen, is reported and watched on,
including the data files of a config that has never built.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from reportgen.config.peek import declared_data_files
from reportgen.errors import InternalError, UserError
from reportgen.paths import templates_dir
from reportgen.publish.batch import ERROR_LOG, ErrorLog, Outcome, run
from reportgen.publish.incremental import State

RETRY_SECONDS = 1.0  # pause after the watcher itself failed, so that a persistent fault won't spin


def _watched(configs: list[Path], out: Path) -> set[Path]:
    state = State.load(out)
    paths = {config.resolve() for config in configs} | {templates_dir().resolve()}
    for config in configs:
        entry = state.entries.get(config.as_posix())
        sources = entry.get("sources", []) if isinstance(entry, dict) else []
        paths |= {Path(source).resolve() for source in sources if isinstance(source, str)}
        paths |= declared_data_files(config)
    return paths


def watch(
    configs: list[Path],
    out: Path,
    formats: tuple[str, ...],
    log: Path | None = None,
    debug: bool = False,
    on_rebuild: Callable[[list[Outcome], str | None], None] | None = None,
    where: str | None = None,
) -> int:
    """Build, then rebuild on every change until Ctrl-C. ``on_rebuild`` is told the outcome of
    each run, or the message of an error that stopped it (``reportgen preview`` listens);
    ``where``: what to tell the user to open (default: the output folder's index page)."""
    from watchfiles import watch as watch_changes

    errors = ErrorLog(
        log or out / ERROR_LOG, debug, lambda text: print(text, file=sys.stderr, flush=True)
    )

    def report_bug(error: Exception) -> None:
        print(errors.report(InternalError.wrap("reportgen watch", error)), file=sys.stderr)

    def rebuild() -> None:
        told = on_rebuild or (lambda outcomes, problem: None)
        try:
            told(run(configs, out, formats, log=log, debug=debug), None)
        except UserError as error:  # the output folder cannot be used: say so, keep watching
            print(error, file=sys.stderr, flush=True)
            told([], str(error))
        except Exception as error:  # a bug outside any one config: report it, keep watching
            report_bug(error)
            told([], f"internal error (a bug in reportgen): {error}")

    try:
        rebuild()
        print(
            f"watching {len(configs)} config(s); open {where or out / 'index.html'}; Ctrl-C stops",
            flush=True,
        )
        while True:
            try:
                watched = _watched(configs, out)
                folders = {p if p.is_dir() else p.parent for p in watched}
                existing = {folder for folder in folders if folder.is_dir()}
                for changes in watch_changes(*existing, debounce=300, rust_timeout=1000):
                    changed = {Path(path).resolve() for _, path in changes}
                    if changed & watched or any(
                        p.is_relative_to(templates_dir().resolve()) for p in changed
                    ):
                        rebuild()
                        print("waiting for changes", flush=True)
                        break
            except Exception as error:  # the watcher itself failed (a folder vanished...)
                report_bug(error)
                time.sleep(RETRY_SECONDS)
    except KeyboardInterrupt:
        print("stopped")
    return 0
