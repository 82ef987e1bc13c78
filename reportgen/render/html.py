"""HTML from the Jinja templates, and PDF printed from that HTML with WeasyPrint.

One Jinja environment, built once: autoescape on (editorial text cannot inject markup),
``StrictUndefined`` (a missing field is a bug, not a blank) and every filter registered in one
place. WeasyPrint gets a URL fetcher that serves only inline ``data:`` URLs, so a report can
never reach the network or read other files.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from reportgen.errors import ReportgenError
from reportgen.paths import templates_dir
from reportgen.present import format as formatting

REPORT_TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


def register_filters(environment: jinja2.Environment) -> None:
    """All template filters, in one place: display helpers from the formatting layer."""
    environment.filters.update(
        {
            "percent": formatting.percent,
            "number": formatting.number,
            "p_value": formatting.p_value,
            "natural_frequency": formatting.natural_frequency,
        }
    )


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    register_filters(env)
    return env


def render_html(context: dict[str, Any]) -> str:
    """Render the report page; the stylesheet is inlined so the file stands alone."""
    env = environment()
    # The stylesheet is our own file, not user input: it is marked safe so quotes survive.
    stylesheet = Markup((templates_dir() / STYLESHEET).read_text(encoding="utf-8"))
    return env.get_template(REPORT_TEMPLATE).render(**context, stylesheet=stylesheet)


def render_pdf(html: str) -> bytes:
    """Print the HTML to a tagged PDF (PDF/UA-1) with embedded fonts.

    The fetcher accepts only ``data:`` URLs and fails the build on anything else, so a report
    can neither reach the network nor read files named by an editor.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    from reportgen.render.pdftags import repair_structure

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    try:
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint: make it ours
        raise RefusedResource(f"the report tried to load an outside resource: {error}") from None
    return repair_structure(pdf)


class RefusedResource(ReportgenError):
    """The report referred to something other than inline data; nothing was fetched."""
