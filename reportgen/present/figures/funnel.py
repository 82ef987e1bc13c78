"""Funnel plots: effect sizes against standard errors, with pseudo 95% limits and the studies
that trim and fill imputed, drawn in the same style as the forest plots (``style``)."""

from __future__ import annotations

import numpy as np

from reportgen.present.figures.style import GRID_COLOUR, INK, RC_PARAMS, SQUARE_COLOUR, svg_text
from reportgen.stats.analysis import OutcomeResult


def funnel_plot_svg(result: OutcomeResult) -> str:
    """Funnel plot: effect sizes (analysis scale) against standard error, with pseudo 95%
    limits around the pooled estimate; studies imputed by trim and fill as open circles."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    small = result.small_study
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
            axis.legend(frameon=False, fontsize=7.5, loc="lower right")
        axis.set_ylim(top, 0)
        axis.set_ylabel("Standard error")
        axis.set_xlabel(f"Effect size ({result.outcome.measure} scale)")
        for side in ("right", "top"):
            axis.spines[side].set_visible(False)
        figure.tight_layout()
        return svg_text(figure)
