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
from reportgen.present.figures.svgwriter import circle, group, text

if TYPE_CHECKING:
    from reportgen.present.figures.forest_geometry import Frame
    from reportgen.stats.analysis import OutcomeResult

COLUMN = 0.25 * 72  # points: one judgement column
MARGIN = 0.12 * 72  # points between the interval column and the first judgement
RADIUS = 4.0  # points: a circle 8 points across
HEADER_SIZE = 7.5
SYMBOL_SIZE = 7.0
OVERALL_HEADER = "O"  # short, like D1 ... Dn; the caption and the appendix say what it is


def rob_width(marks: dict[str, tuple[str, ...]]) -> float:
    """Points the columns need (0 without judgements)."""
    if not marks:
        return 0.0
    columns = len(next(iter(marks.values())))
    return MARGIN + COLUMN * columns


def rob_columns(
    frame: Frame,
    result: OutcomeResult,
    layout: ForestLayout,
    marks: dict[str, tuple[str, ...]],
    header_row: float,
) -> tuple[list[str], list[str]]:
    """The judgement columns right of ``frame.rob_left``: circles (shapes) and their column
    titles and symbols (texts); ``marks``: study id -> judgement codes (D1 ... Dn, overall).
    Studies without a judgement get an empty cell."""
    columns = len(next(iter(marks.values())))
    centres = [frame.rob_left + MARGIN + COLUMN * (c + 0.5) for c in range(columns)]
    header_y = frame.baseline(header_row, HEADER_SIZE)
    texts = [
        text(x, header_y, OVERALL_HEADER if c == columns - 1 else f"D{c + 1}", **_HEADER)
        for c, x in enumerate(centres)
    ]
    shapes = []
    for index, row in zip(layout.study_index, layout.study_rows, strict=True):
        judgements = marks.get(result.studies[index].id)
        if judgements is None:
            continue
        y, baseline = frame.y(row), frame.baseline(row, SYMBOL_SIZE)
        for x, judgement in zip(centres, judgements, strict=False):
            fill, symbol, ink = MARKS[judgement]
            shapes.append(circle(x, y, RADIUS, fill=fill))
            texts.append(text(x, baseline, symbol, fill=ink, **_SYMBOL))
    return [group(shapes, stroke=INK, stroke_width=0.5)], texts


_HEADER: dict[str, str | float] = {
    "text_anchor": "middle",
    "font_weight": "bold",
    "font_size": HEADER_SIZE,
}
_SYMBOL: dict[str, str | float] = {
    "text_anchor": "middle",
    "font_weight": "bold",
    "font_size": SYMBOL_SIZE,
}
