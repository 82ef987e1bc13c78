"""The printed overview of a very large forest plot: every study on one page, sorted by result.

A forest plot of k studies needs about k / 32 printed pages (``forest_layout.PAGE_ROWS``); at
k = 1,000 that is 35 pages of labels the study table after the plot repeats, and most of a
large review's printing cost. From ``OVERVIEW_FROM_K`` studies on, the PDF prints this overview
in the plot's place (a "caterpillar plot": each study a horizontal line for its confidence
interval and a point for its result, sorted from lowest to highest, the pooled result as a
diamond below and a dotted line through it), followed by the full table of every study's
result; the HTML page and ``figures/<outcome-id>.svg`` keep the whole labelled plot.

Written as SVG text directly: all intervals are one path and all points another, so the figure
costs the same few elements to print whatever k is, and its size does not grow with k.
Intervals beyond the axis are cut at its ends (the table gives every interval in full).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from reportgen.present.figures.forest_geometry import axis_share
from reportgen.present.figures.forest_layout import favours_labels, x_axis
from reportgen.present.figures.style import DIAMOND_COLOUR, GRID_COLOUR, INK, SQUARE_COLOUR
from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult

OVERVIEW_FROM_K = 200  # studies; below it the labelled plot prints whole, in page-sized parts
WIDTH, HEIGHT = 520.0, 560.0  # CSS pixels: about the text width and two thirds of an A4 page
LEFT, RIGHT, TOP = 24.0, 24.0, 12.0
ROWS_HEIGHT = 440.0  # the band the studies share, however many there are
DIAMOND_HALF_HEIGHT = 7.0
FONT = 'font-family="DejaVu Sans, sans-serif" font-size="10"'


def needs_overview(result: OutcomeResult) -> bool:
    """Whether the outcome prints as an overview instead of its labelled plot."""
    return len(result.studies) >= OVERVIEW_FROM_K


def draw_overviews(results) -> dict[str, str]:
    """The overview of every outcome that needs one, by figure stem ``<outcome-id>-overview``
    (published beside the whole plot as ``figures/<outcome-id>-overview.svg``)."""
    return {
        f"{r.outcome.id}-overview": overview_svg(r) for r in results.outcomes if needs_overview(r)
    }


def overview_svg(result: OutcomeResult) -> str:
    """The overview of ``result``'s studies as an SVG document (see the module docstring).

    Edge cases: studies whose result or interval is not finite are left out of the lines (the
    table still lists them); a pooled result outside the axis is drawn at its end."""
    low, high, ticks, tick_labels, log_axis = x_axis(result)
    scale = _Scale(low, high, log_axis)
    finite = [
        s for s in result.studies if all(map(math.isfinite, (s.estimate, s.ci_lower, s.ci_upper)))
    ]
    studies = sorted(finite, key=lambda s: (s.estimate, s.label))
    step = ROWS_HEIGHT / max(len(studies), 1)
    line = min(1.0, 0.8 * step)
    intervals, points = [], []
    for row, study in enumerate(studies):
        y = TOP + (row + 0.5) * step
        intervals.append(f"M{scale.x(study.ci_lower):.1f} {y:.2f}H{scale.x(study.ci_upper):.1f}")
        points.append(f"{'M' if row == 0 else 'L'}{scale.x(study.estimate):.1f} {y:.2f}")
    pooled = result.pooled
    bottom = TOP + ROWS_HEIGHT
    diamond_y = bottom + 4 + DIAMOND_HALF_HEIGHT
    axis_y = diamond_y + DIAMOND_HALF_HEIGHT + 6
    parts = [
        _null_line(result, scale, axis_y),
        f'<path d="M{scale.x(pooled.estimate):.1f} {TOP:.1f}V{axis_y:.1f}" stroke="{INK}" '
        'stroke-width="0.8" stroke-dasharray="1 2" fill="none"/>',
        f'<path d="{"".join(intervals)}" stroke="{GRID_COLOUR}" stroke-width="{line:.2f}" '
        'fill="none"/>',
        f'<path d="{"".join(points)}" stroke="{SQUARE_COLOUR}" stroke-width="1.4" fill="none"/>',
        _diamond(scale, pooled.estimate, pooled.ci_lower, pooled.ci_upper, diamond_y),
        _axis(scale, ticks, tick_labels, axis_y),
        *_axis_labels(result, scale, axis_y),
    ]
    height = axis_y + 52
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:g}" '
        f'width="{WIDTH:g}" height="{height:g}" role="img">'
        f"<title>{escape(overview_alt(result))}</title>{''.join(parts)}</svg>"
    )


def overview_alt(result: OutcomeResult) -> str:
    """The overview's text alternative."""
    return (
        f"Overview of the forest plot of {result.outcome.label}: the {len(result.studies):,} "
        "studies sorted by their result, each a line for its confidence interval and a point "
        "for its result, with the pooled result as a diamond below."
    )


