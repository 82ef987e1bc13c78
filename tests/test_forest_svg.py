"""The forest plot's SVG as written (``figures/forest.py`` and ``svgwriter``): safe with any
label, deterministic, linear in k, every study in its part, squares sized by weight, and no
matplotlib anywhere on its path."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reportgen.config.schema import ReportConfig
from reportgen.present.figures.forest import draw_figures, forest_layout, forest_plot_svg
from reportgen.present.figures.forest_geometry import LABEL_ROOM
from reportgen.present.figures.forest_layout import forest_parts
from reportgen.present.figures.style import DIAMOND_COLOUR, SQUARE_COLOUR
from reportgen.present.figures.svgwriter import num, xml_text
from reportgen.present.figures.textwidth import shorten, text_width
from reportgen.stats.analysis import analyse

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    "</text><script>alert(1)</script>",
    "Smith & Jones \"2020\" 'b'",
    "دراسة الحالة ٢٠٢١",  # right to left
    "Bell\x07 and \x01 controls",  # characters XML 1.0 cannot hold
    "Long " * 200,
]


def two_arm(labels: list[str], groups: int = 0, variable: str = "region") -> ReportConfig:
    k = len(labels)
    rows = [
        {
            "study": f"s{i}",
            "intervention": {"events": 5 + i % 7, "total": 60 + 7 * (i % 11)},
            "control": {"events": 9 + 2 * (i % 5), "total": 70 + 5 * (i % 13)},
        }
        for i in range(k)
    ]
    studies = [
        {"id": f"s{i}", "label": label, **({variable: f"G{i % groups}"} if groups else {})}
        for i, label in enumerate(labels)
    ]
    outcome = {
        "id": "death",
        "label": "Death",
        "plain_label": "died",
        "role": "harm",
        "type": "binary",
        "measure": "RR",
        "data": rows,
        **({"subgroup": variable} if groups else {}),
    }
    return ReportConfig.model_validate(
        {"report": {"id": "svg", "title": "SVG"}, "studies": studies, "outcomes": [outcome]}
    )


def result_of(labels: list[str], groups: int = 0):
    return analyse(two_arm(labels, groups)).outcomes[0]


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def test_hostile_labels_stay_text_inside_the_svg():
    result = result_of(HOSTILE)
    svg = forest_plot_svg(result)
    root = ET.fromstring(svg)  # parses: every character escaped or replaced
    assert not [e for e in root.iter() if e.tag.removeprefix(NS) in ("script", "foreignObject")]
    shown = texts(svg)
    for label in HOSTILE[:3]:
        assert label in shown
    assert "Bell\ufffd and \ufffd controls" in shown
    long = next(t for t in shown if t.startswith("Long Long"))
    assert long.endswith("\u2026") and text_width(long, 8.5) <= LABEL_ROOM
    width = float(root.get("viewBox").split()[2])
    assert width < 504 + LABEL_ROOM
    for node in root.iter(f"{NS}text"):
        assert 0 <= float(node.get("x")) <= width


def test_labels_and_two_line_favours_words_are_texts_of_their_own():
    result = result_of([f"Study {i} & co <{i}>" for i in range(12)])
    shown = texts(forest_plot_svg(result))
    assert {s.label for s in result.studies} <= set(shown)
    assert {"\u2190 Lower with", "intervention", "Higher with \u2192"} <= set(shown)


def test_hostile_subgroup_names_and_titles_are_escaped():
    labels = [f"Study {i}" for i in range(6)]
    config = two_arm(labels, groups=2)
    outcome = config.outcomes[0].model_copy(update={"label": "Death </title><script>"})
    result = analyse(config.model_copy(update={"outcomes": [outcome]})).outcomes[0]
    svg = forest_plot_svg(result)
    root = ET.fromstring(svg)
    assert root.find(f"{NS}title").text == "Forest plot: Death </title><script>"
    assert root.get("role") == "img"
    assert "region: G0" in texts(svg)


def test_a_long_outcome_label_on_the_axis_stays_inside_the_figure():
    from test_figures import config

    base = config()
    outcome = base.outcomes[0].model_copy(update={"label": "Rate <&> " * 60})
    result = analyse(base.model_copy(update={"outcomes": [outcome]})).outcomes[0]
    root = ET.fromstring(forest_plot_svg(result))
    width = float(root.get("viewBox").split()[2])
    title = next(t for t in root.iter(f"{NS}text") if (t.text or "").startswith("Rate <&>"))
    half = text_width(title.text, 8.5) / 2
    assert title.text.endswith("\u2026") and float(title.get("x")) - half >= 0
    assert float(title.get("x")) + half <= width


def test_writer_escapes_and_formats_numbers_one_way():
    assert xml_text("a<b>&\"'\x00") == "a&lt;b&gt;&amp;&quot;&#39;\ufffd"
    assert [num(v) for v in (1.0, -0.0001, 2.345, 100.0, 12.5)] == ["1", "0", "2.35", "100", "12.5"]
    assert shorten("short", 100, 8.5) == "short"
    cut = shorten("x" * 1000, 50, 8.5)
    assert cut.endswith("\u2026") and text_width(cut, 8.5) <= 50


def test_same_results_give_the_same_bytes():
    result = result_of([f"Study {i}" for i in range(40)], groups=3)
    assert forest_plot_svg(result) == forest_plot_svg(result)
    again = result_of([f"Study {i}" for i in range(40)], groups=3)
    assert draw_figures(_Results(result)) == draw_figures(_Results(again))


class _Results:
    def __init__(self, *outcomes):
        self.outcomes = outcomes


def _elements(svg: str) -> int:
    return sum(1 for _ in ET.fromstring(svg).iter())


def test_element_count_grows_linearly_and_shapes_share_elements():
    counts = {}
    for k in (20, 40, 80):
        svg = forest_plot_svg(result_of([f"Study {i}" for i in range(k)]))
        counts[k] = _elements(svg)
        root = ET.fromstring(svg)
        tags = [e.tag.removeprefix(NS) for e in root.iter()]
        assert tags.count("path") <= 8  # intervals, diamonds, axis, lines: one path each
        assert tags.count("rect") == k + 1  # a square per study, and the background
        assert not {"use", "defs", "clipPath", "image"} & set(tags)
        assert 'transform="' not in svg
    per_study = (counts[40] - counts[20]) / 20
    assert counts[80] - counts[40] == 40 * per_study
    assert per_study == 6  # five texts (label, two data cells, weight, interval), a square


@pytest.mark.parametrize(("k", "groups"), [(120, 0), (100, 20)])
def test_every_part_shows_its_studies_the_header_and_the_axis(k, groups):
    result = result_of([f"Study {i:04d} et al" for i in range(k)], groups)
    parts = forest_parts(result)
    assert len(parts) > 1
    for number, part in enumerate(parts):
        shown = texts(forest_plot_svg(result, part))
        members = [i for block in part.blocks for i in block.members]
        assert {result.studies[i].label for i in members} <= set(shown)
        assert {"Study", "Weight", "RR [95% CI]", "Risk ratio (log scale)"} <= set(shown)
        assert ("Random effects" in shown) == (number == len(parts) - 1)


def _squares(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{NS}g") if g.get("fill") == SQUARE_COLOUR)
    return list(group)


def test_square_area_is_proportional_to_weight_and_centred_on_the_estimate():
    result = result_of([f"Study {i}" for i in range(8)])
    layout = forest_layout(result)
    squares = _squares(forest_plot_svg(result))
    assert len(squares) == result.k
    areas = [float(s.get("width")) * float(s.get("height")) for s in squares]
    for area, expected in zip(areas, layout.marker_areas, strict=True):
        assert area == pytest.approx(expected, rel=2e-3)  # coordinates to 0.01 point
    ratios = [a / s.weight for a, s in zip(areas, result.studies, strict=True) if a > 10.5]
    assert max(ratios) == pytest.approx(min(ratios), rel=4e-3)
    centres = [float(s.get("x")) + float(s.get("width")) / 2 for s in squares]
    order = sorted(range(result.k), key=lambda i: result.studies[i].estimate)
    assert [centres[i] for i in order] == sorted(centres)  # left to right by estimate
    # The pooled diamond's top vertex sits at the pooled estimate on the squares' log scale.
    root = ET.fromstring(forest_plot_svg(result))
    diamonds = next(p for p in root.iter(f"{NS}path") if p.get("fill") == DIAMOND_COLOUR)
    top = float(re.findall(r"L([-\d.]+) ", diamonds.get("d"))[0])
    a, b = order[0], order[-1]
    logs = [math.log(result.studies[i].estimate) for i in (a, b)]
    slope = (centres[b] - centres[a]) / (logs[1] - logs[0])
    expected = centres[a] + slope * (math.log(result.pooled.estimate) - logs[0])
    assert top == pytest.approx(expected, abs=0.05)


def test_drawing_forest_plots_never_imports_matplotlib():
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_forest_svg import result_of\n"
        "from reportgen.present.figures.forest import forest_plot_svg\n"
        "forest_plot_svg(result_of([f'Study {i}' for i in range(5)]))\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
