"""kill -9 in the middle of a batch: of one shard's process, of a ``--jobs 2`` worker or of the
whole run, of a Dask worker. Every published report stays whole (its files are those its
manifest lists), the next run builds exactly what was not finished and nothing twice, and the
working folders a killed build left are cleared (only those reportgen made and nobody uses).
Everything runs through the real ``reportgen`` command."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.publish.batch import BUILT, UNCHANGED, run
from reportgen.publish.output import locked
from reportgen.publish.shard import shard_of
from reportgen.publish.sweep import sweep
from reportgen.render import OUTPUT_FILES

COUNT = 10
FORMATS = "json,html"
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}  # pins report.updated (README: byte-identical runs)


@pytest.fixture
def catalogue(tmp_path, minimal_config, monkeypatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    for i in range(COUNT):
        Path(f"r{i}.yaml").write_text(minimal_config.replace("id: minimal", f"id: r{i}"))
    return [f"r{i}.yaml" for i in range(COUNT)]


def start(*args: str) -> subprocess.Popen[str]:
    """``reportgen ARGS`` in its own session (so that it can be killed with its workers)."""
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.Popen(
        [*command, *args],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


def manifests(out: Path) -> dict[str, int]:
    """Report id -> inode of its manifest (a republished report has a new one)."""
    found = {}
    for folder in sorted(out.glob("r*")):
        with contextlib.suppress(FileNotFoundError):
            found[folder.name] = os.lstat(folder / "manifest.json").st_ino
    return found


def wait_for(predicate, *running: subprocess.Popen[str], timeout: float = 300) -> None:
    """Poll ``predicate`` while the ``running`` processes are alive."""
    deadline = time.monotonic() + timeout
    while not predicate():
        for process in running:
            assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def assert_whole(out: Path) -> None:
    """Each report folder holds exactly the output files its manifest lists, each complete."""
    for folder in sorted(out.glob("r*")):
        manifest = json.loads((folder / "manifest.json").read_text())
        files = {name for name, filename in OUTPUT_FILES.items() if (folder / filename).exists()}
        assert files == set(manifest["formats"]), folder
        assert json.loads((folder / "results.json").read_text())["report"]["id"] == folder.name
        assert (folder / "report.html").read_text().rstrip().endswith("</html>")


def statuses(stdout: str) -> dict[str, str]:
    """Config -> its status line word; a config named on two lines would be built twice."""
    lines = [line.split() for line in stdout.splitlines() if line.startswith(("built", "unch"))]
    configs = [words[1] for words in lines]
    assert len(configs) == len(set(configs)), stdout
    return {words[1]: words[0] for words in lines}


def published(out: Path) -> dict[str, bytes]:
    """Every file of every report folder (not the index, state, locks or logs)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and not p.relative_to(out).parts[0].startswith(".")
        and p.name != "index.html"
    }


def test_a_killed_shard_is_finished_by_its_next_run_and_matches_one_run(catalogue):
    """Two shards build one catalogue into one folder; shard 1 is killed with SIGKILL after its
    first report. Its rerun builds only its unfinished reports; then the folder holds exactly
    the files one single run produces."""
    out = Path("sharded")
    mine = {f"r{i}" for i in range(COUNT) if shard_of(f"r{i}", 2) == 1}
    shards = [
        start("build", *catalogue, "--format", FORMATS, "--out", str(out), "--shard", f"{i}/2")
        for i in range(2)
    ]
    wait_for(lambda: bool(mine & set(manifests(out))), shards[1])
    os.killpg(shards[1].pid, signal.SIGKILL)
    shards[1].wait()
    finished = {k: v for k, v in manifests(out).items() if k in mine}
    assert finished and set(finished) != mine  # killed mid-run
    assert finish(shards[0])[0] == 0
    assert_whole(out)
    status, stdout, stderr = finish(
        start("build", *catalogue, "--format", FORMATS, "--out", str(out), "--shard", "1/2")
    )
    assert status == 0, stderr
    assert statuses(stdout) == {
        f"{i}.yaml": "unchanged" if i in finished else "built" for i in sorted(mine)
    }
    assert {k: v for k, v in manifests(out).items() if k in finished} == finished  # untouched
    assert_whole(out)
    single = run(
        [Path(c) for c in catalogue], Path("single"), tuple(FORMATS.split(",")), echo=lambda _: None
    )
    assert {o.status for o in single} == {BUILT}
    assert published(out) == published(Path("single"))  # byte-identical
    assert not Path(out, ".staging").exists() and not Path(out, ".trash").exists()


def children(pid: int) -> list[int]:
    """The worker processes of a ``--jobs`` run: forked children running its command line."""
    own = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == own:
                found.append(int(child))
        except FileNotFoundError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("target", ["worker", "run"])
