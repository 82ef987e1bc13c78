"""Large reviews: what one outcome of k studies costs, and how that grows with k.

Run from the repository root:

    python benchmarks/bench_large.py [--build-k 100 300 1000] [--stats-k 1000 2000 5000]

Two tables, CPU seconds (user + sys) and peak RSS of fresh processes, so they hold on a shared
machine:

- a full cold build (``reportgen build --force --format html,pdf,json``: the PDF prints the
  forest plot as a table across pages, and from 200 studies an overview plus the study table)
  of a two-arm RR outcome with k studies;
- the statistics alone (``reportgen.stats.analysis.analyse``: main model, leave-one-out,
  small-study tests), beside the leave-one-out part of it.

The targets of issue 15: a k = 1,000 outcome builds in at most 10 CPU s, and the cost grows
linearly: the CPU each added study costs between the two largest k is at most 1.5x what it
costs between the two smallest (fixed costs such as imports cancel out). The same configs
as tests/test_large_reviews.py: studies with random counts, seeded by k.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from reportgen.present.figures.overview import OVERVIEW_FROM_K

ROOT = Path(__file__).resolve().parent.parent

BUILD_TARGET_K = 1000
BUILD_TARGET_CPU = 10.0  # CPU s for a k = 1,000 outcome
LINEAR_SLACK = 1.5  # per-study cost at the largest k over that at the smallest

STATS_SCRIPT = r"""
import json, resource, sys, time, yaml
from reportgen.config.schema import ReportConfig
import reportgen.stats.analysis as analysis

spent = {"loo": 0.0}
original = analysis.leave_one_out
def timed(*args):
    start = time.process_time()
    rows = original(*args)
    spent["loo"] += time.process_time() - start
    return rows
analysis.leave_one_out = timed
config = ReportConfig.model_validate(yaml.safe_load(open(sys.argv[1], encoding="utf-8")))
start = time.process_time()
analysis.analyse(config)
print(json.dumps({"analyse": time.process_time() - start, "loo": spent["loo"]}))
"""


def large_config(k: int, report_id: str) -> str:
    """A two-arm binary outcome (RR, REML) with ``k`` studies (tests/test_large_reviews.py)."""
    rng = random.Random(k * 31)
    lines = ["report:", f"  id: {report_id}", f"  title: A review of {k} studies", "studies:"]
    lines += [f"  - {{id: s{i}, label: Study {i:04d} et al}}" for i in range(k)]
    lines += [
        "outcomes:",
        "  - id: death",
        "    label: Death",
        "    plain_label: died",
        "    role: harm",
        "    type: binary",
        "    measure: RR",
        "    method: REML",
        "    data:",
    ]
    for i in range(k):
        n1, n2 = rng.randint(40, 400), rng.randint(40, 400)
        e1, e2 = rng.randint(2, n1 // 3), rng.randint(2, n2 // 3)
        lines.append(
            f"      - {{study: s{i}, intervention: {{events: {e1}, total: {n1}}}, "
            f"control: {{events: {e2}, total: {n2}}}}}"
        )
    return "\n".join(lines) + "\n"


def measure(argv: list[str]) -> tuple[float, float, str]:
    """CPU seconds (user + sys), peak RSS (MiB) and stdout of one fresh process."""
    with tempfile.TemporaryFile() as stdout:
        process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(argv)}")
        stdout.seek(0)
        return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-k", type=int, nargs="+", default=[100, 300, 1000, 2000])
    parser.add_argument("--stats-k", type=int, nargs="+", default=[1000, 2000, 5000])
    args = parser.parse_args()
    python = sys.executable
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    # Configs are refused above 1,000 studies an outcome unless an operator raises the limit.
    largest = max([*args.build_k, *args.stats_k])
    os.environ.setdefault("REPORTGEN_LIMIT_STUDIES_PER_OUTCOME", str(largest))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        configs = {}
        for k in sorted(set(args.build_k) | set(args.stats_k)):
            configs[k] = folder / f"large-{k}.yaml"
            configs[k].write_text(large_config(k, f"large-{k}"), encoding="utf-8")
        print("Full cold build of one outcome with k studies (HTML + PDF + JSON), one process each")
        print(f"{'k':>7}{'CPU s':>10}{'ms / study':>12}{'peak MiB':>10}")
        builds = {}
        for k in args.build_k:
            out = folder / "out"
            argv = [python, "-m", "reportgen", "build", str(configs[k]), "--out", str(out)]
            cpu, rss, _ = measure([*argv, "--force", "--format", "html,pdf,json"])
            builds[k] = cpu
            print(f"{k:>7}{cpu:>10.2f}{1000 * cpu / k:>12.2f}{rss:>10.0f}")
        print("\nStatistics alone (analyse), and its leave-one-out part")
        print(f"{'k':>7}{'analyse s':>10}{'ms / study':>12}{'LOO s':>10}{'peak MiB':>10}")
        stats = {}
        for k in args.stats_k:
            _, rss, output = measure([python, "-c", STATS_SCRIPT, str(configs[k])])
            row = json.loads(output)
            stats[k] = row["analyse"]
            per = 1000 * row["analyse"] / k
            print(f"{k:>7}{row['analyse']:>10.2f}{per:>12.3f}{row['loo']:>10.2f}{rss:>10.0f}")
    print(f"\n{'target':<66}{'measured':>10}{'met':>6}")
    if BUILD_TARGET_K in builds:
        label = f"k = {BUILD_TARGET_K:,} build <= {BUILD_TARGET_CPU:g} CPU s"
        cpu = builds[BUILD_TARGET_K]
        print(f"{label:<66}{cpu:>10.2f}{_met(cpu <= BUILD_TARGET_CPU):>6}")
    # Below OVERVIEW_FROM_K studies the PDF prints every row of the plot, the leave-one-out
    # and the funnel data; from it on, an overview and compact tables: growth is compared
    # within one of the two.
    overview = {k: cpu for k, cpu in builds.items() if k >= OVERVIEW_FROM_K}
    for name, table in (("build", overview), ("statistics", stats)):
        if len(table) > 2:
            ks = sorted(table)
            first = (table[ks[1]] - table[ks[0]]) / (ks[1] - ks[0])
            last = (table[ks[-1]] - table[ks[-2]]) / (ks[-1] - ks[-2])
            growth = last / first
            label = f"{name}: CPU per added study, k {ks[-2]:,}-{ks[-1]:,} / {ks[0]:,}-{ks[1]:,}"
            label += f" <= {LINEAR_SLACK}"
            print(f"{label:<66}{growth:>9.2f}x{_met(growth <= LINEAR_SLACK):>6}")


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


if __name__ == "__main__":
    main()
