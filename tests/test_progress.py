"""Batch progress: a bar on a terminal (rich), plain one-line-per-report output in a log, with
local workers and on Dask alike (the batch advances the bar as each result comes back)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.publish.batch import BUILT, run
from reportgen.publish.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def catalogue(tmp_path, minimal_config, monkeypatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)
    for i in range(3):
        Path(f"r{i}.yaml").write_text(minimal_config.replace("id: minimal", f"id: r{i}"))
    return [Path(f"r{i}.yaml") for i in range(3)]


def test_a_terminal_shows_a_bar_that_counts_every_report(catalogue, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    lines: list[str] = []
    outcomes = run(catalogue, Path("out"), ("json",), jobs=2, echo=lines.append)
    assert [o.status for o in outcomes] == [BUILT] * 3
    drawn = terminal.getvalue()
    assert "building" in drawn and "3/3" in drawn and "\x1b[" in drawn
    assert sorted(line.split()[1] for line in lines) == ["r0.yaml", "r1.yaml", "r2.yaml"]


def test_no_bar_for_one_report_or_outside_a_terminal():
    for total, terminal in ((1, True), (5, False)):
        stream = Terminal()
        progress = Progress(total, stream, terminal=terminal)
        for _ in range(total):
            progress.step()
        progress.done()
        assert not progress.active and stream.getvalue() == ""
        assert progress.count == total


def test_a_log_gets_one_plain_line_per_report(catalogue):
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", *map(str, catalogue), "--format", "json"],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "building" not in done.stderr
    assert done.stdout.splitlines() == [
        *(f"built     r{i}.yaml -> output/r{i}/ (version 1.0)" for i in range(3)),
        "3 reports: 3 built, 0 unchanged, 0 failed",
    ]
