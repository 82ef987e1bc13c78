"""Forest plots drawn from results, written as SVG text (rows: ``forest_layout``; columns and
scale: ``forest_geometry``; words: ``forest_table``; the axis: ``forest_axis``; risk-of-bias
columns: ``forest_rob``).

Written element by element (``svgwriter``), without a plotting library, as every figure is
(issue 15: a plot costs about its text, linear in k; no report imports matplotlib).
One ``<text>`` per cell, anchored at the edge its column aligns on (so alignment holds whatever
the font's exact widths); all intervals of a plot in one ``<path>``, squares as ``<rect>``
(side: the square root of ``ForestLayout.marker_areas``, so the area is proportional to the
weight), diamonds in one ``<path>``. Intervals that run past the axis end in an arrowhead at the
axis end. Deterministic: the same results give the same bytes.

Designed for black-and-white printing: squares, lines and diamonds are dark on white, and the
prediction interval is a distinct bar.
"""

from __future__ import annotations

import math

from reportgen.present.figures.forest_axis import draw_axis, reference_lines
from reportgen.present.figures.forest_geometry import FONT_SIZE, ROW, SIDE, Frame, make_frame
from reportgen.present.figures.forest_layout import (
    MAX_MARKER_AREA,
    ForestLayout,
    ForestPart,
    forest_layout,
    forest_parts,
)
from reportgen.present.figures.forest_rob import rob_columns, rob_width
from reportgen.present.figures.forest_table import ForestTable, interval_text, table
from reportgen.present.figures.funnel import funnel_plot_svg
from reportgen.present.figures.style import DIAMOND_COLOUR, FONT, INK, SQUARE_COLOUR
from reportgen.present.figures.svgwriter import document, group, num, path, rect, stack, text
from reportgen.present.figures.textwidth import shorten
from reportgen.present.format import heterogeneity_line
from reportgen.stats.analysis import OutcomeResult

# The layout names stay importable from here, beside the drawing that uses them.
__all__ = [
    "MAX_MARKER_AREA",
    "ForestLayout",
    "draw_figures",
    "forest_layout",
    "forest_plot_svg",
    "forest_print_parts",
]

Marks = dict[str, tuple[str, ...]]  # study id -> risk-of-bias judgements (D1 ... Dn, overall)
ARROW = 4.0  # points: length of the arrowhead of an interval that runs past the axis
SUBGROUP_DIAMOND = 0.25  # half-height in rows
POOLED_DIAMOND = 0.32


