"""A very large outcome prints as an overview plus the full study table (present/large_print.py).

From OVERVIEW_FROM_K studies on, the PDF prints the forest plot's one-page overview instead of
dozens of pages of labelled plot, the leave-one-out range with the most influential omissions
instead of k rows, and the funnel plot without its data table; every study's result is still
in the PDF (the study table), and the HTML page keeps every part whole.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest
import yaml

from reportgen.config.schema import ReportConfig
from reportgen.present.figures.overview import OVERVIEW_FROM_K, needs_overview, overview_svg
from reportgen.present.format import effect_with_ci
from reportgen.present.large_print import LEAVE_ONE_OUT_PRINTED
from reportgen.publish.build import build_report
from reportgen.stats.analysis import analyse
from tests.test_large_reviews import large_config

SVG = "{http://www.w3.org/2000/svg}"


def outcome(k: int):
    return analyse(ReportConfig.model_validate(yaml.safe_load(large_config(k)))).outcomes[0]


def test_overview_starts_at_the_threshold():
    assert not needs_overview(outcome(OVERVIEW_FROM_K - 1))
    assert needs_overview(outcome(OVERVIEW_FROM_K))


def test_overview_costs_the_same_elements_whatever_k():
    """All intervals are one path and all results another: the drawn elements do not grow with
    k (only the axis' tick labels depend on the data's range)."""
    small, large = (ET.fromstring(overview_svg(outcome(k))) for k in (OVERVIEW_FROM_K, 1000))
    assert len(small.findall(f"{SVG}path")) == len(large.findall(f"{SVG}path"))
    assert len(list(large.iter())) < 30
    paths = large.findall(f"{SVG}path")
    intervals = max(paths, key=lambda p: p.get("d", "").count("H"))
    assert intervals.get("d", "").count("M") == 1000
    assert "1,000 studies" in (large.findtext(f"{SVG}title") or "")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_prints_overview_study_table_and_compact_leave_one_out(tmp_path):
    k = OVERVIEW_FROM_K
    config = tmp_path / "large.yaml"
    config.write_text(large_config(k), encoding="utf-8")
    built = build_report(config, tmp_path / "out", formats=("html", "pdf", "docx"))
    folder = built.folder
    assert (folder / "figures" / "death-overview.svg").is_file()
    assert (folder / "figures" / "death.svg").is_file()  # the whole plot stays published
    text = subprocess.run(
        ["pdftotext", "-layout", str(folder / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = outcome(k)
    measure = result.outcome.measure
    # Every study and its result, and the pooled result, from the study table.
    for study in result.studies:
        assert study.label in text
        assert effect_with_ci(study.estimate, study.ci_lower, study.ci_upper, measure) in text
    pooled = result.pooled
    assert effect_with_ci(pooled.estimate, pooled.ci_lower, pooled.ci_upper, measure) in text
    assert f"Printed as an overview of all {k} studies" in text
    # Leave-one-out: the range and only the most influential omissions are printed.
    assert f"the {LEAVE_ONE_OUT_PRINTED} studies whose omission changes the result most" in text
    assert "result with each study left out" not in text
    shifts = sorted(
        result.leave_one_out, key=lambda sub: -abs(sub.model.estimate - result.model.estimate)
    )
    labels = {s.id: s.label for s in result.studies}
    most = labels.get(shifts[0].label, shifts[0].label)
    loo = text[text.index("whose omission changes the result most") :]
    assert most in loo
    printed = re.findall(r"Study \d{4} et al", loo.split("Small-study")[0])
    assert len(printed) >= LEAVE_ONE_OUT_PRINTED
    # The funnel plot's data table is not printed; its figure is.
    assert "funnel plot data" not in text
    # The HTML page keeps every part whole: the labelled plot, every omission, the funnel data.
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert 'class="forest-whole forest-whole-large"' in html
    assert 'class="forest-overview print-only"' in html
    assert html.count('<tr><th scope="row">Study ') >= 3 * k  # studies, omissions, funnel
    # Word follows the PDF: the overview (one picture) and the compact leave-one-out table.
    with zipfile.ZipFile(folder / "report.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        pictures = [name for name in docx.namelist() if name.startswith("word/media/")]
    assert "Printed as an overview of all" in document
    assert "result with each study left out" not in document
    assert "funnel plot data" not in document
    assert len(pictures) <= 4  # overview, funnel, and the summary's icon array
