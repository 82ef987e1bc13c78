"""Where everything in a forest plot goes, as data: the rows (``ForestLayout``, which tests check
instead of pixels), the data columns left of the plot and the x axis. No matplotlib here:
``forest`` draws what this module places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reportgen.present.format import MEASURES, number
from reportgen.stats.analysis import OutcomeResult, StudyResult
from reportgen.stats.measures import method_info
from reportgen.stats.subanalyses import SubResult

MAX_MARKER_AREA = 160.0  # points^2 for the heaviest study
MIN_MARKER_AREA = 10.0


@dataclass(frozen=True)
class ForestLayout:
    """Row positions of a forest plot, exposed so tests can check structure, not pixels.

    ``study_rows`` follow the order of ``result.studies``; with subgroups, studies are grouped
    under a header row and each group ends with its own diamond (``subgroup_rows``)."""

    study_rows: tuple[float, ...]
    pooled_row: float
    prediction_row: float | None
    marker_areas: tuple[float, ...]
    header_rows: tuple[float, ...] = ()
    subgroup_rows: tuple[float, ...] = ()


def forest_layout(result: OutcomeResult) -> ForestLayout:
    """Rows top to bottom: the studies (grouped under subgroup headers, each group closed by its
    diamond), then the overall diamond, then the prediction interval."""
    heaviest = max(s.weight for s in result.studies)
    areas = tuple(
        max(MIN_MARKER_AREA, MAX_MARKER_AREA * s.weight / heaviest) for s in result.studies
    )
    study_rows = [0.0] * result.k
    headers, diamonds = [], []
    y = 0.0
    if result.subgroups is None:
        for i in range(result.k):
            study_rows[i] = y
            y -= 1
    else:
        for _group, members in subgroup_members(result):
            headers.append(y)
            y -= 1
            for i in members:
                study_rows[i] = y
                y -= 1
            diamonds.append(y)
            y -= 1.4
    shift = -y  # put the last study row at 1, as a plain plot has it
    has_prediction = (
        result.model.tau2 is not None and method_info(result.outcome.method).random_effects
    )
    return ForestLayout(
        tuple(r + shift for r in study_rows),
        -0.5,
        -1.5 if has_prediction else None,
        areas,
        tuple(r + shift for r in headers),
        tuple(r + shift for r in diamonds),
    )


def subgroup_members(result: OutcomeResult) -> list[tuple[SubResult, list[int]]]:
    """Each subgroup with the indices of its studies; none where no subgroups were fitted."""
    if result.subgroups is None:
        return []
    values = [result.study_groups[i] for i in range(result.k)]
    groups = []
    for group in result.subgroups.groups:
        groups.append((group, [i for i, v in enumerate(values) if v == group.label]))
    return groups


def data_columns(result: OutcomeResult) -> tuple[list[str], list[list[str]], list[str]]:
    """Data columns left of the plot: headers, one row of cells per study, the pooled row."""
    kind = result.outcome.type
    studies = result.studies
    if kind == "proportion":
        cells = [[f"{s.data['events']:,} / {s.data['total']:,}"] for s in studies]
        return ["Events / total"], cells, [f"{result.events:,} / {result.participants:,}"]
    if kind == "binary":
        cells = [[_arm(s, "intervention"), _arm(s, "control")] for s in studies]
        totals = [
            f"{sum(s.data[arm]['events'] for s in studies):,} / "
            f"{sum(s.data[arm]['total'] for s in studies):,}"
            for arm in ("intervention", "control")
        ]
        return ["Intervention", "Control"], cells, totals
    if kind == "continuous":
        cells = [[f"{s.data[arm]['n']:,}" for arm in ("intervention", "control")] for s in studies]
        totals = [
            f"{sum(s.data[arm]['n'] for s in studies):,}" for arm in ("intervention", "control")
        ]
        return ["Intervention n", "Control n"], cells, totals
    return [], [[] for _ in studies], []


def _arm(study: StudyResult, arm: str) -> str:
    return f"{study.data[arm]['events']:,} / {study.data[arm]['total']:,}"


def x_axis(result: OutcomeResult) -> tuple[float, float, list[float], list[str], bool]:
    """Axis limits, ticks and tick labels on the natural scale; True for a log axis."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "proportion":
        ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        return 0.0, 1.0, ticks, ["0", "20", "40", "60", "80", "100"], False
    values = [v for s in result.studies for v in (s.ci_lower, s.ci_upper)]
    if display.null is None:  # only proportions, handled above, have no value of no effect
        raise ValueError(f"measure {result.outcome.measure} has no value of no effect to draw")
    values += [result.pooled.pi_lower, result.pooled.pi_upper, display.null]
    values = [v for v in values if np.isfinite(v)]
    if display.scale == "ratio":
        low = max(min(values), 0.01)
        high = min(max(values), 100.0)
        candidates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
        ticks = [t for t in candidates if low / 1.3 <= t <= high * 1.3]
        if len(ticks) > 5:  # keep labels apart in the narrow plot panel
            ticks = [t for t in ticks if t in (0.01, 0.1, 0.5, 1, 2, 10, 100)]
        low, high = min(low, ticks[0]), max(high, ticks[-1])
        return low / 1.1, high * 1.1, ticks, [f"{t:g}" for t in ticks], True
    low, high = min(values), max(values)
    pad = 0.05 * (high - low or 1.0)
    ticks = list(np.linspace(low, high, 5))
    return low - pad, high + pad, ticks, [number(t, 2) for t in ticks], False
