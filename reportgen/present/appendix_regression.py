"""The technical appendix's meta-regression section: what was regressed on what, in words, each
moderator's coefficient with its CI and p-value, the omnibus and residual-heterogeneity tests,
R2, the predictions, a table of coefficients and the bubble plot (one continuous moderator).

Like ``appendix``, this is where the regression's numbers become display strings.
"""

from __future__ import annotations

import math
from typing import Any

from reportgen.present.figures.bubble import bubble_key, bubble_plot_svg
from reportgen.present.figures.style import svg_data_url
from reportgen.present.format import (
    MEASURES,
    METHOD_NAMES,
    TEST_NAMES,
    effect_value,
    join_words,
    level_label,
    number,
    p_value,
    significant,
)
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.moderators import Moderator
from reportgen.stats.regression import Coefficient, RegressionModel
from reportgen.stats.regression_analysis import MetaRegression


def _value(value: Any) -> str:
    """A moderator value as the config gives it (whole numbers without decimals)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return number(value, 2) if isinstance(value, float) else str(value)


def _moderator_text(moderator: Moderator) -> str:
    if moderator.kind == "continuous":
        return f"{moderator.name} (continuous)"
    return (
        f"{moderator.name} (categorical, {len(moderator.levels)} levels; reference level "
        f"'{moderator.reference}', the first in sorted order, as R's factor())"
    )


def _level(model: RegressionModel) -> str:
    """The regression's confidence level as the report writes it ('95%'); the model keeps it
    as a proportion."""
    return level_label(round(model.level * 100, 10))


def _test_words(model: RegressionModel) -> str:
    """The test, with the regression's degrees of freedom (k - p, not k - 1) under Knapp-Hartung."""
    if model.df is None:
        return f"the {TEST_NAMES['z'].format(level=_level(model))}"
    return (
        "the Knapp-Hartung adjustment (Knapp and Hartung 2003): t-tests and an F-test of the "
        f"moderators with k \u2212 p = {model.df} degrees of freedom"
    )


def _ci(lower: float, upper: float, digits: int, level: str) -> str:
    return f"{level} CI {number(lower, digits)} to {number(upper, digits)}"


def _coefficient_sentence(c: Coefficient, measure: str, level: str) -> str:
    """'Each unit more of latitude multiplied the risk ratio by 0.971 (95% CI ...; p ...).'"""
    display = MEASURES[measure]
    tested = f"{p_value(c.p_value)}"
    if display.scale == "ratio":
        interval = _ci(math.exp(c.ci_lower), math.exp(c.ci_upper), 3, level)
        factor = f"{number(math.exp(c.estimate), 3)} ({interval}; {tested})"
        if c.level is None:
            return f"Each unit more of {c.moderator} multiplied the {display.name} by {factor}."
        return (
            f"Studies with {c.moderator} '{c.level}' had a {display.name} {factor} times that of "
            f"the reference level."
        )
    change = f"{number(c.estimate, 3)} ({_ci(c.ci_lower, c.ci_upper, 3, level)}; {tested})"
    if c.level is None:
        return f"Each unit more of {c.moderator} changed the {display.name} by {change}."
    return (
        f"Studies with {c.moderator} '{c.level}' differed from the reference level by {change} "
        f"in the {display.name}."
    )


def _tests_sentences(regression: MetaRegression) -> list[str]:
    model = regression.model
    if model.qm_df2 is None:
        qm = f"QM = {number(model.qm, 2)} (chi-square, df = {model.qm_df}), {p_value(model.qm_p)}"
    else:
        qm = (
            f"F = {number(model.qm, 2)} (df = {model.qm_df}, {model.qm_df2}), {p_value(model.qm_p)}"
        )
    residual = (
        f"Residual heterogeneity: \u03c4\u00b2 = {significant(model.tau2, 4)}, I\u00b2 = "
        f"{number(model.i2, 1)}%, QE = {number(model.qe, 2)} (df = {model.qe_df}), "
        f"{p_value(model.qe_p)}."
    )
    if model.r2 is None:
        r2 = "The share of \u03c4\u00b2 explained (R\u00b2) could not be estimated."
    else:
        r2 = (
            f"The moderators account for {number(model.r2, 1)}% of the between-study variance "
            f"(R\u00b2, from \u03c4\u00b2 {significant(model.tau2_re, 4)} without them)."
            if model.tau2_re is not None
            else f"R\u00b2 (adjusted, weighted least squares) = {number(model.r2, 1)}%."
        )
    return [f"Test of moderators: {qm}.", residual, r2]


def _rows(regression: MetaRegression, measure: str) -> list[dict[str, str]]:
    ratio = MEASURES[measure].scale == "ratio"
    return [
        {
            "term": "Intercept" if c.moderator is None else c.term,
            "estimate": number(c.estimate, 4),
            "se": number(c.se, 4),
            "statistic": number(c.statistic, 2),
            "p": p_value(c.p_value),
            "ci": f"{number(c.ci_lower, 4)} to {number(c.ci_upper, 4)}",
            "ratio": number(math.exp(c.estimate), 3) if ratio else "",
        }
        for c in regression.model.coefficients
    ]


