"""Scaling: the no-op run over 10,000 configs, one against two local workers, a Dask cluster.

    python benchmarks/bench_scale.py [--noop 10000] [--counts 50,200,500] [--compare 50]
                                     [--pairs 3] [--full 20]

Writes variants of the examples in configs/ (new report ids and titles, same data) to a
temporary folder and runs the real command line (``python -m reportgen build``) on them:

- ``--noop``: a catalogue of that many configs whose reports are all published, then no-op
  runs measured with ``/usr/bin/time -v`` (wall, user and system CPU, peak memory): the first
  hashes every input and records its signature, the next five only stat (median shown). The
  catalogue is seeded from real builds of the first variants: every other report folder is a
  hard-linked copy of its example's report with its own manifest (config path, hash and inputs
  digest) and state entry, exactly what a real build writes and a no-op run reads; building
  10,000 reports for real takes an hour on two cores (use ``--counts`` for real builds);
- ``--counts``: for each count, a first HTML + JSON build with two local workers, then a
  no-op run: seconds, seconds per report, peak memory of one process;
- ``--compare``: HTML + JSON on 1 and 2 local workers, ``--pairs`` times, alternating which
  goes first; each run reports its wall time and CPU seconds of the parent and of its workers.
  The ratio is shown twice: wall time (noisy on a shared machine) and from CPU seconds, as the
  two-core projection ``cpu(1 worker) / (parent cpu + workers' cpu / 2)`` of the 2-worker run
  (its parent's CPU counted as serial: a conservative bound); then a two-worker Dask
  ``LocalCluster``. ``--full`` configs: the same with HTML, PDF and JSON (one pair).

Memory is the peak resident set of the largest process (``getrusage(RUSAGE_CHILDREN)`` of a
wrapper around each command; for Dask, of each worker, asked through ``Client.run``). Needs
``dask[distributed]`` for the Dask rows (they are skipped without it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
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
ENV = {"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
FORMATS = "html,json"
WRAPPER = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(done.returncode)"
)
# Runs reportgen in this process and reports, at exit, its own CPU and its workers' (reaped).
CPU_WRAPPER = (
    "import atexit, json, resource, runpy, sys\n"
    "def report():\n"
    "    me, kids = (resource.getrusage(w) for w in "
    "(resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    print('BENCH ' + json.dumps([me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, "
    "max(me.ru_maxrss, kids.ru_maxrss)]), file=sys.stderr)\n"
    "atexit.register(report)\n"
    "sys.argv = ['reportgen', *sys.argv[1:]]\n"
    "runpy.run_module('reportgen', run_name='__main__')\n"
)
TIME_FIELDS = {
    "Elapsed (wall clock) time (h:mm:ss or m:ss)": "wall",
    "User time (seconds)": "user",
    "System time (seconds)": "system",
    "Maximum resident set size (kbytes)": "rss_kb",
}


@dataclass(frozen=True)
class Row:
    scenario: str
    count: int
    seconds: float
    peak_mb: float
    cpu: float | None = None  # CPU seconds of every process of the run

    def line(self) -> str:
        per = 1000 * self.seconds / self.count if self.count else 0.0
        cpu = f"{self.cpu:>9.2f}" if self.cpu is not None else f"{'':>9}"
        return (
            f"{self.scenario:<46}{self.count:>7}{self.seconds:>9.2f}{per:>11.2f}{cpu}"
            f"{self.peak_mb:>9.0f}"
        )


HEADER = f"{'scenario':<46}{'configs':>7}{'wall s':>9}{'ms/report':>11}{'cpu s':>9}{'peak MB':>9}"


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
    start = time.perf_counter()
    done = subprocess.run(
        [*command, *args], cwd=cwd, env={**os.environ, **ENV}, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"reportgen build {' '.join(args[:6])} failed:\n{done.stderr[-3000:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def build_cpu(cwd: Path, *args: str) -> tuple[float, float, float, float]:
    """(wall seconds, parent CPU s, workers' CPU s, peak MB) of one ``reportgen build``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CPU_WRAPPER, "build", *args],
        cwd=cwd,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"reportgen build {' '.join(args[:6])} failed:\n{done.stderr[-3000:]}")
    line = next(x for x in reversed(done.stderr.splitlines()) if x.startswith("BENCH "))
    parent, workers, rss = json.loads(line.removeprefix("BENCH "))
    return seconds, parent, workers, rss / 1024


