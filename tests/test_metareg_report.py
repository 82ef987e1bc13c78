"""Meta-regression through the publishing path: results.json's `meta_regression` (contract
keys), the bubble plot file beside the forest plot (structure, determinism, title/desc), the
appendix section with its alt text, and the BCG summary quoting the regression by placeholders."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from reportgen.config.load import load_config
from reportgen.present.appendix_regression import bubble_alt, draw_bubbles
from reportgen.present.figures.bubble import LARGEST_BUBBLE, bubble_plot_svg, bubble_points
from reportgen.publish.build import build_report
from reportgen.stats.analysis import analyse, analyse_outcome

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "configs" / "bcg-vaccine-tuberculosis.yaml"
CONTRACT = ("name", "moderators", "coefficients", "qm", "qm_df", "qm_p", "qe", "qe_df", "qe_p")
CONTRACT += ("r2", "tau2", "i2")
COEFFICIENT = ("term", "estimate", "se", "statistic", "p_value", "ci_lower", "ci_upper")


@pytest.fixture(scope="module")
def bcg():
    return analyse(load_config(BCG).config).outcomes[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("metareg")
    return build_report(BCG, out, formats=("html", "json")).folder


def test_results_json_has_the_contract_keys(built: Path) -> None:
    document = json.loads((built / "results.json").read_text())
    (regression,) = document["outcomes"][0]["meta_regression"]
    assert set(CONTRACT) <= set(regression)
    assert regression["moderators"] == ["latitude"]
    for coefficient in regression["coefficients"]:
        assert set(COEFFICIENT) <= set(coefficient)
    # metafor: rma(yi, vi, mods = ~ ablat, data = dat.bcg) (metafor_metareg.json pins all).
    slope = regression["coefficients"][1]
    assert slope["term"] == "latitude"
    assert slope["estimate"] == pytest.approx(-0.0291016609, rel=1e-6)
    assert regression["r2"] == pytest.approx(75.6244783615, rel=1e-6)
    at_55 = regression["predictions"][1]
    assert at_55["at"] == {"latitude": 55}
    assert at_55["estimate"] == pytest.approx(np.exp(at_55["model"]["estimate"]))


def test_bubble_plot_written_beside_the_forest_plot(built: Path) -> None:
    figures = sorted(p.name for p in (built / "figures").iterdir())
    assert "tuberculosis-bubble-1.svg" in figures and "tuberculosis.svg" in figures
    svg = (built / "figures" / "tuberculosis-bubble-1.svg").read_text()
    assert re.search(r"<svg[^>]*>\s*<title>Tuberculosis cases: Distance from", svg)
    assert "<desc>Bubble plot of tuberculosis cases" in svg
    assert "Risk ratio (log scale)" in svg


def test_appendix_section_in_words_with_alt_text(built: Path) -> None:
    page = (built / "report.html").read_text()
    assert "Meta-regression: Distance from the equator (absolute latitude)" in page
    assert (
        "Each unit more of latitude multiplied the risk ratio by 0.971 (95% CI 0.958 to 0.985"
        in page
    )
    assert "The moderators account for 75.6% of the between-study variance" in page
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="Bubble plot of', page)


def test_brief_shows_one_line(built: Path) -> None:
    page = (built / "report.html").read_text()
    brief = re.search(r'<section id="brief".*?</section>', page, re.S).group(0)
    assert (
        "Tuberculosis cases, meta-regression on latitude: RR \u00d7 0.971 per unit of latitude "
        "(95% CI 0.958 to 0.985), p &lt; 0.001; the moderators explain 75.6% of \u03c4\u00b2"
    ) in brief


def test_summary_quotes_the_regression_through_placeholders(built: Path) -> None:
    page = (built / "report.html").read_text()
    summary = re.search(r'<section id="summary".*?</section>', page, re.S).group(0)
    assert "lowered the chance of getting tuberculosis by about 74%" in summary
    assert "could not show a clear benefit" in summary  # the CI at 13 degrees includes 1
    assert "explains about 76% of the differences" in summary
    assert "{{" not in summary


def test_bubble_structure(bcg) -> None:
    (regression,) = bcg.meta_regression
    data = bubble_points(regression, bcg)
    assert data["x"].tolist() == [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]
    assert data["y"].tolist() == [s.yi for s in bcg.studies]
    assert data["area"].max() == pytest.approx(LARGEST_BUBBLE)
    weights = 1 / (np.array([s.vi for s in bcg.studies]) + regression.model.tau2)
    assert np.allclose(data["area"] / weights, data["area"][0] / weights[0])
    assert data["grid"][0] == 13 and data["grid"][-1] == 55
    assert np.all(data["lower"] < data["line"]) and np.all(data["line"] < data["upper"])
    slope = regression.model.coefficients[1].estimate
    assert np.allclose(np.diff(data["line"]) / np.diff(data["grid"]), slope)


def test_bubble_svg_deterministic_and_only_for_one_continuous_moderator(bcg) -> None:
    (regression,) = bcg.meta_regression
    alt = bubble_alt(regression, bcg)
    first = bubble_plot_svg(regression, bcg, "t", alt)
    assert first == bubble_plot_svg(regression, bcg, "t", alt)
    assert "<dc:date>" not in first
    assert "falls as latitude increases (p < 0.001)" in alt
    assert set(draw_bubbles(SimpleNamespace(outcomes=(bcg,)))) == {"tuberculosis-bubble-1"}


def test_no_bubble_for_a_categorical_moderator(bcg) -> None:
    config = load_config(BCG).config
    outcome = config.outcomes[0]
    spec = outcome.regression[0].model_copy(update={"moderators": ["allocation"], "predict_at": []})
    categorical = analyse_outcome(config, outcome.model_copy(update={"regression": [spec]}))
    (regression,) = categorical.meta_regression
    assert not regression.single_continuous()
    assert [dict(p.at) for p in regression.natural] == [
        {"allocation": level} for level in ("alternate", "random", "systematic")
    ]
    assert draw_bubbles(SimpleNamespace(outcomes=(categorical,))) == {}


@pytest.mark.parametrize("measure", ["PLO", "PFT", "PAS", "PLN"])
def test_proportion_bubble_ticks_are_percentages(measure: str) -> None:
    from reportgen.config.schema import ReportConfig

    doses = [10, 20, 30, 40, 50, 60]
    config = ReportConfig.model_validate(
        {
            "report": {"id": "x", "title": "X"},
            "studies": [{"id": f"s{i}", "label": f"S{i}", "dose": d} for i, d in enumerate(doses)],
            "outcomes": [
                {
                    "id": "rate",
                    "label": "Rate",
                    "plain_label": "had it",
                    "role": "harm",
                    "type": "proportion",
                    "measure": measure,
                    "regression": [{"name": "Dose (mg)", "moderators": ["dose"]}],
                    "data": [
                        {"study": f"s{i}", "events": e, "total": 50}
                        for i, e in enumerate([5, 9, 12, 20, 22, 30])
                    ],
                }
            ],
        }
    )
    svg = draw_bubbles(analyse(config))["rate-bubble-1"]
    assert "Proportion (transformed scale)" in svg
    assert {"10%", "30%", "50%"} <= set(re.findall(r">\s*([\d.]+%)\s*<", svg))


def test_appendix_words_for_two_moderators_under_knapp_hartung() -> None:
    from reportgen.present.appendix_regression import brief_lines, regression_sections

    config = load_config(BCG).config
    outcome = config.outcomes[0]
    spec = outcome.regression[0].model_copy(
        update={
            "name": "Latitude and allocation",
            "moderators": ["latitude", "allocation"],
            "predict_at": [{"latitude": 30, "allocation": "random"}],
            "test": "knha",
        }
    )
    result = analyse_outcome(config, outcome.model_copy(update={"regression": [spec]}))
    (section,) = regression_sections(result, {})
    text = " ".join(section["paragraphs"])
    assert "reference level 'alternate'" in text
    assert "k \u2212 p = 9 degrees of freedom" in text
    assert "F = 3.45 (df = 3, 9), p = 0.07" in text  # metafor: QM 3.4471, QMp 0.0650
    assert section["statistic"] == "t (df = 9)" and section["figure_src"] == ""
    assert [row["term"] for row in section["rows"]] == [
        "Intercept",
        "latitude",
        "allocation: random",
        "allocation: systematic",
    ]
    assert brief_lines(result) == [
        "Tuberculosis cases, meta-regression on latitude and allocation: test of moderators "
        "p = 0.07; the moderators explain 53.8% of \u03c4\u00b2 (R\u00b2); residual I\u00b2 70.1%."
    ]


def test_mantel_haenszel_outcome_regressed_by_its_inverse_variance_substitute() -> None:
    reference = json.loads((ROOT / "tests" / "reference" / "metafor_metareg.json").read_text())
    case = next(
        c
        for c in reference["cases"]
        if c["set"] == "bcg" and c["moderators"] == "ablat" and c["method"] == "FE"
        if c["test"] == "z"
    )
    config = load_config(BCG).config
    outcome = config.outcomes[0].model_copy(update={"method": "MH"})
    (regression,) = analyse_outcome(config, outcome).meta_regression
    assert regression.model.method == "FE"  # rma.uni has no MH regression
    slope = regression.model.coefficients[1]
    assert slope.estimate == pytest.approx(case["coefficients"][1]["estimate"], rel=1e-9)
