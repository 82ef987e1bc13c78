"""The x axis of a forest plot and its reference lines: the axis line with ticks and tick
labels (``x_axis`` chooses them: log ticks for ratios, percents for proportions; those whose
labels would run into a neighbour's are left out, never the value of no effect), the axis
title (an outcome's label in it is shortened to stay inside the figure), the "favours" words
either side of the line of no effect, and the two vertical lines (dashed at the overall
estimate, solid at no effect) from the top study to the axis.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportgen.present.figures.forest_geometry import (
    FAVOURS,
    FONT_SIZE,
    RULES_TOP,
    SIDE,
    TICK,
    TICK_LABEL,
    Frame,
)
from reportgen.present.figures.style import GRID_COLOUR, INK
from reportgen.present.figures.svgwriter import num, path, text
from reportgen.present.figures.textwidth import shorten, text_width
from reportgen.present.format import MEASURES, RATE_PER

if TYPE_CHECKING:
    from reportgen.present.figures.forest_layout import ForestLayout
    from reportgen.present.figures.forest_table import ForestTable
    from reportgen.stats.analysis import OutcomeResult

TICK_GAP = 3.0  # points at least between two tick labels
FAVOURS_SIZE = 6.5
FAVOURS_OFFSET = 4.0  # points from the line of no effect


def reference_lines(frame: Frame, result: OutcomeResult, layout: ForestLayout) -> list[str]:
    """A dashed line at the overall estimate and the line of no effect, on every part."""
    top, bottom = num(frame.y(layout.top + RULES_TOP)), num(frame.axis_y)
    estimate = num(frame.x(result.pooled.estimate))
    lines = [
        path(
            [f"M{estimate} {top}V{bottom}"],
            stroke=GRID_COLOUR,
            stroke_width=0.7,
            stroke_dasharray="2.1 1.4",
        )
    ]
    null = MEASURES[result.outcome.measure].null
    if null is not None:
        lines.append(path([f"M{num(frame.x(null))} {top}V{bottom}"], stroke=INK, stroke_width=0.8))
    return lines


def axis_title(result: OutcomeResult, log_axis: bool) -> str:
    """ "Risk ratio (log scale)", "Overall response rate (%)", "Incidence rate per 1,000 years"."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "proportion":
        return f"{result.outcome.label} (%)"
    label = display.name.capitalize() + (" (log scale)" if log_axis else "")
    if display.scale == "rate":  # the axis shows rates whatever the pooling scale
        label = "Incidence rate"
    if display.per_time:  # rates and rate differences: per 1,000 of the outcome's time unit
        label += f" per {RATE_PER:,} {getattr(result.outcome, 'time_unit', '')}"
    return label


def draw_axis(
    frame: Frame, result: OutcomeResult, words: ForestTable
) -> tuple[list[str], list[str]]:
    """The axis line, ticks and their labels, the title and the favours words: (shapes,
    texts). No y axis and no box."""
    _low, _high, all_ticks, all_labels, log_axis = words.axis
    null = MEASURES[result.outcome.measure].null
    ticks = apart(frame.x, list(zip(all_ticks, all_labels, strict=True)), null)
    y = frame.axis_y
    marks = [f"M{num(frame.plot_left)} {num(y)}H{num(frame.plot_right)}"]
    marks += [f"M{num(frame.x(t))} {num(y)}v{num(TICK)}" for t, _label in ticks]
    shapes = [path(marks, stroke=INK, stroke_width=0.8)]
    texts = [text(frame.x(t), y + TICK_LABEL, label, text_anchor="middle") for t, label in ticks]
    middle = (frame.plot_left + frame.plot_right) / 2
    room = 2 * min(middle - SIDE, frame.width - SIDE - middle)  # centred, inside the figure
    title = shorten(axis_title(result, log_axis), room, FONT_SIZE)
    texts.append(text(middle, frame.axis_title_y, title, text_anchor="middle"))
    if words.favours is not None and null is not None:
        # Below the tick labels, either side of the line of no effect, on two lines each.
        x = frame.x(null)
        for words_, anchor, side in ((words.favours[0], "end", -1), (words.favours[1], "start", 1)):
            for line, baseline in zip(words_.split("\n"), FAVOURS, strict=False):
                texts.append(
                    text(
                        x + side * FAVOURS_OFFSET,
                        y + baseline,
                        line,
                        text_anchor=anchor,
                        font_size=FAVOURS_SIZE,
                        font_style="italic",
                    )
                )
    return shapes, texts


def apart(
    position: Callable[[float], float], ticks: list[tuple[float, str]], null: float | None
) -> list[tuple[float, str]]:
    """The ticks whose labels do not run into each other on an axis (by their estimated
    widths; ``position``: a value's place along the axis in points), the value of no effect
    first, then the others in order; left to right. A wide span of ratios (0.01 to 10) in the
    narrow plot puts 0.5, 1 and 2 close together."""
    first = [tick for tick in ticks if tick[0] == null]
    kept: list[tuple[float, float]] = []  # label extents
    chosen = []
    for value, label in first + [tick for tick in ticks if tick[0] != null]:
        half = text_width(label, FONT_SIZE) / 2 + TICK_GAP / 2
        centre = position(value)
        if all(centre + half <= low or centre - half >= high for low, high in kept):
            kept.append((centre - half, centre + half))
            chosen.append((value, label))
    return sorted(chosen)
