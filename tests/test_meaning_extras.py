"""Issue 10, remaining parts: an SMD re-expressed on a familiar scale (Cochrane Handbook
15.5.3.2), the headline that does not repeat the first finding, events in the past tense, the
collapsible source abstract, and the asthma example built through the publishing path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reportgen.checks.faithfulness import visible_text
from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report

ROOT = Path(__file__).resolve().parent.parent
ASTHMA = ROOT / "configs" / "asthma-self-management.yaml"

HEADER = """\
report:
  id: meaning-extras
  title: Meaning extras
  intervention: a group exercise programme
studies:
  - {id: a, label: A 2020, design: randomised trial}
  - {id: b, label: B 2021, design: randomised trial}
  - {id: c, label: C 2022, design: randomised trial}
outcomes:
"""
MOOD = """\
  - id: mood
    label: Depression score
    plain_label: depression score
    role: benefit
    type: continuous
    measure: SMD
    good: lower
    familiar_scale:
      name: Beck Depression Inventory (0 to 63)
      unit: points
      sd: 10
      source: the control group of B 2021
    data:
      - {study: a, intervention: {mean: 14, sd: 9, n: 60}, control: {mean: 19, sd: 10, n: 60}}
      - {study: b, intervention: {mean: 15, sd: 10, n: 80}, control: {mean: 20, sd: 10, n: 80}}
      - {study: c, intervention: {mean: 13, sd: 8, n: 70}, control: {mean: 18, sd: 9, n: 70}}
"""
DEATH = """\
  - id: death
    label: Overall survival
    plain_label: died
    role: harm
    side_effect: false
    type: generic
    measure: HR
    good: lower
    event: died
    data:
      - {study: a, estimate: 0.72, ci_lower: 0.55, ci_upper: 0.94}
      - {study: b, estimate: 0.80, se: 0.1}
      - {study: c, estimate: 0.74, ci_lower: 0.60, ci_upper: 0.91}
"""


def _summary(folder: Path) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    match = re.search(r'<section id="summary".*?\n</section>', page, re.DOTALL)
    assert match
    return visible_text(match.group(0))


def test_smd_is_said_on_the_familiar_scale_everywhere(write_config, tmp_path):
    folder = build_report(write_config(HEADER + MOOD), tmp_path / "out").folder
    document = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    outcome = document["outcomes"][0]
    familiar = outcome["interpretation"]["familiar_scale"]
    pooled = outcome["pooled"]
    # SMD x SD for the estimate and both limits (Handbook 15.5.3.2); existing keys are kept.
    assert familiar["estimate"] == pytest.approx(pooled["estimate"] * 10)
    assert familiar["ci_lower"] == pytest.approx(pooled["ci_lower"] * 10)
    assert familiar["ci_upper"] == pytest.approx(pooled["ci_upper"] * 10)
    assert (familiar["name"], familiar["unit"], familiar["sd"]) == (
        "Beck Depression Inventory (0 to 63)",
        "points",
        10,
    )
    assert {"good", "event", "unit", "mid", "size", "direction", "favours", "statement"} <= set(
        outcome["interpretation"]
    )
    points = f"{abs(familiar['estimate']):.1f}"
    sentence = f"On the Beck Depression Inventory (0 to 63), that is about {points} points lower"
    assert sentence in outcome["statement"]["text"]
    assert sentence in _summary(folder)
    assert "as in the control group of B 2021" in _summary(folder)
    page = (folder / "report.html").read_text(encoding="utf-8")
    brief = re.search(r'<section id="brief".*?\n</section>', page, re.DOTALL)
    assert brief and sentence in visible_text(brief.group(0))


@pytest.mark.parametrize(
    ("outcome", "old", "new", "message"),
    [
        (MOOD, "measure: SMD", "measure: MD\n    unit: points\n    mid: 3", "familiar_scale"),
        (MOOD, "sd: 10", "sd: 0", "familiar_scale.sd"),
        (MOOD, "      unit: points\n", "", "familiar_scale.unit"),
    ],
)
def test_a_malformed_familiar_scale_is_a_located_error(write_config, outcome, old, new, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(HEADER + outcome.replace(old, new)))
    problems = [str(p) for p in caught.value.problems]
    assert any(re.search(rf":\d+: outcomes\[0\]\.{re.escape(message)}\b", p) for p in problems), (
        problems
    )


def test_headline_does_not_repeat_the_first_finding(write_config, tmp_path):
    folder = build_report(write_config(HEADER + DEATH), tmp_path / "out").folder
    text = _summary(folder)
    lines = text.splitlines()
    headline = lines[1]
    assert headline == "A group exercise programme and how many people died: it helps"
    finding = next(line for line in lines if line.startswith("Overall survival:"))
    assert headline.rstrip(".") not in finding


def test_events_in_the_past_tense_read_correctly(write_config, tmp_path):
    folder = build_report(write_config(HEADER + DEATH), tmp_path / "out").folder
    page = visible_text((folder / "report.html").read_text(encoding="utf-8"))
    assert "fewer people died, or that they died later" in page
    assert "the chance that someone died was about" in page
    # "died" is a verb: never followed by a noun that assumes a noun phrase.
    assert not re.search(r"\bdied (events?|outcomes?|cases?|people)\b", page)


def test_abstract_is_collapsible_in_html_and_printed(write_config, tmp_path):
    abstract = "Background: a quoted abstract with RR 0.64 (0.50 to 0.82), kept as written."
    config = HEADER.replace("  intervention:", f'  abstract: "{abstract}"\n  intervention:') + MOOD
    folder = build_report(write_config(config), tmp_path / "out").folder
    page = (folder / "report.html").read_text(encoding="utf-8")
    details = re.search(r'<details class="abstract"><summary>(.*?)</summary><p>(.*?)</p>', page)
    assert details and details.group(1) == "Abstract of the source review"
    assert details.group(2) == abstract  # numbers in a quoted abstract are not checked


def test_asthma_example_builds_without_warnings(capsys, tmp_path):
    from reportgen.cli import main

    assert main(["build", str(ASTHMA), "--out", str(tmp_path / "out"), "--strict"]) == 0
    assert "warning" not in capsys.readouterr().err
    document = json.loads(
        (tmp_path / "out" / "asthma-self-management" / "results.json").read_text(encoding="utf-8")
    )
    types = {o["type"]: o["measure"] for o in document["outcomes"]}
    assert types == {"continuous": "SMD", "binary": "RR"}
