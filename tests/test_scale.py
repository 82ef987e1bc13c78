"""Running one catalogue on many workers: shards split the configs by report id (disjoint,
covering, stable), ``--shard auto`` reads Kubernetes and Slurm environments, processes share one
output folder, ``reportgen index`` rebuilds the index from the manifests, local workers are
recycled, and a Dask cluster builds with the same per-config failure isolation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import cli
from reportgen.publish import executors
from reportgen.publish.batch import BUILT, FAILED, UNCHANGED, run
from reportgen.publish.shard import Shard, ShardError, parse_shard, select, shard_from_env

IDS = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), unique=True, max_size=60)


def partition(ids: list[str], count: int) -> list[list[Path]]:
    configs = [Path(f"configs/{report_id}.yaml") for report_id in ids]
    known = {config: config.stem for config in configs}
    return [select(configs, known, Shard(index, count)) for index in range(count)]


@settings(max_examples=60, deadline=None)
@given(IDS, st.integers(min_value=1, max_value=9), st.randoms(use_true_random=False))
def test_shards_are_disjoint_covering_and_independent_of_order(ids, count, shuffle):
    shards = partition(ids, count)
    flat = [config for shard in shards for config in shard]
    assert sorted(flat) == sorted(Path(f"configs/{i}.yaml") for i in ids)  # each exactly once
    shuffled = list(ids)
    shuffle.shuffle(shuffled)
    assert [set(s) for s in partition(shuffled, count)] == [set(s) for s in shards]
    half = ids[: len(ids) // 2]  # a config's shard does not depend on the others given
    assert [set(s) for s in partition(half, count)] == [
        set(s) & set(Path(f"configs/{i}.yaml") for i in half) for s in shards
    ]


def test_shard_of_an_id_is_pinned_across_runs_and_machines():
    """sha256, not hash(): the same in every process (PYTHONHASHSEED) and every release."""
    code = (
        "from reportgen.publish.shard import shard_of;"
        "print([shard_of(f'report-{i}', 7) for i in range(12)])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert runs == {"[2, 0, 4, 3, 4, 1, 2, 5, 1, 0, 3, 0]\n"}


def test_duplicate_ids_fall_in_one_shard_where_they_are_refused(
    tmp_path, minimal_config, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    for name in ("a.yaml", "copy.yaml"):
        Path(name).write_text(minimal_config)
    both = [Path("a.yaml"), Path("copy.yaml")]
    outcomes = [
        run(both, Path("out"), ("json",), shard=Shard(i, 3), echo=lambda _: None) for i in range(3)
    ]
    assert sorted(len(o) for o in outcomes) == [0, 0, 2]
    assert all(o.status == FAILED for shard in outcomes for o in shard)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"JOB_COMPLETION_INDEX": "2", "REPORTGEN_SHARDS": "4"}, Shard(2, 4)),
        ({"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "3"}, Shard(0, 3)),
        ({"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "5"}, Shard(3, 5)),
        (
            {"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "4"},
            Shard(3, 4),
        ),
        (
            {"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "9", "REPORTGEN_SHARDS": "3"},
            Shard(2, 3),
        ),
    ],
)
def test_shard_auto_reads_kubernetes_and_slurm(env, expected):
    assert shard_from_env(env) == expected
    assert parse_shard("auto", env) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID"),
        ({"JOB_COMPLETION_INDEX": "1"}, "set REPORTGEN_SHARDS (or JOB_COMPLETIONS)"),
        ({"JOB_COMPLETION_INDEX": "x", "REPORTGEN_SHARDS": "2"}, "'x' is not a whole number"),
        ({"JOB_COMPLETION_INDEX": "4", "REPORTGEN_SHARDS": "4"}, "gives shard 4 of 4"),
        ({"SLURM_ARRAY_TASK_ID": "1"}, "neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX"),
        (
            {"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "3"},
            "gives shard -1 of 3",
        ),
    ],
)
def test_shard_auto_says_what_is_missing_or_inconsistent(env, message):
    with pytest.raises(ShardError, match=r"^--shard auto: ") as raised:
        shard_from_env(env)
    assert message in str(raised.value)


@pytest.mark.parametrize("value", ["3", "1/0", "2/2", "-1/2", "a/b", "1/2/3"])
def test_bad_shard_is_a_usage_error(value, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["build", f"--shard={value}"])
    assert exited.value.code == 2
    assert "argument --shard: --shard" in capsys.readouterr().err


@pytest.fixture
def catalogue(tmp_path, minimal_config, monkeypatch) -> list[Path]:
    """Six configs with report ids r0..r5 in a working folder."""
    monkeypatch.chdir(tmp_path)
    for i in range(6):
        Path(f"r{i}.yaml").write_text(minimal_config.replace("id: minimal", f"id: r{i}"))
    return [Path(f"r{i}.yaml") for i in range(6)]


def reportgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.Popen(
        [*command, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def published(out: Path) -> dict[str, bytes]:
    """Every file of every report folder (not the index, state, locks or logs)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and not p.relative_to(out).parts[0].startswith(".")
        and p.name != "index.html"
    }


