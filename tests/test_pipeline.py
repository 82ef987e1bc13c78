"""The build pipeline's shape: each outcome is interpreted once, the page is rendered once, and
the checks read the report view (so every format, JSON included, publishes checked text)."""

from __future__ import annotations

import pytest

from reportgen.errors import ConfigError
from reportgen.interpret import certainty
from reportgen.publish.build import build_report
from reportgen.render import FORMATS, OUTPUT_FILES, RENDERERS
from reportgen.render import html as html_renderer

TWO_ARM = """\
report:
  id: two-arm
  title: Two arms
  intervention: a daily walk
studies:
  - {id: s1, label: Alpha 2020, design: randomised trial}
  - {id: s2, label: Beta 2021, design: randomised trial}
outcomes:
  - id: falls
    label: Falls
    plain_label: fell at least once
    role: harm
    side_effect: false
    type: binary
    measure: RR
    data:
      - {study: s1, intervention: {events: 30, total: 100}, control: {events: 45, total: 100}}
      - {study: s2, intervention: {events: 25, total: 90}, control: {events: 40, total: 95}}
"""


def test_each_outcome_is_interpreted_once(write_config, minimal_config, tmp_path, monkeypatch):
    calls = []
    original = certainty.certainty_of

    def counting(result, *rest):
        calls.append(result.outcome.id)
        return original(result, *rest)

    monkeypatch.setattr("reportgen.interpret.findings.certainty_of", counting)
    build_report(write_config(minimal_config), tmp_path / "out", formats=FORMATS)
    assert calls == ["response"]


def test_the_page_is_rendered_once_per_medium(write_config, minimal_config, tmp_path, monkeypatch):
    """Once for the screen (the published page, which Word is made from too) and once for
    print (the PDF's page, without what only the screen shows); never again per format."""
    calls = []
    original = html_renderer.render_html

    def counting(view, medium="screen"):
        calls.append((view.report_id, medium))
        return original(view, medium)

    monkeypatch.setattr("reportgen.render.html.render_html", counting)
    built = build_report(
        write_config(minimal_config), tmp_path / "out", formats=("html", "pdf", "docx")
    )
    assert calls == [("minimal", "screen"), ("minimal", "print")]
    assert (built.folder / "report.pdf").read_bytes().startswith(b"%PDF")


def test_the_print_page_leaves_out_what_only_the_screen_shows(write_config, minimal_config):
    from reportgen.publish.build import StageTimer, load_and_analyse, prepare

    loaded, results = load_and_analyse(write_config(minimal_config), StageTimer())
    view = prepare(loaded, results, None, StageTimer(), False, False).view
    screen = html_renderer.render_html(view, "screen")
    printed = html_renderer.render_html(view, "print")
    # The screen page carries the forest figure, its data table and the printed forest table
    # (hidden by the stylesheet); the print page only the printed table.
    assert 'class="forest-whole"' in screen and "forest-table" in screen
    assert 'class="forest-whole"' not in printed and "forest-table" in printed
    assert "results of each study" in screen and "results of each study" not in printed
    with pytest.raises(ValueError, match="Invalid medium 'paper'"):
        html_renderer.render_html(view, "paper")


def test_checks_run_for_every_format(write_config, minimal_config, tmp_path):
    text = minimal_config + "text:\n  key_takeaway: Nearly 97% of people responded.\n"
    for formats in (("json",), ("html",), ("pdf",)):
        with pytest.raises(ConfigError, match="'97%' matches no computed result"):
            build_report(write_config(text), tmp_path / "out", formats=formats)
    assert not (tmp_path / "out" / "minimal").exists()


def test_formats_file_names_and_renderers_are_one_table():
    assert FORMATS == ("html", "pdf", "json", "docx", "csv", "xlsx")
    assert OUTPUT_FILES == {
        "html": "report.html",
        "pdf": "report.pdf",
        "json": "results.json",
        "docx": "report.docx",
        "csv": "results.csv",
        "xlsx": "results.xlsx",
    }
    assert all(RENDERERS[name].filename == OUTPUT_FILES[name] for name in FORMATS)


def test_headline_is_the_whole_claim_and_reading_note_says_only_what_is_shown(
    write_config, tmp_path
):
    built = build_report(write_config(TWO_ARM), tmp_path / "out", formats=("html",))
    page = (built.folder / "report.html").read_text(encoding="utf-8")
    headline = page.split('<p class="headline">')[1].split("</p>")[0]
    assert headline.startswith("A daily walk")
    assert "About" not in headline  # the numbers sentence is not part of the headline
    # Two-arm risks are shown as "X in 100 with, Y without" and as pictures, not in brackets.
    note = page.split('<p class="ci-note">')[1].split("</p>")[0]
    assert note.startswith("Each picture shows 100 people")
    assert "brackets" not in note


def test_the_print_page_is_styled_by_the_printer_s_parsed_stylesheet(
    write_config, minimal_config, tmp_path, monkeypatch
):
    """The print page carries no inline stylesheet: the PDF printer applies the report
    stylesheet it parsed once, and parses it again only when the file changes (``watch``)."""
    import shutil
    import subprocess

    from reportgen.publish.build import StageTimer, load_and_analyse, prepare
    from reportgen.render import html as html_module
    from reportgen.render import pdf as pdf_module

    loaded, results = load_and_analyse(write_config(minimal_config), StageTimer())
    view = prepare(loaded, results, None, StageTimer(), False, False).view
    assert "<style>" in html_renderer.render_html(view, "screen")
    printed = html_renderer.render_html(view, "print")
    assert "<style>" not in printed
    if shutil.which("pdftotext"):  # the stylesheet's running footer shows it was applied
        pdf = tmp_path / "printed.pdf"
        pdf.write_bytes(pdf_module.render_pdf(printed))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        assert "Page 1 of" in text.stdout

    first = pdf_module.report_stylesheet()
    assert pdf_module.report_stylesheet() is first
    templates = tmp_path / "templates"
    shutil.copytree(html_module.templates_dir(), templates)
    monkeypatch.setattr(html_module, "templates_dir", lambda: templates)
    css = templates / html_module.STYLESHEET
    css.write_text(css.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    assert pdf_module.report_stylesheet() is not first
