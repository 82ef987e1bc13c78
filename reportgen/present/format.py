"""The one formatting layer: rounding, percentages, p-values and plain-language phrases.

Statistics modules return numbers; templates and figures display strings made here. Rounding is
half away from zero on the decimal value shown (0.125 -> 0.13), so a reader can recompute it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from reportgen.stats.measures import METHODS, measure_info

if TYPE_CHECKING:
    from reportgen.stats.pooling import PoolResult

MINUS = "\u2212"  # typographic minus sign
DASH = "\u2013"


def round_half_up(value: float, digits: int = 0) -> float:
    """Round to ``digits`` decimals, halves away from zero (not Python's bankers' rounding)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def number(value: float | None, digits: int = 2) -> str:
    """A number with a fixed count of decimals and a true minus sign; '\u2013' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if math.isinf(value):
        return "\u221e" if value > 0 else MINUS + "\u221e"
    rounded = round_half_up(value, digits)
    text = f"{abs(rounded):.{digits}f}"
    return MINUS + text if rounded < 0 and float(text) != 0 else text


def count(value: int) -> str:
    """A whole number with thousands separators: 1234 -> '1,234'."""
    text = f"{abs(int(value)):,}"
    return MINUS + text if value < 0 else text


def compact(value: float, digits: int = 1) -> str:
    """Rounded half up to at most ``digits`` decimals, trailing zeros dropped: 1.50 -> '1.5',
    2.0 -> '2', -0.25 -> '−0.3'."""
    text = number(value, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_entered(value: float) -> str:
    """A value from the config's data as the editor typed it (the shortest decimal that reads
    back as the same number), with a true minus sign: 12.0 -> '12', -0.35 -> '−0.35'."""
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    return MINUS + text[1:] if text.startswith("-") else text


def signed(value: float, digits: int = 2) -> str:
    """A change with its sign: '+1.1', '\u22120.4', '0.0'."""
    text = number(value, digits)
    return text if text.startswith("\u2212") or float(text) == 0 else "+" + text


def significant(value: float | None, figures: int = 3) -> str:
    """A number to ``figures`` significant figures (for tau2, which can be tiny or large)."""
    if value is None:
        return DASH
    if value == 0:
        return "0"
    digits = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return number(value, digits)


def percent(proportion: float | None, digits: int = 0) -> str:
    """0.6379 -> '64%' (digits=0) or '63.8%' (digits=1)."""
    if proportion is None:
        return DASH
    return number(100 * proportion, digits) + "%"


def percent_value(proportion: float, digits: int = 1) -> str:
    """0.6379 -> '63.8' (a percentage without the sign, for table columns headed '%')."""
    return number(100 * proportion, digits)


def p_value(p: float | None) -> str:
    """'p < 0.001', 'p = 0.012', 'p = 0.34' (two significant figures above 0.001)."""
    if p is None or math.isnan(p):
        return "p not estimable"
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {number(p, 3)}"
    return f"p = {number(p, 2)}"


def per_hundred(proportion: float) -> int:
    """How many in 100 people, rounded half up."""
    return int(round_half_up(100 * proportion, 0))


def frequency_scale(risk: float) -> int:
    """The group size that shows a risk as a whole number of people: 100, or 1,000 for risks
    below 5%, or 10,000 below 0.5% (Akl et al. 2011, Cochrane Database Syst Rev CD006776)."""
    if risk >= 0.05:
        return 100
    return 1000 if risk >= 0.005 else 10000


def per_scale(proportion: float, scale: int) -> int:
    """How many in ``scale`` people, rounded half up."""
    return int(round_half_up(scale * proportion, 0))


def natural_frequency(proportion: float) -> str:
    """0.6379 -> 'about 64 in 100 people'."""
    count = per_hundred(proportion)
    if count == 0:
        return "fewer than 1 in 100 people"
    if count == 100:
        return "almost all people"
    return f"about {count} in 100 people"


def interval(lower: float, upper: float, digits: int = 0, scale: float = 100) -> str:
    """'50 to 78' for proportions 0.497 and 0.779 (scale 100 gives counts per 100)."""
    return f"{number(scale * lower, digits)} to {number(scale * upper, digits)}"


def heterogeneity_words(i2: float | None) -> str:
    """How much study results varied, in plain words, from I2 (percent).

    Bands follow the Cochrane Handbook (section 10.10.2): 0-40% might not be important,
    30-60% moderate, 50-90% substantial, 75-100% considerable; we cut at 30, 50 and 75.
    """
    if i2 is None:
        return "cannot be judged from a single study"
    if i2 < 30:
        return "were similar"
    if i2 < 50:
        return "varied somewhat"
    if i2 < 75:
        return "varied a lot"
    return "varied very much"


def heterogeneity_line(model: PoolResult) -> str:
    """'Heterogeneity: I² = 76.9%, τ² (REML) = 0.409, Q = 19.48 (df = 5), p = 0.002'."""
    if model.k == 1:
        return "Heterogeneity: not estimable from a single study"
    if model.components is not None:  # three-level model: one variance per level
        parts = model.components
        return (
            f"Heterogeneity: \u03c3\u00b2 ({model.method}) between studies "
            f"{significant(parts.sigma2_between)} (I\u00b2 {number(parts.i2_between, 1)}%), "
            f"within {significant(parts.sigma2_within)} (I\u00b2 {number(parts.i2_within, 1)}%), "
            f"Q = {number(model.q, 2)} (df = {model.q_df}), {p_value(model.q_p)}"
        )
    tau2 = (
        "\u03c4\u00b2 = 0 (fixed-effect model)"
        if model.method == "FE"
        else f"\u03c4\u00b2 ({model.method}) = {significant(model.tau2)}"
    )
    return (
        f"Heterogeneity: I\u00b2 = {number(model.i2, 1)}%, {tau2}, "
        f"Q = {number(model.q, 2)} (df = {model.q_df}), {p_value(model.q_p)}"
    )


def level_texts(model: PoolResult) -> tuple[str, str]:
    """The tau2 and I2 cells of a three-level model: the total with each level's part,
    '0.0978 (between studies 0.0651, within studies 0.0327)' and '95.2% (63.3% between
    studies, 31.9% within studies)'."""
    parts = model.components
    if parts is None:
        raise ValueError("not a three-level model")
    return (
        f"{significant(model.tau2, 4)} (between studies {significant(parts.sigma2_between, 4)}, "
        f"within studies {significant(parts.sigma2_within, 4)})",
        f"{number(model.i2, 1)}% ({number(parts.i2_between, 1)}% between studies, "
        f"{number(parts.i2_within, 1)}% within studies)",
    )


