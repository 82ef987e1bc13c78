"""Bubble plots of meta-regressions on one continuous moderator (as metafor's ``regplot``): each
study's effect against the moderator, bubble area proportional to its weight in the model
(1 / (vi + tau2)), the fitted line with its confidence band, drawn in the forest plots' style.

Ratio measures are drawn on the log scale and labelled as ratios (ticks 0.1, 0.2, 0.5, 1, ...);
other measures on their analysis scale, named. The SVG carries a <title> and <desc> (the same
words as the alternative text in the report), so it stays accessible when opened alone.

Written as SVG text over ``svgwriter`` and ``plot_axes``, without a plotting library (issue 15):
the bubbles are one ``<path>`` whatever k, the band, the fitted line and its limits one each
(evaluated at ``LINE_POINTS`` values, not per study). The same results give the same bytes.
"""

from __future__ import annotations

import math

import numpy as np

from reportgen.present.figures.plot_axes import (
    BOTTOM_ROOM,
    FONT_SIZE,
    Frame,
    Scale,
    axes,
    circles,
    inset,
    ratio_ticks,
    round_ticks,
    y_label_room,
)
from reportgen.present.figures.style import DIAMOND_COLOUR, FONT, GRID_COLOUR, INK, SQUARE_COLOUR
from reportgen.present.figures.svgwriter import document, group, num, path, xml_text
from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info
from reportgen.stats.regression_analysis import MetaRegression

FINE_RATIO_TICKS = (0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2)
PERCENT_TICKS = (0.1, 0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9)
COARSE_PERCENT_TICKS = (0.1, 1, 5, 10, 20, 30, 50, 70, 80, 90, 95, 99, 99.9)
LINE_POINTS = 101  # where the fitted line and its band are evaluated
LARGEST_BUBBLE = 420.0  # area (points squared) of the study with the largest weight
WIDTH, HEIGHT = 5.2 * 72, 3.6 * 72  # points
TOP, RIGHT = 8.0, 9.0  # room above and right of the plot
MARGIN = 0.05  # share of the plot kept clear inside each axis end (matplotlib's margin)


def bubble_key(outcome_id: str, index: int) -> str:
    """The file stem of a regression's bubble plot: ``<outcome-id>-bubble-<n>``, n counting the
    outcome's regressions from 1 in config order."""
    return f"{outcome_id}-bubble-{index + 1}"


def bubble_points(regression: MetaRegression, result: OutcomeResult) -> dict[str, np.ndarray]:
    """What the plot draws, as data (tested by structure): study x, y and bubble areas, and the
    fitted line with its CI band on a grid over the moderator's range."""
    moderator = regression.design.moderators[0]
    x = np.array(moderator.values, dtype=float)
    y = np.array([s.yi for s in result.studies])
    weights = 1 / (np.array([s.vi for s in result.studies]) + regression.model.tau2)
    grid = np.linspace(x.min(), x.max(), LINE_POINTS)
    predictions = [regression.model.predict({moderator.name: float(g)}) for g in grid]
    return {
        "x": x,
        "y": y,
        "area": LARGEST_BUBBLE * weights / weights.max(),
        "grid": grid,
        "line": np.array([p.estimate for p in predictions]),
        "lower": np.array([p.ci_lower for p in predictions]),
        "upper": np.array([p.ci_upper for p in predictions]),
    }


