"""The appendix's methods paragraphs: each analysis set-up said once."""

from __future__ import annotations

from pathlib import Path

import yaml

from reportgen.config.schema import ReportConfig
from reportgen.present.appendix import methods_paragraphs
from reportgen.stats.analysis import analyse

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def paragraphs(name: str) -> list[str]:
    text = (CONFIGS / f"{name}.yaml").read_text(encoding="utf-8")
    return methods_paragraphs(analyse(ReportConfig.model_validate(yaml.safe_load(text))))


def test_one_pooling_model_for_several_measures_is_said_once():
    """matched-targeted: HR, OR, RR and SMD outcomes, all DerSimonian-Laird with z tests."""
    text = " ".join(paragraphs("matched-targeted-therapy-advanced-cancer"))
    assert text.count("DerSimonian-Laird estimator") == 1
    assert text.count("prediction interval, estimate") == 1
    assert text.count("Ratios were pooled on the log scale") == 1
    for measure in ("hazard ratio", "odds ratio", "risk ratio", "standardised mean difference"):
        assert text.count(f"expressed as the {measure}") == 1
    assert "All outcomes were pooled with a random-effects model" in text


def test_different_pooling_models_stay_with_their_outcomes():
    """asthma: Mantel-Haenszel for one outcome, a fixed-effect inverse-variance model for the
    other: each paragraph names its own."""
    first, second = paragraphs("asthma-self-management")[:2]
    assert "risk ratio" in first and "Mantel-Haenszel" in first
    assert "standardised mean difference" in second and "inverse-variance" in second
    assert not any(
        p.startswith("All outcomes were pooled") for p in paragraphs("asthma-self-management")
    )


def test_one_outcome_set_up_is_one_paragraph():
    """venetoclax: every outcome a logit proportion pooled by REML: one paragraph for all."""
    first = paragraphs("venetoclax-rr-aml")[0]
    assert first.startswith("For all outcomes, study results were expressed as")
    assert "pooled with a random-effects model" in first and "prediction interval" in first
