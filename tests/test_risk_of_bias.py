"""Risk of bias (issue 12 item 6): judgements per study (in the study list or a CSV), located
errors, the traffic-light and weighted summary figures, and the certainty suggestion's
risk-of-bias domain from the share of weight at high risk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.config.load import load_config
from reportgen.config.risk_of_bias import judgement_table, judgements_for
from reportgen.config.rob_tools import ROB_TOOLS, normalise_judgement, worst
from reportgen.errors import ConfigError
from reportgen.interpret.certainty import HIGH_RISK_WEIGHT
from reportgen.present.figures.risk_of_bias import MARKS

CONFIG = """\
report:
  id: rob-demo
  title: Risk of bias demo
  intervention: the drug
studies:
  - id: a
    label: Adams 2019
    design: randomised trial
    risk_of_bias: {D1: low, D2: low, D3: low, D4: some concerns, D5: low}
  - {id: b, label: Brown 2020, design: randomised trial}
  - {id: c, label: Clark 2021, design: randomised trial}
  - {id: d, label: Davis 2022, design: randomised trial}
risk_of_bias:
  tool: rob2
  judgements: rob.csv
outcomes:
  - id: death
    label: Death
    plain_label: died
    role: harm
    side_effect: false
    type: binary
    measure: RR
    good: lower
    event: died
    data:
      - {study: a, intervention: {events: 10, total: 100}, control: {events: 15, total: 100}}
      - {study: b, intervention: {events: 20, total: 200}, control: {events: 30, total: 200}}
      - {study: c, intervention: {events: 12, total: 150}, control: {events: 18, total: 150}}
      - {study: d, intervention: {events: 30, total: 300}, control: {events: 36, total: 300}}
