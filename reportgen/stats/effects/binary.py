"""Two-arm binary outcomes: log odds ratio (OR), log risk ratio (RR), risk difference (RD) and the
Peto log odds ratio, as ``metafor::escalc`` computes them (Fleiss & Berlin 2009, in Cooper et al.,
The Handbook of Research Synthesis; Yusuf et al. 1985 for Peto).

Zero cells, as ``escalc(add = 1/2, to = "only0")`` by default: a study with a zero in any of its
four cells (events or non-events in either arm) has 1/2 added to all four; ``ZeroCells`` gives
escalc's other choices (``add``, ``to`` = all | if0all | none).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reportgen.stats.effects.common import (
    DEFAULT_ZERO_CELLS,
    ZERO_CELL_ADDITION,
    EffectSizes,
    ZeroCells,
)
from reportgen.stats.measures import OUTCOME_TYPES

BINARY_MEASURES = OUTCOME_TYPES["binary"].measures


def _cells(
    events_1: ArrayLike, total_1: ArrayLike, events_2: ArrayLike, total_2: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a = np.asarray(events_1, dtype=float)
    c = np.asarray(events_2, dtype=float)
    b = np.asarray(total_1, dtype=float) - a
    d = np.asarray(total_2, dtype=float) - c
    return a, b, c, d


def _corrected_cells(
    events_1: ArrayLike,
    total_1: ArrayLike,
    events_2: ArrayLike,
    total_2: ArrayLike,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a, b, c, d = _cells(events_1, total_1, events_2, total_2)
    has_zero = (a == 0) | (b == 0) | (c == 0) | (d == 0)
    add = zero_cells.addition(has_zero, ZERO_CELL_ADDITION)
    return a + add, b + add, c + add, d + add, add > 0


def binary_effects(
    events_1: ArrayLike,
    total_1: ArrayLike,
    events_2: ArrayLike,
    total_2: ArrayLike,
    measure: str,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> EffectSizes:
    """(yi, vi) for intervention (arm 1) against control (arm 2), as ``escalc`` (vtype "LS").

    OR: yi = log(a d / (b c)),            vi = 1/a + 1/b + 1/c + 1/d
    RR: yi = log((a/n1) / (c/n2)),        vi = 1/a - 1/n1 + 1/c - 1/n2
    RD: yi = a/n1 - c/n2,                 vi = p1(1-p1)/n1 + p2(1-p2)/n2
    with a, c events and b, d non-events, after the zero-cell correction.
    """
    if measure not in BINARY_MEASURES:
        raise ValueError(
            f"Invalid measure {measure!r}; must be one of {', '.join(BINARY_MEASURES)}"
        )
    a, b, c, d, corrected = _corrected_cells(events_1, total_1, events_2, total_2, zero_cells)
    n1, n2 = a + b, c + d
    p1, p2 = a / n1, c / n2
    if measure == "OR":
        yi = np.log(p1 / (1 - p1)) - np.log(p2 / (1 - p2))
        vi = 1 / a + 1 / b + 1 / c + 1 / d
    elif measure == "RR":
        yi = np.log(p1) - np.log(p2)
        vi = 1 / a - 1 / n1 + 1 / c - 1 / n2
    elif measure == "RD":
        yi = p1 - p2
        vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    else:
        raise NotImplementedError(f"no effect-size formula for binary measure {measure!r}")
    return EffectSizes(measure, yi, vi, corrected)


def double_zero(
    events_1: ArrayLike, total_1: ArrayLike, events_2: ArrayLike, total_2: ArrayLike
) -> np.ndarray:
    """Studies with no events in either arm, or only events in both (no information on a ratio)."""
    a, b, c, d = _cells(events_1, total_1, events_2, total_2)
    no_information: np.ndarray = ((a == 0) & (c == 0)) | ((b == 0) & (d == 0))
    return no_information


def peto_effects(
    events_1: ArrayLike,
    total_1: ArrayLike,
    events_2: ArrayLike,
    total_2: ArrayLike,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> EffectSizes:
    """Peto's one-step log odds ratio per study, as ``escalc(measure = "PETO")``:
    yi = (a - E) / V, vi = 1 / V, with E = (a + c) n1 / N and
    V = (a + c)(b + d) n1 n2 / (N^2 (N - 1)), after the zero-cell correction."""
    a, b, c, d, corrected = _corrected_cells(events_1, total_1, events_2, total_2, zero_cells)
    n1, n2 = a + b, c + d
    n = n1 + n2
    expected = (a + c) * n1 / n
    variance = (a + c) * (b + d) * (n1 / n) * (n2 / n) / (n - 1)
    return EffectSizes("PETO", (a - expected) / variance, 1 / variance, corrected)
