"""Forest plots drawn from results, as SVG text (rows and columns: ``forest_layout``; funnel
plots: ``funnel``).

Built on a bare ``matplotlib.figure.Figure`` (no pyplot state, safe in parallel builds) and saved
deterministically: a fixed SVG hash salt and no date in the metadata. Text stays SVG text (so it
can be selected and searched, and the PDF renders in half the time of text drawn as paths);
columns are anchored left or right, so alignment holds if a viewer substitutes the font.
Designed for black-and-white printing: squares, lines and diamonds are dark on white, and the
prediction interval is a distinct bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen.present.figures.forest_layout import (
    MAX_MARKER_AREA,
    ForestLayout,
    ForestPart,
    data_columns,
    favours_labels,
    forest_layout,
    forest_parts,
    x_axis,
)
from reportgen.present.figures.forest_rob import MARGIN_INCHES, draw_rob_columns, rob_width
from reportgen.present.figures.funnel import funnel_plot_svg
from reportgen.present.figures.style import (
    DIAMOND_COLOUR,
    GRID_COLOUR,
    INK,
    RC_PARAMS,
    SQUARE_COLOUR,
    svg_text,
)
from reportgen.present.figures.svgclean import stack_svgs
from reportgen.present.format import (
    MEASURES,
    RATE_PER,
    SHORT_METHOD_NAMES,
    effect_value,
    heterogeneity_line,
    level_label,
    number,
)
from reportgen.stats.analysis import OutcomeResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
ROW_HEIGHT_INCHES = 0.24
FIGURE_WIDTH_INCHES = 7.0


@dataclass(frozen=True)
class _Panels:
    """The three panels of a forest plot (data columns, the plot, weights and intervals) and the
    x range of the plot, which drawing clips to."""

    left: Axes
    plot: Axes
    right: Axes
    column_x: list[float]
    measure: str
    low: float
    high: float

    def clip(self, value: float) -> float:
        return min(max(value, self.low), self.high)

    def ci_text(self, estimate: float, lower: float, upper: float) -> str:
        m = self.measure
        return f"{effect_value(estimate, m)} [{effect_value(lower, m)}, {effect_value(upper, m)}]"

    def diamond(self, y: float, estimate: float, lower: float, upper: float, size: float) -> None:
        xs = [self.clip(v) for v in (lower, estimate, upper, estimate)]
        self.plot.fill(
            xs,
            [y, y + size, y, y - size],
            color=DIAMOND_COLOUR,
            edgecolor=INK,
            linewidth=0.6,
            zorder=3,
        )


def forest_plot_svg(
    result: OutcomeResult, part: ForestPart | None = None, rob: Marks | None = None
) -> str:
    """Draw the forest plot of one outcome (or one page-sized ``part`` of it: the column titles
    and the axis on every part, the overall rows and heterogeneity on the last) and return it
    as an SVG document (text). ``rob``: risk-of-bias judgements by study id, drawn as columns
    at the right (``forest_rob``)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    layout = forest_layout(result, part)
    headers, cells, pooled_cells = data_columns(result)
    low, high, ticks, tick_labels, log_axis = x_axis(result)
    pooled_row = layout.pooled_row  # set on the last part only
    n_rows = layout.top - layout.bottom + 2.4
    extra = 0.3 if favours_labels(result) else 0.0  # room for the "favours" line
    height = ROW_HEIGHT_INCHES * n_rows + 0.55 + extra
    y_limits = (layout.bottom - 0.7, layout.top + 1.0)
    width = FIGURE_WIDTH_INCHES + rob_width(rob or {})
    with matplotlib.rc_context(RC_PARAMS):
        figure = Figure(figsize=(width, height))
        FigureCanvasSVG(figure)
        panels = _panels(figure, height, len(headers), result.outcome.measure, low, high, extra)
        panels.left.set_ylim(*y_limits)
        _draw_headers(panels, headers, layout.top + 0.9, result.model.level)
        if rob:
            box = panels.left.get_position()
            left = (FIGURE_WIDTH_INCHES + MARGIN_INCHES) / width
            area = (left, box.y0, 0.995 - left, box.height)
            draw_rob_columns(figure, panels.left, result, layout, rob, area, layout.top + 0.9)
        _draw_studies(panels, result, layout, cells)
        if result.subgroups is not None:
            _draw_subgroups(panels, result, layout)
        _draw_reference_lines(panels, result)
        if pooled_row is not None:
            _draw_pooled(panels, result, pooled_row, pooled_cells)
        if layout.prediction_row is not None:
            _draw_prediction(panels, result, layout.prediction_row)
        _draw_axis(panels, result, ticks, tick_labels, log_axis, y_limits)
        if pooled_row is not None:
            figure.text(
                0.01,
                0.12 / height,
                heterogeneity_line(result.model),
                fontsize=8,
                ha="left",
                va="bottom",
            )
        return svg_text(figure)


