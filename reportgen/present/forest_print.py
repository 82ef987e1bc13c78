"""The forest plot as the PDF prints it: a table whose last column draws the plot, as RevMan's.

On screen (and in Word and ``figures/<outcome-id>.svg``) the forest plot is one SVG figure and
the study table below it repeats its numbers. Printed, that cost twice: WeasyPrint draws SVG
text one letter at a time (a forest plot's words cost it more than the rest of its page), and
the same numbers were printed again in the table. So the PDF prints one table: the study rows
with their text as HTML (searchable, tagged as a table for assistive technology), the intervals,
squares and diamonds drawn in the plot column with CSS (no text in them), the axis in the table
footer, which WeasyPrint repeats on every page with the column titles when the table breaks.

Positions are millimetres on a plot column of ``TRACK_MM`` (the printed page has a fixed width),
computed here from the figure's own axis (``forest_table``, ``forest_layout``), so the printed
plot and the figure agree. Templates place the numbers; they do no arithmetic.
"""

from __future__ import annotations

import math
from typing import Any

from reportgen.present.figures.forest_axis import apart, axis_title
from reportgen.present.figures.forest_geometry import ROW, axis_share
from reportgen.present.figures.forest_layout import forest_layout
from reportgen.present.figures.forest_table import interval_text, table
from reportgen.present.figures.risk_of_bias import MARKS
from reportgen.present.format import MEASURES, heterogeneity_line
from reportgen.stats.analysis import OutcomeResult

TRACK_MM = 48.0  # the plot column's width on the printed page
ROW_MM = 5.0  # a row's height: squares, diamonds and the reference lines fit inside it
POINT_MM = 25.4 / 72
FIGURE_ROW_MM = ROW * POINT_MM  # a row of the SVG figure, whose square areas the layout gives
Marks = dict[str, tuple[str, ...]]  # study id -> risk-of-bias judgements (D1 ... Dn, overall)


def forest_print(result: OutcomeResult, marks: Marks | None = None) -> dict[str, Any]:
    """The printed forest table of ``result``: column titles, rows in reading order (subgroup
    headers, studies, subgroup diamonds, the overall diamond, the prediction interval), the axis
    and the heterogeneity line. ``marks``: risk-of-bias judgements shown as columns at the right.
    Edge cases: a study or group without a finite result has no marks; values beyond the axis
    are cut at its ends, with an arrowhead on the cut interval."""
    words, layout = table(result), forest_layout(result)
    low, high, ticks, tick_labels, log = words.axis
    scale = _Scale(low, high, log)
    rob_columns = len(next(iter(marks.values()))) if marks else 0
    rows = _study_rows(result, layout, words, scale, marks or {}, rob_columns)
    _add_subgroups(rows, result, layout, scale, rob_columns)
    pooled = result.pooled
    filler = [None] * rob_columns
    if layout.pooled_row is not None:
        rows.append(
            (
                layout.pooled_row,
                len(rows),
                {
                    "kind": "pooled",
                    "label": words.method,
                    "cells": words.pooled_cells,
                    "weight": "100%",
                    "interval": words.pooled_interval,
                    "marks": _diamond(
                        scale, pooled.estimate, pooled.ci_lower, pooled.ci_upper, 0.32
                    ),
                    "rob": filler,
                },
            )
        )
    if layout.prediction_row is not None:
        rows.append(
            (
                layout.prediction_row,
                len(rows),
                {
                    "kind": "prediction",
                    "label": words.prediction_label,
                    "interval": words.prediction_interval,
                    "marks": _bar(scale, pooled.pi_lower, pooled.pi_upper),
                    "rob": filler,
                },
            )
        )
    null = MEASURES[result.outcome.measure].null
    return {
        "headers": words.headers,
        "interval_header": words.interval_header,
        "rob_headers": [f"D{c + 1}" for c in range(rob_columns - 1)] + ["O"] * bool(rob_columns),
        "rows": [
            _complete(entry, len(words.headers))
            for *_order, entry in sorted(rows, key=lambda r: (-r[0], r[1]))
        ],
        "null_mm": _mm(scale.x(null)) if null is not None else None,
        "pooled_mm": _mm(scale.x(pooled.estimate)),
        "ticks": [
            (_mm(scale.x(t)), label)
            for t, label in apart(
                lambda value: scale.x(value) / POINT_MM,
                list(zip(ticks, tick_labels, strict=True)),
                null,
            )
        ],
        "axis_title": axis_title(result, log),
        "favours": _favours(words.favours, scale.x(null) if null is not None else None),
        "heterogeneity": heterogeneity_line(result.model),
        "track_mm": _mm(TRACK_MM),
        "row_mm": _mm(ROW_MM),
    }


