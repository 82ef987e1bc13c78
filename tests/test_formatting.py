from __future__ import annotations

import pytest

from reportgen.present.format import (
    heterogeneity_words,
    join_words,
    natural_frequency,
    number,
    p_value,
    percent,
    round_half_up,
    significant,
)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.125, 2, 0.13), (2.5, 0, 3.0), (-2.5, 0, -3.0), (0.6379, 3, 0.638), (1e-9, 2, 0.0)],
)
def test_round_half_up(value, digits, expected):
    assert round_half_up(value, digits) == expected


def test_number_uses_a_true_minus_and_never_shows_minus_zero():
    assert number(-1.234, 2) == "\u22121.23"
    assert number(-0.0001, 2) == "0.00"
    assert number(None) == "\u2013"


def test_percent_and_natural_frequency():
    assert percent(0.6379) == "64%"
    assert percent(0.6379, 1) == "63.8%"
    assert natural_frequency(0.6379) == "about 64 in 100 people"
    assert natural_frequency(0.004) == "fewer than 1 in 100 people"
    assert natural_frequency(0.999) == "almost all people"


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.0004, "p < 0.001"),
        (0.0042, "p = 0.004"),
        (0.0456, "p = 0.05"),
        (0.5, "p = 0.50"),
        (None, "p not estimable"),
    ],
)
def test_p_value(p, text):
    assert p_value(p) == text


def test_significant_figures():
    assert significant(0.040864, 3) == "0.0409"
    assert significant(12.345, 3) == "12.3"
    assert significant(0.0, 3) == "0"


def test_heterogeneity_words_follow_cochrane_bands():
    assert heterogeneity_words(10) == "were similar"
    assert heterogeneity_words(40) == "varied somewhat"
    assert heterogeneity_words(60) == "varied a lot"
    assert heterogeneity_words(80) == "varied very much"
    assert heterogeneity_words(None) == "cannot be judged from a single study"


def test_join_words():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"]) == "a, b and c"


def test_signed_changes():
    from reportgen.present.format import signed

    assert signed(1.06, 1) == "+1.1"
    assert signed(-0.444, 2) == "\u22120.44"
    assert signed(0.001, 1) == "0.0"
