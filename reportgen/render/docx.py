"""The Word file (``report.docx``): the report's HTML, laid out again as a Word document.

Like the PDF, the Word file is the HTML rendered once from the frozen ``ReportView``: every word,
number and alternative text comes from that page, so nothing is written twice and a new section
appears in Word as soon as it appears in the HTML. The page's elements map onto Word's own
structures so the file is a real document, not a picture of one:

- ``h1`` is the Title, ``h2``/``h3``/``h4`` are Heading 1-3 (Word's navigation pane, its table of
  contents and screen readers use them);
- tables keep their caption (Caption style) and header row (repeated on each page and marked as
  a header), in the "Table Grid" style;
- figures are PNG images drawn from the same SVG (``docx_images``), with the HTML's ``alt`` text
  as their alternative text and the figure caption below; the PRISMA flow diagram, which the
  page lays out as HTML boxes, is the view's SVG of it with its alternative text, its boxes
  listed as text below;
- lists keep their bullets or numbers; ``<details>`` is opened (paper cannot fold);
- each report section starts on a new page (the brief, with its eight-column summary-of-findings
  table, in landscape); the footer holds the title and the
  page number; the document's language is the page's, and a section in another language (the
  plain-language summary) carries its own on every run.

Output is deterministic: fixed core properties and zip timestamps (``docx_package``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from reportgen.paths import templates_dir
from reportgen.present.prisma import PrismaView
from reportgen.present.view import ReportView
from reportgen.render import docx_package as package
from reportgen.render.docx_images import raster

HEADING_LEVELS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
CONTAINERS = {"body", "main", "header", "footer", "section", "div", "aside", "article", "nav"}
SKIPPED = {"head", "style", "script", "template", "noscript"}
INLINE = {"a", "abbr", "b", "br", "code", "em", "i", "small", "span", "strong", "sub", "sup"}
LANDSCAPE = {"brief"}  # the summary-of-findings table has eight columns, as GRADEpro prints it
# Left out of Word: the web page's keyboard navigation; what a very large outcome shows only on
# screen (its whole labelled plot and every leave-one-out row: present/large_print.py; Word,
# like the PDF, shows the overview and the compact table); and the PDF's forest table, whose
# plot column is drawn with CSS Word cannot lay out (Word shows the figure and its data table).
SCREEN_ONLY = {"skip-link", "screen-only", "forest-whole-large", "forest-print"}
TABLE_STYLE = "Table Grid"
TABLE_FONT_PT = 8.5
FOOTER_FONT_PT = 8
MAX_WIDTH_INCHES = 6.5  # the default template's text width (8.5 in less two 1 in margins)
SPACE = re.compile(r"\s+")
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # not allowed in XML 1.0


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    """``report.docx`` from the report's HTML (rendered once; rendered here if not yet)."""
    if "html" in rendered:
        page = rendered["html"].decode("utf-8")
    else:
        from reportgen.render.html import render_html

        page = render_html(view)
    return render_docx(page, view)


def render_docx(page: str, view: ReportView) -> bytes:
    """The Word document for the HTML ``page`` of ``view``."""
    import docx
    import lxml.html
    from docx.shared import Pt

    tree = lxml.html.document_fromstring(page)
    document = docx.Document()
    language = tree.get("lang") or view.lang
    title = _text(view.title).strip()
    package.set_properties(document, title, view.report_id, language)
    package.set_language(document, language)
    footer = document.sections[0].footer.paragraphs[0]
    if view.banner:  # illustrative data: said on every page, as in the PDF
        footer.add_run(_text(view.banner)).bold = True
        footer = document.sections[0].footer.add_paragraph()
    footer.text = f"{title} \u2013 "
    package.add_page_number(footer)
    for paragraph in document.sections[0].footer.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(FOOTER_FONT_PT)
    body = tree.find("body")
    _Writer(document, language, set(view.sections), view.prisma).block(body, language)
    return package.saved(document)


def block_classes() -> frozenset[str]:
    """Classes the stylesheet displays as blocks (``.name { display: block }``): inside a table
    cell or paragraph, their text starts a new line in Word as it does on the page."""
    return _classes_with(r"display\s*:\s*block")


def unlisted_classes() -> frozenset[str]:
    """Lists the stylesheet shows without bullets or numbers (``list-style: none``), such as
    the lettered footnotes of the summary-of-findings table: plain paragraphs in Word."""
    return _classes_with(r"list-style\s*:\s*none")


@lru_cache(maxsize=4)
def _classes_with(rule: str) -> frozenset[str]:
    """The classes whose own rule (``.name { ... }``, outside media queries) matches ``rule``."""
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    found: set[str] = set()
    for selectors, rules in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if re.search(rule, rules):
            for selector in selectors.split(","):
                match = re.fullmatch(r"\s*\.([\w-]+)\s*", selector)
                if match:
                    found.add(match.group(1))
    return frozenset(found)