def bubble_alt(regression: MetaRegression, result: OutcomeResult) -> str:
    """Alternative text of the bubble plot: what it shows, and the fitted slope."""
    moderator = regression.design.moderators[0]
    slope = regression.model.coefficients[1]
    display = MEASURES[result.outcome.measure]
    direction = "falls" if slope.estimate < 0 else "rises"
    return (
        f"Bubble plot of {result.outcome.label.lower()}: each of "
        f"{regression.model.k} studies' {display.name} against {moderator.name} "
        f"(from {_value(min(moderator.values))} to {_value(max(moderator.values))}), bubble "
        f"size by weight, with the fitted line and its {_level(regression.model)} confidence "
        "band. The fitted "
        f"{display.name} {direction} as {moderator.name} increases ({p_value(slope.p_value)})."
    )


def draw_bubbles(results) -> dict[str, str]:
    """The bubble plot of every one-moderator continuous regression, keyed by file stem
    (``<outcome-id>-bubble-<n>``)."""
    figures = {}
    for result in results.outcomes:
        for index, regression in enumerate(result.meta_regression):
            if regression.single_continuous():
                figures[bubble_key(result.outcome.id, index)] = bubble_plot_svg(
                    regression,
                    result,
                    f"{result.outcome.label}: {regression.name}",
                    bubble_alt(regression, result),
                )
    return figures


def regression_sections(result: OutcomeResult, figures: dict[str, str]) -> list[dict[str, Any]]:
    """One display dict per meta-regression of the outcome, in config order."""
    measure = result.outcome.measure
    sections = []
    for index, regression in enumerate(result.meta_regression):
        model = regression.model
        moderators = join_words([_moderator_text(m) for m in regression.design.moderators])
        intro = (
            f"The {MEASURES[measure].name} of {model.k} studies was regressed on {moderators}: "
            f"a meta-regression with the {METHOD_NAMES[model.method]}, the moderators as fixed "
            f"effects, and {_test_words(model)} (as metafor's rma with mods)."
        )
        sentences = [
            _coefficient_sentence(c, measure, _level(model))
            for c in model.coefficients
            if c.moderator is not None
        ]
        predictions = [
            {
                "at": ", ".join(f"{k} {_value(v)}" for k, v in p.at.items()),
                "estimate": effect_value(p.estimate, measure),
                "ci": f"{effect_value(p.ci_lower, measure)} to {effect_value(p.ci_upper, measure)}",
                "pi": f"{effect_value(p.pi_lower, measure)} to {effect_value(p.pi_upper, measure)}",
            }
            for p in regression.natural
        ]
        key = bubble_key(result.outcome.id, index)
        sections.append(
            {
                "name": regression.name,
                "paragraphs": [intro, " ".join(sentences), " ".join(_tests_sentences(regression))],
                "statistic": "z" if model.df is None else f"t (df = {model.df})",
                "ratio_header": "exp(estimate)" if MEASURES[measure].scale == "ratio" else "",
                "rows": _rows(regression, measure),
                "predictions": predictions,
                "unit": MEASURES[measure].short,
                "level": _level(model),
                "figure_src": svg_data_url(figures.get(key)),
                "figure_alt": bubble_alt(regression, result)
                if regression.single_continuous()
                else "",
            }
        )
    return sections


def brief_lines(result: OutcomeResult) -> list[str]:
    """One line per meta-regression for the clinician brief's notes: the slope of a single
    continuous moderator (as a ratio per unit for ratio measures) or the test of moderators,
    then R2 and the residual I2."""
    lines = []
    measure = result.outcome.measure
    display = MEASURES[measure]
    for regression in result.meta_regression:
        model = regression.model
        if regression.single_continuous():
            slope = model.coefficients[1]
            if display.scale == "ratio":
                value = f"{display.short} \u00d7 {number(math.exp(slope.estimate), 3)}"
                interval = _ci(math.exp(slope.ci_lower), math.exp(slope.ci_upper), 3, _level(model))
            else:
                value = f"{display.short} {number(slope.estimate, 3)}"
                interval = _ci(slope.ci_lower, slope.ci_upper, 3, _level(model))
            effect = f"{value} per unit of {slope.moderator} ({interval}), {p_value(slope.p_value)}"
        else:
            effect = f"test of moderators {p_value(model.qm_p)}"
        explained = (
            ""
            if model.r2 is None
            else f"; the moderators explain {number(model.r2, 1)}% of \u03c4\u00b2 (R\u00b2)"
        )
        lines.append(
            f"{result.outcome.label}, meta-regression on "
            f"{join_words(list(regression.moderators))}: {effect}{explained}; residual "
            f"I\u00b2 {number(model.i2, 1)}%."
        )
    return lines