def forest_print_parts(result: OutcomeResult, rob: Marks | None = None) -> tuple[str, ...]:
    """The plot in page-sized parts for print (``forest_parts``), as SVG documents; empty when
    the whole plot fits on one page."""
    parts = forest_parts(result)
    if len(parts) == 1:
        return ()
    return tuple(forest_plot_svg(result, part, rob) for part in parts)


def _panels(
    figure: Figure,
    height: float,
    n_columns: int,
    measure: str,
    low: float,
    high: float,
    extra: float = 0.0,
) -> _Panels:
    # Two arm columns need a wider left panel; generic data have none.
    ratios = {0: [2.6, 3.5, 2.6], 1: [3.3, 2.8, 2.6], 2: [4.8, 2.2, 2.3]}[n_columns]
    inches = figure.get_figwidth()  # wider than the plot when risk-of-bias columns follow
    grid = figure.add_gridspec(
        1,
        3,
        width_ratios=ratios,
        wspace=0.02,
        left=0.07 / inches,
        right=(FIGURE_WIDTH_INCHES - 0.07) / inches,
        top=1 - 0.3 / height,
        bottom=(0.62 + extra) / height,
    )
    left = figure.add_subplot(grid[0, 0])
    plot = figure.add_subplot(grid[0, 1], sharey=left)
    right = figure.add_subplot(grid[0, 2], sharey=left)
    for axis in (left, right):
        axis.set_xlim(0, 1)
        axis.axis("off")
    column_x = [0.98] if n_columns == 1 else [0.66, 0.99]
    return _Panels(left, plot, right, column_x, measure, low, high)


def _draw_headers(panels: _Panels, headers: list[str], y: float, level: float = 95) -> None:
    left, right = panels.left, panels.right
    left.text(0.0, y, "Study", weight="bold", va="center")
    for x, header in zip(panels.column_x, headers, strict=False):
        left.text(x, y, header, weight="bold", va="center", ha="right")
    right.text(0.02, y, "Weight", weight="bold", va="center")
    short = MEASURES[panels.measure].short
    right.text(1.0, y, f"{short} [{level_label(level)} CI]", weight="bold", va="center", ha="right")


def _draw_studies(
    panels: _Panels, result: OutcomeResult, layout: ForestLayout, cells: list[list[str]]
) -> None:
    """One row per study: label and data cells, weight and interval as text; the lines and the
    squares of all studies as one collection each (two SVG groups, not one per study)."""
    from matplotlib.collections import LineCollection

    left, plot, right = panels.left, panels.plot, panels.right
    studies = [result.studies[i] for i in layout.study_index]
    for index, study, y in zip(layout.study_index, studies, layout.study_rows, strict=True):
        left.text(0.0, y, study.label, va="center")
        for x, cell in zip(panels.column_x, cells[index], strict=False):
            left.text(x, y, cell, va="center", ha="right")
        right.text(0.02, y, f"{number(study.weight, 1)}%", va="center")
        right.text(
            1.0,
            y,
            panels.ci_text(study.estimate, study.ci_lower, study.ci_upper),
            va="center",
            ha="right",
        )
    segments = [
        ((panels.clip(s.ci_lower), y), (panels.clip(s.ci_upper), y))
        for s, y in zip(studies, layout.study_rows, strict=True)
    ]
    lines = LineCollection(segments, colors=INK, linewidths=0.9, capstyle="butt", zorder=2)
    plot.add_collection(lines)
    plot.scatter(
        [panels.clip(s.estimate) for s in studies],
        layout.study_rows,
        s=layout.marker_areas,
        marker="s",
        color=SQUARE_COLOUR,
        edgecolors=INK,
        linewidths=0.5,
        zorder=3,
    )


def _draw_subgroups(panels: _Panels, result: OutcomeResult, layout: ForestLayout) -> None:
    """Each subgroup's header row (again, marked continued, on a later part) and, below its
    studies, its diamond."""
    if result.subgroups is None:
        return
    groups = result.subgroups.groups
    variable = result.subgroups.variable
    for (index, continued), header_y in zip(layout.header_groups, layout.header_rows, strict=True):
        label = f"{variable}: {groups[index].label}" + (" (continued)" if continued else "")
        panels.left.text(0.0, header_y, label, weight="bold", va="center", style="italic")
    for index, diamond_y in zip(layout.subgroup_groups, layout.subgroup_rows, strict=True):
        group = groups[index]
        panels.left.text(0.0, diamond_y, f"Subgroup, k = {group.k}", va="center")
        pooled = group.pooled
        panels.right.text(
            1.0,
            diamond_y,
            panels.ci_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
            va="center",
            ha="right",
        )
        panels.diamond(diamond_y, pooled.estimate, pooled.ci_lower, pooled.ci_upper, 0.25)


