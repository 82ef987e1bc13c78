"""Kendall's rank correlation and its test, as R's ``cor.test(method = "kendall")`` computes them
for ``metafor::ranktest`` (which asks for the exact test).

- tau-b = (concordant - discordant) / sqrt((n0 - ties in x)(n0 - ties in y)), n0 = n(n-1)/2
  (Kendall MG 1945, Biometrika 33:239-251).
- Without ties the p-value is exact: the number of discordant pairs of a random permutation has
  the Mahonian distribution, built row by row with p_n(q) = (1/n) sum_{i<n} p_{n-1}(q - i)
  (Kendall & Gibbons 1990, Rank Correlation Methods, ch. 4). Beyond ``EXACT_MAX_N`` studies, or
  with ties, the normal approximation with R's tie-corrected variance is used.

Pairs are counted with numpy in blocks, so memory stays linear in n; no scipy.stats import
(0.3 to 0.5 s) is needed.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

# The exact distribution costs O(n^3) time; above this n the normal approximation is used.
EXACT_MAX_N = 400
BLOCK = 512  # rows of the pair comparison done at once (memory BLOCK x n)


def _pair_counts(x: np.ndarray, y: np.ndarray) -> tuple[int, int]:
    """(concordant, discordant) pairs; pairs tied in x or y count as neither."""
    concordant = discordant = 0
    for start in range(0, x.size, BLOCK):
        rows = slice(start, min(start + BLOCK, x.size))
        later = np.arange(x.size)[None, :] > np.arange(rows.start, rows.stop)[:, None]
        sign = np.sign(x[None, :] - x[rows, None]) * np.sign(y[None, :] - y[rows, None])
        concordant += int(np.count_nonzero((sign > 0) & later))
        discordant += int(np.count_nonzero((sign < 0) & later))
    return concordant, discordant


def _tie_groups(values: np.ndarray) -> np.ndarray:
    _, counts = np.unique(values, return_counts=True)
    return counts[counts > 1].astype(float)


def _exact_two_sided(discordant: int, n: int) -> float:
    """Two-sided exact p for ``discordant`` pairs among n untied ranks (R's pkendall)."""
    pairs = n * (n - 1) // 2
    probability = np.ones(1)
    for size in range(2, n + 1):
        cumulative = np.concatenate([[0.0], np.cumsum(probability)])
        width = probability.size + size - 1
        upper = np.minimum(np.arange(width) + 1, probability.size)
        lower = np.maximum(np.arange(width) - size + 1, 0)
        probability = (cumulative[upper] - cumulative[lower]) / size
    concordant = pairs - discordant
    # R: q = concordant pairs; two-sided p = 2 min(P(T <= q), P(T >= q)), capped at 1.
    if concordant > pairs / 2:
        tail = float(probability[concordant:].sum())
    else:
        tail = float(probability[: concordant + 1].sum())
    return min(1.0, 2 * tail)


def kendall_test(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(tau-b, two-sided p) as ``cor.test(x, y, method = "kendall", exact = TRUE)``."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = x.size
    concordant, discordant = _pair_counts(x, y)
    ties_x, ties_y = _tie_groups(x), _tie_groups(y)
    n0 = n * (n - 1) / 2
    n1 = float((ties_x * (ties_x - 1)).sum() / 2)
    n2 = float((ties_y * (ties_y - 1)).sum() / 2)
    denominator = math.sqrt((n0 - n1) * (n0 - n2))
    if denominator == 0:
        return math.nan, math.nan
    tau = (concordant - discordant) / denominator
    if not (ties_x.size or ties_y.size) and n <= EXACT_MAX_N:
        return tau, _exact_two_sided(discordant, n)
    s = tau * denominator
    variance = (
        (n * (n - 1) * (2 * n + 5) - _ties_term(ties_x) - _ties_term(ties_y)) / 18
        + float((ties_x * (ties_x - 1)).sum() * (ties_y * (ties_y - 1)).sum()) / (2 * n * (n - 1))
        + float(
            (ties_x * (ties_x - 1) * (ties_x - 2)).sum()
            * (ties_y * (ties_y - 1) * (ties_y - 2)).sum()
        )
        / (9 * n * (n - 1) * (n - 2))
    )
    z = s / math.sqrt(variance)
    return tau, float(2 * min(ndtr(z), ndtr(-z)))


def _ties_term(ties: np.ndarray) -> float:
    return float((ties * (ties - 1) * (2 * ties + 5)).sum())