def test_two_shards_in_two_processes_build_the_same_files_as_one_run(catalogue, monkeypatch):
    """Concurrent processes publish different reports into one folder; the index lists all;
    the reports are byte-identical to a single run's; a second round skips every config."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    names = [c.name for c in catalogue]
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    shards = [
        reportgen(
            "build",
            *names,
            "--format",
            "json,html",
            "--out",
            "sharded",
            "--shard",
            f"{i}/2",
            cwd=Path.cwd(),
            env=env,
        )
        for i in range(2)
    ]
    results = [process.communicate(timeout=600) for process in shards]
    assert all(p.returncode == 0 for p in shards), results
    built = [stdout.count("built ") for stdout, _ in results]
    assert sorted(built) == sorted(len(s) for s in partition([f"r{i}" for i in range(6)], 2))
    single = run(catalogue, Path("single"), ("json", "html"), echo=lambda _: None)
    assert {o.status for o in single} == {BUILT}
    assert published(Path("sharded")) == published(Path("single"))
    index = Path("sharded/index.html").read_text()
    assert all(f'href="r{i}/results.json"' in index for i in range(6))
    state = json.loads(Path("sharded/.reportgen-state.json").read_text())
    assert set(state) == set(names)
    again = run(
        catalogue, Path("sharded"), ("json", "html"), shard=Shard(1, 2), echo=lambda _: None
    )
    assert {o.status for o in again} <= {UNCHANGED} and len(again) == built[1]


def test_index_command_rebuilds_the_page_from_the_manifests(catalogue, capsys):
    run(catalogue[:2], Path("out"), ("json",), echo=lambda _: None)
    Path("out/index.html").unlink()
    (Path("out") / "not-a-report").mkdir()  # no manifest: not listed
    assert cli.main(["index", "out"]) == 0
    assert capsys.readouterr().out == "out/index.html: 2 reports\n"
    page = Path("out/index.html").read_text()
    assert 'href="r0/results.json"' in page and 'href="r1/results.json"' in page
    assert "not-a-report" not in page and "Last run" not in page
    assert "<code>r0.yaml</code>" in page and "A minimal report" in page
    assert cli.main(["index", "missing"]) == 1
    assert "missing: no such output folder" in capsys.readouterr().err


def test_local_workers_are_recycled_and_results_stream_back(catalogue, monkeypatch):
    """Python 3.11 refuses max_tasks_per_child with fork: the pool is recreated instead."""
    pools: list[int] = []
    real = executors.ProcessPoolExecutor

    def counting(*args, **kwargs):
        pools.append(kwargs["max_workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(executors, "ProcessPoolExecutor", counting)
    executor = executors.LocalExecutor(jobs=2, reports_per_worker=1)
    outcomes = run(catalogue[:5], Path("out"), ("json",), executor=executor, echo=lambda _: None)
    assert [o.status for o in outcomes] == [BUILT] * 5
    assert pools == [2, 2, 1]  # 2 + 2 + 1 reports, a fresh pool each time


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    yield cluster
    cluster.close()


def test_dask_executor_isolates_a_bad_config(catalogue, dask_cluster, capsys):
    Path("r1.yaml").write_text(
        Path("r1.yaml").read_text().replace("events: 10, total: 20", "events: 30, total: 20")
    )
    Path("r2.yaml").write_text("report: [not, a, mapping")
    status = cli.main(
        [
            "build",
            "r0.yaml",
            "r1.yaml",
            "r2.yaml",
            "r3.yaml",
            "--format",
            "json",
            "--executor",
            "dask",
            "--scheduler",
            dask_cluster.scheduler_address,
        ]
    )
    out, err = capsys.readouterr()
    assert status == 1
    assert all(f"built     r{i}.yaml -> output/r{i}/ (version 1.0)" in out for i in (0, 3))
    assert "failed    r1.yaml" in out and "failed    r2.yaml" in out
    assert "r2.yaml:1:" in err  # located in the file the user edits, not on the worker
    assert "4 reports: 2 built, 0 unchanged, 2 failed" in out
    manifest = json.loads(Path("output/r0/manifest.json").read_text())
    assert manifest["inputs"]["config"]["path"] == "r0.yaml"  # same paths as a local run


def test_dask_without_scheduler_or_unreachable_is_a_user_error(catalogue, capsys):
    assert cli.main(["build", "r0.yaml", "--executor", "dask"]) == 1
    assert "--executor dask needs --scheduler" in capsys.readouterr().err
    pytest.importorskip("distributed")
    assert (
        cli.main(["build", "r0.yaml", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
        == 1
    )
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
