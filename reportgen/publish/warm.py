"""Warming a batch's parent process before it forks its local workers.

What every build needs once per process is done here, once, before the fork: the imports
(reportgen's stages, numpy, scipy, pydantic, Jinja and, for PDFs, WeasyPrint), the compiled
Jinja templates, the phrase tables and the figures' text widths. (Every figure is written as
SVG text without matplotlib, so none of it is loaded.) Forked workers then start ready instead
of each paying for it (in CPU, and again after every recycling), and share those pages with
the parent copy-on-write (``executors.LocalExecutor`` freezes the collector over them
meanwhile, so that it does not touch, and so copy, them in every worker).
"""

from __future__ import annotations

import importlib

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
    "reportgen.present.figures.funnel",
    "reportgen.present.figures.bubble",
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