def count_words(value: int) -> str:
    """Numbers below ten as words, as style guides ask in running text ('six studies')."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[value] if 0 <= value < 10 else f"{value:,}"


def join_words(items: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 study', '6 studies'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def level_label(level: float) -> str:
    """A confidence level in percent as headers and sentences show it: '95%', '97.5%'."""
    return f"{level:g}%"


def levels_label(levels: list[float]) -> str:
    """The levels a report uses, in order of first use: '95%', or '90% or 95%' (outcomes may
    set their own)."""
    labels = list(dict.fromkeys(level_label(level) for level in levels))
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def capitalise(text: str) -> str:
    """Upper-case the first letter only ('about 64 in 100' -> 'About 64 in 100')."""
    return text[:1].upper() + text[1:]


METHOD_NAMES = {
    "FE": "fixed-effect (common-effect) inverse-variance model",
    "DL": "random-effects model with the DerSimonian-Laird estimator of \u03c4\u00b2 (DerSimonian "
    "and Laird 1986)",
    "REML": "random-effects model with the restricted maximum-likelihood estimator of \u03c4\u00b2 "
    "(Viechtbauer 2005)",
    "ML": "random-effects model with the maximum-likelihood estimator of \u03c4\u00b2 "
    "(Viechtbauer 2005)",
    "PM": "random-effects model with the Paule-Mandel estimator of \u03c4\u00b2 (Paule and Mandel "
    "1982)",
    "HS": "random-effects model with the Hunter-Schmidt estimator of \u03c4\u00b2 (Hunter and "
    "Schmidt 2004)",
    "SJ": "random-effects model with the Sidik-Jonkman estimator of \u03c4\u00b2 (Sidik and "
    "Jonkman 2005)",
    "HE": "random-effects model with the Hedges estimator of \u03c4\u00b2 (Hedges 1983)",
    "EB": "random-effects model with the empirical Bayes estimator of \u03c4\u00b2 (Morris 1983)",
    "MH": "fixed-effect Mantel-Haenszel model (Mantel and Haenszel 1959; variance of Robins, "
    "Breslow and Greenland 1986 or Greenland and Robins 1985)",
    "PETO": "fixed-effect Peto one-step odds ratio model (Yusuf et al. 1985)",
    "GLMM": "random-effects logistic regression (binomial-normal) model fitted by maximum "
    "likelihood with 7-point adaptive Gauss-Hermite quadrature (Stijnen et al. 2010)",
}
SHORT_METHOD_NAMES = {
    code: "Random effects" if method.random_effects else "Fixed effect"
    for code, method in METHODS.items()
}
TEST_NAMES = {
    "z": "Wald-type z-test and normal-based {level} confidence interval",
    "knha": "Knapp-Hartung adjustment (Knapp and Hartung 2003): t distribution with k\u22121 "
    "degrees of freedom",
}


@dataclass(frozen=True)
class MeasureDisplay:
    """How a measure of the registry (``stats.measures``) is named and shown: ``name`` in
    sentences, ``short`` in table headers and beside numbers. ``scale`` (proportion, ratio or
    difference) and ``null`` (the value of no effect; None for single-arm proportions) are read
    from the registry, not kept here."""

    code: str
    name: str
    short: str
    per_time: bool = False  # a rate or rate difference, shown per RATE_PER units of person-time

    @property
    def scale(self) -> str:
        return measure_info(self.code).scale

    @property
    def null(self) -> float | None:
        return measure_info(self.code).null


# Keyed by the registry's measure codes; a test checks that both hold the same codes.
MEASURES = {
    display.code: display
    for display in (
        MeasureDisplay("PR", "raw proportion", "%"),
        MeasureDisplay("PLO", "logit-transformed proportion", "%"),
        MeasureDisplay("PLN", "log-transformed proportion", "%"),
        MeasureDisplay("PFT", "Freeman-Tukey double arcsine transformed proportion", "%"),
        MeasureDisplay("PAS", "arcsine square-root transformed proportion", "%"),
        MeasureDisplay("HR", "hazard ratio", "HR"),
        MeasureDisplay("OR", "odds ratio", "OR"),
        MeasureDisplay("RR", "risk ratio", "RR"),
        MeasureDisplay("IR", "incidence rate", "Rate", per_time=True),
        MeasureDisplay("IRLN", "log-transformed incidence rate", "Rate", per_time=True),
        MeasureDisplay("IRS", "square-root transformed incidence rate", "Rate", per_time=True),
        MeasureDisplay("IRFT", "Freeman-Tukey transformed incidence rate", "Rate", per_time=True),
        MeasureDisplay("IRR", "incidence rate ratio", "IRR"),
        MeasureDisplay("IRD", "incidence rate difference", "IRD", per_time=True),
        MeasureDisplay("IRSD", "difference of square-root incidence rates", "IRSD"),
        MeasureDisplay("MD", "mean difference", "MD"),
        MeasureDisplay("RD", "risk difference", "RD"),
        MeasureDisplay("SMD", "standardised mean difference (Hedges' g)", "SMD"),
        MeasureDisplay("PETO", "Peto odds ratio", "OR"),
    )
}
MEASURE_NAMES = {key: display.name for key, display in MEASURES.items()}


# Rates and rate differences are shown per this much person-time ("per 1,000 person-years").
RATE_PER = 1000


def per_time_value(rate: float) -> str:
    """A rate (events per unit of person-time) per RATE_PER units: one decimal from 1 up
    (0.0147 -> '14.7'), two significant figures below (0.00004 -> '0.040'), '0' for none."""
    scaled = rate * RATE_PER
    if scaled == 0 or math.isnan(scaled) or abs(scaled) >= 1:
        return number(scaled, 1)
    return significant(scaled, 2)


def per_time_count(rate: float) -> str:
    """A rate per RATE_PER units of person-time as running text counts it: whole from 10 up
    (0.0222 -> '22'), one decimal from 1 (0.0025 -> '2.5'), one significant figure below
    (0.00042 -> '0.4')."""
    scaled = rate * RATE_PER
    if abs(scaled) >= 10:
        return count(int(round_half_up(scaled, 0)))
    if abs(scaled) >= 1 or scaled == 0:
        return compact(scaled, 1)
    return significant(scaled, 1)


def effect_value(value: float, measure: str) -> str:
    """A natural-scale value as tables show it: proportions in percent with one decimal, rates
    and rate differences per RATE_PER units of person-time, ratios and differences with two
    decimals."""
    if MEASURES[measure].scale == "proportion":
        return percent_value(value)
    if MEASURES[measure].per_time:
        return per_time_value(value)
    return number(value, 2)


def effect_with_ci(estimate: float, lower: float, upper: float, measure: str) -> str:
    """'64.4 (50.0 to 76.5)' or '0.75 (0.61 to 0.92)'."""
    return (
        f"{effect_value(estimate, measure)} ({effect_value(lower, measure)} to "
        f"{effect_value(upper, measure)})"
    )