class _Scale:
    """Maps natural-scale values to x positions in the plot band (log axis for ratios)."""

    def __init__(self, low: float, high: float, log_axis: bool):
        self.low, self.high, self.log_axis = low, high, log_axis

    def x(self, value: float) -> float:
        share = axis_share(value, self.low, self.high, self.log_axis)
        return LEFT + share * (WIDTH - LEFT - RIGHT)


def _null_line(result: OutcomeResult, scale: _Scale, axis_y: float) -> str:
    null = MEASURES[result.outcome.measure].null
    if null is None:
        return ""
    return (
        f'<path d="M{scale.x(null):.1f} {TOP:.1f}V{axis_y:.1f}" stroke="{INK}" '
        'stroke-width="0.6" stroke-dasharray="3 2" fill="none"/>'
    )


def _diamond(scale: _Scale, estimate: float, lower: float, upper: float, y: float) -> str:
    left, centre, right = scale.x(lower), scale.x(estimate), scale.x(upper)
    h = DIAMOND_HALF_HEIGHT
    return (
        f'<path d="M{left:.1f} {y:.1f}L{centre:.1f} {y - h:.1f}L{right:.1f} {y:.1f}'
        f'L{centre:.1f} {y + h:.1f}Z" fill="{DIAMOND_COLOUR}" stroke="{INK}" stroke-width="0.6"/>'
    )


def _axis(scale: _Scale, ticks: list[float], labels: list[str], y: float) -> str:
    marks = "".join(f"M{scale.x(t):.1f} {y:.1f}v3" for t in ticks)
    texts = "".join(
        f'<text x="{scale.x(t):.1f}" y="{y + 13:.1f}" text-anchor="middle" {FONT}>'
        f"{escape(label)}</text>"
        for t, label in zip(ticks, labels, strict=True)
    )
    return (
        f'<path d="M{LEFT:g} {y:.1f}H{WIDTH - RIGHT:g}{marks}" stroke="{INK}" '
        f'stroke-width="0.8" fill="none"/>{texts}'
    )


def _axis_labels(result: OutcomeResult, scale: _Scale, y: float) -> list[str]:
    display = MEASURES[result.outcome.measure]
    name = f"{result.outcome.label} (%)" if display.scale == "proportion" else display.name
    label = f"{name[:1].upper()}{name[1:]}" + (" (log scale)" if scale.log_axis else "")
    texts = [
        f'<text x="{WIDTH / 2:g}" y="{y + 27:.1f}" text-anchor="middle" {FONT}>'
        f"{escape(label)}</text>"
    ]
    favours = favours_labels(result)
    if favours and display.null is not None:
        x = scale.x(display.null)
        for text, anchor, dx in ((favours[0], "end", -4), (favours[1], "start", 4)):
            texts.append(
                f'<text x="{x + dx:.1f}" y="{y + 41:.1f}" text-anchor="{anchor}" '
                f'font-style="italic" {FONT}>{escape(text.replace(chr(10), " "))}</text>'
            )
    return texts
