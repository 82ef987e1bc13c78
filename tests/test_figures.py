"""Forest plots are tested by structure (rows, weights, text), not pixels."""

from __future__ import annotations

import re

from reportgen.config.schema import ReportConfig
from reportgen.present.figures.forest import MAX_MARKER_AREA, forest_layout, forest_plot_svg
from reportgen.stats.analysis import analyse


def config(method: str = "REML", k: int = 4) -> ReportConfig:
    counts = [(12, 40), (30, 50), (5, 25), (40, 60), (9, 30)][:k]
    return ReportConfig.model_validate(
        {
            "report": {"id": "fig", "title": "Figure test"},
            "studies": [{"id": f"s{i}", "label": f"Study {i}"} for i in range(k)],
            "outcomes": [
                {
                    "id": "rate",
                    "label": "Rate",
                    "plain_label": "had it",
                    "role": "harm",
                    "type": "proportion",
                    "method": method,
                    "data": [
                        {"study": f"s{i}", "events": e, "total": n}
                        for i, (e, n) in enumerate(counts)
                    ],
                }
            ],
        }
    )


def test_layout_has_one_row_per_study_and_scaled_squares():
    result = analyse(config()).outcomes[0]
    layout = forest_layout(result)
    assert layout.study_rows == (4.0, 3.0, 2.0, 1.0)
    assert layout.pooled_row < min(layout.study_rows)
    assert layout.prediction_row is not None and layout.prediction_row < layout.pooled_row
    heaviest = max(range(4), key=lambda i: result.studies[i].weight)
    assert layout.marker_areas[heaviest] == MAX_MARKER_AREA
    ratios = [a / s.weight for a, s in zip(layout.marker_areas, result.studies, strict=True)]
    assert max(ratios) - min(ratios) < 1e-9 * max(ratios)


def test_fixed_effect_plot_has_no_prediction_row():
    result = analyse(config("FE")).outcomes[0]
    assert forest_layout(result).prediction_row is None


def test_svg_is_deterministic_and_undated():
    result = analyse(config()).outcomes[0]
    first, second = forest_plot_svg(result), forest_plot_svg(result)
    assert first == second
    assert "<dc:date>" not in first
    assert re.search(r'<svg[^>]+width="504pt"', first)  # 7 inches wide


def test_single_study_plot_renders():
    result = analyse(config(k=1)).outcomes[0]
    assert forest_layout(result).prediction_row is None
    assert "<svg" in forest_plot_svg(result)