def _draw_reference_lines(panels: _Panels, result: OutcomeResult) -> None:
    """A dashed line at the overall estimate and the line of no effect, on every part."""
    panels.plot.axvline(
        panels.clip(result.pooled.estimate),
        color=GRID_COLOUR,
        linestyle=(0, (3, 2)),
        linewidth=0.7,
        zorder=1,
    )
    null = MEASURES[panels.measure].null
    if null is not None:
        panels.plot.axvline(null, color=INK, linewidth=0.8, zorder=1)


def _draw_pooled(panels: _Panels, result: OutcomeResult, y: float, pooled_cells: list[str]) -> None:
    """The overall diamond and the totals."""
    pooled = result.pooled
    left, right = panels.left, panels.right
    panels.diamond(y, pooled.estimate, pooled.ci_lower, pooled.ci_upper, 0.32)
    left.text(0.0, y, SHORT_METHOD_NAMES[result.outcome.method], weight="bold", va="center")
    for x, cell in zip(panels.column_x, pooled_cells, strict=False):
        left.text(x, y, cell, weight="bold", va="center", ha="right")
    right.text(0.02, y, "100%", weight="bold", va="center")
    right.text(
        1.0,
        y,
        panels.ci_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
        weight="bold",
        va="center",
        ha="right",
    )


def _draw_prediction(panels: _Panels, result: OutcomeResult, y: float) -> None:
    """The prediction interval (at the model's level): a thick bar with end ticks, in its own
    row."""
    pooled, measure = result.pooled, panels.measure
    pi = (panels.clip(pooled.pi_lower), panels.clip(pooled.pi_upper))
    panels.plot.plot(pi, [y, y], color=INK, linewidth=2.2, solid_capstyle="butt")
    for end in pi:
        panels.plot.plot([end, end], [y - 0.2, y + 0.2], color=INK, linewidth=0.9)
    label = f"{level_label(result.model.level)} prediction interval"
    panels.left.text(0.0, y, label, va="center", style="italic")
    panels.right.text(
        1.0,
        y,
        f"[{effect_value(pooled.pi_lower, measure)}, {effect_value(pooled.pi_upper, measure)}]",
        va="center",
        ha="right",
        style="italic",
    )


def _draw_axis(
    panels: _Panels,
    result: OutcomeResult,
    ticks: list[float],
    tick_labels: list[str],
    log_axis: bool,
    y_limits: tuple[float, float],
) -> None:
    """The x axis of the plot panel: scale, ticks, label; no y axis and no box."""
    plot, display = panels.plot, MEASURES[panels.measure]
    if log_axis:
        plot.set_xscale("log")
    plot.set_xlim(panels.low, panels.high)
    plot.set_xticks(ticks)
    plot.set_xticklabels(tick_labels)
    plot.minorticks_off()
    label = (
        f"{result.outcome.label} (%)"
        if display.scale == "proportion"
        else (f"{display.name.capitalize()}" + (" (log scale)" if log_axis else ""))
    )
    if display.scale == "rate":  # the axis shows rates whatever the pooling scale
        label = "Incidence rate"
    if display.per_time:  # rates and rate differences: per 1,000 of the outcome's time unit
        label += f" per {RATE_PER:,} {getattr(result.outcome, 'time_unit', '')}"
    favours = favours_labels(result)
    plot.set_xlabel(label, labelpad=24 if favours else 3)
    if favours:
        # Below the tick labels, either side of the line of no effect, on two lines each.
        for text, align, side in ((favours[0], "right", -1), (favours[1], "left", 1)):
            plot.annotate(
                text,
                xy=(display.null, 0),
                xycoords=("data", "axes fraction"),
                xytext=(4 * side, -13),
                textcoords="offset points",
                ha=align,
                va="top",
                fontsize=6.5,
                style="italic",
                linespacing=1.0,
            )
    plot.tick_params(axis="y", left=False, labelleft=False)
    plot.tick_params(axis="x", length=3, pad=2)
    for spine in ("left", "right", "top"):
        plot.spines[spine].set_visible(False)
    plot.set_ylim(*y_limits)


def draw_figures(
    results, rob: dict[str, Marks] | None = None
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Every figure of a report by file stem (``<outcome-id>``: forest plot, ``-funnel`` where
    small-study tests ran, ``-bubble-<n>``: one-moderator regressions), and the forest plots
    taller than a page in page-sized parts by outcome id. Drawn once: a split plot's figure is
    its parts stacked (``stack_svgs``). ``rob``: risk-of-bias marks by outcome id."""
    from reportgen.present.appendix_regression import draw_bubbles

    marks = rob or {}
    parts = {r.outcome.id: forest_print_parts(r, marks.get(r.outcome.id)) for r in results.outcomes}
    figures = {
        r.outcome.id: stack_svgs(parts[r.outcome.id])
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
