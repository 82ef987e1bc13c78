"""Where the time of `reportgen build` goes, for the venetoclax example.

Run from the repository root:

    python benchmarks/bench_build.py [--repeat N]

Prints three tables: the wall time of the real command (`reportgen build CONFIG`, a fresh
process each time), the import cost of each heavy dependency (measured in a fresh process), and
the time of each build stage in one process (first build, then the median of warm builds).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "venetoclax-rr-aml.yaml"

IMPORTS_SCRIPT = r"""
import json, time
timings = {}
for label, module in [
    ("reportgen (config, pooling: pydantic, numpy, scipy.special)", "reportgen.stats.analysis"),
    ("matplotlib (figures)", "matplotlib.figure"),
    ("jinja2 (HTML)", "jinja2"),
    ("weasyprint (PDF)", "weasyprint"),
]:
    start = time.perf_counter()
    __import__(module)
    timings[label] = time.perf_counter() - start
print(json.dumps(timings))
"""

STAGES_SCRIPT = r"""
import json, statistics, sys, tempfile
from reportgen.publish.build import StageTimer, build_report
config, repeat = sys.argv[1], int(sys.argv[2])
runs = []
with tempfile.TemporaryDirectory() as out:
    for _ in range(repeat + 1):
        timer = StageTimer()
        build_report(config, out, timer=timer)
        runs.append(timer.seconds)
print(json.dumps(runs))
"""


def command() -> list[str]:
    executable = shutil.which("reportgen")
    return [executable] if executable else [sys.executable, "-m", "reportgen"]


def time_cli(repeat: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [*command(), "build", str(CONFIG), "--out", out, "--force"],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm repetitions (default 3)")
    args = parser.parse_args()

    cli = time_cli(args.repeat)
    imports = json.loads(
        subprocess.run(
            [sys.executable, "-c", IMPORTS_SCRIPT], check=True, capture_output=True, text=True
        ).stdout
    )
    runs = json.loads(
        subprocess.run(
            [sys.executable, "-c", STAGES_SCRIPT, str(CONFIG), str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    first, warm = runs[0], runs[1:]

    print(f"reportgen build {CONFIG.relative_to(ROOT)}  (5 outcomes x 6 studies)\n")
    print(f"{'whole command (fresh process)':<62}{'median s':>10}{'min s':>10}")
    print(
        f"{'reportgen build, HTML + PDF + JSON':<62}{statistics.median(cli):>10.3f}"
        f"{min(cli):>10.3f}\n"
    )
    print(f"{'import (fresh process, in this order)':<62}{'s':>10}")
    for label, seconds in imports.items():
        print(f"{label:<62}{seconds:>10.3f}")
    print(f"{'all imports':<62}{sum(imports.values()):>10.3f}\n")
    print(f"{'stage (one process)':<42}{'first build s':>15}{'warm median s':>15}")
    for stage in first:
        median = statistics.median(run[stage] for run in warm)
        print(f"{stage:<42}{first[stage]:>15.3f}{median:>15.3f}")
    total_warm = statistics.median(sum(run.values()) for run in warm)
    print(f"{'total':<42}{sum(first.values()):>15.3f}{total_warm:>15.3f}")
    print("\nThe first build includes lazy imports (pydantic, scipy, matplotlib, weasyprint).")


if __name__ == "__main__":
    main()
