"""Forest plots drawn from results, as SVG text (funnel plots: ``funnel``).

Built on a bare ``matplotlib.figure.Figure`` (no pyplot state, safe in parallel builds) and saved
deterministically: a fixed SVG hash salt and no date in the metadata. Text stays SVG text (so it
can be selected and searched, and the PDF renders in half the time of text drawn as paths);
columns are anchored left or right, so alignment holds if a viewer substitutes the font.
Designed for black-and-white printing: squares, lines and diamonds are dark on white, and the
prediction interval is a distinct bar.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from reportgen.present.format import (
    MEASURES,
    SHORT_METHOD_NAMES,
    effect_value,
    heterogeneity_line,
    number,
)
from reportgen.stats.analysis import OutcomeResult, StudyResult
from reportgen.stats.measures import method_info

ROW_HEIGHT_INCHES = 0.24
FIGURE_WIDTH_INCHES = 7.0
INK = "#1a1a1a"
SQUARE_COLOUR = "#3d4f63"
DIAMOND_COLOUR = "#1f3a5f"
GRID_COLOUR = "#b0b0b0"
MAX_MARKER_AREA = 160.0  # points^2 for the heaviest study
MIN_MARKER_AREA = 10.0
RC_PARAMS = {
    "svg.hashsalt": "reportgen",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.linewidth": 0.8,
}


@dataclass(frozen=True)
class ForestLayout:
    """Row positions of a forest plot, exposed so tests can check structure, not pixels.

    ``study_rows`` follow the order of ``result.studies``; with subgroups, studies are grouped
    under a header row and each group ends with its own diamond (``subgroup_rows``)."""

    study_rows: tuple[float, ...]
    pooled_row: float
    prediction_row: float | None
    marker_areas: tuple[float, ...]
    header_rows: tuple[float, ...] = ()
    subgroup_rows: tuple[float, ...] = ()


def forest_layout(result: OutcomeResult) -> ForestLayout:
    """Rows top to bottom: the studies (grouped under subgroup headers, each group closed by its
    diamond), then the overall diamond, then the prediction interval."""
    heaviest = max(s.weight for s in result.studies)
    areas = tuple(
        max(MIN_MARKER_AREA, MAX_MARKER_AREA * s.weight / heaviest) for s in result.studies
    )
    study_rows = [0.0] * result.k
    headers, diamonds = [], []
    y = 0.0
    if result.subgroups is None:
        for i in range(result.k):
            study_rows[i] = y
            y -= 1
    else:
        for _group, members in _groups(result):
            headers.append(y)
            y -= 1
            for i in members:
                study_rows[i] = y
                y -= 1
            diamonds.append(y)
            y -= 1.4
    shift = -y  # put the last study row at 1, as a plain plot has it
    has_prediction = (
        result.model.tau2 is not None and method_info(result.outcome.method).random_effects
    )
    return ForestLayout(
        tuple(r + shift for r in study_rows),
        -0.5,
        -1.5 if has_prediction else None,
        areas,
        tuple(r + shift for r in headers),
        tuple(r + shift for r in diamonds),
    )


def _groups(result: OutcomeResult) -> list[tuple[object, list[int]]]:
    values = [result.study_groups[i] for i in range(result.k)]
    groups = []
    for group in result.subgroups.groups:
        groups.append((group, [i for i, v in enumerate(values) if v == group.label]))
    return groups


def _columns(result: OutcomeResult) -> tuple[list[str], list[list[str]], list[str]]:
    """Data columns left of the plot: headers, one row of cells per study, the pooled row."""
    kind = result.outcome.type
    studies = result.studies
    if kind == "proportion":
        cells = [[f"{s.data['events']} / {s.data['total']}"] for s in studies]
        return ["Events / total"], cells, [f"{result.events} / {result.participants}"]
    if kind == "binary":
        cells = [[_arm(s, "intervention"), _arm(s, "control")] for s in studies]
        totals = [
            f"{sum(s.data[arm]['events'] for s in studies)} / "
            f"{sum(s.data[arm]['total'] for s in studies)}"
            for arm in ("intervention", "control")
        ]
        return ["Intervention", "Control"], cells, totals
    if kind == "continuous":
        cells = [[str(s.data["intervention"]["n"]), str(s.data["control"]["n"])] for s in studies]
        totals = [
            str(sum(s.data[arm]["n"] for s in studies)) for arm in ("intervention", "control")
        ]
        return ["Intervention n", "Control n"], cells, totals
    return [], [[] for _ in studies], []


def _arm(study: StudyResult, arm: str) -> str:
    return f"{study.data[arm]['events']} / {study.data[arm]['total']}"


def _x_range(result: OutcomeResult) -> tuple[float, float, list[float], list[str], bool]:
    """Axis limits, ticks and tick labels on the natural scale; True for a log axis."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "proportion":
        ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        return 0.0, 1.0, ticks, ["0", "20", "40", "60", "80", "100"], False
    values = [v for s in result.studies for v in (s.ci_lower, s.ci_upper)]
    values += [result.pooled.pi_lower, result.pooled.pi_upper, display.null]
    values = [v for v in values if np.isfinite(v)]
    if display.scale == "ratio":
        low = max(min(values), 0.01)
        high = min(max(values), 100.0)
        candidates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
        ticks = [t for t in candidates if low / 1.3 <= t <= high * 1.3]
        low, high = min(low, ticks[0]), max(high, ticks[-1])
        return low / 1.1, high * 1.1, ticks, [f"{t:g}" for t in ticks], True
    low, high = min(values), max(values)
    pad = 0.05 * (high - low or 1.0)
    ticks = list(np.linspace(low, high, 5))
    return low - pad, high + pad, ticks, [number(t, 2) for t in ticks], False


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def forest_plot_svg(result: OutcomeResult) -> str:
    """Draw the forest plot of one outcome and return it as an SVG document (text)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    layout = forest_layout(result)
    headers, cells, pooled_cells = _columns(result)
    measure = result.outcome.measure
    display = MEASURES[measure]
    low, high, ticks, tick_labels, log_axis = _x_range(result)
    bottom = layout.prediction_row if layout.prediction_row is not None else layout.pooled_row
    top_row = max(layout.study_rows + layout.header_rows)
    n_rows = top_row - bottom + 2.4
    height = ROW_HEIGHT_INCHES * n_rows + 0.55
    with matplotlib.rc_context(RC_PARAMS):
        figure = Figure(figsize=(FIGURE_WIDTH_INCHES, height))
        FigureCanvasSVG(figure)
        # Two arm columns need a wider left panel; generic data have none.
        ratios = {0: [2.6, 3.5, 2.6], 1: [3.3, 2.8, 2.6], 2: [4.8, 2.2, 2.3]}[len(headers)]
        grid = figure.add_gridspec(
            1,
            3,
            width_ratios=ratios,
            wspace=0.02,
            left=0.01,
            right=0.99,
            top=1 - 0.3 / height,
            bottom=0.62 / height,
        )
        left = figure.add_subplot(grid[0, 0])
        plot = figure.add_subplot(grid[0, 1], sharey=left)
        right = figure.add_subplot(grid[0, 2], sharey=left)
        y_top = top_row + 1.0
        for axis in (left, right):
            axis.set_xlim(0, 1)
            axis.axis("off")
        left.set_ylim(bottom - 0.7, y_top)
        column_x = [0.98] if len(headers) == 1 else [0.70, 0.99]
        header_y = top_row + 0.9
        left.text(0.0, header_y, "Study", weight="bold", va="center")
        for x, header in zip(column_x, headers, strict=False):
            left.text(x, header_y, header, weight="bold", va="center", ha="right")
        right.text(0.02, header_y, "Weight", weight="bold", va="center")
        right.text(
            1.0, header_y, f"{display.short} [95% CI]", weight="bold", va="center", ha="right"
        )

        def ci_text(estimate: float, lower: float, upper: float) -> str:
            return (
                f"{effect_value(estimate, measure)} [{effect_value(lower, measure)}, "
                f"{effect_value(upper, measure)}]"
            )

        def diamond(y: float, estimate: float, lower: float, upper: float, size: float) -> None:
            xs = [_clip(v, low, high) for v in (lower, estimate, upper, estimate)]
            plot.fill(
                xs,
                [y, y + size, y, y - size],
                color=DIAMOND_COLOUR,
                edgecolor=INK,
                linewidth=0.6,
                zorder=3,
            )

        for index, (study, y, area) in enumerate(
            zip(result.studies, layout.study_rows, layout.marker_areas, strict=True)
        ):
            left.text(0.0, y, study.label, va="center")
            for x, cell in zip(column_x, cells[index], strict=False):
                left.text(x, y, cell, va="center", ha="right")
            right.text(0.02, y, f"{number(study.weight, 1)}%", va="center")
            right.text(
                1.0,
                y,
                ci_text(study.estimate, study.ci_lower, study.ci_upper),
                va="center",
                ha="right",
            )
            plot.plot(
                [_clip(study.ci_lower, low, high), _clip(study.ci_upper, low, high)],
                [y, y],
                color=INK,
                linewidth=0.9,
                solid_capstyle="butt",
            )
            plot.scatter(
                [_clip(study.estimate, low, high)],
                [y],
                s=area,
                marker="s",
                color=SQUARE_COLOUR,
                edgecolors=INK,
                linewidths=0.5,
                zorder=3,
            )

        if result.subgroups is not None:
            for (group, _members), header_y_row, diamond_y in zip(
                _groups(result), layout.header_rows, layout.subgroup_rows, strict=True
            ):
                left.text(
                    0.0,
                    header_y_row,
                    f"{result.subgroups.variable}: {group.label}",
                    weight="bold",
                    va="center",
                    style="italic",
                )
                left.text(0.0, diamond_y, f"Subgroup, k = {group.k}", va="center")
                pooled = group.pooled
                right.text(
                    1.0,
                    diamond_y,
                    ci_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
                    va="center",
                    ha="right",
                )
                diamond(diamond_y, pooled.estimate, pooled.ci_lower, pooled.ci_upper, 0.25)

        pooled = result.pooled
        y = layout.pooled_row
        diamond(y, pooled.estimate, pooled.ci_lower, pooled.ci_upper, 0.32)
        plot.axvline(
            _clip(pooled.estimate, low, high),
            color=GRID_COLOUR,
            linestyle=(0, (3, 2)),
            linewidth=0.7,
            zorder=1,
        )
        if display.null is not None:
            plot.axvline(display.null, color=INK, linewidth=0.8, zorder=1)
        left.text(0.0, y, SHORT_METHOD_NAMES[result.outcome.method], weight="bold", va="center")
        for x, cell in zip(column_x, pooled_cells, strict=False):
            left.text(x, y, cell, weight="bold", va="center", ha="right")
        right.text(0.02, y, "100%", weight="bold", va="center")
        right.text(
            1.0,
            y,
            ci_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
            weight="bold",
            va="center",
            ha="right",
        )
        if layout.prediction_row is not None:
            y = layout.prediction_row
            pi = (_clip(pooled.pi_lower, low, high), _clip(pooled.pi_upper, low, high))
            plot.plot(pi, [y, y], color=INK, linewidth=2.2, solid_capstyle="butt")
            for end in pi:
                plot.plot([end, end], [y - 0.2, y + 0.2], color=INK, linewidth=0.9)
            left.text(0.0, y, "95% prediction interval", va="center", style="italic")
            right.text(
                1.0,
                y,
                f"[{effect_value(pooled.pi_lower, measure)}, "
                f"{effect_value(pooled.pi_upper, measure)}]",
                va="center",
                ha="right",
                style="italic",
            )

        if log_axis:
            plot.set_xscale("log")
        plot.set_xlim(low, high)
        plot.set_xticks(ticks)
        plot.set_xticklabels(tick_labels)
        plot.minorticks_off()
        label = (
            f"{result.outcome.label} (%)"
            if display.scale == "proportion"
            else (f"{display.name.capitalize()}" + (" (log scale)" if log_axis else ""))
        )
        plot.set_xlabel(label, labelpad=3)
        plot.tick_params(axis="y", left=False, labelleft=False)
        plot.tick_params(axis="x", length=3, pad=2)
        for side in ("left", "right", "top"):
            plot.spines[side].set_visible(False)
        plot.set_ylim(bottom - 0.7, y_top)
        figure.text(
            0.01,
            0.12 / height,
            heterogeneity_line(result.model),
            fontsize=8,
            ha="left",
            va="bottom",
        )
        return svg_text(figure)


def draw_figures(results) -> dict[str, str]:
    """Every figure of a report, keyed by file stem: ``<outcome-id>`` for the forest plot and
    ``<outcome-id>-funnel`` where small-study tests ran."""
    from reportgen.present.figures.funnel import funnel_plot_svg

    figures = {r.outcome.id: forest_plot_svg(r) for r in results.outcomes}
    figures |= {
        f"{r.outcome.id}-funnel": funnel_plot_svg(r)
        for r in results.outcomes
        if r.small_study is not None
    }
    return figures


def svg_text(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
