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
# A full text page holds about 3,000 characters; a third of a page, about 1,000. Figure pages
# carry their labels as text, so 900 is the floor for every page but the last.
MIN_PAGE_CHARACTERS = 900


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
    pdf = built[name].folder / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "Summary of findings" in first  # the brief's question and table start on page 1
    for page in range(1, pages):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert len(text) >= MIN_PAGE_CHARACTERS, f"{name} page {page}: {len(text)} characters"
