"""The template context: the only place where results become words.

``build_context`` turns a validated config, its results and its figures into plain data
(strings, lists, dicts) that templates display as they are. No template does arithmetic or
rounding; every number a reader sees is formatted here from a computed value or a config field.
"""

from __future__ import annotations

import base64
from collections import Counter
from typing import Any

from .analysis import OutcomeResult, ReportResults
from .config import ReportConfig
from .formatting import (
    MEASURE_NAMES,
    METHOD_NAMES,
    TEST_NAMES,
    capitalise,
    count_words,
    heterogeneity_line,
    heterogeneity_words,
    interval,
    join_words,
    natural_frequency,
    number,
    p_value,
    percent,
    percent_value,
    plural,
    significant,
)
from .load import LoadedConfig
from .provenance import Provenance

# Plain explanations of common study designs, matched on words in a study's `design`.
DESIGN_EXPLANATIONS = {
    "retrospective": "looked back at the records of past patients",
    "prospective": "followed people forward in time",
    "randomised": "compared treatments in groups chosen by chance",
    "randomized": "compared treatments in groups chosen by chance",
    "case series": "described what happened to a group of treated patients",
    "cohort": "followed a group of treated patients",
}
BANNER = (
    "The study data in this report are invented to show the format. "
    "Do not use it for decisions about care."
)


def build_context(
    loaded: LoadedConfig, results: ReportResults, figures: dict[str, str], provenance: Provenance
) -> dict[str, Any]:
    """Everything the report template shows, as display-ready values."""
    config = loaded.config
    report = config.report
    benefits = [r for r in results.outcomes if r.outcome.role == "benefit"]
    harms = [r for r in results.outcomes if r.outcome.role == "harm"]
    return {
        "lang": report.language,
        "title": report.title,
        "report_id": report.id,
        "banner": BANNER if report.illustrative else None,
        "headline": config.text.headline or _headline(config, benefits or list(results.outcomes)),
        "text": config.text,
        "question": report.question,
        "findings": [_finding(r) for r in benefits],
        "side_effects": [_finding(r) for r in harms],
        "evidence": _evidence_sentences(config, results),
        "study_details": _study_details(config, results),
        "methods": [*_methods(results), _software_sentence(provenance)],
        "outcomes": [_outcome_appendix(r, figures[r.outcome.id]) for r in results.outcomes],
        "characteristics": _characteristics(config),
        "references": _references(config),
        "source": report.source,
        "source_url": report.source_url,
        "provenance": {
            "config_file": loaded.path.name,
            "config_sha256": loaded.sha256,
            "reportgen_version": provenance.reportgen_version,
            "software": provenance.software_line,
        },
    }


def _headline(config: ReportConfig, outcomes: list[OutcomeResult]) -> str:
    first = outcomes[0]
    sentence = f"{natural_frequency(first.pooled.estimate)} {first.outcome.plain_label}"
    if config.report.intervention:
        return f"{capitalise(config.report.intervention)}: {sentence}"
    return capitalise(sentence)


def _finding(result: OutcomeResult) -> dict[str, Any]:
    """One outcome in the patient summary: a sentence with a natural frequency and its CI."""
    pooled = result.pooled
    frequency = natural_frequency(pooled.estimate)
    return {
        "id": result.outcome.id,
        "label": result.outcome.label,
        "definition": result.outcome.definition,
        "sentence": (
            f"{capitalise(frequency)} (95% CI {interval(pooled.ci_lower, pooled.ci_upper)})"
            f" {result.outcome.plain_label}."
        ),
        "percent": percent(pooled.estimate),
        "studies": plural(result.k, "study", "studies"),
        "participants": plural(result.participants, "person", "people"),
    }