class _Canvas:
    """What one plot draws, collected by kind so that each kind is one element (or one group)
    and texts come last, above the shapes: those on rows in reading order (top row first, left
    to right), then the axis's, the risk-of-bias columns' and the heterogeneity line."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.intervals: list[str] = []
        self.arrows: list[str] = []
        self.squares: list[str] = []
        self.diamonds: list[str] = []
        self.rules: list[str] = []  # the reference lines, below everything
        self.shapes: list[str] = []
        self.rows: list[tuple[float, int, str]] = []  # texts on rows: read top to bottom
        self.texts: list[str] = []

    def write(
        self,
        x: float,
        row: float,
        words: str,
        anchor: str = "start",
        bold: bool = False,
        italic: bool = False,
    ) -> None:
        """A line of text centred on ``row``, anchored at ``x`` by its start, end or middle."""
        style: dict[str, str | float] = {}
        if anchor != "start":
            style["text_anchor"] = anchor
        if bold:
            style["font_weight"] = "bold"
        if italic:
            style["font_style"] = "italic"
        drawn = text(x, self.frame.baseline(row), words, **style)
        self.rows.append((-row, len(self.rows), drawn))

    def table_row(
        self,
        row: float,
        cells: tuple[str, ...],
        weight: str,
        interval: str,
        bold: bool = False,
    ) -> None:
        """A row of the text columns: ``cells`` are the label and the data cells."""
        frame = self.frame
        self.write(frame.left, row, cells[0], bold=bold)
        for x, cell in zip(frame.data_right, cells[1:], strict=True):
            self.write(x, row, cell, "end", bold=bold)
        self.write(frame.weight_left, row, weight, bold=bold)
        self.write(frame.interval_right, row, interval, "end", bold=bold)

    def interval(self, row: float, lower: float, upper: float) -> None:
        """A horizontal interval line, with an arrowhead at an end clipped by the axis."""
        if math.isnan(lower) or math.isnan(upper):
            return
        frame, y = self.frame, self.frame.y(row)
        self.intervals.append(f"M{num(frame.x(lower))} {num(y)}H{num(frame.x(upper))}")
        for value, side in ((lower, -1), (upper, 1)):
            if frame.clipped(value):
                tip = frame.x(value)
                self.arrows.append(
                    f"M{num(tip)} {num(y)}l{num(-side * ARROW)} -2v4z"  # a triangle at the tip
                )

    def diamond(self, row: float, estimate: float, lower: float, upper: float, size: float) -> None:
        if any(math.isnan(v) for v in (estimate, lower, upper)):
            return
        x, y, half = self.frame.x, self.frame.y(row), size * ROW
        self.diamonds.append(
            f"M{num(x(lower))} {num(y)}L{num(x(estimate))} {num(y - half)}"
            f"L{num(x(upper))} {num(y)}L{num(x(estimate))} {num(y + half)}Z"
        )

    def body(self) -> list[str]:
        return [
            '<rect width="100%" height="100%" fill="#ffffff"/>',
            *self.rules,
            path(self.intervals, fill="none", stroke=INK, stroke_width=0.9),
            path(self.arrows, fill=INK),
            group(self.squares, fill=SQUARE_COLOUR, stroke=INK, stroke_width=0.5),
            path(self.diamonds, fill=DIAMOND_COLOUR, stroke=INK, stroke_width=0.6),
            *self.shapes,
            group(
                [drawn for *_order, drawn in sorted(self.rows)] + self.texts,
                font_family=FONT,
                font_size=FONT_SIZE,
                fill=INK,
            ),
        ]


def forest_plot_svg(
    result: OutcomeResult, part: ForestPart | None = None, rob: Marks | None = None
) -> str:
    """Draw the forest plot of one outcome (or one page-sized ``part`` of it: the column titles
    and the axis on every part, the overall rows and heterogeneity on the last) and return it
    as an SVG document (text). ``rob``: risk-of-bias judgements by study id, drawn as columns
    at the right (``forest_rob``)."""
    layout = forest_layout(result, part)
    words = table(result)
    low, high, _ticks, _labels, log = words.axis
    frame = make_frame(
        layout, words.columns, (low, high, log), words.favours is not None, rob_width(rob or {})
    )
    canvas = _Canvas(frame)
    header_row = layout.top + 0.9
    canvas.rules += reference_lines(frame, result, layout)
    _draw_headers(canvas, words, header_row)
    _draw_studies(canvas, result, layout, words)
    if result.subgroups is not None:
        _draw_subgroups(canvas, result, layout)
    if layout.pooled_row is not None:
        _draw_pooled(canvas, result, layout.pooled_row, words)
    if layout.prediction_row is not None:
        _draw_prediction(canvas, result, layout.prediction_row, words)
    shapes, texts = draw_axis(frame, result, words)
    canvas.shapes += shapes
    canvas.texts += texts
    if rob:
        shapes, texts = rob_columns(frame, result, layout, rob, header_row)
        canvas.shapes += shapes
        canvas.texts += texts
    if layout.pooled_row is not None:
        canvas.texts.append(
            text(SIDE, frame.heterogeneity_y, heterogeneity_line(result.model), font_size=8)
        )
    return document(frame.width, frame.height, _title(result), canvas.body())


def _title(result: OutcomeResult) -> str:
    return f"Forest plot: {result.outcome.label}"


def forest_print_parts(result: OutcomeResult, rob: Marks | None = None) -> tuple[str, ...]:
    """The plot in page-sized parts for print (``forest_parts``), as SVG documents; empty when
    the whole plot fits on one page."""
    parts = forest_parts(result)
    if len(parts) == 1:
        return ()
    return tuple(forest_plot_svg(result, part, rob) for part in parts)


def _draw_headers(canvas: _Canvas, words: ForestTable, row: float) -> None:
    canvas.table_row(row, ("Study", *words.headers), "Weight", words.interval_header, bold=True)


def _draw_studies(
    canvas: _Canvas, result: OutcomeResult, layout: ForestLayout, words: ForestTable
) -> None:
    """One row per study: label, data cells, weight and interval as text, in reading order;
    its interval line (into the plot's one path) and its square, of area ``marker_areas``."""
    frame = canvas.frame
    rows = zip(layout.study_index, layout.study_rows, layout.marker_areas, strict=True)
    for index, row, area in rows:
        study = result.studies[index]
        cells = (words.labels[index], *words.cells[index])
        canvas.table_row(row, cells, words.weights[index], words.intervals[index])
        canvas.interval(row, study.ci_lower, study.ci_upper)
        if not math.isnan(study.estimate):
            side = math.sqrt(area)
            x, y = frame.x(study.estimate), frame.y(row)
            canvas.squares.append(rect(x - side / 2, y - side / 2, side, side))


def _draw_subgroups(canvas: _Canvas, result: OutcomeResult, layout: ForestLayout) -> None:
    """Each subgroup's header row (again, marked continued, on a later part) and, below its
    studies, its diamond."""
    if result.subgroups is None:
        return
    frame, groups = canvas.frame, result.subgroups.groups
    variable, measure = result.subgroups.variable, result.outcome.measure
    room = frame.left_panel_right - frame.left
    for (index, continued), row in zip(layout.header_groups, layout.header_rows, strict=True):
        label = f"{variable}: {groups[index].label}" + (" (continued)" if continued else "")
        short = shorten(label, room, FONT_SIZE, bold=True, italic=True)
        canvas.write(frame.left, row, short, bold=True, italic=True)
    for index, row in zip(layout.subgroup_groups, layout.subgroup_rows, strict=True):
        group_result = groups[index]
        pooled = group_result.pooled
        canvas.write(frame.left, row, f"Subgroup, k = {group_result.k}")
        ci = interval_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper, measure)
        canvas.write(frame.interval_right, row, ci, "end")
        canvas.diamond(row, pooled.estimate, pooled.ci_lower, pooled.ci_upper, SUBGROUP_DIAMOND)


