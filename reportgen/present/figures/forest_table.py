"""The words of a forest plot, once per outcome: every cell's text and the width each text
column needs (``Columns``), shared by all the page-sized parts of a plot so that their columns
line up when they are stacked.

Formatting all k rows is O(k); a plot cut into k / 32 parts would redo it for every part
(quadratic in k), so the last outcome's table is kept (``table``) and reused while its parts
are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.present.figures.forest_geometry import FONT_SIZE, LABEL_ROOM, Columns
from reportgen.present.figures.forest_layout import data_columns, favours_labels, x_axis
from reportgen.present.figures.textwidth import shorten, text_width
from reportgen.present.format import (
    MEASURES,
    SHORT_METHOD_NAMES,
    effect_value,
    level_label,
    number,
)
from reportgen.stats.analysis import OutcomeResult


@dataclass(frozen=True)
class ForestTable:
    """Display text of one outcome's plot: per study (in ``result.studies`` order) its label
    (shortened to ``LABEL_ROOM``), data cells, weight and interval; the column titles, the
    overall row's cells, the axis (low, high, ticks, tick labels, log) and the favours words."""

    labels: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    weights: tuple[str, ...]
    intervals: tuple[str, ...]
    headers: tuple[str, ...]
    interval_header: str
    method: str
    pooled_cells: tuple[str, ...]
    pooled_interval: str
    prediction_label: str
    prediction_interval: str
    axis: tuple[float, float, tuple[float, ...], tuple[str, ...], bool]
    favours: tuple[str, str] | None
    columns: Columns


def interval_text(estimate: float, lower: float, upper: float, measure: str) -> str:
    """ "0.41 [0.13, 1.26]": an estimate and its interval as the plot writes them."""
    values = (effect_value(v, measure) for v in (estimate, lower, upper))
    return "{} [{}, {}]".format(*values)


_LAST: list[tuple[OutcomeResult, ForestTable]] = []


def table(result: OutcomeResult) -> ForestTable:
    """The table of ``result`` (the same object as the last call's: the cached one)."""
    if _LAST and _LAST[0][0] is result:
        return _LAST[0][1]
    made = _make_table(result)
    _LAST[:] = [(result, made)]
    return made


def _make_table(result: OutcomeResult) -> ForestTable:
    measure, pooled, level = result.outcome.measure, result.pooled, result.model.level
    headers, cells, pooled_cells = data_columns(result)
    labels = tuple(shorten(s.label, LABEL_ROOM, FONT_SIZE) for s in result.studies)
    weights = tuple(f"{number(s.weight, 1)}%" for s in result.studies)
    intervals = tuple(
        interval_text(s.estimate, s.ci_lower, s.ci_upper, measure) for s in result.studies
    )
    interval_header = f"{MEASURES[measure].short} [{level_label(level)} CI]"
    method = SHORT_METHOD_NAMES[result.outcome.method]
    pooled_interval = interval_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper, measure)
    prediction = (
        f"[{effect_value(pooled.pi_lower, measure)}, {effect_value(pooled.pi_upper, measure)}]"
    )
    subgroup_intervals = [
        interval_text(g.pooled.estimate, g.pooled.ci_lower, g.pooled.ci_upper, measure)
        for g in (result.subgroups.groups if result.subgroups is not None else ())
    ]
    low, high, ticks, tick_labels, log = x_axis(result)

    def widest(regular: list[str] | tuple[str, ...], bold: list[str]) -> float:
        return max(
            [text_width(t, FONT_SIZE) for t in regular]
            + [text_width(t, FONT_SIZE, bold=True) for t in bold]
        )

    columns = Columns(
        label=widest(labels, ["Study", method]),
        data=tuple(
            widest([row[c] for row in cells], [header, pooled_cells[c]])
            for c, header in enumerate(headers)
        ),
        weight=widest(weights, ["Weight", "100%"]),
        interval=max(
            widest([*intervals, *subgroup_intervals], [interval_header, pooled_interval]),
            text_width(prediction, FONT_SIZE, italic=True),
        ),
    )
    return ForestTable(
        labels=labels,
        cells=tuple(tuple(row) for row in cells),
        weights=weights,
        intervals=intervals,
        headers=tuple(headers),
        interval_header=interval_header,
        method=method,
        pooled_cells=tuple(pooled_cells),
        pooled_interval=pooled_interval,
        prediction_label=f"{level_label(level)} prediction interval",
        prediction_interval=prediction,
        axis=(low, high, tuple(ticks), tuple(tick_labels), log),
        favours=favours_labels(result),
        columns=columns,
    )