def _evidence_sentences(config: ReportConfig, results: ReportResults) -> list[str]:
    """How strong the evidence is: designs, size and how much results varied, in words."""
    sentences = []
    designs = Counter((study.design or "").strip().lower() for study in config.studies)
    n_studies = len(config.studies)
    for design, count in designs.most_common():
        if not design:
            continue
        explanation = next(
            (text for key, text in DESIGN_EXPLANATIONS.items() if key in design), None
        )
        who = (
            "All " + count_words(count)
            if count == n_studies and count > 1
            else capitalise(count_words(count))
        )
        noun = "study" if count == 1 else "studies"
        verb = "was" if count == 1 else "were"
        sentence = f"{who} {noun} {verb} {design}"
        sentences.append(
            sentence
            + (f": {'it' if count == 1 else 'they'} {explanation}." if explanation else ".")
        )
    if all(r.outcome.type == "proportion" for r in results.outcomes):
        sentences.append(
            "No study compared the treatment with another treatment or with no "
            "treatment, so we cannot tell how much of what happened was due to it."
        )
    sentences.append(
        f"The {count_words(n_studies) if n_studies < 10 else n_studies} "
        f"{'study' if n_studies == 1 else 'studies'} included "
        f"{plural(results.participant_count, 'person', 'people')} in total."
    )
    sentences += _variation_sentences(results)
    return sentences


def _variation_sentences(results: ReportResults) -> list[str]:
    """'Results varied very much from study to study for X and Y.' One sentence per band."""
    bands: dict[str, list[str]] = {}
    for result in results.outcomes:
        if result.k > 1:
            bands.setdefault(heterogeneity_words(result.model.i2), []).append(
                result.outcome.label.lower()
            )
    return [
        f"Results {words} from study to study for {join_words(labels)}."
        for words, labels in bands.items()
    ]


def _study_details(config: ReportConfig, results: ReportResults) -> list[tuple[str, str]]:
    report = config.report
    rows = [
        ("Study type", report.design),
        ("Number of studies", str(results.study_count)),
        ("Participants", f"n = {results.participant_count:,}"),
        ("Evidence level", report.evidence_level),
        ("Published", report.published),
        ("Search", report.search),
    ]
    return [(name, value) for name, value in rows if value]


