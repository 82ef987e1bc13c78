"""Bubble plots of meta-regressions on one continuous moderator (as metafor's ``regplot``): each
study's effect against the moderator, bubble area proportional to its weight in the model
(1 / (vi + tau2)), the fitted line with its confidence band, drawn in the forest plots' style.

Ratio measures are drawn on the log scale and labelled as ratios (ticks 0.1, 0.2, 0.5, 1, ...);
other measures on their analysis scale, named. The SVG carries a <title> and <desc> (the same
words as the alternative text in the report), so it stays accessible when opened alone.
"""

from __future__ import annotations

from html import escape

import numpy as np

from reportgen.present.figures.style import (
    DIAMOND_COLOUR,
    GRID_COLOUR,
    INK,
    RC_PARAMS,
    SQUARE_COLOUR,
    svg_text,
)
from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import measure_info
from reportgen.stats.regression_analysis import MetaRegression

RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
FINE_RATIO_TICKS = (0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2)
PERCENT_TICKS = (0.1, 0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9)
COARSE_PERCENT_TICKS = (0.1, 1, 5, 10, 20, 30, 50, 70, 80, 90, 95, 99, 99.9)
LINE_POINTS = 101  # where the fitted line and its band are evaluated
LARGEST_BUBBLE = 420.0  # area (points squared) of the study with the largest weight


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


def _y_scale(axis, result: OutcomeResult) -> None:
    """Label the y axis on the scale drawn: ratios are drawn as logs and labelled as ratios
    (0.1, 0.2, 0.5, 1, ...; finer ratios where the range is narrow); transformed proportions
    are labelled in percent at round percentages; differences as they are."""
    display = MEASURES[result.outcome.measure]
    low, high = axis.get_ylim()
    if display.scale == "ratio":
        ticks = [t for t in RATIO_TICKS if low <= np.log(t) <= high]
        if len(ticks) > 6:
            ticks = [t for t in ticks if t in (0.01, 0.1, 0.5, 1, 2, 10, 100)]
        if len(ticks) < 3:
            ticks = [t for t in FINE_RATIO_TICKS if low <= np.log(t) <= high]
        axis.set_yticks([float(np.log(t)) for t in ticks])
        axis.set_yticklabels([f"{t:g}" for t in ticks])
        axis.set_ylabel(f"{display.name.capitalize()} (log scale)")
    elif display.scale == "proportion" and result.outcome.measure != "PR":
        measure = measure_info(result.outcome.measure)
        n = result.back_transform_n
        with np.errstate(divide="ignore", invalid="ignore"):
            positions = measure.to_analysis(np.array(PERCENT_TICKS) / 100, n)
        placed = [(float(y), t) for y, t in zip(positions, PERCENT_TICKS, strict=True)]
        placed = [(y, t) for y, t in placed if np.isfinite(y) and low <= y <= high]
        if len(placed) > 8:
            placed = [(y, t) for y, t in placed if t in COARSE_PERCENT_TICKS]
        axis.set_yticks([y for y, _ in placed])
        axis.set_yticklabels([f"{t:g}%" for _, t in placed])
        axis.set_ylabel("Proportion (transformed scale)")
    else:
        axis.set_ylabel(display.name.capitalize())


def _with_title(svg: str, title: str, description: str) -> str:
    """The SVG with a <title> and <desc> as the first children of its root element."""
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    accessible = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    return svg[:end] + accessible + svg[end:]


def bubble_plot_svg(
    regression: MetaRegression, result: OutcomeResult, title: str, description: str
) -> str:
    """The bubble plot of a one-moderator continuous regression, as SVG text."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    if not regression.single_continuous():
        raise ValueError(f"'{regression.name}' is not a regression on one continuous moderator")
    data = bubble_points(regression, result)
    display = MEASURES[result.outcome.measure]
    with matplotlib.rc_context(RC_PARAMS):
        figure = Figure(figsize=(5.2, 3.6))
        FigureCanvasSVG(figure)
        axis = figure.add_subplot(1, 1, 1)
        axis.fill_between(
            data["grid"], data["lower"], data["upper"], color=GRID_COLOUR, alpha=0.35, linewidth=0
        )
        axis.plot(data["grid"], data["line"], color=DIAMOND_COLOUR, linewidth=1.4)
        axis.plot(data["grid"], data["lower"], color=INK, linewidth=0.6, linestyle=(0, (3, 2)))
        axis.plot(data["grid"], data["upper"], color=INK, linewidth=0.6, linestyle=(0, (3, 2)))
        if display.null is not None:
            null = float(np.log(display.null)) if display.scale == "ratio" else display.null
            axis.axhline(null, color=GRID_COLOUR, linewidth=0.8)
        axis.scatter(
            data["x"],
            data["y"],
            s=data["area"],
            color=SQUARE_COLOUR,
            alpha=0.75,
            edgecolors=INK,
            linewidths=0.5,
            zorder=3,
        )
        axis.set_xlabel(regression.name)
        _y_scale(axis, result)
        for side in ("right", "top"):
            axis.spines[side].set_visible(False)
        figure.tight_layout()
        return _with_title(svg_text(figure), title, description)
