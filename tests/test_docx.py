"""The Word file: built through the real CLI, reopened with python-docx and checked for its
structure (headings in page order, the summary-of-findings table, alternative text on every
figure, the page number in the footer, the language), and for identical bytes from identical
inputs."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn

from reportgen.publish.build import prepare_report
from reportgen.render import RENDERERS
from reportgen.render.docx import render_docx
from reportgen.render.html import render_html
from tests.test_cli import reportgen

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "bcg-vaccine-tuberculosis"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One example built by ``reportgen build --format html,docx``, as an editor runs it."""
    workdir = tmp_path_factory.mktemp("docx")
    shutil.copytree(ROOT / "configs", workdir / "configs")
    result = reportgen(
        "build", f"configs/{CONFIG}.yaml", "--format", "html,docx", "--out", "out", cwd=workdir
    )
    assert result.returncode == 0, result.stderr
    return workdir / "out" / CONFIG


@pytest.fixture(scope="module")
def document(built):
    return docx.Document(str(built / "report.docx"))


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    return prepare_report(ROOT / "configs" / f"{CONFIG}.yaml", tmp_path_factory.mktemp("o")).view


def test_docx_is_in_the_renderer_table():
    assert RENDERERS["docx"].filename == "report.docx"
    assert RENDERERS["docx"].figures


def test_headings_follow_the_page_in_order(built, document):
    page = lxml.html.fromstring((built / "report.html").read_text(encoding="utf-8"))
    expected = [
        (int(element.tag[1]), " ".join(element.text_content().split()))
        for element in page.iter("h1", "h2", "h3", "h4")
    ]
    found = [
        (1 if p.style.name == "Title" else int(p.style.name.split()[-1]) + 1, p.text)
        for p in document.paragraphs
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]
    assert found == expected
    top = [text for level, text in found if level <= 2]
    assert top[:2] == [document.core_properties.title, "Brief for clinicians"]
    assert top.index("Technical appendix") > top.index("Brief for clinicians")


def test_summary_of_findings_table(document, view):
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Summary of findings" in captions
    sof = next(t for t in document.tables if t.rows[0].cells[0].text == "Outcome")
    header = [cell.text for cell in sof.rows[0].cells]
    assert header[1] == "Relative effect (95% CI)" and header[-1] == "What happens"
    assert sof.style.name == "Table Grid"
    assert sof.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    body = sof.rows[1:]
    assert len(body) == len(view.brief.rows)
    for row, expected in zip(body, view.brief.rows, strict=True):
        cells = [cell.text for cell in row.cells]
        assert cells[0].startswith(expected.label)
        assert cells[1] == expected.relative
        assert expected.certainty_word in cells[6]
        assert cells[7] == expected.statement


def test_every_figure_has_alternative_text(built, document):
    page = lxml.html.fromstring((built / "report.html").read_text(encoding="utf-8"))
    alts = [
        " ".join(img.get("alt").split())
        for img in page.iter("img")
        if "forest-whole-large" not in (img.get("class") or "")  # Word, as the PDF: the overview
    ]
    shapes = list(document.inline_shapes)
    assert len(shapes) == len(alts) >= 2
    assert [shape._inline.docPr.get("descr") for shape in shapes] == alts
    for shape in shapes:
        assert shape.width > 0 and shape.height > 0


def test_footer_has_a_page_number_field_and_the_language_is_set(document):
    footer = document.sections[0].footer._element
    instructions = [element.text for element in footer.iter(qn("w:instrText"))]
    assert [text.strip() for text in instructions] == ["PAGE"]
    assert document.core_properties.language == "en"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == "en"


def test_identical_inputs_give_identical_bytes(built, view):
    page = render_html(view)
    first = render_docx(page, view)
    assert first == render_docx(page, view)
    assert first == (built / "report.docx").read_bytes()


def test_the_brief_is_landscape_and_the_rest_portrait(document):
    from docx.enum.section import WD_ORIENT

    first, *rest = document.sections
    assert first.orientation == WD_ORIENT.LANDSCAPE and first.page_width > first.page_height
    assert rest and all(s.orientation == WD_ORIENT.PORTRAIT for s in rest)
    assert all(s.page_width < s.page_height for s in rest)
    assert all(s.footer.is_linked_to_previous for s in rest)  # page numbers throughout


def test_the_illustrative_banner_is_in_the_footer_and_the_skip_link_is_not_in_the_text(tmp_path):
    workdir = tmp_path
    shutil.copytree(ROOT / "configs", workdir / "configs")
    result = reportgen(
        "build", "configs/venetoclax-rr-aml.yaml", "--format", "docx", "--out", "out", cwd=workdir
    )
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(workdir / "out" / "venetoclax-rr-aml" / "report.docx"))
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    assert footer[0].startswith("The study data in this report are invented")
    texts = [p.text for p in document.paragraphs]
    assert texts[0].startswith("Illustrative data.")
    assert not any("Skip to" in text for text in texts)


def test_characters_xml_cannot_hold_are_left_out(view):
    page = render_html(view).replace("<h1>", "<h1>\x01\x1b", 1)
    document = docx.Document(io.BytesIO(render_docx(page, view)))
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == view.title


def test_each_numbered_list_counts_from_one(built, document):
    page = lxml.html.fromstring((built / "report.html").read_text(encoding="utf-8"))
    numbered = [ol for ol in page.iter("ol") if "sof-notes" not in (ol.get("class") or "")]
    instances = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "List Number":
            number = paragraph._p.pPr.numPr.numId.val
            if number not in instances:
                instances.append(number)
    assert len(instances) == len(numbered) >= 2
    numbering = document.part.numbering_part.element
    for number in instances:
        override = numbering.num_having_numId(number).lvlOverride_lst[0]
        assert override.startOverride.val == 1
    notes = [p for p in document.paragraphs if p.text.startswith("a ") and "Rated" in p.text]
    assert all(p.style.name == "Normal" for p in notes)  # lettered footnotes: no numbers


def test_long_tables_are_filled_without_rebuilding_the_cell_list(monkeypatch):
    """python-docx's ``Table.cell`` and ``Table._cells`` rebuild every cell on each call (a
    1,000-row table took minutes); the renderer must not use them per cell."""
    from types import SimpleNamespace

    import docx.table

    calls = {"cells": 0}
    original = docx.table.Table._cells

    def counted(self):
        calls["cells"] += 1
        return original.fget(self)

    monkeypatch.setattr(docx.table.Table, "_cells", property(counted))
    rows = "".join(
        f"<tr><th scope='row'>Study {i}</th><td>{i}</td><td>0.5 (0.1 to 0.9)</td></tr>"
        for i in range(300)
    )
    page = (
        "<html lang='en'><body><section id='appendix'><h2>A</h2><table><caption>c</caption>"
        "<thead><tr><th>Study</th><th>n</th><th>Effect</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section></body></html>"
    )
    view = SimpleNamespace(
        title="T", report_id="t", lang="en", banner=None, sections=("appendix",), prisma=None
    )
    document = docx.Document(io.BytesIO(render_docx(page, view)))
    table = document.tables[0]
    assert len(table.rows) == 301
    assert table.rows[300].cells[0].text == "Study 299"
    assert calls["cells"] <= len(table.columns)  # once per column at most, never per cell
