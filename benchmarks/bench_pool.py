"""reportgen.pool against Python peers, side by side in one process.

    python benchmarks/bench_pool.py

For k = 10, 1,000 and 100,000 simulated studies, times one random-effects fit that yields the
pooled estimate, its 95% CI, tau2 and I2: reportgen (REML), PyMARE (REML,
VarianceBasedLikelihoodEstimator) and statsmodels (combine_effects, which offers DL, not REML).
Peers that are not installed are reported as such (pip install -e '.[bench]'). Each method is
warmed up once and then timed over repeated fits of the same data (best of five runs), so all
three benefit alike from warm caches; reportgen also reuses its work arrays between fits.
"""

from __future__ import annotations

import timeit
import warnings

import numpy as np

import reportgen

SIZES = (10, 1_000, 100_000)


def simulated(k: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    v = rng.uniform(0.01, 0.1, k)
    y = rng.normal(0.3, np.sqrt(v + 0.05))
    return y, v


def fit_reportgen(y, v):
    r = reportgen.pool(y, v, method="REML")
    return r.estimate, r.ci_lower, r.ci_upper, r.tau2, r.i2


def fit_statsmodels(y, v):
    from statsmodels.stats.meta_analysis import combine_effects

    r = combine_effects(y, v, method_re="dl")
    return r.mean_effect_re, r.conf_int(), r.tau2, r.i2


def fit_pymare(y, v):
    from pymare import Dataset
    from pymare.estimators import VarianceBasedLikelihoodEstimator

    estimator = VarianceBasedLikelihoodEstimator(method="REML")
    estimator.fit_dataset(Dataset(y=y, v=v))
    summary = estimator.summary()
    return summary.get_fe_stats(), summary.tau2, summary.get_heterogeneity_stats()


PEERS = {
    "reportgen.pool (REML)": ("reportgen", fit_reportgen),
    "PyMARE (REML)": ("pymare", fit_pymare),
    "statsmodels combine_effects (DL)": ("statsmodels", fit_statsmodels),
}


def seconds_per_fit(function, y, v) -> float:
    function(y, v)  # warm up: imports and caches
    number = max(
        1, int(0.2 / max(1e-6, min(timeit.repeat(lambda: function(y, v), number=1, repeat=3))))
    )
    return min(timeit.repeat(lambda: function(y, v), number=number, repeat=5)) / number


def main() -> None:
    warnings.filterwarnings("ignore")
    header = f"{'method':<36}" + "".join(f"{f'k = {k:,}':>16}" for k in SIZES)
    print(header)
    print("-" * len(header))
    timings: dict[str, list[float | None]] = {}
    for name, (module, function) in PEERS.items():
        row = []
        try:
            __import__(module)
        except ImportError:
            print(f"{name:<36}{'not installed':>16}")
            continue
        for k in SIZES:
            y, v = simulated(k)
            row.append(seconds_per_fit(function, y, v))
        timings[name] = row
        print(f"{name:<36}" + "".join(f"{1000 * t:>13.3f} ms" for t in row))
    ours = timings["reportgen.pool (REML)"]
    for name, row in timings.items():
        if name.startswith("reportgen"):
            continue
        ratios = "".join(f"{other / mine:>15.1f}x" for mine, other in zip(ours, row, strict=True))
        print(f"{'  reportgen faster than ' + name.split()[0]:<36}{ratios}")
    verdict = "meets" if ours[0] < 1e-3 else "MISSES"
    print(f"\nk = 10 with reportgen: {1000 * ours[0]:.3f} ms ({verdict} the 1 ms target)")


if __name__ == "__main__":
    main()
