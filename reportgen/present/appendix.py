"""The technical appendix's context: methods in words, and per outcome the figures, the table of
studies, the pooled result, subgroups, sensitivity analyses and small-study tests.

Like ``context``, this is where numbers become display strings; templates only show them.
"""

from __future__ import annotations

from typing import Any

from reportgen.config.profiles import PROFILES
from reportgen.interpret.findings import Finding
from reportgen.present.appendix_regression import regression_sections
from reportgen.present.figure_text import figure_alt
from reportgen.present.figures.style import svg_data_url
from reportgen.present.flags import subgroup_test_flag
from reportgen.present.format import (
    MEASURES,
    METHOD_NAMES,
    TEST_NAMES,
    effect_value,
    effect_with_ci,
    heterogeneity_line,
    join_words,
    level_label,
    level_texts,
    levels_label,
    number,
    p_value,
    plural,
    significant,
)
from reportgen.present.large_print import large_print
from reportgen.present.phrases import certainty_word, reasons_text
from reportgen.present.rates import outcome_methods
from reportgen.present.study_columns import study_columns
from reportgen.provenance import Provenance
from reportgen.stats.analysis import OutcomeResult, ReportResults, SubResult
from reportgen.stats.levels import DEFAULT_LEVEL, critical_value
from reportgen.stats.measures import displayed_measure, measure_info, method_info

# One sentence per proportion measure of the registry (a test checks that they match).
BACK_TRANSFORMS = {
    "PR": "Results are shown on the proportion scale directly.",
    "PLO": "Pooled logits were back-transformed to proportions with the inverse logit.",
    "PLN": "Pooled log proportions were back-transformed with the exponential function.",
    "PAS": "Pooled values were back-transformed with sin\u00b2(x).",
    "PFT": (
        "Pooled values were back-transformed with Miller's inverse, using the harmonic "
        "mean of the study sizes."
    ),
}
PREDICTION_INTERVAL = (
    "The {level} prediction interval, estimate \u00b1 critical value \u00d7 \u221a(SE\u00b2 + "
    "\u03c4\u00b2), shows where the result of a new, similar study would be expected to fall."
)


RATIOS = "Ratios were pooled on the log scale and are shown as ratios."


def _pooling(method: str, test: str, level: float) -> str:
    """'random-effects model with the ... estimator of tau2 ..., using the Wald-type z-test and
    normal-based 95% confidence interval'."""
    return f"{METHOD_NAMES[method]}, using the {TEST_NAMES[test].format(level=level_label(level))}"


def software_sentence(provenance: Provenance) -> str:
    return (
        f"Software: {provenance.software_line}. reportgen's effect sizes and pooled results are "
        "tested against R's metafor package (Viechtbauer 2010: escalc, rma, rma.mh, rma.peto, "
        "rma.glmm, confint, leave1out, regtest, ranktest, trimfill) to at least six significant "
        "digits. Certainty of evidence follows GRADE (Guyatt et al. 2008)."
    )


