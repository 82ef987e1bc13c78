"""The PDF: the report's HTML printed with WeasyPrint as a tagged PDF (PDF/UA-1).

WeasyPrint gets a URL fetcher that serves only inline ``data:`` URLs, so a report can never
reach the network or read other files.
"""

from __future__ import annotations

from functools import lru_cache

from reportgen.errors import ReportgenError
from reportgen.present.view import ReportView
from reportgen.render import html as html_renderer


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    """The PDF, printed from the page rendered for print (``render_html``'s "print" medium)."""
    return render_pdf(html_renderer.render_html(view, medium="print"))


@lru_cache(maxsize=1)
def font_configuration():
    """One WeasyPrint font configuration per process, shared by every report it prints (the
    stylesheet declares no web fonts, so nothing is added to it per document)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def report_stylesheet():
    """The report stylesheet parsed by WeasyPrint, once per process while the file is unchanged
    (``watch`` edits it): parsing it again for each report was about 7% of printing one."""
    identity, source = html_renderer.stylesheet_source()
    return _parsed_stylesheet(identity, source)


@lru_cache(maxsize=1)
def _parsed_stylesheet(identity: tuple[str, int, int], source: str):
    from weasyprint import CSS

    return CSS(string=source, font_config=font_configuration())


def render_pdf(html: str) -> bytes:
    """Print the HTML to a tagged PDF (PDF/UA-1) with embedded fonts, styled by the report
    stylesheet (given to WeasyPrint parsed, as a user stylesheet: a page that also inlines it,
    as the screen page does, prints the same, since its own copy takes precedence).

    The fetcher accepts only ``data:`` URLs and fails the build on anything else, so a report
    can neither reach the network nor read files named by an editor.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    from reportgen.render.pdftags import repair_structure

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    try:
        pdf = document.write_pdf(
            pdf_variant="pdf/ua-1",
            font_config=font_configuration(),
            stylesheets=[report_stylesheet()],
        )
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint: make it ours
        raise RefusedResource(f"the report tried to load an outside resource: {error}") from None
    return repair_structure(pdf)


class RefusedResource(ReportgenError):
    """The report referred to something other than inline data; nothing was fetched."""