def _draw_pooled(canvas: _Canvas, result: OutcomeResult, row: float, words: ForestTable) -> None:
    """The overall diamond and the totals."""
    pooled = result.pooled
    canvas.diamond(row, pooled.estimate, pooled.ci_lower, pooled.ci_upper, POOLED_DIAMOND)
    cells = (words.method, *words.pooled_cells)
    canvas.table_row(row, cells, "100%", words.pooled_interval, bold=True)


def _draw_prediction(
    canvas: _Canvas, result: OutcomeResult, row: float, words: ForestTable
) -> None:
    """The prediction interval (at the model's level): a thick bar with end ticks, in its own
    row."""
    frame, pooled = canvas.frame, result.pooled
    canvas.write(frame.left, row, words.prediction_label, italic=True)
    canvas.write(frame.interval_right, row, words.prediction_interval, "end", italic=True)
    if math.isnan(pooled.pi_lower) or math.isnan(pooled.pi_upper):
        return
    low, high, y = frame.x(pooled.pi_lower), frame.x(pooled.pi_upper), frame.y(row)
    tick = 0.2 * ROW
    canvas.shapes.append(path([f"M{num(low)} {num(y)}H{num(high)}"], stroke=INK, stroke_width=2.2))
    ends = [f"M{num(x)} {num(y - tick)}V{num(y + tick)}" for x in (low, high)]
    canvas.shapes.append(path(ends, stroke=INK, stroke_width=0.9))


def draw_figures(
    results, rob: dict[str, Marks] | None = None
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Every figure of a report by file stem (``<outcome-id>``: forest plot, ``-funnel`` where
    small-study tests ran, ``-bubble-<n>``: one-moderator regressions), and the forest plots
    taller than a page in page-sized parts by outcome id. Drawn once: a split plot's figure is
    its parts stacked (``svgwriter.stack``). ``rob``: risk-of-bias marks by outcome id.
    Every figure is written as SVG text: drawing them never imports matplotlib."""
    from reportgen.present.appendix_regression import draw_bubbles

    marks = rob or {}
    parts = {r.outcome.id: forest_print_parts(r, marks.get(r.outcome.id)) for r in results.outcomes}
    figures = {
        r.outcome.id: stack(parts[r.outcome.id], _title(r))
        if parts[r.outcome.id]
        else forest_plot_svg(r, None, marks.get(r.outcome.id))
        for r in results.outcomes
    }
    figures |= {
        f"{r.outcome.id}-funnel": funnel_plot_svg(r)
        for r in results.outcomes
        if r.small_study is not None
    }
    figures |= draw_bubbles(results)
    return figures, {outcome_id: svgs for outcome_id, svgs in parts.items() if svgs}