def test_kill_9_during_a_jobs_2_run(catalogue, target):
    """``worker``: one of two workers is killed; the run retries its report and finishes every
    config, none built twice. ``run``: the whole run (parent and workers) is killed; the next
    run builds exactly the reports that were not published."""
    out = Path("output")
    process = start("build", *catalogue, "--format", FORMATS, "--jobs", "2")
    wait_for(lambda: len(manifests(out)) >= 2 and len(children(process.pid)) == 2, process)
    if target == "worker":
        os.kill(children(process.pid)[0], signal.SIGKILL)
    else:
        os.killpg(process.pid, signal.SIGKILL)
    finished = manifests(out)
    assert len(finished) < COUNT, "the run ended before the kill"
    status, stdout, stderr = finish(process)
    if target == "worker":
        assert status == 0, stderr
        assert set(statuses(stdout)) == set(catalogue)
        assert all(statuses(stdout)[f"{i}.yaml"] == "built" for i in finished)
    else:
        assert status == -signal.SIGKILL
    assert {k: v for k, v in manifests(out).items() if k in finished} == finished
    assert_whole(out)
    status, stdout, stderr = finish(start("build", *catalogue, "--format", FORMATS, "--jobs", "2"))
    assert status == 0, stderr
    expected = (
        {f"{i}.yaml": "unchanged" for i in manifests(out)}
        if target == "worker"
        else {f"r{i}.yaml": "unchanged" if f"r{i}" in finished else "built" for i in range(COUNT)}
    )
    assert statuses(stdout) == expected
    assert {k: v for k, v in manifests(out).items() if k in finished} == finished
    assert_whole(out)
    assert not Path(out, ".staging").exists()


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    yield cluster
    cluster.close()


def test_kill_9_of_a_dask_worker(catalogue, dask_cluster):
    """The scheduler gives the dead worker's task to another; every config is built once."""
    from distributed import Client

    with Client(dask_cluster.scheduler_address) as client:
        pids = list(client.run(os.getpid).values())
    out = Path("output")
    process = start(
        "build",
        *catalogue,
        "--format",
        FORMATS,
        "--executor",
        "dask",
        "--scheduler",
        dask_cluster.scheduler_address,
    )
    wait_for(lambda: len(manifests(out)) >= 2, process)
    os.kill(pids[0], signal.SIGKILL)
    finished = manifests(out)
    status, stdout, stderr = finish(process)
    assert status == 0, stderr
    assert set(statuses(stdout)) == set(catalogue)
    assert {k: v for k, v in manifests(out).items() if k in finished} == finished
    assert_whole(out)
    status, stdout, _ = finish(start("build", *catalogue, "--format", FORMATS))
    assert set(statuses(stdout).values()) == {"unchanged"}


def test_sweep_clears_only_stale_entries_reportgen_made(tmp_path):
    out = tmp_path / "out"
    token = "0123456789abcdef0123456789abcdef"
    for name in (f"gone--{token}", f"busy--{token}", f"a---{token}"):
        (out / ".staging" / name / "figures").mkdir(parents=True)
    (out / ".staging" / "notes").mkdir()  # not a name reportgen gives: left alone
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "keep").write_text("x")
    (out / ".staging" / f"link--{token}").symlink_to(tmp_path / "outside")
    (out / ".trash" / f"moved--{token}").mkdir(parents=True)  # an old report moved aside
    (out / ".trash" / f"moved--{token}" / "manifest.json").write_text("{}")
    with locked(out, "busy"):  # a build of "busy" is publishing now
        cleared = sweep(out)
    assert cleared == ["a-", "gone", "moved"]
    left = sorted(p.name for p in (out / ".staging").iterdir())
    assert left == [f"busy--{token}", f"link--{token}", "notes"]
    assert (tmp_path / "outside" / "keep").exists()
    assert (out / "moved" / "manifest.json").exists()  # put back: it was never replaced
    assert not (out / ".trash").exists()  # empty: removed


def test_a_run_leaves_no_empty_working_folders(catalogue):
    outcomes = run([Path(c) for c in catalogue[:2]], Path("out"), ("json",), echo=lambda _: None)
    assert {o.status for o in outcomes} == {BUILT}
    Path("out/.staging").mkdir()  # as an interrupted run leaves it
    outcomes = run([Path(c) for c in catalogue[:2]], Path("out"), ("json",), echo=lambda _: None)
    assert {o.status for o in outcomes} == {UNCHANGED}
    assert sorted(p.name for p in Path("out").iterdir() if p.name.startswith(".")) == [
        ".locks",
        ".reportgen-state.json",
    ]
