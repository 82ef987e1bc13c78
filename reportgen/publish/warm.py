"""Warming a batch's parent process before it forks its local workers.

What every build needs once per process is done here, once, before the fork: the imports
(reportgen's stages, numpy, scipy, pydantic, Jinja, matplotlib and, for PDFs, WeasyPrint), the
compiled Jinja templates, the phrase tables, the forest plots' text widths, matplotlib's font
cache and SVG backend. (Forest plots are written without matplotlib; the funnel and bubble plots
still draw with it, and in a batch many reports have the ten studies a funnel plot needs, so the
parent loads it once rather than every worker that meets one.) Forked
workers then start ready instead of each paying for it (in CPU, and again after every
recycling), and share those pages with the parent copy-on-write (``executors.LocalExecutor``
freezes the collector over them meanwhile, so that it does not touch, and so copy, them in every
worker).
"""

from __future__ import annotations

import importlib
import io

from reportgen.render import needs_figures

BUILD_MODULES = (
    "reportgen.publish.build",
    "reportgen.config.load",
    "reportgen.publish.locate",
    "reportgen.stats.analysis",
    "reportgen.interpret.findings",
    "reportgen.present.document",
    "reportgen.present.view",
    "reportgen.present.figures.forest",
    "reportgen.checks.summary",
    "reportgen.render.html",
    "reportgen.render.json",
    "reportgen.present.placeholders",
    "reportgen.config.peek",
    "jinja2.sandbox",  # editorial text's placeholders
    "scipy.optimize",  # GLMMs (0.15 s): once here rather than in every worker that meets one
)
FIGURE_MODULES = (
    "matplotlib.figure",  # funnel and bubble plots
    "matplotlib.backends.backend_svg",
)

__all__ = ["BUILD_MODULES", "warm"]


def warm(formats: tuple[str, ...]) -> None:
    """Import and initialise what building ``formats`` needs."""
    pdf = ("reportgen.render.pdf", "weasyprint") if "pdf" in formats else ()
    figures = FIGURE_MODULES if needs_figures(formats) else ()
    for name in (*BUILD_MODULES, *figures, *pdf):
        importlib.import_module(name)
    from reportgen.present.locale import locale

    locale()
    if "html" in formats or "pdf" in formats:
        from reportgen.render.html import environment

        templates = environment()
        for name in templates.list_templates(extensions=("j2",)):
            templates.get_template(name)
    if figures:
        from reportgen.present.figures.textwidth import text_width

        text_width("0.95 [0.80, 1.10]", 8.5)  # reads the advance table
        _draw_text()


def _draw_text() -> None:
    """Draw a line of text to SVG in matplotlib's figures' style: loads the font and its
    metrics."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    from reportgen.present.figures.style import RC_PARAMS

    with matplotlib.rc_context(RC_PARAMS):
        figure = Figure(figsize=(1, 1))
        FigureCanvasSVG(figure)
        figure.add_subplot().text(0.5, 0.5, "0.95 (0.80 to 1.10)")
        figure.savefig(io.StringIO(), format="svg")