def _text(value: str | None) -> str:
    """Text with its white space collapsed, as the browser shows it, and any character that
    XML (so Word) cannot hold left out."""
    return NOT_XML.sub("", SPACE.sub(" ", value or ""))


def _grid(table: Any) -> list[list[Any]]:
    """The table's cells by row, built once (python-docx's ``table.cell`` rebuilds the whole
    list of cells on each call, which makes filling a long table quadratic)."""
    from docx.table import _Cell

    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def _fit_columns(table: Any, grid: list[list[Any]], section: Any) -> None:
    """Share the text width among the columns by the text each holds, as a browser's automatic
    table layout does (Word and LibreOffice otherwise give every column the same width): room
    for the longest word, and more for long texts (counted up to 40 characters)."""
    text_width = section.page_width - section.left_margin - section.right_margin
    columns = list(zip(*grid, strict=True))
    weights = []
    for cells in columns:
        texts = [cell.text for cell in cells]
        word = max((len(w) for text in texts for w in text.split()), default=1)
        weights.append(max(1.3 * word + 2, 0.6 * min(40, max(len(t) for t in texts))))
    for column, cells, weight in zip(table.columns, columns, weights, strict=True):
        width = int(text_width * weight / sum(weights))
        column.width = width
        for cell in cells:
            cell.width = width


def _new_line(paragraph: Any) -> None:
    """A line break in ``paragraph``, without the space that ended the line before it."""
    if paragraph.runs and paragraph.runs[-1].text.endswith(" "):
        paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()
    paragraph.add_run().add_break()


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


