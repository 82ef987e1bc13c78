"""Round ticks on a forest plot's linear axis (differences: MD, SMD, RD, rate differences)."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from reportgen.present.figures.forest_layout import nice_ticks
from reportgen.present.format import axis_tick

ROUND = (1, 2, 2.5, 5)


def is_round(step: float) -> bool:
    mantissa = step / 10.0 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m) for m in ROUND) or math.isclose(mantissa, 10)


@given(
    st.floats(-1e4, 1e4, allow_nan=False),
    st.floats(1e-4, 2e4, allow_nan=False),
)
def test_ticks_are_round_steps_inside_the_range_and_hold_zero(low, width):
    high = low + width
    ticks, step = nice_ticks(low, high)
    assert is_round(step)
    assert 2 <= len(ticks) <= 5
    assert all(low - 1e-9 * width <= t <= high + 1e-9 * width for t in ticks)
    for left, right in itertools.pairwise(ticks):
        assert math.isclose(right - left, step, rel_tol=1e-6)
    if low <= 0 <= high:
        assert 0.0 in ticks


def test_a_standardised_mean_difference_axis_reads_in_halves():
    ticks, step = nice_ticks(-1.38, 1.04)
    assert [axis_tick(t, step) for t in ticks] == ["−1.0", "−0.5", "0.0", "0.5", "1.0"]
    ticks, step = nice_ticks(-12.3, 4.1)
    assert [axis_tick(t, step) for t in ticks] == ["−10", "−5", "0"]
    ticks, step = nice_ticks(-0.05, 0.05)
    assert [axis_tick(t, step) for t in ticks] == ["−0.04", "−0.02", "0.00", "0.02", "0.04"]


def test_a_range_without_room_for_two_ticks_gets_its_ends():
    assert nice_ticks(3.0, 3.0) == ([3.0, 3.0], 1.0)