def _y_ticks(low: float, high: float, result: OutcomeResult) -> tuple[list[tuple[float, str]], str]:
    """Ticks and title of the y axis on the scale drawn: ratios are drawn as logs and labelled
    as ratios (0.1, 0.2, 0.5, 1, ...; finer ratios where the range is narrow); transformed
    proportions are labelled in percent at round percentages; differences at round values."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "ratio":
        ticks = ratio_ticks(low, high)
        if len(ticks) < 3:
            ticks = [t for t in FINE_RATIO_TICKS if low <= math.log(t) <= high]
        title = f"{display.name.capitalize()} (log scale)"
        return [(math.log(t), f"{t:g}") for t in ticks], title
    if display.scale == "proportion" and result.outcome.measure != "PR":
        measure = measure_info(result.outcome.measure)
        n = result.back_transform_n
        with np.errstate(divide="ignore", invalid="ignore"):
            positions = measure.to_analysis(np.array(PERCENT_TICKS) / 100, n)
        placed = [(float(y), t) for y, t in zip(positions, PERCENT_TICKS, strict=True)]
        placed = [(y, t) for y, t in placed if np.isfinite(y) and low <= y <= high]
        if len(placed) > 8:
            placed = [(y, t) for y, t in placed if t in COARSE_PERCENT_TICKS]
        return [(y, f"{t:g}%") for y, t in placed], "Proportion (transformed scale)"
    return round_ticks(low, high), display.name.capitalize()


def bubble_plot_svg(
    regression: MetaRegression, result: OutcomeResult, title: str, description: str
) -> str:
    """The bubble plot of a one-moderator continuous regression, as SVG text: the confidence
    band, its dashed limits and the fitted line, the line of no effect, then the bubbles (one
    path, largest weight ``LARGEST_BUBBLE`` square points), the axes and their words."""
    if not regression.single_continuous():
        raise ValueError(f"'{regression.name}' is not a regression on one continuous moderator")
    data = bubble_points(regression, result)
    display = MEASURES[result.outcome.measure]
    null = None
    if display.null is not None:
        null = float(np.log(display.null)) if display.scale == "ratio" else display.null
    radii = np.sqrt(data["area"]) / 2  # matplotlib's marker size: the area of its square
    values = np.concatenate(
        [data["y"], data["lower"], data["upper"], [] if null is None else [null]]
    )
    finite = values[np.isfinite(values)]
    provisional = Frame(0.0, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM_ROOM)
    room = max(MARGIN * (provisional.bottom - provisional.top), float(radii.max()) + 1.0)
    y = inset(float(finite.min()), float(finite.max()), provisional.bottom, provisional.top, room)
    y_ticks, y_title = _y_ticks(y.low, y.high, result)
    frame = Frame(
        y_label_room([label for _, label in y_ticks]), TOP, WIDTH - RIGHT, HEIGHT - BOTTOM_ROOM
    )
    room = max(MARGIN * (frame.right - frame.left), float(radii.max()) + 1.0)
    x = inset(float(data["x"].min()), float(data["x"].max()), frame.left, frame.right, room)
    shapes, texts = axes(
        frame, x, y, round_ticks(x.low, x.high), y_ticks, (regression.name, y_title), WIDTH
    )
    upper = _line(x, y, data["grid"], data["upper"])
    lower = _line(x, y, data["grid"], data["lower"])
    band = upper + "L" + _line(x, y, data["grid"][::-1], data["lower"][::-1])[1:] + "Z"
    body = [
        f"<desc>{xml_text(description)}</desc>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        path([band], fill=GRID_COLOUR, fill_opacity=0.35),
        path(
            [_line(x, y, data["grid"], data["line"])],
            fill="none",
            stroke=DIAMOND_COLOUR,
            stroke_width=1.4,
        ),
        path([lower, upper], fill="none", stroke=INK, stroke_width=0.6, stroke_dasharray="1.8 1.2"),
        path(
            [] if null is None else [f"M{num(frame.left)} {num(y(null))}H{num(frame.right)}"],
            stroke=GRID_COLOUR,
            stroke_width=0.8,
        ),
        shapes,
        path(
            circles(
                [
                    (x(float(xi)), y(float(yi)), float(r))
                    for xi, yi, r in zip(data["x"], data["y"], radii, strict=True)
                    if math.isfinite(xi) and math.isfinite(yi)
                ]
            ),
            fill=SQUARE_COLOUR,
            fill_opacity=0.75,
            stroke=INK,
            stroke_opacity=0.75,
            stroke_width=0.5,
        ),
        group(texts, font_family=FONT, font_size=FONT_SIZE, fill=INK),
    ]
    return document(WIDTH, HEIGHT, title, body)


def _line(x: Scale, y: Scale, xs: np.ndarray, ys: np.ndarray) -> str:
    """A polyline through (xs, ys) in data values, as one subpath."""
    return "M" + "L".join(
        f"{num(x(float(a)))} {num(y(float(b)))}" for a, b in zip(xs, ys, strict=True)
    )