"""
CSV = """\
study,D1,D2,D3,D4,D5,overall
b,High,Some concerns,Low,Low,Low,High
c,Low,Low,No information,Low,Low,
d,high,low,low,low,low,high
"""


@pytest.fixture
def rob_config(write_config):
    def write(config: str = CONFIG, csv: str = CSV) -> Path:
        Path("rob.csv").write_text(csv, encoding="utf-8")
        return write_config(config)

    return write


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(problem) for problem in caught.value.problems]


def test_judgements_resolve_with_the_overall_given_or_the_worst_domain(rob_config):
    table = judgement_table(load_config(rob_config()).config)
    by_study = judgements_for(table, "death")
    assert by_study["a"].domains == ("low", "low", "low", "some_concerns", "low")
    assert (by_study["a"].overall, by_study["a"].overall_given) == ("some_concerns", False)
    assert (by_study["b"].overall, by_study["b"].overall_given) == ("high", True)
    # No information is not a concern of its own: the worst judged domain is low.
    assert by_study["c"].overall == "low"


def test_a_row_for_one_outcome_wins_over_the_study_entry(rob_config):
    csv = CSV + "a,high,high,high,high,high,high,death\n"
    csv = csv.replace("overall\n", "overall,outcome\n", 1)
    table = judgement_table(load_config(rob_config(csv=csv)).config)
    assert judgements_for(table, "death")["a"].overall == "high"
    assert judgements_for(table, "other")["a"].overall == "some_concerns"


@pytest.mark.parametrize(
    ("csv_edit", "expected"),
    [
        (("d,high", "d,hi"), "rob.csv:4: D1: 'hi' is not a RoB 2 judgement: use low, some"),
        (("D5,overall", "D6,overall"), "rob.csv:2: D6: unknown column 'D6': RoB 2 has domains D1"),
        (("c,Low,Low,", "x,Low,Low,"), "rob.csv:3: study: unknown study 'x'"),
        (("d,high,low", "b,high,low"), "rob.csv:4: study: this study is judged twice"),
        (("c,Low,Low,No information,Low,Low,", "c,Low,Low,,Low,Low,"), "no judgement for D3"),
    ],
)
def test_bad_judgements_in_a_csv_are_located(rob_config, csv_edit, expected):
    old, new = csv_edit
    messages = problems_of(rob_config(csv=CSV.replace(old, new)))
    assert any(expected in message for message in messages), messages


def test_bad_judgements_in_the_config_are_located(rob_config):
    config = CONFIG.replace("D4: some concerns", "D4: maybe")
    messages = problems_of(rob_config(config))
    assert any(
        message.startswith("config.yaml:9: studies[0].risk_of_bias.D4: 'maybe' is not a RoB 2")
        for message in messages
    ), messages


def test_an_unknown_tool_and_judgements_without_a_tool_are_refused(rob_config):
    messages = problems_of(rob_config(CONFIG.replace("tool: rob2", "tool: rob3")))
    assert any("risk_of_bias.tool" in m and "rob2" in m for m in messages), messages
    without = CONFIG.replace("risk_of_bias:\n  tool: rob2\n  judgements: rob.csv\n", "")
    messages = problems_of(rob_config(without))
    assert any("say which tool under risk_of_bias.tool" in m for m in messages), messages


@given(st.text(max_size=30))
def test_any_text_normalises_to_a_judgement_of_the_tool_or_none(text):
    for tool in ROB_TOOLS.values():
        judgement = normalise_judgement(tool, text)
        assert judgement is None or judgement in tool.judgements


@pytest.mark.parametrize("spelling", ["Some concerns", "some-concerns", "SOME  CONCERNS", "some"])
def test_editors_spellings_of_a_judgement(spelling):
    assert normalise_judgement(ROB_TOOLS["rob2"], spelling) == "some_concerns"


def test_the_worst_domain_ranks_critical_above_serious():
    assert worst(("low", "serious", "critical", "no_information")) == "critical"
    assert worst(("no_information",) * 3) == "no_information"


def build(config: Path, out: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(config), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads((out / "rob-demo" / "results.json").read_text(encoding="utf-8"))


def test_build_draws_the_figures_and_rates_certainty_from_the_weight_at_high_risk(rob_config):
    results = build(rob_config(), Path("out"))
    outcome = results["outcomes"][0]
    weights = {s["id"]: s["weight"] for s in outcome["studies"]}
    high = 100 * (weights["b"] + weights["d"]) / sum(weights.values())
    suggested = outcome["certainty"]["suggested"]
    assert outcome["certainty"]["high_risk_weight"] == pytest.approx(high)
    assert high > HIGH_RISK_WEIGHT and "risk_of_bias" in suggested["reasons"]
    assert results["risk_of_bias"]["tool"] == "rob2"
    rows = {row["study"]: row for row in results["risk_of_bias"]["judgements"]}
    assert rows["c"]["overall"] == "low" and rows["c"]["overall_given"] is False

    figures = Path("out/rob-demo/figures")
    traffic = (figures / "_risk-of-bias.svg").read_text(encoding="utf-8")
    summary = (figures / "death-risk-of-bias.svg").read_text(encoding="utf-8")
    for svg in (traffic, summary):
        assert "<title>" in svg and "<desc>" in svg and 'role="img"' in svg
    # Every judgement shown has its own symbol as well as its colour.
    for judgement in ("low", "some_concerns", "high", "no_information"):
        fill, symbol, _ink = MARKS[judgement]
        assert fill in traffic and f">{symbol}</text>" in traffic
    assert "Brown 2020: D1 High, D2 Some concerns" in traffic
    html = Path("out/rob-demo/report.html").read_text(encoding="utf-8")
    assert 'id="risk-of-bias"' in html
    assert "Studies at high risk of bias carry" in html
    # Beside the forest plot: a column per domain and overall, a mark per judged study, and
    # the caption says what the circles are.
    forest = (figures / "death.svg").read_text(encoding="utf-8")
    for header in ("D1", "D5", "O"):
        assert f">{header}</text>" in forest
    symbols = [MARKS[j][1] for j in ("low", "some_concerns", "high", "no_information")]
    assert sum(forest.count(f">{symbol}</text>") for symbol in symbols) == 4 * 6
    assert "Circles at the right give each study&#39;s risk of bias (RoB 2)" in html


def test_certainty_keeps_its_level_when_little_weight_is_at_high_risk(rob_config):
    csv = CSV.replace("d,high,low,low,low,low,high", "d,low,low,low,low,low,low")
    outcome = build(rob_config(csv=csv), Path("out"))["outcomes"][0]
    assert outcome["certainty"]["high_risk_weight"] < HIGH_RISK_WEIGHT
    assert "risk_of_bias" not in outcome["certainty"]["suggested"]["reasons"]
