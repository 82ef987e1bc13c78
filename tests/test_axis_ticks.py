"""Round ticks on the linear axes of plots (plot_axes.round_ticks), and the forest plot's
linear axis (differences: MD, SMD, RD, rate differences) that uses them."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from reportgen.config.schema import ReportConfig
from reportgen.present.figures.forest_layout import FOREST_LINEAR_TICKS, x_axis
from reportgen.present.figures.plot_axes import round_ticks
from reportgen.stats.analysis import analyse

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def is_round(step: float) -> bool:
    mantissa = step / 10.0 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


@given(st.floats(-1e4, 1e4, allow_nan=False), st.floats(1e-4, 2e4, allow_nan=False))
def test_ticks_are_round_steps_inside_the_range_and_hold_zero(low, width):
    high = low + width
    ticks = [value for value, _label in round_ticks(low, high, most=FOREST_LINEAR_TICKS)]
    assert 2 <= len(ticks) <= FOREST_LINEAR_TICKS
    assert all(low - 1e-9 * width <= t <= high + 1e-9 * width for t in ticks)
    steps = [right - left for left, right in itertools.pairwise(ticks)]
    assert is_round(steps[0]) and all(math.isclose(s, steps[0], rel_tol=1e-6) for s in steps)
    if low <= 0 <= high:
        assert 0.0 in ticks


def test_a_standardised_mean_difference_axis_reads_in_halves_and_marks_no_effect():
    config = ReportConfig.model_validate(
        yaml.safe_load((CONFIGS / "asthma-self-management.yaml").read_text(encoding="utf-8"))
    )
    days_off = next(o for o in analyse(config).outcomes if o.outcome.measure == "SMD")
    low, high, ticks, labels, log = x_axis(days_off)
    assert not log and low < -1.0 and high > 1.0
    assert labels == ["\u22121.0", "\u22120.5", "0.0", "0.5", "1.0"]
    assert ticks[2] == 0.0
