"""Large reviews print whole: a forest plot taller than a page is cut into page-sized parts
(header and axis on each, the pooled rows on the last), and every study and the pooled result
are in the PDF's text. Formats that show no figures draw none."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections import Counter

import pytest

from reportgen.config.schema import ReportConfig
from reportgen.present.figures.forest_layout import (
    PAGE_ROWS,
    POOLED_ROWS,
    forest_layout,
    forest_parts,
)
from reportgen.present.format import effect_value
from reportgen.publish.build import build_report
from reportgen.stats.analysis import analyse

INTERVAL = re.compile(r"\d+\.\d\d \[\d+\.\d\d, \d+\.\d\d\]")  # how the plot writes "RR [95% CI]"


def large_config(k: int, groups: int = 0, report_id: str = "large") -> str:
    """A two-arm binary outcome with ``k`` studies (in ``groups`` subgroups if not 0)."""
    rng = random.Random(k * 31 + groups)
    lines = ["report:", f"  id: {report_id}", f"  title: A review of {k} studies", "studies:"]
    for i in range(k):
        group = f", region: Region {i % groups + 1:02d}" if groups else ""
        lines.append(f"  - {{id: s{i}, label: Study {i:04d} et al{group}}}")
    lines += [
        "outcomes:",
        "  - id: death",
        "    label: Death",
        "    plain_label: died",
        "    role: harm",
        "    type: binary",
        "    measure: RR",
        "    method: REML",
        *(["    subgroup: region"] if groups else []),
        "    data:",
    ]
    for i in range(k):
        n1, n2 = rng.randint(40, 400), rng.randint(40, 400)
        e1, e2 = rng.randint(2, n1 // 3), rng.randint(2, n2 // 3)
        lines.append(
            f"      - {{study: s{i}, intervention: {{events: {e1}, total: {n1}}}, "
            f"control: {{events: {e2}, total: {n2}}}}}"
        )
    return "\n".join(lines) + "\n"


def outcome(k: int, groups: int = 0):
    import yaml

    return analyse(ReportConfig.model_validate(yaml.safe_load(large_config(k, groups)))).outcomes[0]


@pytest.mark.parametrize(("k", "groups"), [(120, 0), (100, 20), (40, 2), (90, 3)])
def test_parts_fit_a_page_and_hold_every_study_once(k, groups):
    result = outcome(k, groups)
    parts = forest_parts(result)
    assert len(parts) > 1
    assert [part.pooled for part in parts] == [False] * (len(parts) - 1) + [True]
    members = [i for part in parts for block in part.blocks for i in block.members]
    assert sorted(members) == list(range(k))
    for part in parts:
        rows = sum(block.rows for block in part.blocks) + (POOLED_ROWS if part.pooled else 0)
        assert rows <= PAGE_ROWS
        layout = forest_layout(result, part)
        assert len(layout.study_rows) == sum(len(block.members) for block in part.blocks)
    if groups:
        # Every subgroup's diamond is drawn once; a group that fits a page is never cut.
        diamonds = [b.group for part in parts for b in part.blocks if b.closes]
        assert sorted(diamonds) == list(range(groups))
        cut = [b.group for part in parts for b in part.blocks if b.continued]
        assert all(len(subgroup_rows(result, g)) + 2.4 > PAGE_ROWS for g in cut)


def subgroup_rows(result, group_index):
    label = result.subgroups.groups[group_index].label
    return [i for i in range(result.k) if result.study_groups[i] == label]


def test_small_plot_is_one_part():
    result = outcome(20)
    assert len(forest_parts(result)) == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(("k", "groups"), [(120, 0), (100, 20)])
def test_pdf_shows_every_study_and_the_pooled_row(tmp_path, k, groups):
    config = tmp_path / "large.yaml"
    config.write_text(large_config(k, groups), encoding="utf-8")
    built = build_report(config, tmp_path / "out", formats=("pdf",))
    text = subprocess.run(
        ["pdftotext", str(built.folder / "report.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = outcome(k, groups)
    measure = result.outcome.measure

    def interval(fit) -> str:
        values = (fit.estimate, fit.ci_lower, fit.ci_upper)
        est, low, high = (effect_value(v, measure) for v in values)
        return f"{est} [{low}, {high}]"

    expected = Counter(interval(s) for s in result.studies)
    expected[interval(result.pooled)] += 1
    if groups:
        expected.update(interval(g.pooled) for g in result.subgroups.groups)
        assert all(f"region: {g.label}" in text for g in result.subgroups.groups)
    printed = Counter(INTERVAL.findall(text))
    assert not expected - printed, f"missing from the PDF: {sorted(expected - printed)[:5]}"
    assert all(s.label in text for s in result.studies)
    assert "Random effects" in text and "Heterogeneity:" in text


def test_json_only_draws_no_figures_and_keeps_published_ones(tmp_path, monkeypatch):
    config = tmp_path / "large.yaml"
    config.write_text(large_config(12), encoding="utf-8")
    built = build_report(config, tmp_path / "out", formats=("html", "json"))
    figures = sorted(p.name for p in (built.folder / "figures").iterdir())
    assert "death.svg" in figures
    before = (built.folder / "figures" / "death.svg").read_bytes()

    def no_drawing(*args, **kwargs):
        raise AssertionError("a JSON-only build drew figures")

    monkeypatch.setattr("reportgen.present.figures.forest.draw_figures", no_drawing)
    monkeypatch.setattr("reportgen.present.figures.forest.forest_plot_svg", no_drawing)
    build_report(config, tmp_path / "out", formats=("json",))
    assert (built.folder / "report.html").is_file()
    assert (built.folder / "figures" / "death.svg").read_bytes() == before

    fresh = build_report(config, tmp_path / "fresh", formats=("json",))
    assert not (fresh.folder / "figures").exists()
    assert sorted(p.name for p in fresh.folder.iterdir()) == ["manifest.json", "results.json"]


def test_split_plot_is_drawn_once_and_its_figure_is_the_parts_stacked(monkeypatch):
    from types import SimpleNamespace
    from xml.etree import ElementTree

    from reportgen.present.figures import forest

    result = outcome(120)
    drawn = []
    draw = forest.forest_plot_svg

    def counting(result, part=None, rob=None):
        drawn.append(part)
        return draw(result, part, rob)

    monkeypatch.setattr(forest, "forest_plot_svg", counting)
    figures, print_parts = forest.draw_figures(SimpleNamespace(outcomes=(result,)))
    whole, parts = figures["death"], print_parts["death"]
    assert len(parts) == len(forest_parts(result)) > 1
    assert drawn == list(forest_parts(result))  # each part once, no whole plot besides
    root = ElementTree.fromstring(whole)
    nested = root.findall("{http://www.w3.org/2000/svg}svg")
    assert len(nested) == len(parts)
    offsets = [float(svg.get("y")) for svg in nested]
    assert offsets == sorted(offsets) and offsets[0] == 0
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {s.label for s in result.studies} <= texts
