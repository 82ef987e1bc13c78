"""Confidence levels: the critical values of every interval a fit reports.

A level is a percentage strictly between 1 and 100 (default 95), as metafor's ``level``
argument is usually given (metafor also reads 0.95 as 95%; reportgen takes percentages only, so
that ``level: 0.9`` is refused instead of silently meaning 90% or 0.9%). The two-sided critical
value is the ``1 - (1 - level/100) / 2`` quantile of the normal distribution, or of the t
distribution with ``df`` degrees of freedom (Knapp-Hartung), as metafor's ``rma`` computes it;
at 95% it is the familiar 1.959964.
"""

from __future__ import annotations

from scipy.special import ndtri, stdtrit

DEFAULT_LEVEL = 95.0


def check_level(level: float) -> float:
    """``level`` as a float; ValueError unless 1 < level < 100 (a percentage). A proportion such
    as 0.95, which metafor would read as 95%, is refused rather than taken as a 0.95% level."""
    value = float(level)
    if 0 < value <= 1:
        raise ValueError(
            f"Invalid level {level!r}; levels are percentages: pass {value * 100:g} for a "
            f"{value * 100:g}% interval"
        )
    if not 0 < value < 100:
        raise ValueError(f"Invalid level {level!r}; must be a percentage between 0 and 100")
    return value


def upper_quantile(level: float = DEFAULT_LEVEL) -> float:
    """The probability ``1 - (1 - level/100) / 2`` whose quantile bounds a two-sided interval
    (0.975 at 95%). ``level / 100`` is the double nearest to the proportion, so 95 gives the
    same 0.975 as the literal 0.95 did."""
    return 1 - (1 - check_level(level) / 100) / 2


def critical_value(level: float = DEFAULT_LEVEL, df: float | None = None) -> float:
    """The two-sided critical value at ``level`` percent: normal when ``df`` is None, else
    Student's t with ``df`` degrees of freedom (metafor: ``qnorm`` / ``qt`` of ``1 - alpha/2``)."""
    quantile = upper_quantile(level)
    if df is None:
        return float(ndtri(quantile))
    return float(stdtrit(df, quantile))
