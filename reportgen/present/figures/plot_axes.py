"""The frame of an x-y plot written as SVG text (funnel and bubble plots): linear scales from
data to points, round ticks, the left and bottom axis lines with their ticks, tick labels and
titles, and many circles as one path.

Drawn as the matplotlib figures these plots replaced were (issue 15): axis lines and ticks 0.8 pt,
ticks 3.5 pt outward, tick labels 8.5 pt, the y title turned a quarter left, no box at the top
or right. Text is as few ``<text>`` elements as the words need (one per tick label and title):
WeasyPrint lays out SVG text one letter at a time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.present.figures.style import INK
from reportgen.present.figures.svgwriter import num, path, text
from reportgen.present.figures.textwidth import shorten, text_width
from reportgen.present.format import number

FONT_SIZE = 8.5
TICK = 3.5  # outward, as matplotlib's
TICK_PAD = 3.5  # from a tick's end to its label
X_LABEL = 13.5  # below the x axis line: the tick labels' baseline
X_TITLE = 26.0  # below the x axis line: the title's baseline
Y_TITLE_ROOM = 16.0  # from the figure's left edge to the y tick labels' room
BOTTOM_ROOM = 37.0  # below the x axis line: its labels and title
MOST_TICKS = 8
STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)  # times a power of ten
RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
COARSE_RATIO_TICKS = (0.01, 0.1, 0.5, 1, 2, 10, 100)


@dataclass(frozen=True)
class Frame:
    """The plot's box in points (y grows downwards): its axis lines run along ``left`` and
    ``bottom``."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Scale:
    """A linear map from data values (``low`` to ``high``) to points (``start`` to ``end``;
    ``end`` < ``start`` for a y axis whose values grow upwards)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        share = (value - self.low) / span if span else 0.5
        return self.start + share * (self.end - self.start)


def padded(low: float, high: float, share: float = 0.05) -> tuple[float, float]:
    """``low`` to ``high`` widened by ``share`` of the span on each side (matplotlib's margin);
    a single value gets a span of its own."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"cannot draw an axis over non-finite limits {low} to {high}")
    span = high - low
    if span <= 0:
        half = abs(low) * 0.05 or 0.5
        return low - half, high + half
    return low - share * span, high + share * span


def inset(low: float, high: float, start: float, end: float, room: float) -> Scale:
    """A scale that puts ``low`` to ``high`` ``room`` points inside ``start`` to ``end`` (the
    axis line's ends): data that keep clear of the axis lines, as matplotlib's margins do."""
    if high <= low:
        low, high = padded(low, high)
    per_point = (high - low) / (abs(end - start) - 2 * room)
    return Scale(low - room * per_point, high + room * per_point, start, end)


def round_ticks(low: float, high: float, most: int = MOST_TICKS) -> list[tuple[float, str]]:
    """Ticks inside ``low`` to ``high`` at the smallest round step (1, 2, 2.5 or 5 times a power
    of ten) that gives at most ``most`` of them, labelled with the step's decimals and a true
    minus sign ("0.0", "0.1", ..., "\u22120.5")."""
    span = high - low
    if span <= 0:
        return [(low, number(low, 2))]
    power = 10.0 ** math.floor(math.log10(span / most))
    step = next(m * power for m in STEPS if len(_multiples(low, high, m * power)) <= most)
    decimals = next(d for d in range(12) if abs(round(step, d) - step) < step * 1e-9)
    return [(i * step, number(i * step + 0.0, decimals)) for i in _multiples(low, high, step)]


def _multiples(low: float, high: float, step: float) -> range:
    """The multiples of ``step`` from ``low`` to ``high`` (as whole numbers of steps), with a
    tolerance for values a rounding error outside."""
    return range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1)


def ratio_ticks(low: float, high: float) -> list[float]:
    """Ratios to label on a log axis whose limits are ``low`` to ``high`` (logs): 0.1, 0.2,
    0.5, 1, 2, ... inside them, or only 0.01, 0.1, 0.5, 1, 2, 10, 100 where more than six fit."""
    ticks = [t for t in RATIO_TICKS if low <= math.log(t) <= high]
    if len(ticks) > 6:
        ticks = [t for t in ticks if t in COARSE_RATIO_TICKS]
    return ticks


def y_label_room(labels: list[str]) -> float:
    """The plot's left edge: room for the y title, the widest tick label and the tick."""
    widest = max((text_width(label, FONT_SIZE) for label in labels), default=0.0)
    return Y_TITLE_ROOM + widest + TICK + TICK_PAD


def axes(
    frame: Frame,
    x: Scale,
    y: Scale,
    x_ticks: list[tuple[float, str]],
    y_ticks: list[tuple[float, str]],
    titles: tuple[str, str],
    width: float,
) -> tuple[str, list[str]]:
    """The two axis lines with their ticks (one path) and the texts: tick labels, the x title
    centred under the plot and the y title turned along the axis (shortened to fit the figure
    ``width`` and the plot's height)."""
    left, bottom = frame.left, frame.bottom
    marks = [f"M{num(left)} {num(frame.top)}V{num(bottom)}H{num(frame.right)}"]
    marks += [f"M{num(x(v))} {num(bottom)}v{num(TICK)}" for v, _ in x_ticks]
    marks += [f"M{num(left)} {num(y(v))}h{num(-TICK)}" for v, _ in y_ticks]
    texts = [text(x(v), bottom + X_LABEL, label, text_anchor="middle") for v, label in x_ticks]
    baseline = 0.36 * FONT_SIZE  # half a digit's height: the label centred on its tick
    texts += [
        text(left - TICK - TICK_PAD, y(v) + baseline, label, text_anchor="end")
        for v, label in y_ticks
    ]
    x_title, y_title = titles
    middle = (frame.left + frame.right) / 2
    room = 2 * min(middle - 4.0, width - 4.0 - middle)
    texts.append(
        text(middle, bottom + X_TITLE, shorten(x_title, room, FONT_SIZE), text_anchor="middle")
    )
    centre = (frame.top + frame.bottom) / 2
    turned = f"rotate(-90 {num(Y_TITLE_ROOM - 3.0)} {num(centre)})"
    texts.append(
        text(
            Y_TITLE_ROOM - 3.0,
            centre,
            shorten(y_title, frame.bottom - frame.top, FONT_SIZE),
            text_anchor="middle",
            transform=turned,
        )
    )
    return path(marks, fill="none", stroke=INK, stroke_width=0.8), texts


def circles(points: list[tuple[float, float, float]]) -> list[str]:
    """Subpaths for ``path``: a circle of radius r at each (x, y, r) in points, as two arcs (one
    element for any number of circles)."""
    return [
        f"M{num(cx - r)} {num(cy)}a{num(r)} {num(r)} 0 1 0 {num(2 * r)} 0"
        f"a{num(r)} {num(r)} 0 1 0 {num(-2 * r)} 0Z"
        for cx, cy, r in points
    ]
