"""The variance components of a three-level model (``stats.multilevel``), as a frozen result
that ``PoolResult`` can carry without importing the fitter. I2 values are percentages."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.stats.frozen import FrozenResult


@dataclass(frozen=True)
class VarianceComponents(FrozenResult):
    """sigma2 between studies (level 3) and within studies (level 2), the multilevel I2 of each
    (Cheung 2014), and the number of studies (clusters)."""

    sigma2_between: float
    sigma2_within: float
    i2_between: float
    i2_within: float
    studies: int
