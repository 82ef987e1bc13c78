"""A report's `level:` reaches the meta-regression: coefficient CIs and prediction intervals at
90%, against metafor's ``rma(yi, vi, mods = ~ ablat, data = dat.bcg, level = 90)`` and its
``predict(newmods = 55)`` (metafor 3.8-1, R 4.2.2; values printed with 12 decimals)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.publish.build import build_report

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
# Intercept and slope CI bounds, then the prediction at latitude 55 (CI, PI), analysis scale.
METAFOR_90 = {
    "ci": [(-0.158274774773, 0.661203363521), (-0.040937295268, -0.017266026588)],
    "prediction_55": (-1.679913603870, -1.018340509463, -1.911266438192, -0.786987675141),
}
TOLERANCE = 1e-6  # REML's convergence, as the other meta-regression pins


def test_the_report_level_sets_the_meta_regression_intervals(tmp_path: Path) -> None:
    text = (CONFIGS / "bcg-vaccine-tuberculosis.yaml").read_text(encoding="utf-8")
    text = text.replace("  illustrative: false\n", "  illustrative: false\n  level: 90\n", 1)
    config = tmp_path / "bcg.yaml"
    config.write_text(text, encoding="utf-8")
    build_report(config, tmp_path / "out", formats=["json"], allow_untraced_numbers=True)
    document = json.loads((tmp_path / "out/bcg-vaccine-tuberculosis/results.json").read_text())
    regression = document["outcomes"][0]["meta_regression"][0]
    for coefficient, (lower, upper) in zip(
        regression["coefficients"], METAFOR_90["ci"], strict=True
    ):
        assert coefficient["ci_lower"] == pytest.approx(lower, abs=TOLERANCE)
        assert coefficient["ci_upper"] == pytest.approx(upper, abs=TOLERANCE)
    at_55 = next(p for p in regression["predictions"] if p["at"] == {"latitude": 55})["model"]
    shown = (at_55["ci_lower"], at_55["ci_upper"], at_55["pi_lower"], at_55["pi_upper"])
    assert shown == pytest.approx(METAFOR_90["prediction_55"], abs=TOLERANCE)
