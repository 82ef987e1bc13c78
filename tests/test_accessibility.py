"""Accessibility of the reports: WCAG 2.2 AA via axe-core in headless Chromium (HTML), and the
PDF/UA-1 checks of the `pdfua` and `outloud` checkers plus our own structure checks (PDF).

The axe test runs where Chromium is installed (.ci/run installs Debian's chromium); elsewhere
it is skipped with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen.publish.build import build_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    "venetoclax-rr-aml",
    "hyperdynamic-therapy-vasospasm",
    "bcg-vaccine-tuberculosis",
    "asthma-self-management",
    "matched-targeted-therapy-advanced-cancer",
]
CHROMIUM = (
    os.environ.get("REPORTGEN_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a11y")
    for report_id in EXAMPLES:
        build_report(ROOT / "configs" / f"{report_id}.yaml", out)
    return out


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_html_has_no_axe_violations(reports, viewport):
    playwright_api = pytest.importorskip("playwright.sync_api")
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    width, height = VIEWPORTS[viewport]
    problems = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            for report_id in EXAMPLES:
                page = browser.new_page(viewport={"width": width, "height": height})
                requests = []
                page.on("request", lambda request, log=requests: log.append(request.url))
                page.goto((reports / report_id / "report.html").as_uri())
                result = axe.run(
                    page,
                    options={
                        "runOnly": {"type": "tag", "values": WCAG_TAGS},
                        "resultTypes": ["violations"],
                    },
                )
                for violation in result.response["violations"]:
                    problems.append(
                        f"{report_id} ({viewport}): {violation['id']} at "
                        f"{violation['nodes'][0]['target']}"
                    )
                # Reflow (WCAG 1.4.10): the page itself never scrolls sideways; wide tables
                # and figures scroll inside their own blocks.
                page_width = page.evaluate("document.documentElement.scrollWidth")
                if page_width > width:
                    problems.append(f"{report_id} ({viewport}): the page is {page_width} px wide")
                external = [url for url in requests if not url.startswith(("file:", "data:"))]
                assert not external, f"{report_id} made external requests: {external}"
                page.close()
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("report_id", EXAMPLES)
def test_pdf_structure_is_accessible(reports, report_id):
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(reports / report_id / "report.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        metadata = pdf.open_metadata()
        assert metadata.get("pdfuaid:part") == "1"
        assert pdf.docinfo["/Title"]
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
                assert descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ), f"font {font.get('/BaseFont')} is not embedded"
        tags, missing_scope, items_without_body, figures_without_alt = [], 0, 0, 0
        stack = list(
            pdf.Root.StructTreeRoot.K
            if isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Array)
            else [pdf.Root.StructTreeRoot.K]
        )
        while stack:
            node = stack.pop()
            if not (isinstance(node, pikepdf.Dictionary) and "/S" in node):
                continue
            tag = str(node.S)
            tags.append(tag)
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
            if tag == "/TH" and "/Scope" not in node.get("/A", {}):
                missing_scope += 1
            if tag == "/LI" and not any(
                isinstance(k, pikepdf.Dictionary) and "/S" in k and str(k.S) == "/LBody"
                for k in kids
            ):
                items_without_body += 1
            if tag == "/Figure" and not str(node.get("/Alt", "")).strip():
                figures_without_alt += 1
            stack.extend(kids)
    assert (missing_scope, items_without_body, figures_without_alt) == (0, 0, 0)
    headings = [t for t in tags if t in ("/H1", "/H2", "/H3", "/H4")]
    assert headings and "/Table" in tags and "/Figure" in tags


@pytest.mark.parametrize("checker", [["pdfua", "check"], ["outloud", "--fail-on", "error"]])
def test_pdf_ua_checkers_find_no_errors(reports, checker):
    if shutil.which(checker[0]) is None:
        pytest.skip(f"{checker[0]} is not installed (pip install -e '.[test]')")
    for report_id in EXAMPLES:
        done = subprocess.run(
            [*checker, str(reports / report_id / "report.pdf")], capture_output=True, text=True
        )
        assert done.returncode == 0, f"{checker[0]} on {report_id}:\n{done.stdout}{done.stderr}"