def methods_paragraphs(results: ReportResults) -> list[str]:
    """One paragraph per distinct analysis set-up, then what every outcome shares. Outcomes
    with different measures but one pooling model (method, test, level) get a paragraph per
    measure and the model said once after them, not once per measure."""
    groups: dict[tuple[str, str, str, str, float, float], list[str]] = {}
    first: dict[tuple[str, str, str, str], Any] = {}  # the first outcome of each set-up
    for result in results.outcomes:
        outcome = result.outcome
        entered = float(getattr(outcome, "entered_level", 95))
        key = (outcome.type, outcome.measure, outcome.method, result.model.test)
        groups.setdefault((*key, result.model.level, entered), []).append(outcome.label)
        first.setdefault(key, outcome)
    models = {(method, test, level) for _k, _m, method, test, level, _e in groups}
    shared = len(groups) > 1 and len(models) == 1
    paragraphs = []
    for (kind, measure, method, test, level, entered), labels in groups.items():
        applies = "all outcomes" if len(groups) == 1 else join_words(labels)
        shown = displayed_measure(measure, method)
        pooled = "" if shared else f" and pooled with a {_pooling(method, test, level)}"
        parts = [
            f"For {applies}, study results were expressed as the {MEASURES[shown].name} "
            f"(metafor measure {shown}){pooled}."
        ]
        if kind in ("proportion", "binary") and measure_info(shown).zero_cell_correction:
            parts.append(
                "Studies with a zero cell had 0.5 added to each cell of their table before "
                "effect sizes were computed."
            )
        parts.append(outcome_methods(first[(kind, measure, method, test)], shown))
        if kind == "proportion":
            parts.append(BACK_TRANSFORMS[measure])
        elif MEASURES[measure].scale == "ratio" and not shared:
            parts.append(RATIOS)
        if kind == "generic":
            parts.append(
                f"Where a study reported a {level_label(entered)} confidence interval rather "
                "than a standard error, the SE was derived from the interval's width divided by "
                f"2 \u00d7 {number(critical_value(entered), 2)}, on the log scale for ratios."
            )
        if method_info(method).random_effects and not shared:
            parts.append(PREDICTION_INTERVAL.format(level=level_label(level)))
        paragraphs.append(" ".join(part.strip() for part in parts if part.strip()))
    if shared:
        ((method, test, level),) = models
        text = f"All outcomes were pooled with a {_pooling(method, test, level)}."
        if any(MEASURES[r.outcome.measure].scale == "ratio" for r in results.outcomes):
            text += " " + RATIOS
        if method_info(method).random_effects:
            text += " " + PREDICTION_INTERVAL.format(level=level_label(level))
        paragraphs.append(text)
    shown = levels_label([r.model.level for r in results.outcomes])
    paragraphs += _profile_sentences(results)
    paragraphs.append(
        "Heterogeneity is described by Cochran's Q, \u03c4\u00b2 (the variance of true effects "
        f"between studies) with its Q-profile {shown} confidence interval (Viechtbauer 2007), "
        "I\u00b2 (the share of the variation due to true differences rather than chance) and "
        f"H\u00b2 (Higgins and Thompson 2002). Per-study {shown} confidence intervals are Wald "
        "intervals on the pooling scale, back-transformed; proportions are clipped to 0\u2013100%."
    )
    paragraphs.append(
        "Sensitivity: every outcome with at least three studies was re-analysed leaving out "
        "each study in turn. Subgroups, where defined, were analysed with a separate model per "
        "subgroup (each with its own \u03c4\u00b2) and compared with a test of subgroup "
        "differences (Q between, from a fixed-effect model of the subgroup estimates). Where an "
        "outcome had enough studies, small-study effects were examined with Egger's regression "
        "test (Egger et al. 1997), Begg's rank correlation test (Begg and Mazumdar 1994) and "
        "trim and fill with the L0 estimator (Duval and Tweedie 2000)."
    )
    return paragraphs


def _profile_sentences(results: ReportResults) -> list[str]:
    """Which method profile each outcome follows (docs/profiles.md), where one was named."""
    followed: dict[str, list[str]] = {}
    for result in results.outcomes:
        if result.outcome.profile is not None:
            followed.setdefault(result.outcome.profile, []).append(result.outcome.label)
    return [
        f"For {'all outcomes' if len(labels) == len(results.outcomes) else join_words(labels)}, "
        f"the analysis options follow reportgen's method profile {name} "
        f"({PROFILES[name].title}); options set in the config take precedence."
        for name, labels in followed.items()
    ]


def _ci(result_or_fit, measure: str) -> str:
    pooled = result_or_fit.pooled
    return effect_with_ci(pooled.estimate, pooled.ci_lower, pooled.ci_upper, measure)


def _i2_text(model) -> str:
    if model.components is not None:  # three-level: per level
        return level_texts(model)[1]
    if model.i2 is None:
        return "not estimable"
    text = f"{number(model.i2, 1)}%"
    if model.i2_ci_lower is not None:
        text += (
            f" ({level_label(model.level)} CI {number(model.i2_ci_lower, 1)} to "
            f"{number(model.i2_ci_upper, 1)})"
        )
    return text


