"""Scheduled runs at scale: the no-op path and parallel batches.

    python benchmarks/bench_batch.py [--unchanged 1000] [--changed 200]

Creates configs in a temporary folder, builds them once, then times (1) `reportgen build` over
all of them with nothing changed (target: under 2 s for 1,000 on this 2-core machine) and (2) a
batch of changed configs (HTML + JSON) with --jobs 1 against --jobs 2.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG = """\
report: {{id: report-{index}, title: Report {index}}}
studies:
  - {{id: s1, label: Alpha 2020}}
  - {{id: s2, label: Beta 2021}}
  - {{id: s3, label: Gamma 2022}}
outcomes:
  - id: orr
    label: Response
    plain_label: responded
    role: benefit
    type: proportion
    data:
      - {{study: s1, events: {a}, total: 40}}
      - {{study: s2, events: 15, total: 25}}
      - {{study: s3, events: 8, total: 30}}
"""


def command() -> list[str]:
    executable = shutil.which("reportgen")
    return [executable] if executable else [sys.executable, "-m", "reportgen"]


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*command(), *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return elapsed


def write_configs(folder: Path, count: int, events: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (folder / f"report-{index}.yaml").write_text(CONFIG.format(index=index, a=events))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unchanged", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        write_configs(root / "configs", args.unchanged, 10)
        setup = timed(["build", "--format", "json", "--jobs", "2"], root)
        noop = min(timed(["build", "--format", "json"], root) for _ in range(3))

        batch = {}
        for jobs in (1, 2):
            folder = root / f"batch-{jobs}"
            write_configs(folder / "configs", args.changed, 10)
            timed(["build", "--format", "html,json", "--jobs", "2"], folder)
            write_configs(folder / "configs", args.changed, 12)  # every config changes
            batch[jobs] = timed(["build", "--format", "html,json", "--jobs", str(jobs)], folder)

    print(f"{'scenario':<58}{'seconds':>10}")
    print("-" * 68)
    print(f"{f'first build of {args.unchanged} configs (JSON, --jobs 2)':<58}{setup:>10.2f}")
    verdict = "meets" if noop < 2 else "MISSES"
    print(
        f"{f'no-op run over {args.unchanged} unchanged configs':<58}{noop:>10.2f}"
        f"   ({verdict} the 2 s target)"
    )
    for jobs, seconds in batch.items():
        print(
            f"{f'{args.changed} changed configs, HTML + JSON, --jobs {jobs}':<58}{seconds:>10.2f}"
        )
    print(f"{'speed-up with --jobs 2':<58}{batch[1] / batch[2]:>9.2f}x")


if __name__ == "__main__":
    main()
