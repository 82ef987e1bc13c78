"""How a batch shows its progress: a live bar in a terminal, plain lines everywhere else.

Every finished config prints one line (``built``, ``unchanged``, ``failed``) to stdout whatever
the terminal, so logs, cron mail and CI output read the same. When stderr is a terminal and more
than one report is to be built, a progress bar (done/total, elapsed time, time left) is drawn
there by ``rich`` and kept below those lines; with any executor (local workers or Dask), since
the batch advances it as each result comes back. In a log (stderr not a terminal) nothing is
added: no bar, no escape codes. ``rich`` is imported only when a bar is drawn (the no-op path
never draws one).
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

__all__ = ["Progress"]
_SHOWN: list[Any] = []  # the bars being drawn in this process


def _plain_streams_in_child() -> None:
    """In a worker forked while a bar is drawn: write to the real streams, not through the
    bar's redirection (its lock may have been held by the refresh thread, which a fork does not
    copy, so the worker would wait for it forever)."""
    if _SHOWN:
        _SHOWN.clear()
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


os.register_at_fork(after_in_child=_plain_streams_in_child)


class Progress:
    """The bar of one batch of ``total`` builds on ``stream`` (default stderr).

    ``terminal`` overrides the stream's own ``isatty()`` (for tests). Lines printed to stdout or
    stderr while the bar is shown go above it when they go to the same terminal.
    """

    def __init__(self, total: int, stream: TextIO | None = None, terminal: bool | None = None):
        stream = stream or sys.stderr
        terminal = stream.isatty() if terminal is None else terminal
        self.total, self.count = total, 0
        self._bar: Any = None
        if total > 1 and terminal:
            self._bar = _bar(stream, total)
            self._bar.start()
            _SHOWN.append(self._bar)

    @property
    def active(self) -> bool:
        return self._bar is not None

    def step(self) -> None:
        """One more config finished (built, unchanged or failed)."""
        self.count += 1
        if self._bar is not None:
            self._bar.advance(self._bar.task_ids[0])

    def done(self) -> None:
        """Leave the finished bar on the terminal (idempotent)."""
        if self._bar is not None:
            self._bar.stop()
            _SHOWN.remove(self._bar)
            self._bar = None


def _bar(stream: TextIO, total: int) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(file=stream, force_terminal=True, stderr=stream is sys.stderr)
    bar = Progress(
        TextColumn("building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        # Lines to stdout are drawn above the bar only when stdout is this terminal too;
        # otherwise (``reportgen build > log``) they must reach the file, not the bar's stream.
        redirect_stdout=_same_terminal(sys.stdout, stream),
        redirect_stderr=stream is sys.stderr,
    )
    bar.add_task("building", total=total)
    return bar


def _same_terminal(other: TextIO, stream: TextIO) -> bool:
    try:
        return other.isatty() and stream.isatty()
    except (AttributeError, ValueError):
        return False