def timed(cwd: Path, *args: str) -> dict[str, float]:
    """``/usr/bin/time -v reportgen build ARGS``: wall, user, system seconds and peak KB."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "reportgen", "build", *args]
    done = subprocess.run(
        command, cwd=cwd, env={**os.environ, **ENV}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"reportgen build failed:\n{done.stderr[-3000:]}")
    found: dict[str, float] = {}
    for line in done.stderr.splitlines():
        name, _, value = line.strip().rpartition(": ")
        if name in TIME_FIELDS:
            if ":" in value:  # m:ss.ss or h:mm:ss
                parts = [float(p) for p in value.split(":")]
                found["wall"] = sum(p * 60**i for i, p in enumerate(reversed(parts)))
            else:
                found[TIME_FIELDS[name]] = float(value)
    return found


def seed(folder: Path, count: int) -> None:
    """A catalogue of ``count`` configs with every report published (see the module doc): the
    first variants built for real, the others hard-linked copies with their own manifest."""
    sys.path.insert(0, str(ROOT))
    from reportgen.config.related import folder_listing, related_digest
    from reportgen.publish.incremental import inputs_digest

    names = write_configs(folder / "configs", count)
    real = names[: len(EXAMPLES)]
    build(folder, *real, "--format", FORMATS)
    out = folder / "output"
    listing = folder_listing(folder / "configs")  # read once: every variant is written above
    state = json.loads((out / ".reportgen-state.json").read_text())
    for number, name in enumerate(names[len(real) :], start=len(real)):
        model = state[real[number % len(real)]]
        source = out / model["report_id"]
        sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        report_id = f"{model['report_id'].rsplit('-v', 1)[0]}-v{number}"
        for path in sorted(source.rglob("*")):
            target = out / report_id / path.relative_to(source)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif path.name != "manifest.json":
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)
        manifest = json.loads((source / "manifest.json").read_text())
        manifest["inputs"]["config"] = {"path": name, "sha256": sha}
        manifest["report_title"] = f"{manifest['report_title']} (copy {number})"
        sources = {s["path"]: s["sha256"] for s in manifest["inputs"]["sources"]}
        templates = manifest["inputs"]["templates_sha256"]
        related = related_digest(folder / name, listing)  # variants share their examples' topics
        manifest["digest"] = inputs_digest(sha, sources, templates, related)
        (out / report_id / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        state[name] = {
            **model,
            "config_sha256": sha,
            "report_id": report_id,
            "title": manifest["report_title"],
        }
    (out / ".reportgen-state.json").write_text(json.dumps(state, indent=1, sort_keys=True))


def noop(root: Path, count: int, runs: int = 5) -> list[Row]:
    folder = root / f"noop-{count}"
    seed(folder, count)
    first = timed(folder, "--format", FORMATS)
    rows = [
        Row(
            "no-op, first run (hashes every input)",
            count,
            first["wall"],
            first["rss_kb"] / 1024,
            first["user"] + first["system"],
        )
    ]
    later = sorted(
        (timed(folder, "--format", FORMATS) for _ in range(runs)), key=lambda t: t["wall"]
    )
    print("no-op runs (wall s): " + ", ".join(f"{t['wall']:.2f}" for t in later), file=sys.stderr)
    median = later[len(later) // 2]
    rows.append(
        Row(
            f"no-op (stat only), median of {runs}",
            count,
            median["wall"],
            median["rss_kb"] / 1024,
            median["user"] + median["system"],
        )
    )
    return rows


def growth(root: Path, counts: list[int]) -> list[Row]:
    rows = []
    for count in counts:
        folder = root / f"grow-{count}"
        write_configs(folder / "configs", count)
        seconds, peak = build(folder, "--format", FORMATS, "--jobs", "2")
        rows.append(Row("HTML+JSON, 2 local workers", count, seconds, peak))
        build(folder, "--format", FORMATS)  # records the signatures
        noops = [build(folder, "--format", FORMATS) for _ in range(3)]
        seconds, peak = sorted(noops)[1]  # the median of three
        rows.append(Row("no-op (nothing changed)", count, seconds, peak))
    return rows


@dataclass(frozen=True)
class Pair:
    """One 1-worker run and one 2-worker run of the same catalogue."""

    one: tuple[float, float, float, float]  # wall, parent cpu, workers' cpu, peak MB
    two: tuple[float, float, float, float]

    @property
    def wall_ratio(self) -> float:
        return self.one[0] / self.two[0]

    @property
    def cpu_ratio(self) -> float:
        """The two-core projection: all CPU of one worker / (parent + half the workers')."""
        return (self.one[1] + self.one[2]) / (self.two[1] + self.two[2] / 2)


def pairs(
    root: Path, count: int, formats: str, label: str, times: int
) -> tuple[list[Row], list[Pair]]:
    rows, found = [], []
    for number in range(times):
        runs = {}
        for jobs in (1, 2) if number % 2 == 0 else (2, 1):  # alternate which goes first
            folder = root / f"{label[:4]}-{count}-pair{number}-jobs{jobs}"
            write_configs(folder / "configs", count)
            runs[jobs] = build_cpu(folder, "--format", formats, "--jobs", str(jobs))
        found.append(Pair(runs[1], runs[2]))
        for jobs in (1, 2):
            wall, parent, workers, peak = runs[jobs]
            name = f"{label}, {jobs} local worker{'s' if jobs > 1 else ''} (pair {number + 1})"
            rows.append(Row(name, count, wall, peak, parent + workers))
    return rows, found


def dask_row(root: Path, count: int, formats: str, label: str, cluster: object) -> Row:
    folder = root / f"{label[:4]}-{count}-dask"
    write_configs(folder / "configs", count)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    seconds, _ = build(folder, "--format", formats, "--executor", "dask", "--scheduler", address)
    return Row(f"{label}, Dask LocalCluster (2 workers)", count, seconds, dask_peak_mb(cluster))


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
    os.environ.update(ENV)  # the worker processes inherit it
    sys.path.insert(0, str(ROOT))  # the scheduler (in this process) unpickles the tasks too
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)


