"""One config never stops a batch: a bug (an unexpected exception, a worker that dies) fails that
config only, with one line on the terminal and its traceback in the error log; user errors in
data files and analyses are located in the files the user edits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import cli
from reportgen.config.sources import SourceError, decode_utf8
from reportgen.publish import batch, watch
from reportgen.publish.batch import BUILT, ERROR_LOG, FAILED, run
from reportgen.publish.incremental import STATE_FILE

CONFIGS = ("a.yaml", "b.yaml", "c.yaml")


def reportgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture
def three_configs(tmp_path, minimal_config, monkeypatch) -> list[Path]:
    """a.yaml, b.yaml, c.yaml (report ids a, b, c) in a working folder."""
    monkeypatch.chdir(tmp_path)
    for name in CONFIGS:
        Path(name).write_text(minimal_config.replace("id: minimal", f"id: {name[0]}"))
    return [Path(name) for name in CONFIGS]


def break_b(monkeypatch, failure) -> None:
    """Make building b.yaml call ``failure()``; the others build as usual. With fork, worker
    processes inherit the patch."""
    from reportgen.publish import build

    real = build.build_report

    def patched(config, *args, **kwargs):
        if Path(config).name == "b.yaml":
            failure()
        return real(config, *args, **kwargs)

    monkeypatch.setattr(build, "build_report", patched)


def missing_key() -> None:
    settings: dict[str, str] = {}
    settings["foo"]  # the bug under test


class Echo:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.err: list[str] = []


def run_batch(configs, echo: Echo, **options):
    return run(
        configs,
        Path("out"),
        ("json",),
        echo=echo.out.append,
        echo_error=echo.err.append,
        **options,
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_unexpected_exception_fails_only_its_config(three_configs, monkeypatch, jobs):
    break_b(monkeypatch, missing_key)
    echo = Echo()
    outcomes = run_batch(three_configs, echo, jobs=jobs)

    assert {o.config.name: o.status for o in outcomes} == {
        "a.yaml": BUILT,
        "b.yaml": FAILED,
        "c.yaml": BUILT,
    }
    out = Path("out")
    assert (out / "a" / "results.json").exists() and (out / "c" / "results.json").exists()
    assert not (out / "b").exists()
    state = json.loads((out / STATE_FILE).read_text())
    assert set(state) == {"a.yaml", "c.yaml"}
    index = (out / "index.html").read_text()
    assert '<td class="failed">failed</td>' in index and "b.yaml" in index
    log = out / ERROR_LOG
    message = f"b.yaml: internal error: KeyError: 'foo' (details in {log})"
    assert message in echo.err
    assert all("Traceback" not in line for line in echo.err)
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert "in missing_key" in text and "KeyError: 'foo'" in text
    assert text.startswith("=== ") and " b.yaml (reportgen " in text.splitlines()[0]


def test_debug_prints_the_traceback_instead_of_logging_it(three_configs, monkeypatch):
    break_b(monkeypatch, missing_key)
    echo = Echo()
    run_batch(three_configs, echo, debug=True)
    assert "b.yaml: internal error: KeyError: 'foo' (traceback above)" in echo.err
    traceback = next(line for line in echo.err if line.startswith("Traceback"))
    assert "in missing_key" in traceback
    assert not (Path("out") / ERROR_LOG).exists()


def test_worker_that_dies_fails_only_its_config(three_configs, monkeypatch):
    break_b(monkeypatch, lambda: os._exit(9))
    echo = Echo()
    outcomes = run_batch(three_configs, echo, jobs=2)
    status = {o.config.name: o.status for o in outcomes}
    assert status == {"a.yaml": BUILT, "b.yaml": FAILED, "c.yaml": BUILT}
    failed = next(o for o in outcomes if o.status == FAILED)
    assert failed.internal is not None and "process died" in failed.internal.summary
    assert "BrokenProcessPool" in (Path("out") / ERROR_LOG).read_text()


def test_ctrl_c_stops_the_run_but_keeps_what_was_built(three_configs, monkeypatch):
    def interrupt() -> None:
        raise KeyboardInterrupt

    break_b(monkeypatch, interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_batch(three_configs, Echo())
    out = Path("out")
    assert not (out / "c").exists()
    assert set(json.loads((out / STATE_FILE).read_text())) == {"a.yaml"}
    assert (out / "index.html").exists()


def test_malformed_state_entry_means_rebuild(three_configs):
    out = Path("out")
    out.mkdir()
    (out / STATE_FILE).write_text(json.dumps({"a.yaml": ["not", "a", "mapping"]}))
    outcomes = run_batch(three_configs[:1], Echo())
    assert [o.status for o in outcomes] == [BUILT]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_exit_status_log_option_and_debug(three_configs, monkeypatch, capsys, jobs):
    break_b(monkeypatch, missing_key)
    status = cli.main(["build", *CONFIGS, "--format", "json", "--jobs", jobs, "--log", "bugs.log"])
    captured = capsys.readouterr()
    assert status == cli.EXIT_INTERNAL_ERROR != cli.EXIT_USER_ERROR
    assert "3 reports: 2 built, 0 unchanged, 1 failed" in captured.out
    lines = [line for line in captured.err.splitlines() if "internal error" in line]
    assert lines == ["b.yaml: internal error: KeyError: 'foo' (details in bugs.log)"]
    assert "Traceback" not in captured.err
    assert "in missing_key" in Path("bugs.log").read_text()

    status = cli.main(["build", "b.yaml", "--format", "json", "--debug"])
    captured = capsys.readouterr()
    assert status == cli.EXIT_INTERNAL_ERROR
    assert "Traceback (most recent call last)" in captured.err and "in missing_key" in captured.err


def test_build_help_documents_the_error_log_and_debug(tmp_path):
    result = reportgen("build", "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert ".reportgen-errors.log" in text and "--log FILE" in text and "--debug" in text
    assert "3 an internal error" in text


LATIN1_CSV = b"study,events,total\ns1,10,20\ns\xe9,15,25\n"


def test_latin1_csv_is_a_located_user_error(tmp_path, minimal_config):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_bytes(LATIN1_CSV)
    rows = minimal_config.index("    data:\n")
    (tmp_path / "csv.yaml").write_text(
        minimal_config[:rows].replace("id: minimal", "id: from-csv") + "    data: data/x.csv\n"
    )
    (tmp_path / "good.yaml").write_text(minimal_config)
    result = reportgen("build", "csv.yaml", "good.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "data/x.csv:3: not UTF-8 text (byte 0xe9 in column 2): save the file as UTF-8"
        in result.stderr
    )
    assert "2 reports: 1 built, 0 unchanged, 1 failed" in result.stdout
    # watch knows the data file of this never-built config, so fixing it triggers a rebuild
    assert (tmp_path / "data" / "x.csv").resolve() in watch._watched(
        [tmp_path / "csv.yaml"], tmp_path / "output"
    )


def test_config_that_is_not_utf8_is_a_located_user_error(tmp_path):
    (tmp_path / "l1.yaml").write_bytes(b"report:\n  id: x\n  title: Caf\xe9\n")
    result = reportgen("validate", "l1.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "l1.yaml:3: not UTF-8 text (byte 0xe9 in column 13): save the file as UTF-8" in (
        result.stderr
    )


def test_decode_utf8_counts_characters_not_bytes():
    with pytest.raises(SourceError) as raised:
        decode_utf8("a\n\u00e4\u00e4,".encode() + b"\xff")
    assert raised.value.line == 2 and "byte 0xff in column 4" in str(raised.value)
    assert decode_utf8(b"\xef\xbb\xbfstudy") == "study"


ANALYSIS_ERROR_CONFIG = """\
report: {id: analysis-error, title: Analysis error}
studies:
  - {id: s1, label: Alpha 2020}
  - {id: s2, label: Beta 2021}
