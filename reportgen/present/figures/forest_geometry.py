"""Where a forest plot's columns and rows sit on the page, in points (``Frame``): the text
columns left of the plot (study label, data), the plot with its x scale, the weight and interval
columns right of it, and the risk-of-bias columns after them.

The plot is 7 inches wide (the printed width) and a row is 0.24 inch, as ``forest_layout``'s page
size assumes. Columns start at their old proportions (left panel, plot, right panel as 4.8 : 2.2
: 2.3 with two data columns, 3.3 : 2.8 : 2.6 with one, 2.6 : 3.5 : 2.6 with none) and a panel
widens, and the figure with it, only where its text would not fit: text widths are estimates
(``textwidth``), so every column is anchored at the edge it aligns on and only the room between
columns depends on them. A study label wider than ``LABEL_ROOM`` is shortened with an ellipsis
(the study table beside the figure gives it whole) rather than shrinking the whole figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportgen.present.figures.forest_layout import ForestLayout

INCH = 72.0
ROW = 0.24 * INCH  # points per row unit of ``ForestLayout``
FIGURE_WIDTH = 7.0 * INCH  # without risk-of-bias columns and before any column widens
SIDE = 0.07 * INCH  # margin left and right
TOP = 18.0  # above the column titles
FONT_SIZE = 8.5
GAP = 8.0  # least room between two text columns
LABEL_ROOM = 3.0 * INCH  # widest study label shown whole
PANEL_SPACE = 0.02  # between panels, as a share of the mean panel width
RATIOS = {0: (2.6, 3.5, 2.6), 1: (3.3, 2.8, 2.6), 2: (4.8, 2.2, 2.3)}
COLUMN_RIGHTS = {0: (), 1: (0.98,), 2: (0.66, 0.99)}  # data columns' right edges, panel share
WEIGHT_LEFT = 0.02  # the weight column's left edge, share of the right panel
# Below the axis line, baselines in points: tick labels, the two lines of "favours" words, the
# axis title (lower when the favours words sit above it) and the heterogeneity line.
TICK = 3.0
TICK_LABEL = 11.5
FAVOURS = (18.5, 26.0)
AXIS_TITLE = 24.0
FAVOURS_ROOM = 14.0
HETEROGENEITY = 13.0  # below the axis title
BOTTOM = 8.0  # below the heterogeneity line
RULES_TOP = 0.5  # the reference lines start this many rows above the top study
ROWS_ABOVE = 1.0  # rows from the top study to the top of the row area (the titles at 0.9)
ROWS_BELOW = 0.7  # rows from the lowest row drawn to the axis line


@dataclass(frozen=True)
class Columns:
    """What the text columns must hold: the widest text of each, in points."""

    label: float  # study labels, the pooled row's method, "Study"
    data: tuple[float, ...]  # each data column: header, cells, total
    weight: float
    interval: float


def axis_share(value: float, low: float, high: float, log: bool) -> float:
    """Where ``value`` lies along an axis from ``low`` to ``high`` (log for ratios), as a share
    from 0 to 1, clipped to the axis ends: the one mapping of every forest plot drawing (the
    figure, the PDF's forest table, the overview)."""
    value = min(max(value, low), high)
    if log:
        return math.log(value / low) / math.log(high / low)
    return (value - low) / (high - low)


@dataclass(frozen=True)
class Frame:
    """A forest plot's geometry in points (SVG user units, y downwards): ``y(row)`` for a row
    of the layout, ``x(value)`` for a value on the x axis (clipped to the axis), the columns'
    anchors, the axis line (``axis_y``) and the figure's size."""

    width: float
    height: float
    top_row: float  # the layout row at the top edge of the row area
    left: float  # study labels' left edge
    data_right: tuple[float, ...]  # data columns' right edges
    left_panel_right: float  # where text spanning the left panel must end
    plot_left: float
    plot_right: float
    weight_left: float
    interval_right: float
    rob_left: float  # first risk-of-bias column's left edge
    axis_y: float
    low: float
    high: float
    log: bool
    favours: bool

    def y(self, row: float) -> float:
        return TOP + (self.top_row - row) * ROW

    def baseline(self, row: float, size: float = FONT_SIZE) -> float:
        """The baseline that centres a line of capitals and digits on ``row``."""
        return self.y(row) + 0.36 * size

    def x(self, value: float) -> float:
        """``value`` on the axis (log for ratios), clipped to the axis ends."""
        share = axis_share(value, self.low, self.high, self.log)
        return self.plot_left + share * (self.plot_right - self.plot_left)

    def clipped(self, value: float) -> bool:
        return not self.low <= value <= self.high

    @property
    def axis_title_y(self) -> float:
        return self.axis_y + AXIS_TITLE + (FAVOURS_ROOM if self.favours else 0.0)

    @property
    def heterogeneity_y(self) -> float:
        return self.axis_title_y + HETEROGENEITY


def panel_widths(n_columns: int) -> tuple[float, float, float, float]:
    """Default widths of the left panel, the plot and the right panel, and the space between
    panels (a gridspec's arithmetic: equal cells shared by the ratios, spaces a share of one)."""
    ratios = RATIOS[n_columns]
    usable = FIGURE_WIDTH - 2 * SIDE
    cell = usable / (len(ratios) + PANEL_SPACE * (len(ratios) - 1))
    total = cell * len(ratios)
    left, plot, right = (total * r / sum(ratios) for r in ratios)
    return left, plot, right, PANEL_SPACE * cell


def make_frame(
    layout: ForestLayout,
    columns: Columns,
    axis: tuple[float, float, bool],
    favours: bool,
    rob_width: float,
) -> Frame:
    """The frame of one plot (or part): ``axis`` is (low, high, log) from ``x_axis``;
    ``rob_width``: points the risk-of-bias columns need at the right (0 without)."""
    left_width, plot_width, right_width, space = panel_widths(len(columns.data))
    left = SIDE
    # Data columns keep their proportional place unless the text left of them needs more room.
    rights, used, shift = [], left + min(columns.label, LABEL_ROOM), 0.0
    for share, width in zip(COLUMN_RIGHTS[len(columns.data)], columns.data, strict=True):
        default = left + share * left_width
        right = max(default + shift, used + GAP + width)
        shift, used = right - default, right
        rights.append(right)
    if not columns.data:
        shift = max(0.0, used + GAP - (left + left_width))
    plot_left = left + left_width + shift + space
    plot_right = plot_left + plot_width
    weight_left = plot_right + space + WEIGHT_LEFT * right_width
    interval_right = max(
        plot_right + space + right_width, weight_left + columns.weight + GAP + columns.interval
    )
    top_row = layout.top + ROWS_ABOVE
    axis_y = TOP + (top_row - (layout.bottom - ROWS_BELOW)) * ROW
    height = axis_y + AXIS_TITLE + (FAVOURS_ROOM if favours else 0.0) + HETEROGENEITY + BOTTOM
    width = interval_right + SIDE + rob_width
    return Frame(
        width=width,
        height=height,
        top_row=top_row,
        left=left,
        data_right=tuple(rights),
        left_panel_right=plot_left - space,
        plot_left=plot_left,
        plot_right=plot_right,
        weight_left=weight_left,
        interval_right=interval_right,
        rob_left=interval_right + SIDE,
        axis_y=axis_y,
        low=axis[0],
        high=axis[1],
        log=axis[2],
        favours=favours,
    )
