"""Funnel plots: effect sizes against standard errors, with pseudo 95% limits and the studies
that trim and fill imputed, drawn in the same style as the forest plots (``style``).

Written as SVG text over ``svgwriter`` and ``plot_axes``, without a plotting library (issue 15:
matplotlib cost every such build about 0.4 CPU s to import). The studies are one ``<path>`` of
circles and the imputed studies another (open circles), whatever k; the standard error runs
down the y axis from 0 at the top; ratios are drawn as logs and labelled as ratios. The same
results give the same bytes.
"""

from __future__ import annotations

import math

from reportgen.present.figures.forest_axis import apart
from reportgen.present.figures.plot_axes import (
    BOTTOM_ROOM,
    FONT_SIZE,
    Frame,
    Scale,
    axes,
    circles,
    padded,
    ratio_ticks,
    round_ticks,
    y_label_room,
)
from reportgen.present.figures.style import FONT, GRID_COLOUR, INK, SQUARE_COLOUR
from reportgen.present.figures.svgwriter import circle, document, group, num, path, text
from reportgen.present.figures.textwidth import text_width
from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult

WIDTH, HEIGHT = 4.6 * 72, 3.4 * 72  # points
RIGHT = 9.0  # room right of the plot for the last tick label
TOP = 10.0  # room above the plot (for the top tick label)
LEGEND_TOP = 24.6  # room above the plot when the legend sits there
LEGEND_SIZE = 7.5
RADIUS = math.sqrt(22) / 2  # matplotlib's marker of 22 square points
Z95 = 1.96


def _x_ticks(low: float, high: float, result: OutcomeResult) -> tuple[list[tuple[float, str]], str]:
    """Ticks and title of the x axis on the scale drawn: ratios are drawn as logs and labelled
    as ratios (ticks at 0.1, 0.2, 0.5, 1, ...); other measures at round values, titled with the
    transformed scale shown."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "ratio":
        ticks = ratio_ticks(low, high)
        return [(math.log(t), f"{t:g}") for t in ticks], (
            f"{display.name.capitalize()} (log scale)"
        )
    return round_ticks(low, high), display.name.capitalize()


def funnel_plot_svg(result: OutcomeResult) -> str:
    """Funnel plot: effect sizes (analysis scale) against standard error, with pseudo 95%
    limits around the pooled estimate; studies imputed by trim and fill as open circles.

    Edge cases: studies with a non-finite effect or variance are left out of the drawing (the
    data table beside it lists every study); raises ValueError for an outcome without a
    small-study analysis."""
    small = result.small_study
    if small is None:
        raise ValueError(
            f"outcome '{result.outcome.id}' has no small-study analysis to draw a funnel plot from"
        )
    studies = _finite([(s.yi, s.vi) for s in result.studies])
    imputed = _finite(list(zip(small.trimfill.filled_yi, small.trimfill.filled_vi, strict=True)))
    centre = result.model.estimate
    top = max(se for _, se in studies + imputed + [(centre, 0.0)]) * 1.05 or 1.0
    low, high = padded(
        min([y for y, _ in studies + imputed] + [centre - Z95 * top]),
        max([y for y, _ in studies + imputed] + [centre + Z95 * top]),
    )
    se_ticks = round_ticks(0.0, top)
    frame = Frame(
        left=y_label_room([label for _, label in se_ticks]),
        top=LEGEND_TOP if imputed else TOP,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM_ROOM,
    )
    x = Scale(low, high, frame.left, frame.right)
    y = Scale(0.0, top, frame.top, frame.bottom)  # inverted: 0 at the top
    ticks, x_title = _x_ticks(low, high, result)
    shapes, texts = axes(
        frame, x, y, apart(x, ticks, None), se_ticks, (x_title, "Standard error"), WIDTH
    )
    limits = (
        f"M{num(x(centre - Z95 * top))} {num(y(top))}L{num(x(centre))} {num(y(0.0))}"
        f"L{num(x(centre + Z95 * top))} {num(y(top))}"
    )
    points = [(x(yi), y(se), RADIUS) for yi, se in studies]
    open_points = [(x(yi), y(se), RADIUS) for yi, se in imputed]
    body = [
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        path(
            [limits], fill="none", stroke=GRID_COLOUR, stroke_width=0.8, stroke_dasharray="2.4 1.6"
        ),
        path(
            [f"M{num(x(centre))} {num(frame.top)}V{num(frame.bottom)}"],
            stroke=INK,
            stroke_width=0.8,
        ),
        shapes,
        path(circles(points), fill=SQUARE_COLOUR, stroke=INK, stroke_width=0.5),
        path(circles(open_points), fill="#ffffff", stroke=INK, stroke_width=0.8),
        group(texts, font_family=FONT, font_size=FONT_SIZE, fill=INK),
        *(_legend(frame) if imputed else []),  # above the plot, clear of the points
    ]
    return document(WIDTH, HEIGHT, f"Funnel plot: {result.outcome.label}", body)


def _finite(pairs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(effect, standard error) of each (effect, variance) that can be drawn."""
    return [
        (yi, math.sqrt(vi))
        for yi, vi in pairs
        if math.isfinite(yi) and math.isfinite(vi) and vi >= 0
    ]


def _legend(frame: Frame) -> list[str]:
    """The legend above the plot, left-aligned with it: a study's marker and an imputed
    study's, each with its word."""
    marker_y, baseline = frame.top - 8.6, frame.top - 6.6
    first = frame.left + 10.5
    second = first + 13.5 + text_width("Study", LEGEND_SIZE) + 16.0
    words = [
        text(first + 13.5, baseline, "Study"),
        text(second + 13.5, baseline, "Imputed by trim and fill"),
    ]
    return [
        circle(first, marker_y, RADIUS, fill=SQUARE_COLOUR, stroke=INK, stroke_width=0.5),
        circle(second, marker_y, RADIUS, fill="#ffffff", stroke=INK, stroke_width=0.8),
        group(words, font_family=FONT, font_size=LEGEND_SIZE, fill=INK),
    ]