def _tau2_text(model) -> str:
    if model.components is not None:
        return level_texts(model)[0]
    if model.tau2 is None:
        return "not estimable"
    text = significant(model.tau2, 4)
    if model.tau2_ci_lower is not None:
        text += (
            f" ({level_label(model.level)} CI {significant(model.tau2_ci_lower, 3)} to "
            f"{significant(model.tau2_ci_upper, 3)})"
        )
    return text


def _sub_rows(
    results: tuple[SubResult, ...], measure: str, names: dict[str, str] | None = None
) -> list[dict[str, str]]:
    return [
        {
            "label": (names or {}).get(r.label, r.label),
            "k": str(r.k),
            "estimate": _ci(r, measure) if r.error is None else "not estimable",
            "tau2": significant(r.model.tau2, 3) if r.model.tau2 is not None else "\u2013",
            "i2": f"{number(r.model.i2, 1)}%" if r.model.i2 is not None else "\u2013",
        }
        for r in results
    ]


def outcome_appendix(finding: Finding, figures: dict[str, str]) -> dict[str, Any]:
    """One outcome's appendix: forest plot, studies, pooled result, certainty, subgroups,
    sensitivity, leave-one-out and small-study tests, as display strings."""
    result = finding.result
    outcome, model = result.outcome, result.model
    measure = outcome.measure
    unit = _unit(result)
    headers, cells = study_columns(result)
    rows = [
        {
            "label": s.label,
            "cells": cells[i],
            "estimate": effect_with_ci(s.estimate, s.ci_lower, s.ci_upper, measure),
            "weight": number(s.weight, 1),
            "note": "0.5 added (zero cell)" if s.zero_cell_corrected else "",
        }
        for i, s in enumerate(result.studies)
    ]
    certainty, suggestion = _certainty_texts(finding)
    labels = {s.id: s.label for s in result.studies}
    leave_one_out = _sub_rows(result.leave_one_out, measure, labels)
    return {
        "id": outcome.id,
        "label": outcome.label,
        "role": "Benefit" if outcome.role == "benefit" else "Harm",
        "settings": f"{outcome.type}, {measure}, {outcome.method}, {model.test}"
        + ("" if model.level == DEFAULT_LEVEL else f", {level_label(model.level)} CI"),
        "unit": unit,
        "ci_label": f"{level_label(model.level)} CI",
        "ci_words": f"{level_label(model.level)} confidence intervals",
        "pi_label": f"{level_label(model.level)} prediction interval",
        "figure_src": svg_data_url(figures.get(outcome.id)),
        "figure_alt": figure_alt(result),
        "heterogeneity": heterogeneity_line(model),
        "headers": headers,
        "rows": rows,
        "pooled_row": {"estimate": _ci(result, measure)},
        "stats": _stats_rows(result, unit),
        "notes": list(result.notes),
        "subgroups": _subgroups(result),
        "leave_one_out": leave_one_out,
        "large_print": large_print(result, figures, leave_one_out),
        "sensitivity": _sub_rows(result.sensitivity, measure),
        "small_study": _small_study(result, figures, unit),
        "meta_regression": regression_sections(result, figures),
        "certainty": certainty,
        "certainty_suggestion": suggestion,
    }


def _unit(result: OutcomeResult) -> str:
    outcome = result.outcome
    if MEASURES[outcome.measure].scale == "proportion":
        return "%"
    return MEASURES[displayed_measure(outcome.measure, outcome.method)].short