outcomes:
  - id: response
    label: Response
    plain_label: responded
    role: benefit
    type: proportion
    data:
      - {study: s1, events: 10, total: 20}
      - {study: s2, events: 15, total: 25}
  - id: mortality
    label: Mortality
    plain_label: died
    role: harm
    type: proportion
    method: GLMM
    data:
      - {study: s1, events: 3, total: 20}
"""


def test_analysis_error_names_config_line_and_outcome(tmp_path):
    (tmp_path / "analysis.yaml").write_text(ANALYSIS_ERROR_CONFIG)
    result = reportgen("build", "analysis.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "analysis.yaml:14: outcomes[1] (id 'mortality'): the GLMM needs at least two studies "
        "to estimate heterogeneity"
    ) in result.stderr


def test_watch_keeps_watching_after_an_error(three_configs, monkeypatch, capsys):
    calls: list[int] = []

    def flaky_run(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return []

    rounds: list[int] = []

    def fake_changes(*folders, **kwargs):
        rounds.append(1)
        if len(rounds) > 1:
            raise KeyboardInterrupt
        yield {(1, str(Path("b.yaml").resolve()))}

    monkeypatch.setattr(watch, "run", flaky_run)
    monkeypatch.setattr("watchfiles.watch", fake_changes)
    assert watch.watch(three_configs, Path("out"), ("json",)) == 0
    captured = capsys.readouterr()
    assert len(calls) == 2  # the first build failed; the change still triggered a rebuild
    assert (
        f"reportgen watch: internal error: RuntimeError: boom (details in {Path('out', ERROR_LOG)})"
        in captured.err
    )
    assert "stopped" in captured.out


def test_outcome_with_internal_error_pickles():
    import pickle

    outcome = batch._internal_failure(Path("x.yaml"), KeyError("foo"))
    again = pickle.loads(pickle.dumps(outcome))
    assert again.internal is not None and again.internal.summary == "KeyError: 'foo'"
    assert str(again.internal) == "x.yaml: internal error: KeyError: 'foo'"


def test_watch_sees_only_data_files_a_build_may_read(tmp_path):
    """The watcher and the build agree on which keys name data files and where they may lie."""
    from reportgen.config.peek import declared_data_files

    (tmp_path / "rows.csv").write_text("study,events,total\n", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    outside.write_text("x\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(
        "studies: rows.csv\noutcomes:\n  - {id: a, data: rows.csv}\n"
        f"  - {{id: b, data: ../{outside.name}}}\n  - {{id: c, data: [1]}}\n",
        encoding="utf-8",
    )
    assert declared_data_files(config) == {(tmp_path / "rows.csv").resolve()}
    config.write_text("report: [unclosed\n", encoding="utf-8")
    assert declared_data_files(config) == set()