class _Writer:
    """Walks the HTML body and appends the matching Word structures to ``document``."""

    def __init__(
        self, document: Any, language: str, sections: set[str], prisma: PrismaView | None
    ) -> None:
        self.document = document
        self.language = language
        self.sections = sections
        self.prisma = prisma  # the flow diagram as a picture, for the page's HTML diagram
        self.started = False  # whether a report section has been written (page breaks)
        self.figures = 0

    def block(self, element: Any, language: str) -> None:
        """Write ``element`` as block content (headings, paragraphs, lists, tables, figures)."""
        tag = element.tag if isinstance(element.tag, str) else ""
        language = element.get("lang") or language
        if tag in SKIPPED or not tag or _classes(element) & SCREEN_ONLY:
            return
        if tag in HEADING_LEVELS:
            paragraph = self.document.add_heading(level=HEADING_LEVELS[tag])
            self.inline(paragraph, element, language, {})
        elif tag == "p":
            self.paragraph(element, language)
        elif tag in ("ul", "ol"):
            style: str | None = "List Number" if tag == "ol" else "List Bullet"
            if _classes(element) & unlisted_classes():
                style = None
            number = package.new_list(self.document, style) if style == "List Number" else None
            for item in element.findall("li"):
                paragraph = self.document.add_paragraph(style=style)
                if number is not None:
                    package.set_list(paragraph, number)
                self.inline(paragraph, item, language, {})
        elif tag == "table":
            self.table(element, language)
        elif tag == "figure":
            self.figure(element, language)
        elif tag == "img":
            self.image(element)
        elif tag == "details":
            self.details(element, language)
        else:
            self.container(element, language)

    def container(self, element: Any, language: str) -> None:
        """A block holding blocks; one holding only text and inline elements (a note such as
        the illustrative-data banner) is a paragraph."""
        if all(child.tag in INLINE for child in element if isinstance(child.tag, str)):
            self.paragraph(element, language)
            return
        if element.tag == "section" and element.get("id") in self.sections:
            self.start_section(element.get("id") in LANDSCAPE)
        for child in element:
            self.block(child, language)

    def start_section(self, landscape: bool) -> None:
        """A report section starts a new page, in landscape when it holds a wide table."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        current = self.document.sections[-1]
        wanted = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if current.orientation != wanted:
            # the first report section turns the title's page with it (no page for the title)
            section = self.document.add_section(WD_SECTION.NEW_PAGE) if self.started else current
            width, height = section.page_width, section.page_height
            section.orientation = wanted
            if (width > height) != landscape:
                section.page_width, section.page_height = height, width
        elif self.started:
            self.document.add_page_break()
        self.started = True

    def paragraph(self, element: Any, language: str, style: str | None = None) -> None:
        if _text(element.text_content()).strip():
            self.inline(self.document.add_paragraph(style=style), element, language, {})

    def details(self, element: Any, language: str) -> None:
        for child in element:
            if child.tag == "summary":
                self.inline(self.document.add_paragraph(), child, language, {"bold": True})
            else:
                self.block(child, language)

    def inline(self, paragraph: Any, element: Any, language: str, style: dict[str, Any]) -> None:
        """Append ``element``'s text and its children's as runs of ``paragraph``, keeping bold,
        italics, superscripts, code and line breaks."""
        style = dict(style)
        tag = element.tag if isinstance(element.tag, str) else ""
        language = element.get("lang") or language
        if tag in ("strong", "b", "th"):
            style["bold"] = True
        elif tag in ("em", "i"):
            style["italic"] = True
        elif tag == "sup":
            style["superscript"] = True
        elif tag == "sub":
            style["subscript"] = True
        elif tag == "code":
            style["font"] = "Consolas"
        if _classes(element) & block_classes() and paragraph.text.strip():
            _new_line(paragraph)
        self.run(paragraph, element.text, language, style, first=not paragraph.text)
        for child in element:
            if child.tag == "br":
                _new_line(paragraph)
            elif (
                isinstance(child.tag, str)
                and child.tag not in SKIPPED
                and not _classes(child) & SCREEN_ONLY
            ):
                self.inline(paragraph, child, language, style)
            self.run(paragraph, child.tail, language, style, first=False)

    def run(
        self, paragraph: Any, text: str | None, language: str, style: dict[str, Any], first: bool
    ) -> None:
        value = _text(text)
        if first:
            value = value.lstrip()
        if not value or (value == " " and paragraph.text.endswith((" ", "\n"))):
            return
        run = paragraph.add_run(value)
        run.bold = style.get("bold")
        run.italic = style.get("italic")
        run.font.superscript = style.get("superscript")
        run.font.subscript = style.get("subscript")
        if "font" in style:
            run.font.name = style["font"]
        if "size" in style:
            run.font.size = style["size"]
        if language != self.language:
            package.set_run_language(run._r.get_or_add_rPr(), language)

    def table(self, element: Any, language: str) -> None:
        """A Word table with the caption above it and the header rows marked as headers."""
        from docx.shared import Pt

        caption = element.find("caption")
        if caption is not None:
            self.paragraph(caption, language, style="Caption")
        head = [row for part in element.findall("thead") for row in part.findall("tr")]
        rows = [
            row
            for part in (element, *element.findall("tbody"), *element.findall("tfoot"))
            for row in part.findall("tr")
        ]
        rows = head + rows
        if not rows:
            return
        width = max(len(row.findall("th") + row.findall("td")) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = self.document.styles[TABLE_STYLE]
        size = {"size": Pt(TABLE_FONT_PT)}
        grid = _grid(table)
        for index, row in enumerate(rows):
            cells = [cell for cell in row if cell.tag in ("th", "td")]
            for position, cell in enumerate(cells):
                target = grid[index][position].paragraphs[0]
                self.inline(target, cell, language, {**size, "bold": index < len(head) or None})
            if index < len(head):
                package.mark_header_row(table._tbl.tr_lst[index])
        _fit_columns(table, grid, self.document.sections[-1])
        self.document.add_paragraph()

    def figure(self, element: Any, language: str) -> None:
        if "prisma" in _classes(element) and self.prisma is not None:
            self.prisma_figure(element, language, self.prisma)
            return
        for image in element.iter("img"):
            if not _classes(image) & SCREEN_ONLY:
                self.image(image)
        caption = element.find("figcaption")
        if caption is not None:
            self.paragraph(caption, language, style="Caption")

    def prisma_figure(self, element: Any, language: str, prisma: PrismaView) -> None:
        """The PRISMA flow diagram: Word cannot lay out the page's CSS boxes, so it shows the
        view's SVG of the diagram as a picture with its alternative text, the caption, and the
        boxes as a numbered list (the alternative text says they are listed under the figure)."""
        self.picture(prisma.src, prisma.alt)
        caption = element.find("figcaption")
        if caption is not None:
            self.paragraph(caption, language, style="Caption")
        heading = self.document.add_paragraph()
        self.run(heading, prisma.data_heading, language, {"bold": True}, first=True)
        number = package.new_list(self.document, "List Number")
        for stage, text in prisma.boxes:
            item = self.document.add_paragraph(style="List Number")
            package.set_list(item, number)
            self.run(item, f"{stage}:", language, {"bold": True}, first=True)
            self.run(item, f" {text}", language, {}, first=False)

    def image(self, element: Any) -> None:
        """The picture of an ``<img>``: see ``picture``."""
        self.picture(element.get("src") or "", element.get("alt"))

    def picture(self, src: str, alt: str | None) -> None:
        """The picture, no wider than the text, with ``alt`` as its alternative text (an image
        without ``alt`` is decorative on the page and left out here too)."""
        import io

        from docx.shared import Inches

        alt = _text(alt).strip()
        picture = raster(src)
        if picture is None or not alt:
            return
        scale = min(1.0, MAX_WIDTH_INCHES / picture.width_inches)
        self.figures += 1
        shape = self.document.add_picture(
            io.BytesIO(picture.png), width=Inches(picture.width_inches * scale)
        )
        package.set_alt_text(shape, f"Figure {self.figures}", alt)
