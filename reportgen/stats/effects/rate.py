"""Incidence rates from events and person-time, as ``metafor::escalc`` computes them: single-arm
rates (IR, IRLN, IRS, IRFT) and two-arm comparisons (IRR, IRD, IRSD).

Sources: the ``escalc`` documentation (Viechtbauer 2010, J Stat Softw 36(3)); Rothman KJ,
Greenland S & Lash TL (2008), Modern Epidemiology, 3rd ed., ch. 14-15 (rate ratio and rate
difference and their variances); Freeman MF & Tukey JW (1950), Ann Math Stat 21:607-611 (IRFT).

Zero counts, as ``escalc(add = 1/2, to = "only0")``: IR, IRLN, IRR and IRD add 1/2 to the events
(never to the person-time) of a study with zero events (two arms: zero in either arm, added to
both arms); IRS, IRFT and IRSD need no correction and add nothing unless ``add`` is given.
``ZeroCells`` gives escalc's other choices (``to`` = all | if0all | none). Double zeros (no events
in either arm) are left out by the caller when ``drop00`` is set (see ``double_zero_rates``).
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
from reportgen.stats.measures import MEASURES, OUTCOME_TYPES

RATE_MEASURES = OUTCOME_TYPES["rate"].measures
RATE_COMPARISON_MEASURES = OUTCOME_TYPES["rate_comparison"].measures


def _default_add(measure: str) -> float:
    return ZERO_CELL_ADDITION if MEASURES[measure].zero_cell_correction else 0.0


def rate_effects(
    events: ArrayLike,
    time: ArrayLike,
    measure: str,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> EffectSizes:
    """(yi, vi) of single-arm rates, x events in person-time t (after the zero correction):

    IR   yi = x/t,                                  vi = x/t^2
    IRLN yi = log(x/t),                             vi = 1/x
    IRS  yi = sqrt(x/t),                            vi = 1/(4t)
    IRFT yi = (sqrt(x/t) + sqrt((x + 1)/t)) / 2,   vi = 1/(4t)

    Edge cases: with ``to = "none"`` a study with 0 events gives IRLN yi = -inf (vi inf) and IR
    vi = 0, as escalc does; time must be > 0 (checked at validation).
    """
    if measure not in RATE_MEASURES:
        raise ValueError(f"Invalid measure {measure!r}; must be one of {', '.join(RATE_MEASURES)}")
    x = np.asarray(events, dtype=float)
    t = np.asarray(time, dtype=float)
    add = zero_cells.addition(x == 0, _default_add(measure))
    x = x + add
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "IR":
            yi, vi = x / t, x / t**2
        elif measure == "IRLN":
            yi, vi = np.log(x / t), 1 / x
        elif measure == "IRS":
            yi, vi = np.sqrt(x / t), 1 / (4 * t)
        elif measure == "IRFT":
            yi, vi = 0.5 * (np.sqrt(x / t) + np.sqrt((x + 1) / t)), 1 / (4 * t)
        else:
            raise NotImplementedError(f"no effect-size formula for rate measure {measure!r}")
    return EffectSizes(measure, yi, vi, add > 0)


def rate_comparison_effects(
    events_1: ArrayLike,
    time_1: ArrayLike,
    events_2: ArrayLike,
    time_2: ArrayLike,
    measure: str,
    zero_cells: ZeroCells = DEFAULT_ZERO_CELLS,
) -> EffectSizes:
    """(yi, vi) of intervention (arm 1) against control (arm 2), rates x1/t1 and x2/t2:

    IRR  yi = log(x1/t1) - log(x2/t2),           vi = 1/x1 + 1/x2
    IRD  yi = x1/t1 - x2/t2,                     vi = x1/t1^2 + x2/t2^2
    IRSD yi = sqrt(x1/t1) - sqrt(x2/t2),         vi = 1/(4 t1) + 1/(4 t2)

    The zero correction adds to both arms' events of a study with zero events in either arm.
    """
    if measure not in RATE_COMPARISON_MEASURES:
        raise ValueError(
            f"Invalid measure {measure!r}; must be one of {', '.join(RATE_COMPARISON_MEASURES)}"
        )
    x1, t1 = np.asarray(events_1, dtype=float), np.asarray(time_1, dtype=float)
    x2, t2 = np.asarray(events_2, dtype=float), np.asarray(time_2, dtype=float)
    add = zero_cells.addition((x1 == 0) | (x2 == 0), _default_add(measure))
    x1, x2 = x1 + add, x2 + add
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "IRR":
            yi, vi = np.log(x1 / t1) - np.log(x2 / t2), 1 / x1 + 1 / x2
        elif measure == "IRD":
            yi, vi = x1 / t1 - x2 / t2, x1 / t1**2 + x2 / t2**2
        elif measure == "IRSD":
            yi, vi = np.sqrt(x1 / t1) - np.sqrt(x2 / t2), 1 / (4 * t1) + 1 / (4 * t2)
        else:
            raise NotImplementedError(f"no effect-size formula for rate measure {measure!r}")
    return EffectSizes(measure, yi, vi, add > 0)


def double_zero_rates(events_1: ArrayLike, events_2: ArrayLike) -> np.ndarray:
    """Studies with no events in either arm (escalc's ``drop00`` for IRR, IRD and IRSD)."""
    both: np.ndarray = (np.asarray(events_1) == 0) & (np.asarray(events_2) == 0)
    return both
