"""The PRISMA 2020 flow diagram: counts checked for arithmetic with located errors, the boxes in
the statement's order, an accessible and deterministic SVG (the Word file's picture), and the
diagram as HTML text in the brief and the appendix (and so in the PDF) of the example that has
one."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import docx
import lxml.html
import pytest

from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.present.figures.prisma import (
    MAIN_WIDTH,
    SIDE_WIDTH,
    Box,
    _wrap,
    box_text,
    keep_counts,
)
from reportgen.present.prisma import prisma_view
from reportgen.publish.build import prepare_report
from reportgen.render.docx import render_docx
from reportgen.render.html import render_html
from reportgen.render.pdf import render_pdf

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

FLOW = """\
prisma:
  identified: {databases: 1184, registers: 37}
  duplicates: 402
  screened: 819
  excluded_screening: 761
  sought: 58
  not_retrieved: 3
  assessed: 55
  excluded:
    - {reason: Venetoclax without intensive chemotherapy and a reason long enough to wrap, n: 21}
    - {reason: Newly diagnosed, n: 27}
  included_studies: 6
  included_reports: 7
"""


def problems_of(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(problem) for problem in caught.value.problems]


def test_consistent_counts_validate(write_config, minimal_config):
    config = load_config(write_config(minimal_config + FLOW)).config
    assert config.prisma is not None and config.prisma.reports == 7


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "screened: 819",
            "screened: 820",
            "prisma.screened: should be records identified minus those removed before "
            "screening: 819, got 820",
        ),
        (
            "sought: 58",
            "sought: 57",
            "prisma.sought: should be records screened minus those excluded at screening: "
            "58, got 57",
        ),
        ("not_retrieved: 3", "not_retrieved: 4", "prisma.assessed: should be reports sought"),
        ("n: 27", "n: 26", "prisma.included_reports: should be reports assessed minus"),
        ("included_reports: 7", "included_reports: 5", "more studies (6) than reports"),
        ("included_studies: 6", "included_studies: 2", "lists 3 studies under `studies:`"),
    ],
)
def test_inconsistent_counts_are_located(write_config, minimal_config, old, new, expected):
    assert old in FLOW
    path = write_config(minimal_config + FLOW.replace(old, new))
    messages = problems_of(path)
    assert any(expected in message for message in messages), messages
    key = re.search(r"(prisma\.\w+)", expected)
    line = next(m for m in messages if expected in m)
    assert re.match(r"config\.yaml:\d+: prisma\.\w+: ", line)
    if key:
        field = key.group(1).split(".")[1]
        number = int(line.split(":")[1])
        text = (minimal_config + FLOW.replace(old, new)).splitlines()[number - 1]
        assert text.strip().startswith(f"{field}:")


def test_a_wrong_type_is_a_schema_error_not_a_crash(write_config, minimal_config):
    path = write_config(minimal_config + FLOW.replace("duplicates: 402", "duplicates: many"))
    assert any("prisma.duplicates" in message for message in problems_of(path))


def test_boxes_follow_the_statement_and_the_svg_is_accessible(write_config, minimal_config):
    prisma = load_config(write_config(minimal_config + FLOW)).config.prisma
    view = prisma_view(prisma)
    assert view is not None
    stages = [stage for stage, _ in view.boxes]
    assert stages == ["Identification"] * 2 + ["Screening"] * 6 + ["Included"]
    texts = [text for _, text in view.boxes]
    assert texts[0] == "Records identified from: Databases (n = 1,184); Registers (n = 37)"
    assert texts[2] == "Records screened (n = 819)"
    assert texts[-2].startswith("Reports excluded: Venetoclax")
    assert texts[-1] == "Studies included in review (n = 6); Reports of included studies (n = 7)"
    root = ElementTree.fromstring(view.svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "PRISMA 2020 flow diagram of study selection"
    description = root.find(f"{SVG}desc").text
    for text in texts:  # the description lists every box, in order
        assert text in description
    assert description.index(texts[0]) < description.index(texts[-1])
    shown = " ".join(element.text for element in root.iter(f"{SVG}text"))
    for word in ("Identification", "Screening", "Included", "1,184", "Newly diagnosed"):
        assert word in shown
    assert view.alt.startswith(
        "Flow diagram of study selection: 1,221 records identified, 819 screened, 55 reports "
        "assessed for eligibility, 6 studies included."
    )
    assert view.svg == prisma_view(prisma).svg  # deterministic


def test_long_reasons_wrap_inside_their_box():
    lines = ("Reports excluded:", "A reason that is much too long for one line of the box (n = 12)")
    for width in (MAIN_WIDTH, SIDE_WIDTH):
        wrapped = _wrap(lines, width)
        assert len(wrapped) > 2
        assert any(line.endswith("(n\u00a0=\u00a012)") for line in wrapped)


def test_no_prisma_no_figure():
    assert prisma_view(None) is None


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return prepare_report(ROOT / "configs" / "venetoclax-rr-aml.yaml", tmp_path_factory.mktemp("o"))


def _html_boxes(figure) -> list[tuple[str, str]]:
    """(stage, the box's text) of the HTML diagram, in document order, the box's lines joined
    as ``box_text`` joins them (no-break spaces read as spaces)."""
    boxes = []
    for stage in figure.find_class("prisma-stage"):
        name = stage.find_class("prisma-stage-name")[0].text_content()
        for box in stage.find_class("prisma-box"):
            lines = tuple(
                line.text_content().replace("\u00a0", " ") for line in box.find_class("prisma-line")
            )
            boxes.append((name, box_text(Box("", lines))))
    return boxes


def test_figure_in_the_brief_and_the_appendix(example):
    """The diagram is HTML text: every box once, in the flow's reading order (each main box,
    then its exclusion box), under its stage, in a figure with a caption; no picture of it and
    no second list of its boxes."""
    page = lxml.html.fromstring(render_html(example.view))
    prisma = example.view.prisma
    for section in ("brief", "appendix"):
        part = page.get_element_by_id(section)
        figures = part.find_class("prisma")
        assert len(figures) == 1
        figure = figures[0]
        assert figure.tag == "figure"
        assert figure.find("figcaption").text_content() == prisma.caption
        assert _html_boxes(figure) == list(prisma.boxes)
        stages = [name.text_content() for name in figure.find_class("prisma-stage-name")]
        assert stages == ["Identification", "Screening", "Included"]
        flow = figure.find("ol")  # the stages, then each stage's rows, as ordered lists
        assert flow is not None and len(flow.findall("li")) == len(stages)
        assert all(stage.find("ol") is not None for stage in flow.findall("li"))
        assert figure.find(".//img") is None and figure.find(".//svg") is None
        assert not part.find_class("prisma-boxes")  # the old list of the boxes
        text = part.text_content().replace("\u00a0", " ")
        for stage in prisma.stages:
            for step in stage.steps:
                for line in step.main + step.side:
                    assert text.count(line.replace("\u00a0", " ")) == 1, line


def test_counts_stay_whole_on_a_line():
    """A count keeps its "(n =" on the page as in the SVG: no-break spaces in the HTML lines."""
    assert keep_counts("Databases (n = 1,184)") == "Databases (n\u00a0=\u00a01,184)"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_prints_each_box_once_per_copy(example):
    """The PDF holds each box's text in the brief and in the appendix, and no third and fourth
    time as a list of the boxes (the diagram is its own text now)."""
    pdf = render_pdf(render_html(example.view))
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    text = " ".join(text.replace("\u00a0", " ").split())
    for stage in example.view.prisma.stages:
        for step in stage.steps:
            for line in step.main + step.side:
                assert text.count(line.replace("\u00a0", " ")) == 2, line
    assert example.view.prisma.data_heading not in text


def test_figure_in_the_word_file_with_its_alt_text(example):
    """Word cannot lay out the HTML boxes: it shows the SVG diagram as a picture, with its
    alternative text, and lists the boxes under it (as the alternative text says)."""
    page = render_html(example.view)
    document = docx.Document(io.BytesIO(render_docx(page, example.view)))
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert alts.count(example.view.prisma.alt) == 2
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts.count(example.view.prisma.data_heading) == 2
    for stage, text in example.view.prisma.boxes:
        assert texts.count(f"{stage}: {text}") == 2
    assert not any("\u00a0" in text for text in texts)


def test_every_removal_before_screening_counts_and_is_shown(write_config, minimal_config):
    flow = FLOW.replace(
        "  duplicates: 402\n",
        "  duplicates: 380\n  removed_by_automation: 15\n  removed_other: 7\n",
    )
    prisma = load_config(write_config(minimal_config + flow)).config.prisma
    removed = prisma_view(prisma).boxes[1][1]
    assert removed == (
        "Records removed before screening: Duplicate records removed (n = 380); Records marked "
        "as ineligible by automation tools (n = 15); Records removed for other reasons (n = 7)"
    )
    wrong = flow.replace("removed_other: 7", "removed_other: 8")
    messages = problems_of(write_config(minimal_config + wrong))
    assert any("prisma.screened: should be" in m and ": 818, got 819" in m for m in messages)