class _Scale:
    """Values on the axis (log for ratios) to millimetres along the plot column."""

    def __init__(self, low: float, high: float, log: bool):
        self.low, self.high, self.log = low, high, log

    def x(self, value: float) -> float:
        return axis_share(value, self.low, self.high, self.log) * TRACK_MM

    def clipped(self, value: float) -> bool:
        return not self.low <= value <= self.high


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def _study_marks(
    scale: _Scale, estimate: float, lower: float, upper: float, area: float
) -> dict[str, Any] | None:
    """The interval line (with its cut ends) and the square, of ``area`` square points."""
    if any(math.isnan(v) for v in (estimate, lower, upper)):
        return None
    side = math.sqrt(area) * POINT_MM * ROW_MM / FIGURE_ROW_MM  # as big in its row as in the figure
    left, right = scale.x(lower), scale.x(upper)
    return {
        "shape": "study",
        "line": (_mm(left), _mm(right - left)),
        "cut_left": scale.clipped(lower),
        "cut_right": scale.clipped(upper),
        "square": (_mm(scale.x(estimate) - side / 2), _mm((ROW_MM - side) / 2), _mm(side)),
    }


def _diamond(
    scale: _Scale, estimate: float, lower: float, upper: float, half_rows: float
) -> dict[str, Any] | None:
    """A diamond as two CSS triangles: from the lower limit to the estimate and on to the upper
    limit, ``half_rows`` of a row above and below the centre line."""
    if any(math.isnan(v) for v in (estimate, lower, upper)):
        return None
    left, centre, right = scale.x(lower), scale.x(estimate), scale.x(upper)
    half = half_rows * ROW_MM * 1.25
    return {
        "shape": "diamond",
        "diamond": (_mm(left), _mm(centre - left), _mm(right - centre), _mm(half)),
        "diamond_top": _mm(ROW_MM / 2 - half),
    }


def _bar(scale: _Scale, lower: float, upper: float) -> dict[str, Any] | None:
    if math.isnan(lower) or math.isnan(upper):
        return None
    left, right = scale.x(lower), scale.x(upper)
    return {"shape": "bar", "bar": (_mm(left), _mm(right - left))}


def _study_rows(
    result: OutcomeResult,
    layout: Any,
    words: Any,
    scale: _Scale,
    marks: Marks,
    rob_columns: int,
) -> list[tuple[float, int, dict[str, Any]]]:
    """One row per study (its layout row, an order key, and what the template shows)."""
    rows: list[tuple[float, int, dict[str, Any]]] = []
    for index, row, area in zip(
        layout.study_index, layout.study_rows, layout.marker_areas, strict=True
    ):
        study = result.studies[index]
        judgements = marks.get(study.id, ())
        rows.append(
            (
                row,
                len(rows),
                {
                    "kind": "study",
                    "label": study.label,  # whole: the table wraps it (the figure shortens it)
                    "cells": words.cells[index],
                    "weight": words.weights[index],
                    "interval": words.intervals[index],
                    "marks": _study_marks(
                        scale, study.estimate, study.ci_lower, study.ci_upper, area
                    ),
                    "rob": [_rob_cell(j) for j in judgements] or [None] * rob_columns,
                },
            )
        )
    return rows


def _favours(words: tuple[str, str] | None, null_x: float | None) -> dict[str, str] | None:
    """The favours words either side of the line of no effect, as the figure places them:
    the left one ending ``gap`` before it, the right one starting ``gap`` after it."""
    if words is None or null_x is None:
        return None
    gap = 1.0
    return {
        "left": words[0],
        "left_right": _mm(TRACK_MM - null_x + gap),
        "right": words[1],
        "right_left": _mm(null_x + gap),
    }


def _complete(row: dict[str, Any], data_columns: int) -> dict[str, Any]:
    """Every key the template reads, empty where the row has nothing: data cells padded."""
    cells = tuple(row.get("cells", ()))
    return {
        "weight": "",
        "interval": "",
        "marks": None,
        **row,
        "cells": cells + ("",) * (data_columns - len(cells)),
    }


def _rob_cell(judgement: str) -> dict[str, str]:
    fill, symbol, ink = MARKS[judgement]
    return {"fill": fill, "symbol": symbol, "ink": ink}


def _add_subgroups(
    rows: list[tuple[float, int, dict[str, Any]]],
    result: OutcomeResult,
    layout: Any,
    scale: _Scale,
    rob_columns: int,
) -> None:
    """Each subgroup's header row and, below its studies, its row with its diamond."""
    if result.subgroups is None:
        return
    groups, variable = result.subgroups.groups, result.subgroups.variable
    filler = [None] * rob_columns
    for (index, continued), row in zip(layout.header_groups, layout.header_rows, strict=True):
        label = f"{variable}: {groups[index].label}" + (" (continued)" if continued else "")
        rows.append((row, len(rows), {"kind": "group", "label": label, "rob": filler}))
    measure = result.outcome.measure
    for index, row in zip(layout.subgroup_groups, layout.subgroup_rows, strict=True):
        pooled = groups[index].pooled
        rows.append(
            (
                row,
                len(rows),
                {
                    "kind": "subtotal",
                    "label": f"Subgroup, k = {groups[index].k}",
                    "interval": interval_text(
                        pooled.estimate, pooled.ci_lower, pooled.ci_upper, measure
                    ),
                    "marks": _diamond(
                        scale, pooled.estimate, pooled.ci_lower, pooled.ci_upper, 0.25
                    ),
                    "rob": filler,
                },
            )
        )
