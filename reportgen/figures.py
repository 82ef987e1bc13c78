"""Forest plots drawn from results, as SVG text.

Built on a bare ``matplotlib.figure.Figure`` (no pyplot state, safe in parallel builds) and saved
deterministically: a fixed SVG hash salt and no date in the metadata. Text stays SVG text (so it
can be selected and searched, and the PDF renders in half the time of text drawn as paths);
columns are anchored left or right, so alignment holds if a viewer substitutes the font.
Designed for black-and-white printing: squares, lines and the diamond are dark on white, and the
prediction interval is a distinct bar.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from .analysis import OutcomeResult
from .formatting import SHORT_METHOD_NAMES, heterogeneity_line, number, percent_value

ROW_HEIGHT_INCHES = 0.26
FIGURE_WIDTH_INCHES = 7.0
INK = "#1a1a1a"
SQUARE_COLOUR = "#3d4f63"
DIAMOND_COLOUR = "#1f3a5f"
GRID_COLOUR = "#b0b0b0"
MAX_MARKER_AREA = 160.0  # points^2 for the heaviest study
MIN_MARKER_AREA = 10.0


@dataclass(frozen=True)
class ForestLayout:
    """Row positions of a forest plot, exposed so tests can check structure, not pixels."""

    study_rows: tuple[float, ...]
    pooled_row: float
    prediction_row: float | None
    marker_areas: tuple[float, ...]


def forest_layout(result: OutcomeResult) -> ForestLayout:
    """Rows top to bottom: one per study, then the pooled diamond, then the prediction interval.

    Square areas are proportional to the study weights (the largest at ``MAX_MARKER_AREA``).
    """
    k = result.k
    study_rows = tuple(float(k - i) for i in range(k))
    heaviest = max(s.weight for s in result.studies)
    areas = tuple(
        max(MIN_MARKER_AREA, MAX_MARKER_AREA * s.weight / heaviest) for s in result.studies
    )
    has_prediction = result.outcome.method != "FE" and result.k > 1
    return ForestLayout(study_rows, -0.5, -1.5 if has_prediction else None, areas)


def _ci_text(estimate: float, lower: float, upper: float) -> str:
    return f"{percent_value(estimate)} [{percent_value(lower)}, {percent_value(upper)}]"


def forest_plot_svg(result: OutcomeResult) -> str:
    """Draw the forest plot of one outcome and return it as an SVG document (text)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    layout = forest_layout(result)
    bottom = layout.prediction_row if layout.prediction_row is not None else layout.pooled_row
    n_rows = result.k + (3 if layout.prediction_row is not None else 2) + 1.4
    height = ROW_HEIGHT_INCHES * n_rows + 0.55
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "reportgen",
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 8.5,
            "axes.linewidth": 0.8,
        }
    ):
        figure = Figure(figsize=(FIGURE_WIDTH_INCHES, height))
        FigureCanvasSVG(figure)
        grid = figure.add_gridspec(
            1,
            3,
            width_ratios=[3.1, 3.0, 2.6],
            wspace=0.02,
            left=0.01,
            right=0.99,
            top=1 - 0.3 / height,
            bottom=0.62 / height,
        )
        left = figure.add_subplot(grid[0, 0])
        plot = figure.add_subplot(grid[0, 1], sharey=left)
        right = figure.add_subplot(grid[0, 2], sharey=left)
        y_top = result.k + 1.0
        y_bottom = bottom - 0.7
        for axis in (left, right):
            axis.set_xlim(0, 1)
            axis.axis("off")
        left.set_ylim(y_bottom, y_top)

        header_y = result.k + 0.9
        left.text(0.0, header_y, "Study", weight="bold", va="center")
        left.text(0.98, header_y, "Events / total", weight="bold", va="center", ha="right")
        right.text(0.02, header_y, "Weight", weight="bold", va="center")
        right.text(1.0, header_y, "% [95% CI]", weight="bold", va="center", ha="right")

        for study, y, area in zip(
            result.studies, layout.study_rows, layout.marker_areas, strict=True
        ):
            left.text(0.0, y, study.label, va="center")
            left.text(0.98, y, f"{study.events} / {study.total}", va="center", ha="right")
            right.text(0.02, y, f"{number(study.weight, 1)}%", va="center")
            right.text(
                1.0,
                y,
                _ci_text(study.estimate, study.ci_lower, study.ci_upper),
                va="center",
                ha="right",
            )
            plot.plot(
                [study.ci_lower, study.ci_upper],
                [y, y],
                color=INK,
                linewidth=0.9,
                solid_capstyle="butt",
            )
            plot.scatter(
                [study.estimate],
                [y],
                s=area,
                marker="s",
                color=SQUARE_COLOUR,
                edgecolors=INK,
                linewidths=0.5,
                zorder=3,
            )

        pooled = result.pooled
        y = layout.pooled_row
        plot.fill(
            [pooled.ci_lower, pooled.estimate, pooled.ci_upper, pooled.estimate],
            [y, y + 0.32, y, y - 0.32],
            color=DIAMOND_COLOUR,
            edgecolor=INK,
            linewidth=0.6,
            zorder=3,
        )
        plot.axvline(
            pooled.estimate, color=GRID_COLOUR, linestyle=(0, (3, 2)), linewidth=0.7, zorder=1
        )
        left.text(0.0, y, SHORT_METHOD_NAMES[result.outcome.method], weight="bold", va="center")
        left.text(
            0.98,
            y,
            f"{result.events} / {result.participants}",
            weight="bold",
            va="center",
            ha="right",
        )
        right.text(0.02, y, "100%", weight="bold", va="center")
        right.text(
            1.0,
            y,
            _ci_text(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
            weight="bold",
            va="center",
            ha="right",
        )
        if layout.prediction_row is not None:
            y = layout.prediction_row
            plot.plot(
                [pooled.pi_lower, pooled.pi_upper],
                [y, y],
                color=INK,
                linewidth=2.2,
                solid_capstyle="butt",
            )
            plot.plot([pooled.pi_lower] * 2, [y - 0.2, y + 0.2], color=INK, linewidth=0.9)
            plot.plot([pooled.pi_upper] * 2, [y - 0.2, y + 0.2], color=INK, linewidth=0.9)
            left.text(0.0, y, "95% prediction interval", va="center", style="italic")
            right.text(
                1.0,
                y,
                f"[{percent_value(pooled.pi_lower)}, {percent_value(pooled.pi_upper)}]",
                va="center",
                ha="right",
                style="italic",
            )

        plot.set_xlim(0, 1)
        plot.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        plot.set_xticklabels(["0", "20", "40", "60", "80", "100"])
        plot.set_xlabel(f"{result.outcome.label} (%)", labelpad=3)
        plot.tick_params(axis="y", left=False, labelleft=False)
        plot.tick_params(axis="x", length=3, pad=2)
        for side in ("left", "right", "top"):
            plot.spines[side].set_visible(False)
        plot.spines["bottom"].set_bounds(0, 1)
        plot.set_ylim(y_bottom, y_top)
        figure.text(
            0.01,
            0.12 / height,
            heterogeneity_line(result.model),
            fontsize=8,
            ha="left",
            va="bottom",
        )
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
