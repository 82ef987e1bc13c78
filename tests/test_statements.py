"""Every cell of the statement table: certainty x size x direction, uncertain CIs, single-arm."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from reportgen.interpret.statements import classify
from reportgen.present.statements import (
    comparative_statement,
    phrase_table,
    single_arm_statement,
)

LEVELS = ("high", "moderate", "low", "very_low")


def result(estimate, lower, upper, measure="RR", thresholds=None):
    return SimpleNamespace(
        pooled=SimpleNamespace(estimate=estimate, ci_lower=lower, ci_upper=upper),
        outcome=SimpleNamespace(measure=measure, label="Deaths", thresholds=thresholds),
    )


# Risk ratios with default thresholds 10%, 25%, 50% (relative change), CI excluding 1.
SIZED = {
    ("trivial", "decrease"): result(0.95, 0.93, 0.97),
    ("small", "decrease"): result(0.85, 0.80, 0.90),
    ("moderate", "decrease"): result(0.70, 0.60, 0.80),
    ("large", "decrease"): result(0.40, 0.30, 0.55),
    ("small", "increase"): result(1.15, 1.05, 1.25),
    ("large", "increase"): result(2.00, 1.60, 2.50),
}
EXPECTED = {
    ("high", "large"): "X results in a large {noun} in deaths.",
    ("high", "moderate"): "X {verb_s} deaths.",
    ("high", "small"): "X {verb_s} deaths slightly.",
    ("high", "trivial"): "X results in little to no difference in deaths.",
    ("moderate", "large"): "X probably results in a large {noun} in deaths.",
    ("moderate", "moderate"): "X probably {verb_s} deaths.",
    ("moderate", "small"): "X probably {verb_s} deaths slightly.",
    ("moderate", "trivial"): "X probably results in little to no difference in deaths.",
    ("low", "large"): "X may result in a large {noun} in deaths.",
    ("low", "moderate"): "X may {verb} deaths.",
    ("low", "small"): "X may {verb} deaths slightly.",
    ("low", "trivial"): "X may result in little to no difference in deaths.",
}


@pytest.mark.parametrize(("size", "direction"), list(SIZED))
def test_sizes_and_directions_from_thresholds(size, direction):
    assert classify(SIZED[(size, direction)]) == (size, direction)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("size", "direction"), list(SIZED))
def test_every_cell_of_the_table(level, size, direction):
    statement = comparative_statement(SIZED[(size, direction)], level, "X")
    words = {
        "increase": ("increases", "increase", "increase"),
        "decrease": ("reduces", "reduce", "reduction"),
    }[direction]
    if level == "very_low":
        expected = "The evidence is very uncertain about the effect of X on deaths."
    else:
        expected = EXPECTED[(level, size)].format(verb_s=words[0], verb=words[1], noun=words[2])
    assert statement.text == expected
    assert statement.key == f"{level}:{size}:{direction}"


@pytest.mark.parametrize("level", LEVELS)
def test_ci_crossing_no_effect_with_important_effects_is_never_no_difference(level):
    statement = comparative_statement(result(0.80, 0.55, 1.15), level, "X")
    assert statement.size == "uncertain"
    assert "no difference" not in statement.text
    assert statement.text.startswith("We cannot tell whether X increases or reduces deaths")


def test_ci_crossing_no_effect_but_only_trivial_effects_is_little_to_no_difference():
    assert classify(result(1.00, 0.96, 1.04)) == ("trivial", "increase")
    assert (
        "little to no difference"
        in comparative_statement(result(1.00, 0.96, 1.04), "moderate", "X").text
    )


def test_thresholds_from_the_config_and_differences():
    limits = SimpleNamespace(small=2.0, moderate=5.0, large=10.0)
    assert classify(result(-6.0, -8.0, -4.0, "MD", limits)) == ("moderate", "decrease")
    assert classify(result(-0.6, -0.9, -0.3, "SMD")) == ("moderate", "decrease")
    # A mean difference without thresholds: size cannot be judged, only whether it is uncertain.
    assert classify(result(-6.0, -8.0, -4.0, "MD")) == ("moderate", "decrease")
    assert classify(result(-6.0, -12.0, 1.0, "MD")) == ("uncertain", "decrease")


@pytest.mark.parametrize(
    ("level", "start"),
    [
        ("high", "We are confident"),
        ("moderate", "We are fairly confident"),
        ("low", "We are not confident in this number because of small studies"),
        ("very_low", "We are very unsure about this number because of small studies"),
    ],
)
def test_single_arm_sentences(level, start):
    assert single_arm_statement(level, "small studies").startswith(start)


def test_phrase_table_is_versioned():
    assert isinstance(phrase_table()["version"], int)


def test_icon_array_fills_the_right_number_of_people():
    from reportgen.present.figures.icons import icon_array_svg

    svg = icon_array_svg(64, 100, "about 64 in 100 people responded")
    assert svg.count("<circle") == 100
    assert svg.count('fill="#1f3a5f"') == 64
    assert "<title>about 64 in 100 people responded</title>" in svg
