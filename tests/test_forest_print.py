"""The PDF's forest plot: one table whose plot column is drawn with CSS (present/forest_print.py).

It replaces, in print only, the SVG figure and the study table that repeated its numbers; the
page on screen, the Word file and figures/<outcome-id>.svg keep the figure and its data table.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
import yaml

from reportgen.config.schema import ReportConfig
from reportgen.present.forest_print import TRACK_MM, forest_print
from reportgen.publish.build import build_report
from reportgen.stats.analysis import analyse
from tests.test_large_reviews import large_config

MM = re.compile(r"(-?\d+\.\d\d)mm")


def outcome(k: int, groups: int = 0):
    config = ReportConfig.model_validate(yaml.safe_load(large_config(k, groups)))
    return analyse(config).outcomes[0]


def mm(value: str) -> float:
    match = MM.fullmatch(value)
    assert match, value
    return float(match.group(1))


def test_rows_follow_the_plot_in_reading_order():
    result = outcome(12, groups=3)
    view = forest_print(result)
    kinds = [row["kind"] for row in view["rows"]]
    assert kinds.count("study") == 12
    assert kinds.count("group") == kinds.count("subtotal") == 3
    assert kinds[-2:] == ["pooled", "prediction"]
    # Each group: its header, its studies, its diamond, in that order.
    assert kinds[0] == "group" and kinds.index("subtotal") > kinds.index("study")
    labels = [row["label"] for row in view["rows"] if row["kind"] == "study"]
    assert sorted(labels) == sorted(s.label for s in result.studies)
    # Every row has as many data cells as there are column titles.
    assert {len(row["cells"]) for row in view["rows"]} == {len(view["headers"])}


def test_marks_sit_on_the_figures_scale():
    result = outcome(15)
    view = forest_print(result)
    studies = [row for row in view["rows"] if row["kind"] == "study"]
    by_label = {row["label"]: row for row in studies}
    for study in result.studies:
        marks = by_label[study.label]["marks"]
        left, width = (mm(v) for v in marks["line"])
        square_left, _top, side = (mm(v) for v in marks["square"])
        assert 0 <= left <= left + width <= TRACK_MM + 0.01
        centre = square_left + side / 2
        assert left - 0.01 <= centre <= left + width + 0.01  # the square on its interval
    # Heavier studies get bigger squares.
    sides = {
        s.label: (s.weight, mm(by_label[s.label]["marks"]["square"][2])) for s in result.studies
    }
    ordered = [side for _weight, side in sorted(sides.values())]
    assert ordered == sorted(ordered)
    pooled = next(row for row in view["rows"] if row["kind"] == "pooled")["marks"]
    left, to_centre = mm(pooled["diamond"][0]), mm(pooled["diamond"][1])
    assert left + to_centre == pytest.approx(mm(view["pooled_mm"]), abs=0.02)


def test_risk_of_bias_columns_follow_the_judgements():
    result = outcome(4)
    marks = {s.id: ("low", "some_concerns", "high", "high") for s in result.studies}
    view = forest_print(result, marks)
    assert view["rob_headers"] == ["D1", "D2", "D3", "O"]
    for row in view["rows"]:
        assert len(row["rob"]) == 4
        symbols = [cell["symbol"] if cell else None for cell in row["rob"]]
        expected = ["+", "\u2212", "\u00d7", "\u00d7"] if row["kind"] == "study" else [None] * 4
        assert symbols == expected


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_prints_the_table_once_and_word_keeps_the_figure(tmp_path):
    text = large_config(8).replace("label: Study 0003 et al", "label: '</td><script>x</script>'")
    config = tmp_path / "review.yaml"
    config.write_text(text, encoding="utf-8")
    built = build_report(config, tmp_path / "out", formats=("html", "pdf", "docx"))
    pdf = subprocess.run(
        ["pdftotext", str(built.folder / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Each study's label is printed once in the appendix (no repeated study table) ...
    assert pdf.count("Study 0001 et al") == pdf.count("Study 0005 et al")
    assert "Death: results of each study" not in pdf
    assert "Forest plot: Death." in pdf and "Random effects" in pdf
    html = (built.folder / "report.html").read_text(encoding="utf-8")
    # ... while the page keeps the figure and its data table, and escapes editors' labels.
    assert "Death: results of each study" in html and 'class="forest-whole"' in html
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    with zipfile.ZipFile(built.folder / "report.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        pictures = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert "Death: results of each study" in document  # Word shows the figure's data table
    assert "fp-" not in document and pictures


def test_word_shows_a_plot_taller_than_a_page_whole(tmp_path):
    """Word lays out no CSS: it shows the whole figure, whatever the plot's height (a plot of
    45 studies or more used to reach Word only as print cuts, which Word left out)."""
    config = tmp_path / "review.yaml"
    config.write_text(large_config(60), encoding="utf-8")
    built = build_report(config, tmp_path / "out", formats=("html", "docx"))
    with zipfile.ZipFile(built.folder / "report.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert 'descr="Forest plot of death in 60 studies' in document


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_favours_words_keep_their_lines_near_an_edge_of_the_plot(tmp_path):
    """The response plot's line of no effect (OR 1) sits near the left end of its axis: the
    left words ('← Favours' over 'control') keep their two lines instead of wrapping at every
    word into the heterogeneity line below."""
    config = tmp_path / "review.yaml"
    shutil.copy("configs/matched-targeted-therapy-advanced-cancer.yaml", config)
    built = build_report(config, tmp_path / "out", formats=("pdf",))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(built.folder / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)
    arrows = [float(y) for _x, y, text in words if text == "←"]
    favours = [float(y) for _x, y, text in words if text == "Favours"]
    assert arrows
    for arrow in arrows:  # 'Favours' beside the arrow, not wrapped to the line below it
        assert arrow in favours
        assert not [y for y in favours if 0 < y - arrow < 12]
