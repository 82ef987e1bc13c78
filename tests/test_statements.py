"""Every outcome statement says what the numbers say: a matrix over outcome type x measure x
which direction is good x side of no effect x certainty x size, asserting on the words that
carry meaning (fewer/more, higher/lower, improves/worsens, the event), and a property: flipping
``good`` flips the favoured side and the improve/worsen wording."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.config.schema import BinaryOutcome, ContinuousOutcome, GenericOutcome
from reportgen.interpret.absolute import treated_risk
from reportgen.interpret.findings import AbsoluteEffect, Finding
from reportgen.interpret.statements import classify, favoured
from reportgen.present.statements import (
    comparative_statement,
    outcome_statement,
    phrase_table,
    single_arm_statement,
)

LEVELS = ("high", "moderate", "low", "very_low")
SIZES = ("trivial", "small", "moderate", "large", "uncertain")
LABEL = "Technical Label"  # never the grammatical object of a sentence
CONTROL_RISK = 0.2

# Estimates on the "decrease" side with (lower, upper) CIs, by size, for each measure's default
# thresholds (ratios 10/25/50% relative change, RD 0.01/0.05/0.10, SMD 0.2/0.5/0.8) and an MD
# with mid 4 (small 4, moderate 8, large 12 points).
RATIO = {
    "trivial": (0.95, 0.93, 0.97),
    "small": (0.85, 0.80, 0.88),
    "moderate": (0.70, 0.62, 0.78),
    "large": (0.40, 0.30, 0.55),
    "uncertain": (0.80, 0.55, 1.15),
}
DIFFERENCE = {
    "RD": {
        "trivial": (-0.005, -0.008, -0.002),
        "small": (-0.03, -0.04, -0.02),
        "moderate": (-0.07, -0.09, -0.06),
        "large": (-0.15, -0.20, -0.12),
        "uncertain": (-0.05, -0.12, 0.02),
    },
    "MD": {
        "trivial": (-1.77, -2.41, -1.13),
        "small": (-5.0, -5.5, -4.5),
        "moderate": (-9.0, -9.5, -8.5),
        "large": (-14.0, -15.0, -13.0),
        "uncertain": (-3.0, -7.0, 1.0),
    },
    "SMD": {
        "trivial": (-0.10, -0.15, -0.05),
        "small": (-0.30, -0.35, -0.25),
        "moderate": (-0.60, -0.65, -0.55),
        "large": (-1.00, -1.10, -0.90),
        "uncertain": (-0.30, -0.70, 0.10),
    },
}
MEASURES = {
    "binary": ("RR", "OR", "RD"),
    "continuous": ("MD", "SMD"),
    "generic": ("HR", "RR", "OR", "IRR", "RD", "MD", "SMD"),
}
MODELS = {"binary": BinaryOutcome, "continuous": ContinuousOutcome, "generic": GenericOutcome}
ROWS = {
    "binary": {
        "study": "a",
        "intervention": {"events": 1, "total": 9},
        "control": {"events": 2, "total": 9},
    },
    "continuous": {
        "study": "a",
        "intervention": {"mean": 1, "sd": 1, "n": 9},
        "control": {"mean": 1, "sd": 1, "n": 9},
    },
    "generic": {"study": "a", "estimate": 1.0, "se": 0.1},
}


def estimate(measure: str, size: str, side: str) -> tuple[float, float, float]:
    """(estimate, lower, upper) of ``size`` on ``side`` (decrease or increase) of no effect."""
    if measure in DIFFERENCE:
        value, lower, upper = DIFFERENCE[measure][size]
        return (value, lower, upper) if side == "decrease" else (-value, -upper, -lower)
    value, lower, upper = RATIO[size]
    return (value, lower, upper) if side == "decrease" else (1 / value, 1 / upper, 1 / lower)


def outcome(type_code: str, measure: str, good: str, role: str = "harm"):
    keys: dict = {"good": good}
    if measure in ("HR", "RR", "OR", "IRR", "RD") and type_code == "generic":
        keys["event"] = "had a fall"
    if measure == "MD":
        keys.update(unit="points", scale="Berg Balance Scale, 0 to 56", mid=4)
    return MODELS[type_code].model_validate(
        {
            "id": "o",
            "label": LABEL,
            "plain_label": "had a fall" if type_code == "binary" else "balance score",
            "role": role,
            "type": type_code,
            "measure": measure,
            "data": [ROWS[type_code]],
            **keys,
        }
    )


def finding(the_outcome, values: tuple[float, float, float], level: str) -> Finding:
    """A finding as ``interpret.findings`` makes one (size, direction and favours from the same
    functions), with the pooled values given."""
    pooled = SimpleNamespace(estimate=values[0], ci_lower=values[1], ci_upper=values[2])
    result = SimpleNamespace(outcome=the_outcome, pooled=pooled)
    size, direction = classify(result)
    good = the_outcome.good_direction()
    absolute = None
    if the_outcome.type == "binary":
        treated = [treated_risk(CONTROL_RISK, v, the_outcome.measure) for v in values]
        absolute = AbsoluteEffect(CONTROL_RISK, *treated)
    return Finding(
        result=result,  # type: ignore[arg-type]
        certainty=SimpleNamespace(level=level, reasons=()),  # type: ignore[arg-type]
        size=size,
        direction=direction,
        absolute=absolute,
        side_effect=False,
        good=good,
        event=the_outcome.counted_event(),
        favours=favoured(size, direction, good),
    )


CASES = [
    (type_code, measure, good, side, level, size)
    for type_code, measures in MEASURES.items()
    for measure, good, side, level, size in itertools.product(
        measures, ("higher", "lower"), ("decrease", "increase"), LEVELS, SIZES
    )
]


def _words(text: str) -> set[str]:
    return set(text.lower().replace(",", " ").replace(".", " ").replace(":", " ").split())


@pytest.mark.parametrize(("type_code", "measure", "good", "side", "level", "size"), CASES)
def test_every_sentence_says_what_the_numbers_say(type_code, measure, good, side, level, size):
    the_outcome = outcome(type_code, measure, good)
    found = finding(the_outcome, estimate(measure, size, side), level)
    assert (found.size, found.direction) == (size, side)
    statement = outcome_statement(found, "X")
    lead, words = statement.lead, _words(statement.lead)
    assert LABEL.lower() not in statement.text.lower()
    assert "no difference" not in lead or size == "trivial"
    better = (side == "decrease") == (good == "lower")
    expected_favours = {"uncertain": "uncertain", "trivial": "neither"}.get(
        size, "intervention" if better else "comparator"
    )
    assert found.favours == expected_favours
    events = measure not in ("MD", "SMD")
    subject = "had a fall" if events else "balance score"
    assert subject in lead
    if size == "uncertain":
        assert lead.startswith("We cannot tell whether X")
        assert ("fewer or more people" if events else "improves or worsens") in lead
    elif level == "very_low":
        assert "very uncertain" in lead
        assert not words & {"fewer", "more", "improves", "worsens", "improvement", "worsening"}
    elif size == "trivial":
        assert "little to no difference" in lead
    else:
        if events:
            assert ("fewer" if side == "decrease" else "more") in words
            assert ("more" if side == "decrease" else "fewer") not in words
            assert ("slightly" in words) == (size == "small")
            assert ("far" in words) == (size == "large")
            if measure == "HR":
                assert ("later" if side == "decrease" else "sooner") in words
        else:
            assert any(w.startswith("improv" if better else "worsen") for w in words)
            assert not any(w.startswith("worsen" if better else "improv") for w in words)
            assert ("slightly" in words) == (size == "small")
            assert ("large" in words) == (size == "large")
        assert ("probably" in words) == (level == "moderate")
        assert ("may" in words) == (level == "low")
    _check_numbers(measure, side, size, statement.detail)


def _check_numbers(measure: str, side: str, size: str, detail: str) -> None:
    """The sentences behind the statement point the same way as the estimate."""
    words = _words(detail)
    if measure == "MD":
        assert "Berg Balance Scale (0 to 56)" in detail
        assert ("lower" if side == "decrease" else "higher") in detail.split("(")[0]
        assert "The smallest change that matters to people is 4 points." in detail
    elif measure == "SMD":
        assert {"trivial": "very small", "uncertain": "unclear"}.get(size, size) in detail
    elif measure in ("HR", "IRR") or (measure in ("RR", "OR") and "in 100" not in detail):
        assert ("lower" if side == "decrease" else "higher") in words or "times" in words
    elif measure == "RD" and "every 100" in detail:
        assert ("fewer" if side == "decrease" else "more") in words


@settings(max_examples=200, deadline=None)
@given(
    type_measure=st.sampled_from([(t, m) for t, ms in MEASURES.items() for m in ms]),
    side=st.sampled_from(("decrease", "increase")),
    size=st.sampled_from(SIZES),
    level=st.sampled_from(LEVELS),
    stretch=st.floats(min_value=0.9, max_value=1.1),
)
def test_flipping_good_flips_the_favoured_side_and_the_wording(
    type_measure, side, size, level, stretch
):
    type_code, measure = type_measure
    values = estimate(measure, size, side)
    if measure not in ("MD", "SMD", "RD"):
        values = tuple(v**stretch for v in values)
    else:
        values = tuple(v * stretch for v in values)
    higher = finding(outcome(type_code, measure, "higher"), values, level)
    lower = finding(outcome(type_code, measure, "lower"), values, level)
    flipped = {"intervention": "comparator", "comparator": "intervention"}
    assert lower.favours == flipped.get(higher.favours, higher.favours)
    text_higher = comparative_statement(higher, "X").text
    text_lower = comparative_statement(lower, "X").text
    if measure in ("MD", "SMD") and higher.size not in ("uncertain", "trivial"):
        if level != "very_low":
            swap = {"improve": "worsen", "worsen": "improve"}
            for verb, other in swap.items():
                assert (verb in text_higher) == (other in text_lower)
            assert text_higher != text_lower
    else:  # counted events say fewer/more by the data, whatever is good
        assert text_higher == text_lower


def test_protective_hazard_ratio_labelled_survival_reads_as_fewer_deaths():
    death = GenericOutcome.model_validate(
        {
            "id": "death",
            "label": "Overall survival",
            "plain_label": "died",
            "role": "harm",
            "type": "generic",
            "measure": "HR",
            "good": "lower",
            "event": "died",
            "data": [ROWS["generic"]],
        }
    )
    statement = outcome_statement(finding(death, (0.76, 0.64, 0.90), "high"), "Exercise")
    assert statement.lead == "Exercise means that fewer people died, or that they died later."
    assert "survival" not in statement.text.lower()
    assert "the chance that someone died was about 24% lower" in statement.detail


def test_mean_difference_in_units_with_the_mid():
    balance = outcome("continuous", "MD", "higher")
    statement = outcome_statement(finding(balance, (1.77, 1.13, 2.41), "high"), "Exercise")
    assert statement.lead == "Exercise makes little to no difference to balance score."
    assert statement.detail == (
        "On average, people scored about 1.8 points higher on the Berg Balance Scale (0 to 56) "
        "with the treatment (between 1.1 and 2.4 points higher). The smallest change that "
        "matters to people is 4 points."
    )


def test_mean_difference_interval_across_no_effect():
    balance = outcome("continuous", "MD", "higher")
    detail = outcome_statement(finding(balance, (3.0, -1.0, 7.0), "low"), "X").detail
    assert "(between 1 point lower and 7 points higher)" in detail


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
    assert phrase_table()["version"] >= 2


def test_icon_array_fills_the_right_number_of_people():
    from reportgen.present.figures.icons import icon_array_svg

    svg = icon_array_svg(64, 100, "about 64 in 100 people responded")
    import re

    # Two paths: the filled people, then the outlined ones; a head and a body per person.
    paths = re.findall(r'<path d="([^"]+)" fill="([^"]+)"', svg)
    assert [fill for _, fill in paths] == ["#1f3a5f", "#ffffff"]
    heads = [d.count("Z") // 2 for d, _ in paths]
    assert heads == [64, 36]
    assert "<title>about 64 in 100 people responded</title>" in svg


@pytest.mark.parametrize(
    ("amount", "unit", "shown"),
    [
        ("1", "points", "point"),
        ("1.5", "points", "points"),
        ("1", "mmHg", "mmHg"),
        ("1", "mass", "mass"),
    ],
)
def test_units_agree_with_their_amount(amount, unit, shown):
    from reportgen.present.locale import locale

    assert locale().unit_for(amount, unit) == shown
