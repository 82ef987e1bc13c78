"""The text alternative of a forest plot: what it shows, in words (the appendix puts it in the
image's ``alt`` and the print parts' first image)."""

from __future__ import annotations

from reportgen.present.format import (
    MEASURES,
    effect_value,
    heterogeneity_words,
    level_label,
    number,
    percent,
    plural,
)
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.measures import method_info


def figure_alt(result: OutcomeResult) -> str:
    """Alternative text that states what the forest plot shows."""
    pooled, measure = result.pooled, result.outcome.measure
    lows = min(s.estimate for s in result.studies)
    highs = max(s.estimate for s in result.studies)
    if MEASURES[measure].scale == "proportion":
        low_text, high_text, est = percent(lows), percent(highs), percent(pooled.estimate, 1)
    else:
        low_text, high_text = effect_value(lows, measure), effect_value(highs, measure)
        est = effect_value(pooled.estimate, measure)
    text = (
        f"Forest plot of {result.outcome.label.lower()} in "
        f"{plural(result.study_count, 'study', 'studies')}. Study results range from {low_text} to "
        f"{high_text}. Pooled estimate {est} ({level_label(result.model.level)} CI "
        f"{effect_value(pooled.ci_lower, measure)} to "
        f"{effect_value(pooled.ci_upper, measure)})."
    )
    if result.k > 1 and method_info(result.outcome.method).random_effects:
        text += (
            f" {level_label(result.model.level)} prediction interval "
            f"{effect_value(pooled.pi_lower, measure)} to "
            f"{effect_value(pooled.pi_upper, measure)}."
        )
    if result.k > 1 and result.model.i2 is not None:
        text += (
            f" Results {heterogeneity_words(result.model.i2)} between studies "
            f"(I\u00b2 = {number(result.model.i2, 1)}%)."
        )
    return text
