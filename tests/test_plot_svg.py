"""Funnel and bubble plots as written (``figures/funnel.py``, ``figures/bubble.py`` over
``plot_axes`` and ``svgwriter``): one circle per study (and per imputed study) in one path
each, the standard error down the y axis from 0, every editor-written text escaped, the same
bytes every time, a handful of elements at k = 1,000, and no matplotlib on their path. (The
bubble plot's data and its words: test_metareg_report.py.)"""

from __future__ import annotations

import dataclasses
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_forest_svg import HOSTILE, result_of

from reportgen.config.load import load_config
from reportgen.present.figures.bubble import bubble_plot_svg
from reportgen.present.figures.funnel import funnel_plot_svg
from reportgen.present.figures.plot_axes import round_ticks
from reportgen.present.figures.style import SQUARE_COLOUR
from reportgen.stats.analysis import analyse

NS = "{http://www.w3.org/2000/svg}"
BCG = Path(__file__).resolve().parent.parent / "configs" / "bcg-vaccine-tuberculosis.yaml"
CIRCLE = re.compile(r"M([-\d.]+) ([-\d.]+)a([\d.]+) ")


@pytest.fixture(scope="module")
def bcg():
    return analyse(load_config(BCG).config).outcomes[0]


def centres(svg: str, fill: str) -> list[tuple[float, float]]:
    """The centres of the circles in the path filled with ``fill`` (none if there is none)."""
    paths = [p for p in ET.fromstring(svg).iter(f"{NS}path") if p.get("fill") == fill]
    assert len(paths) <= 1, "the points are one path"
    found = CIRCLE.findall(paths[0].get("d", "")) if paths else []
    return [(float(x) + float(r), float(y)) for x, y, r in found]


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def with_label(result, label: str):
    return dataclasses.replace(result, outcome=result.outcome.model_copy(update={"label": label}))


def test_one_point_per_study_and_per_imputed_study(bcg):
    svg = funnel_plot_svg(bcg)
    studies, imputed = centres(svg, SQUARE_COLOUR), centres(svg, "#ffffff")
    assert len(studies) == bcg.k == 13
    assert len(imputed) == bcg.small_study.trimfill.k0 == 1
    # Standard error down the y axis from 0 at the top: the most precise study is highest.
    se = [math.sqrt(s.vi) for s in bcg.studies]
    assert sorted(range(13), key=lambda i: studies[i][1]) == sorted(range(13), key=se.__getitem__)
    assert studies[se.index(min(se))][1] == min(y for _, y in studies)
    # Effects left to right in the order of their values (the analysis scale).
    yi = [s.yi for s in bcg.studies]
    assert sorted(range(13), key=lambda i: studies[i][0]) == sorted(range(13), key=yi.__getitem__)
    # The imputed study mirrors a study about the pooled estimate at the same height.
    (mirror,) = imputed
    assert any(abs(y - mirror[1]) < 0.02 for _, y in studies)
    shown = texts(svg)
    assert {"Risk ratio (log scale)", "Standard error", "Study", "Imputed by trim and fill"} <= set(
        shown
    )
    assert {"0.0", "0.1", "0.7", "0.2", "0.5", "1", "2"} <= set(shown)


def test_no_imputed_points_nor_legend_without_them():
    result = result_of([f"Study {i}" for i in range(12)])
    small = dataclasses.replace(
        result.small_study,
        trimfill=dataclasses.replace(result.small_study.trimfill, filled_yi=(), filled_vi=(), k0=0),
    )
    svg = funnel_plot_svg(dataclasses.replace(result, small_study=small))
    assert len(centres(svg, SQUARE_COLOUR)) == 12 and centres(svg, "#ffffff") == []
    assert "Imputed by trim and fill" not in svg and "<circle" not in svg


def test_funnel_plot_is_lean_and_keeps_its_text():
    """What the matplotlib figure needed ``svgclean`` for: no group that only names itself, no
    identity rotations, no metadata, no glyph definitions, and the words as text."""
    result = result_of([f"Study {i}" for i in range(12)])  # a funnel: k >= 10
    svg = funnel_plot_svg(result)
    assert not re.search(r'<g id="[^"]*">', svg)
    assert "rotate(-0" not in svg and "<metadata" not in svg and "<use" not in svg
    assert "Risk ratio (log scale)" in texts(svg)


def test_accessible_name_escaped_and_deterministic(bcg):
    for label in HOSTILE:
        svg = funnel_plot_svg(with_label(bcg, label))
        root = ET.fromstring(svg)  # parses: every character escaped or replaced
        assert root.get("role") == "img"
        assert not [e for e in root.iter() if e.tag.removeprefix(NS) in ("script", "foreignObject")]
        title = root.find(f"{NS}title")
        assert title is not None and title.text.startswith("Funnel plot: ")
        assert svg == funnel_plot_svg(with_label(bcg, label))
    assert "&lt;/text&gt;&lt;script&gt;" in funnel_plot_svg(with_label(bcg, HOSTILE[0]))


def test_bubble_plot_escapes_what_editors_wrote(bcg):
    (regression,) = bcg.meta_regression
    for words in HOSTILE:
        named = dataclasses.replace(regression, name=words)
        svg = bubble_plot_svg(named, bcg, words, words)
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and svg == bubble_plot_svg(named, bcg, words, words)
        assert root.find(f"{NS}title").text == root.find(f"{NS}desc").text
        assert not [e for e in root.iter() if e.tag.removeprefix(NS) in ("script", "foreignObject")]
    svg = bubble_plot_svg(dataclasses.replace(regression, name=HOSTILE[1]), bcg, "t", "d")
    assert HOSTILE[1] in texts(svg)  # the x axis title, shown as typed
    assert len(centres(svg, SQUARE_COLOUR)) == bcg.k  # one bubble per study, one path


def test_a_thousand_studies_are_a_handful_of_elements():
    small = funnel_plot_svg(result_of([f"Study {i}" for i in range(20)]))
    large = funnel_plot_svg(result_of([f"Study {i}" for i in range(1000)]))
    assert len(centres(large, SQUARE_COLOUR)) == 1000
    elements = len(list(ET.fromstring(large).iter()))
    assert elements <= 50 and len(texts(large)) <= 25
    # Only the tick labels may differ: nothing is drawn per study but its circle.
    assert abs(elements - len(list(ET.fromstring(small).iter()))) <= 6
    assert len(large) < 100 * 1000  # about 75 bytes a circle


def test_round_ticks():
    assert [label for _, label in round_ticks(0, 0.76)] == [f"0.{i}" for i in range(8)]
    assert [label for _, label in round_ticks(-1.2, 0.3)] == [
        "\u22121.2",
        "\u22121.0",
        "\u22120.8",
        "\u22120.6",
        "\u22120.4",
        "\u22120.2",
        "0.0",
        "0.2",
    ]
    quarters = ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25", "1.50"]
    assert [label for _, label in round_ticks(0, 1.6)] == quarters
    assert [v for v, _ in round_ticks(13, 55)] == [20, 30, 40, 50]


def test_drawing_funnel_and_bubble_plots_never_imports_matplotlib():
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from pathlib import Path\n"
        "from reportgen.config.load import load_config\n"
        "from reportgen.present.figures.forest import draw_figures\n"
        "from reportgen.stats.analysis import analyse\n"
        f"results = analyse(load_config(Path({str(BCG)!r})).config)\n"
        "figures, _ = draw_figures(results)\n"
        "assert {'tuberculosis-funnel', 'tuberculosis-bubble-1'} <= set(figures), set(figures)\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
