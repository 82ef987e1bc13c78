"""What readers see: the patient summary's sections said once, the GRADE summary-of-findings
brief, and printed pages that are not left near-empty (issue 10, parts 3 to 5)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen.interpret.absolute import control_risk
from reportgen.present.locale import locale
from reportgen.present.summary_evidence import mid_sentence, plural_design
from reportgen.publish.build import build_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = (
    "bcg-vaccine-tuberculosis",
    "hyperdynamic-therapy-vasospasm",
    "venetoclax-rr-aml",
    "asthma-self-management",
    "matched-targeted-therapy-advanced-cancer",
)
# A page ending before the middle of its text area is near empty; a forest plot or table kept
# whole on the next page leaves at most its own height free.
MIN_PAGE_FILL = 0.5  # share of a page's text area, from its top to its last line
PAGE_MARGIN_PT = 20 / 25.4 * 72  # the stylesheet's top and bottom page margins (20 mm)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("readers")
    return {
        name: build_report(ROOT / "configs" / f"{name}.yaml", out, formats=("html", "pdf"))
        for name in EXAMPLES
    }


def _section(html: str, name: str) -> str:
    return re.search(rf'<section id="{name}".*?</section>\s*(?=<section|</main>)', html, re.S)[0]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize("name", EXAMPLES)
def test_summary_sections_and_reasons_said_once(built, name):
    html = (built[name].folder / "report.html").read_text(encoding="utf-8")
    summary = _section(html, "summary")
    for heading in ("What did we find?", "How sure are we?", "How up to date is this?"):
        assert heading in summary
    text = _text(summary)
    for reason in locale().section("certainty")["explained"].values():
        assert text.count(reason) <= 1, reason
    assert "because of" not in text  # no per-outcome reasons
    assert not built[name].warnings


def test_design_sentences_use_plural_nouns(built):
    text = _text(_section((built[EXAMPLES[0]].folder / "report.html").read_text(), "summary"))
    assert "Seven studies were randomised trials." in text
    assert "studies: randomised" not in text
    words = locale()
    assert plural_design("retrospective", 6, words) == "retrospective studies"
    assert plural_design("quasi-randomised trial (x)", 2, words) == "quasi-randomised trials (x)"
    assert plural_design("case series", 1, words) == "case series"


def test_labels_mid_sentence():
    assert mid_sentence("Overall response rate") == "overall response rate"
    assert mid_sentence("Berg Balance Scale") == "Berg Balance Scale"
    assert mid_sentence("AML relapse") == "AML relapse"


def test_brief_follows_grade_sof(built):
    bcg = built[EXAMPLES[0]]
    brief = _text(_section((bcg.folder / "report.html").read_text(), "brief"))
    assert "Risk with comparator" in brief and "Difference" in brief
    assert "prediction interval (RR 0.15 to 1.55) includes no effect" in brief
    assert "Rated down for inconsistency and risk of bias" in brief
    summary = _text(_section((bcg.folder / "report.html").read_text(), "summary"))
    caveat = "The trials took place a long time ago"
    assert caveat in summary and caveat not in brief  # patient caveats stay there
    ven = _text(_section((built[EXAMPLES[2]].folder / "report.html").read_text(), "brief"))
    assert re.search(r"subgroups by regimen \(test for subgroup differences .*p < 0.001", ven)


def test_comparator_risk_is_the_median_of_the_studies():
    class Study:
        def __init__(self, events, total):
            self.data = {"control": {"events": events, "total": total}}

    class Result:
        studies = (Study(1, 10), Study(50, 100), Study(1, 1000))

    assert control_risk(Result()) == 0.1  # pooled would be 52 / 1,110


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("name", EXAMPLES)
def test_no_page_but_the_last_is_near_empty(built, name):
    """Every page but the last is at least half full: its last line of text (running header
    and footer aside) is below the middle of its text area. (Counted in height, not in
    characters: a half page of number tables holds fewer characters than a half page of
    prose.)"""
    pdf = built[name].folder / "report.pdf"
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "Summary of findings" in first  # the brief's question and table start on page 1
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = boxes.split("<page ")[1:]
    for number, page in enumerate(pages[:-1], start=1):
        height = float(re.search(r'height="([\d.]+)"', page)[1])
        top, bottom = PAGE_MARGIN_PT, height - PAGE_MARGIN_PT
        lines = [
            float(y_max)
            for y_min, y_max in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
            if float(y_min) > top and float(y_max) < bottom
        ]
        fill = (max(lines, default=top) - top) / (bottom - top)
        assert fill >= MIN_PAGE_FILL, f"{name} page {number}: {fill:.0%} of the page used"
