"""The renderers: one module per output format, listed once in ``RENDERERS``.

The CLI's ``--format`` choices, the published file names, the manifest and the index page all
derive from this table; adding a format is one module here and one entry in the table. Each
module has ``render(view, rendered) -> bytes``, where ``rendered`` holds the outputs of the
formats before it (the PDF is printed from the HTML, which is rendered once).

Kept free of heavy imports: the no-op build path reads the table.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.present.view import ReportView


@dataclass(frozen=True)
class Renderer:
    format: str  # the --format name (contract)
    filename: str  # the published file (contract)
    label: str  # how the index page names the file
    module: str  # the module whose render(view, rendered) makes the bytes
    figures: bool  # shows the figures: they are drawn (and published) only for such formats

    def render(self, view: ReportView, rendered: dict[str, bytes]) -> bytes:
        output: bytes = importlib.import_module(self.module).render(view, rendered)
        return output


RENDERERS: dict[str, Renderer] = {
    renderer.format: renderer
    for renderer in (
        Renderer("html", "report.html", "HTML", "reportgen.render.html", figures=True),
        Renderer("pdf", "report.pdf", "PDF", "reportgen.render.pdf", figures=True),
        Renderer("json", "results.json", "JSON", "reportgen.render.json", figures=False),
        Renderer("docx", "report.docx", "Word", "reportgen.render.docx", figures=True),
        Renderer("csv", "results.csv", "CSV", "reportgen.render.csv", figures=False),
        Renderer("xlsx", "results.xlsx", "Excel", "reportgen.render.xlsx", figures=False),
    )
}
FORMATS = tuple(RENDERERS)
OUTPUT_FILES = {name: renderer.filename for name, renderer in RENDERERS.items()}


def needs_figures(formats: Iterable[str]) -> bool:
    """Whether any of ``formats`` shows figures (so that they must be drawn)."""
    return any(RENDERERS[name].figures for name in formats)


def render_formats(view: ReportView, formats: Iterable[str]) -> dict[str, bytes]:
    """The published files of ``formats`` (file name -> bytes), rendered in table order."""
    wanted = set(formats)
    rendered: dict[str, bytes] = {}
    files: dict[str, bytes] = {}
    for name, renderer in RENDERERS.items():
        if name in wanted:
            rendered[name] = renderer.render(view, rendered)
            files[renderer.filename] = rendered[name]
    return files
