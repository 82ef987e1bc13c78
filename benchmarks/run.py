"""Run every benchmark and print its table: python benchmarks/run.py"""

from __future__ import annotations

import runpy
from pathlib import Path

HERE = Path(__file__).parent

if __name__ == "__main__":
    for script in (
        "bench_pool.py",
        "bench_build.py",
        "bench_print_parts.py",
        "bench_large.py",
        "bench_batch.py",
    ):
        print(f"\n=== {script} ===\n")
        runpy.run_path(str(HERE / script), run_name="__main__")