def _stats_rows(result: OutcomeResult, unit: str) -> list[tuple[str, str]]:
    """The pooled result and heterogeneity table."""
    model, pooled, measure = result.model, result.pooled, result.outcome.measure
    statistic_name = "t" if model.df is not None else "z"
    stats = [
        (f"Pooled {unit} ({level_label(model.level)} CI)", _ci(result, measure)),
        (
            "Estimate on the analysis scale (SE)",
            f"{number(model.estimate, 4)} ({number(model.se, 4)})",
        ),
        (
            f"{statistic_name} statistic" + (f" (df = {number(model.df, 0)})" if model.df else ""),
            f"{number(model.statistic, 2)}, {p_value(model.p_value)}",
        ),
        ("\u03c4\u00b2", _tau2_text(model)),
        ("I\u00b2", _i2_text(model)),
        ("H\u00b2", number(model.h2, 2) if model.h2 is not None else "not estimable"),
        ("Cochran's Q", f"{number(model.q, 2)} (df = {model.q_df}), {p_value(model.q_p)}"),
    ]
    if method_info(result.outcome.method).random_effects and model.tau2 is not None:
        stats.insert(
            1,
            (
                f"{level_label(model.level)} prediction interval",
                f"{effect_value(pooled.pi_lower, measure)} to "
                f"{effect_value(pooled.pi_upper, measure)}",
            ),
        )
    return stats


def _certainty_texts(finding: Finding) -> tuple[str, str | None]:
    """The rating shown, with whose it is; and reportgen's suggestion beside an editor's."""
    rating = finding.certainty
    certainty = (
        f"{certainty_word(rating.level)} ({reasons_text(rating.reasons)})"
        + (f". {rating.note}" if rating.note else "")
        + (
            " \u2014 the editor's rating"
            if rating.source == "editor"
            else " \u2014 reportgen's suggestion, as no rating was given"
        )
    )
    if rating.source != "editor":
        return certainty, None
    suggested = rating.suggested_level
    return certainty, f"{certainty_word(suggested)} ({reasons_text(rating.suggested_reasons)})"


def _subgroups(result: OutcomeResult) -> dict[str, Any] | None:
    subgroups = result.subgroups
    if subgroups is None:
        return None
    return {
        "variable": subgroups.variable,
        "rows": _sub_rows(subgroups.groups, result.outcome.measure),
        "test": (
            f"Test for subgroup differences: Q = {number(subgroups.q_between, 2)} "
            f"(df = {subgroups.q_between_df}), {p_value(subgroups.q_between_p)}"
        ),
        "flag": subgroup_test_flag(result),
    }


def _small_study(
    result: OutcomeResult, figures: dict[str, str], unit: str
) -> dict[str, Any] | None:
    """Funnel plot, its data, and Egger's, Begg's and trim-and-fill results."""
    small = result.small_study
    if small is None:
        return None
    trimfill = small.trimfill
    imputed = plural(trimfill.k0, "study", "studies")
    return {
        "funnel_src": svg_data_url(figures.get(f"{result.outcome.id}-funnel")),
        "funnel_rows": [
            {"label": s.label, "effect": number(s.yi, 3), "se": number(s.vi**0.5, 3)}
            for s in result.studies
        ]
        + [
            {"label": f"Imputed study {i + 1}", "effect": number(y, 3), "se": number(v**0.5, 3)}
            for i, (y, v) in enumerate(zip(trimfill.filled_yi, trimfill.filled_vi, strict=True))
        ],
        "funnel_alt": (
            f"Funnel plot of {plural(result.k, 'study', 'studies')}; trim and "
            f"fill imputed {imputed} on the {trimfill.side}."
        ),
        "rows": [
            (
                "Egger's regression test",
                f"t = {number(small.egger.statistic, 2)}, {p_value(small.egger.p_value)}",
            ),
            (
                "Begg's rank correlation",
                f"Kendall's \u03c4 = {number(small.begg.statistic, 3)}, "
                f"{p_value(small.begg.p_value)}",
            ),
            (
                "Trim and fill (L0)",
                f"{imputed} imputed on the {trimfill.side}; adjusted {unit} "
                f"{_ci_values(small.trimfill_pooled, result.outcome.measure)}",
            ),
        ],
    }


def _ci_values(pooled, measure: str) -> str:
    return effect_with_ci(pooled.estimate, pooled.ci_lower, pooled.ci_upper, measure)
