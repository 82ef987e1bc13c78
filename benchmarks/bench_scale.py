"""Scaling: per-report cost as the catalogue grows, local workers against a Dask cluster.

    python benchmarks/bench_scale.py [--counts 50,200,500] [--compare 50] [--full 20]

Writes variants of the examples in configs/ (new report ids and titles, same data) to a
temporary folder and runs the real command line (``python -m reportgen build``) on them:

- for each count in ``--counts``: a first HTML + JSON build with two local workers, then a
  no-op run (nothing changed): seconds, seconds per report, peak memory of one process;
- at ``--compare`` configs: HTML + JSON on 1 and 2 local workers and on a two-worker Dask
  ``LocalCluster``; at ``--full`` configs the same with HTML, PDF and JSON.

Memory is the peak resident set of the largest process (``getrusage(RUSAGE_CHILDREN)`` of a
wrapper around each command; for Dask, of each worker, asked through ``Client.run``). Times
drift 2-5x on a shared machine (see shared/RECIPES.md): compare rows of one run. Needs
``dask[distributed]`` for the Dask rows (they are skipped without it).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "configs").glob("*.yaml"))
WRAPPER = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


@dataclass(frozen=True)
class Row:
    scenario: str
    count: int
    seconds: float
    peak_mb: float

    def line(self) -> str:
        per = 1000 * self.seconds / self.count if self.count else 0.0
        return (
            f"{self.scenario:<44}{self.count:>7}{self.seconds:>10.1f}{per:>12.1f}"
            f"{self.peak_mb:>12.0f}"
        )


def write_configs(folder: Path, count: int) -> list[str]:
    """``count`` variants of the examples (report id and title made unique)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [path.read_text(encoding="utf-8") for path in EXAMPLES]
    names = []
    for number in range(count):
        text = texts[number % len(texts)]
        text = re.sub(r"(?m)^  id: (\S+)$", rf"  id: \1-v{number}", text, count=1)
        text = re.sub(r"(?m)^  title: (.+)$", rf"  title: \1 (variant {number})", text, count=1)
        name = f"variant-{number:05d}.yaml"
        (folder / name).write_text(text, encoding="utf-8")
        names.append(f"configs/{name}")
    return names


def build(cwd: Path, *args: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of one ``reportgen build``."""
    command = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "reportgen", "build"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    done = subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"reportgen build {' '.join(args[:6])} failed:\n{done.stderr[-3000:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def growth(root: Path, counts: list[int]) -> list[Row]:
    rows = []
    for count in counts:
        folder = root / f"grow-{count}"
        write_configs(folder / "configs", count)
        seconds, peak = build(folder, "--format", "html,json", "--jobs", "2")
        rows.append(Row("HTML+JSON, 2 local workers", count, seconds, peak))
        noop = [build(folder, "--format", "html,json") for _ in range(3)]
        seconds, peak = sorted(noop)[1]  # the median of three
        rows.append(Row("no-op (nothing changed)", count, seconds, peak))
    return rows


def compare(root: Path, count: int, formats: str, label: str, cluster: object) -> list[Row]:
    rows = []
    for jobs in (1, 2):
        folder = root / f"{label}-{count}-jobs{jobs}"
        write_configs(folder / "configs", count)
        seconds, peak = build(folder, "--format", formats, "--jobs", str(jobs))
        rows.append(
            Row(f"{label}, {jobs} local worker{'s' if jobs > 1 else ''}", count, seconds, peak)
        )
    if cluster is not None:
        folder = root / f"{label}-{count}-dask"
        write_configs(folder / "configs", count)
        address = cluster.scheduler_address  # type: ignore[attr-defined]
        seconds, _ = build(
            folder, "--format", formats, "--executor", "dask", "--scheduler", address
        )
        rows.append(
            Row(f"{label}, Dask LocalCluster (2 workers)", count, seconds, dask_peak_mb(cluster))
        )
    return rows


def dask_peak_mb(cluster: object) -> float:
    """The largest peak RSS among the cluster's workers, in MB."""
    from distributed import Client

    def peak() -> int:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    with Client(cluster) as client:
        return max(client.run(peak).values()) / 1024


def start_cluster() -> object | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        print("dask.distributed is not installed: no Dask rows", file=sys.stderr)
        return None
    env = {"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    os.environ.update(env)  # the worker processes inherit it
    sys.path.insert(0, str(ROOT))  # the scheduler (in this process) unpickles the tasks too
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="50,200,500", help="catalogue sizes (comma list)")
    parser.add_argument("--compare", type=int, default=50, help="configs for HTML+JSON rows")
    parser.add_argument("--full", type=int, default=20, help="configs for HTML+PDF+JSON rows")
    args = parser.parse_args()
    counts = [int(part) for part in args.counts.split(",") if part.strip()]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        cluster = start_cluster()
        try:
            rows = growth(root, counts)
            rows += compare(root, args.compare, "html,json", "HTML+JSON", cluster)
            rows += compare(root, args.full, "html,pdf,json", "full (HTML+PDF+JSON)", cluster)
        finally:
            if cluster is not None:
                cluster.close()  # type: ignore[attr-defined]
    print(f"{'scenario':<44}{'configs':>7}{'seconds':>10}{'ms/report':>12}{'peak MB':>12}")
    print("-" * 85)
    for row in rows:
        print(row.line())
    by = {(r.scenario, r.count): r.seconds for r in rows}
    for label, count in (("HTML+JSON", args.compare), ("full (HTML+PDF+JSON)", args.full)):
        one, two = (
            by.get((f"{label}, 1 local worker", count)),
            by.get((f"{label}, 2 local workers", count)),
        )
        if one and two:
            print(f"{label}: 2 local workers are {one / two:.2f}x one worker at {count} configs")


if __name__ == "__main__":
    main()