def summary(label: str, count: int, found: list[Pair]) -> str:
    walls = sorted(p.wall_ratio for p in found)
    cpus = sorted(p.cpu_ratio for p in found)
    each_wall, each_cpu = (", ".join(f"{r:.2f}" for r in x) for x in (walls, cpus))
    return (
        f"{label} at {count} configs, 2 local workers against 1 ({len(found)} pairs): "
        f"wall {walls[len(walls) // 2]:.2f}x (each: {each_wall}); "
        f"from CPU seconds {cpus[len(cpus) // 2]:.2f}x (each: {each_cpu})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noop", type=int, default=10_000, help="configs of the no-op rows")
    parser.add_argument("--counts", default="50,200,500", help="catalogue sizes (comma list)")
    parser.add_argument("--compare", type=int, default=50, help="configs for HTML+JSON rows")
    parser.add_argument("--pairs", type=int, default=3, help="paired 1/2-worker runs")
    parser.add_argument("--full", type=int, default=20, help="configs for HTML+PDF+JSON rows")
    args = parser.parse_args()
    counts = [int(part) for part in args.counts.split(",") if part.strip()]
    notes = []
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        rows = noop(root, args.noop) if args.noop else []
        rows += growth(root, counts)
        cluster = start_cluster() if args.compare or args.full else None
        try:
            for label, count, formats, times in (
                ("HTML+JSON", args.compare, "html,json", args.pairs),
                ("full (HTML+PDF+JSON)", args.full, "html,pdf,json", 1),
            ):
                if not count:
                    continue
                found_rows, found = pairs(root, count, formats, label, times)
                rows += found_rows
                notes.append(summary(label, count, found))
                if cluster is not None:
                    rows.append(dask_row(root, count, formats, label, cluster))
        finally:
            if cluster is not None:
                cluster.close()  # type: ignore[attr-defined]
    print(HEADER)
    print("-" * len(HEADER))
    for row in rows:
        print(row.line())
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
