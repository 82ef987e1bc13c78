"""Funnel plots: effect sizes against standard errors, with pseudo 95% limits and the studies
that trim and fill imputed, drawn in the same style as the forest plots (``style``)."""

from __future__ import annotations

import numpy as np

from reportgen.present.figures.style import GRID_COLOUR, INK, RC_PARAMS, SQUARE_COLOUR, svg_text
from reportgen.present.format import MEASURES
from reportgen.stats.analysis import OutcomeResult

RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def _x_scale(axis, result: OutcomeResult) -> None:
    """Label the x axis on the scale drawn: ratios are drawn as logs and labelled as ratios
    (ticks at 0.1, 0.2, 0.5, 1, ...); other measures say which transformed scale is shown."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "ratio":
        low, high = axis.get_xlim()
        ticks = [t for t in RATIO_TICKS if low <= np.log(t) <= high]
        if len(ticks) > 6:
            ticks = [t for t in ticks if t in (0.01, 0.1, 0.5, 1, 2, 10, 100)]
        axis.set_xticks([float(np.log(t)) for t in ticks])
        axis.set_xticklabels([f"{t:g}" for t in ticks])
        axis.set_xlabel(f"{display.name.capitalize()} (log scale)")
    else:
        axis.set_xlabel(display.name.capitalize())


def funnel_plot_svg(result: OutcomeResult) -> str:
    """Funnel plot: effect sizes (analysis scale) against standard error, with pseudo 95%
    limits around the pooled estimate; studies imputed by trim and fill as open circles."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    small = result.small_study
    if small is None:
        raise ValueError(
            f"outcome '{result.outcome.id}' has no small-study analysis to draw a funnel plot from"
        )
    yi = np.array([s.yi for s in result.studies])
    se = np.sqrt([s.vi for s in result.studies])
    filled_yi = np.array(small.trimfill.filled_yi)
    filled_se = np.sqrt(small.trimfill.filled_vi)
    with matplotlib.rc_context(RC_PARAMS):
        figure = Figure(figsize=(4.6, 3.4))
        FigureCanvasSVG(figure)
        axis = figure.add_subplot(1, 1, 1)
        top = float(max(se.max(), filled_se.max() if filled_se.size else 0)) * 1.05
        centre = result.model.estimate
        axis.plot(
            [centre - 1.96 * top, centre, centre + 1.96 * top],
            [top, 0, top],
            color=GRID_COLOUR,
            linestyle=(0, (3, 2)),
            linewidth=0.8,
        )
        axis.axvline(centre, color=INK, linewidth=0.8)
        axis.scatter(
            yi,
            se,
            s=22,
            color=SQUARE_COLOUR,
            edgecolors=INK,
            linewidths=0.5,
            label="Study",
            zorder=3,
        )
        if filled_yi.size:
            axis.scatter(
                filled_yi,
                filled_se,
                s=22,
                facecolors="white",
                edgecolors=INK,
                linewidths=0.8,
                label="Imputed by trim and fill",
                zorder=3,
            )
            # Above the plot, clear of the points.
            axis.legend(
                frameon=False,
                fontsize=7.5,
                loc="lower left",
                bbox_to_anchor=(0.0, 1.01),
                ncol=2,
                borderaxespad=0.0,
            )
        axis.set_ylim(top, 0)
        axis.set_ylabel("Standard error")
        _x_scale(axis, result)
        for side in ("right", "top"):
            axis.spines[side].set_visible(False)
        figure.tight_layout()
        return svg_text(figure)
