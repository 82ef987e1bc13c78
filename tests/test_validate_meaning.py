"""`validate` runs every check `build` runs (same located messages), the number check reads
punctuation commas, and config validation refuses an outcome whose sentence could not be said
correctly, naming the key to add."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.checks.faithfulness import numbers_in
from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report

HEADER = """\
report:
  id: meaning
  title: Meaning
  intervention: a group exercise programme
studies:
  - {id: a, label: A 2020, design: randomised trial}
  - {id: b, label: B 2021, design: randomised trial}
  - {id: c, label: C 2022, design: randomised trial}
outcomes:
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
BALANCE = """\
  - id: balance
    label: Berg Balance Scale
    plain_label: balance score
    role: benefit
    type: continuous
    measure: MD
    good: higher
    unit: points
    scale: Berg Balance Scale, 0 to 56
    mid: 4
    data:
      - {study: a, intervention: {mean: 45, sd: 5, n: 40}, control: {mean: 43, sd: 5, n: 41}}
      - {study: b, intervention: {mean: 44, sd: 6, n: 30}, control: {mean: 42.5, sd: 6, n: 31}}
      - {study: c, intervention: {mean: 46, sd: 5, n: 50}, control: {mean: 44.2, sd: 5, n: 52}}
"""


def reportgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_outcome_meaning_reads_right_through_the_pipeline(write_config, tmp_path):
    built = build_report(write_config(HEADER + DEATH + BALANCE), tmp_path, formats=("json",))
    outcomes = json.loads((built.folder / "results.json").read_text())["outcomes"]
    death, balance = (o["interpretation"] for o in outcomes)
    assert set(death) == {
        "good",
        "event",
        "unit",
        "mid",
        "size",
        "direction",
        "favours",
        "statement",
        "familiar_scale",
    }
    assert death["familiar_scale"] is None  # only SMDs with a familiar_scale have one
    assert death["good"] == "lower" and death["event"] == "died"
    assert death["direction"] == "decrease" and death["favours"] == "intervention"
    assert "fewer people died, or that they died later" in death["statement"]
    assert "survival" not in death["statement"].lower()
    assert balance["unit"] == "points" and balance["mid"] == 4
    assert balance["size"] == "trivial" and balance["favours"] == "neither"
    assert "little to no difference to balance score" in balance["statement"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    good: lower\n    event: died\n",
            "    event: died\n",
            "config.yaml:10: outcomes[0].good: say which direction of Overall survival is "
            "better: add good: higher or good: lower (generic outcomes have no default)",
        ),
        (
            "    good: lower\n    event: died\n",
            "    good: lower\n",
            "config.yaml:10: outcomes[0].event: say what the HR counts, finishing 'fewer people "
            "...': add event, e.g. event: died or event: had a fall",
        ),
        (
            "    good: lower\n    event: died\n",
            "    good: lower\n    event: died\n    mid: 2\n",
            "config.yaml:19: outcomes[0].mid: mid applies to mean differences (measure MD) only",
        ),
    ],
)
def test_a_sentence_that_cannot_be_said_is_a_located_error(write_config, old, new, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(HEADER + DEATH.replace(old, new)))
    assert message in [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("removed", "message"),
    [
        ("    unit: points\n", "outcomes[0].unit: add unit: the unit of the mean difference"),
        ("    mid: 4\n", "outcomes[0].mid: add mid: the smallest change that matters to people"),
        ("    good: higher\n", "outcomes[0].good: say which direction of Berg Balance Scale"),
    ],
)
def test_mean_differences_need_unit_mid_and_good(write_config, removed, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(HEADER + BALANCE.replace(removed, "")))
    assert any(message in str(p) for p in caught.value.problems)


def test_binary_outcomes_take_good_from_role(write_config, minimal_config):
    config = load_config(write_config(minimal_config)).config
    assert config.outcomes[0].good_direction() == "higher"
    assert config.outcomes[0].counted_event() == "responded"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  context: Most people in the studies were responders {{ 'x' | nothing }}.\n", None),
        ("  context: In 14 of the 20 studies, people over 65 responded.\n", "14"),
    ],
)
def test_validate_fails_where_build_fails_with_the_same_message(
    tmp_path, minimal_config, text, expected
):
    (tmp_path / "c.yaml").write_text(minimal_config + "text:\n" + text, encoding="utf-8")
    build = reportgen("build", "c.yaml", "--format", "json", cwd=tmp_path)
    validate = reportgen("validate", "c.yaml", cwd=tmp_path)
    assert build.returncode == validate.returncode == 1
    located = [line for line in validate.stderr.splitlines() if line.startswith("c.yaml:")]
    assert located and all(line in build.stderr for line in located)
    if expected:
        assert f"the number '{expected}' matches no computed result" in validate.stderr
    assert "ok" not in validate.stdout


def test_validate_ok_means_build_ok(tmp_path, minimal_config):
    text = "text:\n  context: People over 65, a group often left out, responded too.\n"
    (tmp_path / "c.yaml").write_text(minimal_config + text, encoding="utf-8")
    validate = reportgen("validate", "c.yaml", cwd=tmp_path)
    assert validate.returncode == 0, validate.stderr
    assert reportgen("build", "c.yaml", "--format", "json", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("over 65, a group", ["65"]),
        ("1,234 people", ["1,234"]),
        ("12,345,678 in all", ["12,345,678"]),
        ("aged 65,70 and 80", ["65", "70", "80"]),
        ("1,234.5%", ["1,234.5%"]),
    ],
)
def test_number_check_reads_punctuation_commas(text, numbers):
    assert numbers_in(text) == numbers
