"""Two-arm and generic outcomes through the whole pipeline, and their data checks."""

from __future__ import annotations

import json

import pytest

from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report

HEADER = """\
report: {id: types, title: Outcome types}
studies:
  - {id: a, label: Alpha 2001, setting: urban}
  - {id: b, label: Beta 2003, setting: rural}
  - {id: c, label: Gamma 2005, setting: urban}
  - {id: d, label: Delta 2007, setting: rural}
outcomes:
"""
BINARY = """\
  - id: deaths
    label: Deaths
    plain_label: died
    role: harm
    side_effect: false
    type: binary
    measure: OR
    method: MH
    subgroup: setting
    sensitivity: [{name: Random effects, method: REML}]
    data:
      - {study: a, intervention: {events: 4, total: 50}, control: {events: 9, total: 52}}
      - {study: b, intervention: {events: 0, total: 30}, control: {events: 3, total: 31}}
      - {study: c, intervention: {events: 12, total: 80}, control: {events: 15, total: 78}}
      - {study: d, intervention: {events: 7, total: 60}, control: {events: 12, total: 61}}
"""
CONTINUOUS = """\
  - id: pain
    label: Pain score
    plain_label: pain
    role: harm
    side_effect: false
    type: continuous
    measure: SMD
    good: lower
    data:
      - {study: a, intervention: {mean: 3.1, sd: 1.2, n: 40}, control: {mean: 3.9, sd: 1.4, n: 41}}
      - {study: b, intervention: {mean: 2.8, sd: 1.1, n: 25}, control: {mean: 3.0, sd: 1.0, n: 24}}
      - {study: c, intervention: {mean: 4.0, sd: 2.0, n: 60}, control: {mean: 4.6, sd: 2.1, n: 58}}
"""
GENERIC = """\
  - id: survival
    label: Overall survival
    plain_label: died during follow-up
    role: harm
    side_effect: false
    type: generic
    measure: HR
    good: lower
    event: died
    data:
      - {study: a, estimate: 0.72, ci_lower: 0.55, ci_upper: 0.94}
      - {study: b, estimate: 0.85, se: 0.1}
      - {study: c, estimate: 0.64, ci_lower: 0.45, ci_upper: 0.91}
"""


def test_every_outcome_type_builds(write_config, tmp_path):
    config = write_config(HEADER + BINARY + CONTINUOUS + GENERIC)
    built = build_report(config, tmp_path / "out", formats=("html", "json"))
    results = json.loads((built.folder / "results.json").read_text())
    deaths, pain, survival = results["outcomes"]
    assert deaths["method"] == "MH" and deaths["heterogeneity"]["tau2"] == 0
    assert deaths["pooled"]["estimate"] < 1  # odds ratio on the natural scale
    assert [g["value"] for g in deaths["subgroups"]["groups"]] == ["urban", "rural"]
    assert {"q_between", "q_between_df", "q_between_p"} <= set(deaths["subgroups"])
    assert [r["omitted"] for r in deaths["leave_one_out"]] == ["a", "b", "c", "d"]
    assert deaths["sensitivity"][0]["name"] == "Random effects"
    assert "small_study" not in deaths  # k < 10
    assert pain["measure"] == "SMD" and pain["pooled"]["estimate"] < 0
    assert survival["studies"][1]["vi"] == pytest.approx(0.01)
    html = (built.folder / "report.html").read_text(encoding="utf-8")
    assert "compared with" in html  # absolute risks in both groups for the binary outcome
    assert "Subgroups by setting" in html and "Leave-one-out analysis" in html
    assert "Small-study tests (Egger, Begg, trim and fill) were not run" in html


def problems(write_config, text):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(HEADER + text))
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "sd: 1.2, n: 40",
            "sd: 0, n: 40",
            "config.yaml:17: outcomes[0].data[0].intervention.sd: must be greater than 0, got 0",
        ),
        (
            "sd: 1.2, n: 40",
            "sd: 1.2, n: 1",
            "config.yaml:17: outcomes[0].data[0].intervention.n: must be at least 2, got 1",
        ),
        (
            ", control: {mean: 3.9, sd: 1.4, n: 41}}",
            "}",
            "config.yaml:17: outcomes[0].data[0].control: required key is missing",
        ),
    ],
)
def test_continuous_data_checks(write_config, old, new, expected):
    assert expected in problems(write_config, CONTINUOUS.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "estimate: 0.72, ci_lower: 0.55",
            "estimate: 0.50, ci_lower: 0.55",
            "config.yaml:18: outcomes[0].data[0].estimate: the confidence interval 0.55 to 0.94 "
            "does not contain the estimate 0.5",
        ),
        (
            "estimate: 0.72, ci_lower: 0.55",
            "estimate: -0.2, ci_lower: -0.5",
            "config.yaml:18: outcomes[0].data[0].estimate: a HR must be greater than 0, got -0.2",
        ),
        (
            "{study: b, estimate: 0.85, se: 0.1}",
            "{study: b, estimate: 0.85}",
            "config.yaml:19: outcomes[0].data[1]: give either se, or both ci_lower and ci_upper",
        ),
        (
            "{study: b, estimate: 0.85, se: 0.1}",
            "{study: b, estimate: 0.85, se: 0}",
            "config.yaml:19: outcomes[0].data[1].se: must be greater than 0, got 0",
        ),
    ],
)
def test_generic_data_checks(write_config, old, new, expected):
    assert expected in problems(write_config, GENERIC.replace(old, new, 1))


def test_binary_checks(write_config):
    text = BINARY.replace("events: 4, total: 50", "events: 51, total: 50").replace(
        "measure: OR\n    method: MH", "measure: RR\n    method: PETO"
    )
    found = problems(write_config, text)
    assert (
        "config.yaml:15: outcomes[0].method: method PETO gives odds ratios: set measure: OR"
        in found
    )
    assert (
        "config.yaml:19: outcomes[0].data[0].intervention.events: events (51) cannot be "
        "more than total (50)"
    ) in found


def test_unknown_type_and_subgroup(write_config):
    text = BINARY.replace("type: binary", "type: survival").replace(
        "subgroup: setting", "subgroup: country"
    )
    found = problems(write_config, text)
    assert (
        "config.yaml:13: outcomes[0].type: expected one of 'proportion', 'binary', "
        "'continuous', 'generic', 'rate', 'rate_comparison', got 'survival'"
    ) in found


def test_glmm_needs_logits(write_config, minimal_config):
    text = minimal_config.replace(
        "    type: proportion", "    type: proportion\n    method: GLMM\n    measure: PFT"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(text))
    assert [str(p) for p in caught.value.problems] == [
        "config.yaml:14: outcomes[0].method: method GLMM models logits: set measure: PLO"
    ]
