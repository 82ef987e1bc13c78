"""reportgen.pool against Python peers, like against like, side by side in one process.

    python benchmarks/bench_pool.py [--runs N]

For k = 10, 1,000 and 100,000 simulated studies, times one random-effects fit that yields the
pooled estimate, its 95% CI, tau2 and I2, with the same estimator and test on both sides:

- DL, z-test: reportgen vs statsmodels ``combine_effects(method_re="dl")``;
- Paule-Mandel, z-test: reportgen PM vs statsmodels ``method_re="iterated"`` (its iterative
  Paule-Mandel fit);
- REML, z-test: reportgen vs PyMARE ``VarianceBasedLikelihoodEstimator(method="REML")``.

Each timed fit gets fresh inputs (a new simulated data set, made outside the timing), so no
method profits from warm caches of the same arrays; the table shows the median (and the maximum)
of ``--runs`` fits after one warm-up fit. BLAS threads are left as a notebook would have them
(the library default) and printed; reportgen's own vector code never calls the BLAS
(``stats/vectors.py``), so its timings do not depend on them. Peers that are not installed are
reported as such (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np

import reportgen

SIZES = (10, 1_000, 100_000)
Fit = Callable[[np.ndarray, np.ndarray], object]


def simulated(k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    v = rng.uniform(0.01, 0.1, k)
    y = rng.normal(0.3, np.sqrt(v + 0.05))
    return y, v


def reportgen_fit(method: str) -> Fit:
    def fit(y: np.ndarray, v: np.ndarray) -> object:
        r = reportgen.pool(y, v, method=method)
        return r.estimate, r.ci_lower, r.ci_upper, r.tau2, r.i2

    return fit


def statsmodels_fit(method_re: str) -> Fit:
    def fit(y: np.ndarray, v: np.ndarray) -> object:
        from statsmodels.stats.meta_analysis import combine_effects

        r = combine_effects(y, v, method_re=method_re)
        return r.mean_effect_re, r.conf_int(), r.tau2, r.i2

    return fit


def pymare_reml(y: np.ndarray, v: np.ndarray) -> object:
    from pymare import Dataset
    from pymare.estimators import VarianceBasedLikelihoodEstimator

    estimator = VarianceBasedLikelihoodEstimator(method="REML")
    estimator.fit_dataset(Dataset(y=y, v=v))
    summary = estimator.summary()
    return summary.get_fe_stats(), summary.tau2, summary.get_heterogeneity_stats()


# (estimator, [(name, module needed, fit)]): reportgen first in each group.
GROUPS: list[tuple[str, list[tuple[str, str, Fit]]]] = [
    (
        "DL, z",
        [
            ("reportgen.pool DL", "reportgen", reportgen_fit("DL")),
            ("statsmodels combine_effects dl", "statsmodels", statsmodels_fit("dl")),
        ],
    ),
    (
        "Paule-Mandel, z",
        [
            ("reportgen.pool PM", "reportgen", reportgen_fit("PM")),
            ("statsmodels combine_effects iterated", "statsmodels", statsmodels_fit("iterated")),
        ],
    ),
    (
        "REML, z",
        [
            ("reportgen.pool REML", "reportgen", reportgen_fit("REML")),
            ("PyMARE REML", "pymare", pymare_reml),
        ],
    ),
]


def timings(fit: Fit, k: int, runs: int) -> tuple[float, float]:
    """(median, maximum) seconds of ``runs`` fits, each on fresh data."""
    rng = np.random.default_rng(2026 + k)
    fit(*simulated(k, rng))  # warm-up: imports and first-call costs
    seconds = []
    for _ in range(runs):
        y, v = simulated(k, rng)
        start = time.perf_counter()
        fit(y, v)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds)


def blas_threads() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.environ.get("OPENBLAS_NUM_THREADS", "library default (threadpoolctl absent)")
    pools = [f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info()]
    return ", ".join(pools) or "none loaded"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    warnings.filterwarnings("ignore")
    header = f"{'method':<40}" + "".join(f"{f'k = {k:,}':>22}" for k in SIZES)
    print(f"median (max) of {runs} fits on fresh data; BLAS threads: {blas_threads()}\n")
    print(header)
    print("-" * len(header))
    for group, members in GROUPS:
        print(group)
        rows: dict[str, list[tuple[float, float]]] = {}
        for name, module, fit in members:
            try:
                __import__(module)
            except ImportError:
                print(f"  {name:<38}{'not installed':>22}")
                continue
            rows[name] = [timings(fit, k, runs) for k in SIZES]
            cells = "".join(f"{1e3 * m:>11.3f} ({1e3 * x:>7.2f}) ms"[-22:] for m, x in rows[name])
            print(f"  {name:<38}{cells}")
        ours = next(iter(rows.values()))
        for name, row in list(rows.items())[1:]:
            ratios = "".join(
                f"{other[0] / mine[0]:>21.1f}x" for mine, other in zip(ours, row, strict=True)
            )
            print(f"  {'reportgen faster than ' + name.split()[0]:<38}{ratios}")
    print(
        "\nTargets: REML at k = 100,000 at most half of PyMARE's REML and of statsmodels' "
        "iterated fit; k = 10 under 0.2 ms."
    )


if __name__ == "__main__":
    main()