def _methods(results: ReportResults) -> list[str]:
    """One paragraph per distinct combination of measure, model and test."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for result in results.outcomes:
        outcome = result.outcome
        key = (outcome.measure, outcome.method, outcome.test)
        groups.setdefault(key, []).append(outcome.label)
    paragraphs = []
    for (measure, method, test), labels in groups.items():
        applies = "all outcomes" if len(groups) == 1 else ", ".join(labels)
        text = (
            f"For {applies}, study proportions were pooled as the {MEASURE_NAMES[measure]} "
            f"(metafor measure {measure}) with a {METHOD_NAMES[method]}, using the "
            f"{TEST_NAMES[test]}. "
        )
        if measure in ("PR", "PLO", "PLN"):
            text += (
                "Studies with 0% or 100% events had 0.5 added to their events and non-events "
                "before transformation. "
            )
        text += {
            "PR": "Results are shown on the proportion scale directly.",
            "PLO": "Pooled logits were back-transformed to proportions with the inverse logit.",
            "PLN": "Pooled log proportions were back-transformed with the exponential function.",
            "PAS": "Pooled values were back-transformed with sin\u00b2(x).",
            "PFT": (
                "Pooled values were back-transformed with Miller's inverse, using the harmonic "
                "mean of the study sizes."
            ),
        }[measure]
        if method != "FE":
            text += (
                " The 95% prediction interval, estimate \u00b1 critical value \u00d7 "
                "\u221a(SE\u00b2 + \u03c4\u00b2), shows where the result of a new, similar "
                "study would be expected to fall."
            )
        paragraphs.append(text)
    paragraphs.append(
        "Heterogeneity is described by Cochran's Q, \u03c4\u00b2 (the variance of true effects "
        "between studies), I\u00b2 (the share of the variation due to true differences rather "
        "than chance) and H\u00b2. Per-study 95% confidence intervals are Wald intervals on the "
        "pooling scale, back-transformed. Intervals are clipped to 0\u2013100%."
    )
    return paragraphs


def _software_sentence(provenance: Provenance) -> str:
    return (
        f"Software: {provenance.software_line}. reportgen's effect sizes and pooled results are "
        "tested against R's metafor package (escalc, rma, predict) to at least six significant "
        "digits."
    )


def _outcome_appendix(result: OutcomeResult, svg: str) -> dict[str, Any]:
    model, pooled = result.model, result.pooled
    statistic_name = "t" if model.df is not None else "z"
    rows = [
        {
            "label": s.label,
            "events": str(s.events),
            "total": str(s.total),
            "estimate": _ci_cell(s.estimate, s.ci_lower, s.ci_upper),
            "weight": number(s.weight, 1),
            "note": "0.5 added (zero cell)" if s.zero_cell_corrected else "",
        }
        for s in result.studies
    ]
    stats = [
        (
            "Pooled proportion, % (95% CI)",
            _ci_cell(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
        ),
        (
            "95% prediction interval, %",
            f"{percent_value(pooled.pi_lower)} to {percent_value(pooled.pi_upper)}",
        ),
        (
            f"Estimate on the {result.outcome.measure} scale (SE)",
            f"{number(model.estimate, 4)} ({number(model.se, 4)})",
        ),
        (
            f"{statistic_name} statistic" + (f" (df = {number(model.df, 0)})" if model.df else ""),
            f"{number(model.statistic, 2)}, {p_value(model.p_value)}",
        ),
        ("\u03c4\u00b2", significant(model.tau2, 4)),
        ("I\u00b2", f"{number(model.i2, 1)}%" if model.i2 is not None else "not estimable"),
        ("H\u00b2", number(model.h2, 2) if model.h2 is not None else "not estimable"),
        ("Cochran's Q", f"{number(model.q, 2)} (df = {model.q_df}), {p_value(model.q_p)}"),
    ]
    return {
        "id": result.outcome.id,
        "label": result.outcome.label,
        "role": "Benefit" if result.outcome.role == "benefit" else "Harm",
        "settings": f"{result.outcome.measure}, {result.outcome.method}, {model.test}",
        "figure_src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
        "figure_alt": _figure_alt(result),
        "heterogeneity": heterogeneity_line(result.model),
        "rows": rows,
        "pooled_row": {
            "events": str(result.events),
            "total": str(result.participants),
            "estimate": _ci_cell(pooled.estimate, pooled.ci_lower, pooled.ci_upper),
        },
        "stats": stats,
        "notes": list(model.notes),
    }


def _ci_cell(estimate: float, lower: float, upper: float) -> str:
    return f"{percent_value(estimate)} ({percent_value(lower)} to {percent_value(upper)})"


def _figure_alt(result: OutcomeResult) -> str:
    """Alternative text that states what the forest plot shows."""
    pooled = result.pooled
    lows = min(s.estimate for s in result.studies)
    highs = max(s.estimate for s in result.studies)
    text = (
        f"Forest plot of {result.outcome.label.lower()} in {plural(result.k, 'study', 'studies')}. "
        f"Study results range from {percent(lows)} to {percent(highs)}. "
        f"Pooled estimate {percent(pooled.estimate, 1)} (95% CI {percent_value(pooled.ci_lower)} "
        f"to {percent_value(pooled.ci_upper)})."
    )
    if result.k > 1 and result.outcome.method != "FE":
        text += (
            f" 95% prediction interval {percent_value(pooled.pi_lower)} to "
            f"{percent_value(pooled.pi_upper)}."
        )
    if result.k > 1:
        text += (
            f" Results {heterogeneity_words(result.model.i2)} between studies "
            f"(I\u00b2 = {number(result.model.i2, 1)}%)."
        )
    return text


def _characteristics(config: ReportConfig) -> dict[str, Any]:
    """The study-characteristics table: label, design and every further study attribute."""
    extra_keys: list[str] = []
    for study in config.studies:
        for key in study.model_extra or {}:
            if key not in extra_keys:
                extra_keys.append(key)
    header = ["Study", "Design", *[key.replace("_", " ").capitalize() for key in extra_keys]]
    rows = []
    for study in config.studies:
        extras = study.model_extra or {}
        rows.append(
            [
                study.label,
                study.design or "\u2013",
                *[_attribute(extras.get(key)) for key in extra_keys],
            ]
        )
    return {"header": header, "rows": rows}


def _attribute(value: Any) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _references(config: ReportConfig) -> list[str]:
    cited = [f"{study.label}. {study.citation}" for study in config.studies if study.citation]
    return [*([config.report.source] if config.report.source else []), *cited, *config.references]
