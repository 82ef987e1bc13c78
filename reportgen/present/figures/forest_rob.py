"""Risk-of-bias columns at the right of a forest plot, as RevMan and robvis draw them: one
column per domain and one for the overall judgement, a circle per study on the study's row,
with the judgement's colour and its symbol (colour-blind-safe colours, symbols for readers who
cannot tell them apart; the same marks as the appendix's traffic-light plot).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.present.figures.forest_layout import ForestLayout
from reportgen.present.figures.risk_of_bias import MARKS
from reportgen.present.figures.style import INK

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from reportgen.stats.analysis import OutcomeResult

COLUMN_INCHES = 0.25  # one judgement column
MARGIN_INCHES = 0.12  # between the interval column and the first judgement
MARKER_AREA = 64.0  # points^2: a circle about 9 points across
OVERALL_HEADER = "O"  # short, like D1 ... Dn; the caption and the appendix say what it is


def rob_width(marks: dict[str, tuple[str, ...]]) -> float:
    """Inches the columns need (0 without judgements)."""
    if not marks:
        return 0.0
    columns = len(next(iter(marks.values())))
    return MARGIN_INCHES + COLUMN_INCHES * columns


def draw_rob_columns(
    figure: Figure,
    share_y,
    result: OutcomeResult,
    layout: ForestLayout,
    marks: dict[str, tuple[str, ...]],
    box: tuple[float, float, float, float],
    header_y: float,
) -> None:
    """Draw the judgement columns in ``box`` (figure fraction: left, bottom, width, height),
    rows shared with the axes ``share_y``; ``marks``: study id -> judgement codes (D1 ... Dn,
    overall). Studies without a judgement get an empty cell."""
    columns = len(next(iter(marks.values())))
    axis = figure.add_axes(box, sharey=share_y)
    axis.set_xlim(0, columns)
    axis.axis("off")
    for column in range(columns):
        header = OVERALL_HEADER if column == columns - 1 else f"D{column + 1}"
        axis.text(
            column + 0.5, header_y, header, weight="bold", fontsize=7.5, va="center", ha="center"
        )
    for index, y in zip(layout.study_index, layout.study_rows, strict=True):
        judgements = marks.get(result.studies[index].id)
        if judgements is None:
            continue
        for column, judgement in enumerate(judgements):
            fill, symbol, ink = MARKS[judgement]
            axis.scatter(
                [column + 0.5],
                [y],
                s=MARKER_AREA,
                color=fill,
                edgecolors=INK,
                linewidths=0.5,
                zorder=3,
            )
            axis.text(
                column + 0.5,
                y,
                symbol,
                color=ink,
                fontsize=7,
                weight="bold",
                va="center",
                ha="center",
                zorder=4,
            )
