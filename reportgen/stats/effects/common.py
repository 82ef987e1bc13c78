"""What every effect-size module shares: the result type and the back-transformations to the
scale readers see (``to_natural``; for proportions ``to_proportion``, whose sources are given in
``proportion``: PFT is Miller JJ (1978), Am Stat 32:138, as metafor's ``transf.ipft``).

This module imports no other effect-size module, so each of them can import it without a cycle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from reportgen.stats.measures import MEASURES, measure_info

ZERO_CELL_ADDITION = 0.5
# Measures pooled on the log scale and shown on their natural (ratio) scale.
RATIO_MEASURES = frozenset(code for code, m in MEASURES.items() if m.scale == "ratio")


ZERO_CELL_TARGETS = ("only0", "all", "if0all", "none")


@dataclass(frozen=True)
class ZeroCells:
    """escalc's zero-cell options: ``add`` (None: the measure's default, 1/2, or 0 for PAS and
    PFT), ``to`` (only0: studies with a zero cell; all: every study; if0all: every study if
    any has a zero cell; none) and ``drop00`` (leave out two-arm studies with no events, or
    only events, in both arms; None: the fitting function's default, FALSE for escalc/rma.uni,
    TRUE for rma.mh and rma.peto)."""

    add: float | None = None
    to: str = "only0"
    drop00: bool | None = None

    def __post_init__(self) -> None:
        if self.to not in ZERO_CELL_TARGETS:
            raise ValueError(
                f"Invalid zero-cell target {self.to!r}; must be one of "
                f"{', '.join(ZERO_CELL_TARGETS)}"
            )
        if self.add is not None and self.add < 0:
            raise ValueError(f"Invalid zero-cell addition {self.add!r}; must be >= 0")

    def addition(self, has_zero: np.ndarray, default_add: float) -> np.ndarray:
        """The amount added to every cell of each study (as escalc)."""
        add = default_add if self.add is None else self.add
        if self.to == "all" or (self.to == "if0all" and bool(has_zero.any())):
            chosen = np.ones_like(has_zero, dtype=bool)
        elif self.to == "only0":
            chosen = has_zero
        else:
            chosen = np.zeros_like(has_zero, dtype=bool)
        added: np.ndarray = np.where(chosen, add, 0.0)
        return added


DEFAULT_ZERO_CELLS = ZeroCells()


@dataclass(frozen=True, eq=False)
class EffectSizes:
    """Per-study effect sizes ``yi`` and sampling variances ``vi`` on the analysis scale.

    ``corrected`` marks studies whose counts had the zero-cell correction applied.
    """

    measure: str
    yi: np.ndarray
    vi: np.ndarray
    corrected: np.ndarray


def to_natural(values: ArrayLike, measure: str, n: float | np.ndarray | None = None) -> np.ndarray:
    """Values on the analysis scale of ``measure`` -> the scale readers see, by the registry's
    back-transformation: exp for ratios (OR, RR, HR, IRR, Peto OR), the measure's inverse for
    proportions, clipped to [0, 1] (``n`` is the sample size PFT needs; ValueError without it),
    unchanged for differences (RD, MD, SMD)."""
    natural: np.ndarray = measure_info(measure).to_natural(np.asarray(values, dtype=float), n)
    return natural
