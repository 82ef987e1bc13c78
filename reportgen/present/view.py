"""The template context: the only place where results become words.

``build_context`` turns a validated config, its results and its figures into plain data
(strings, lists, dicts) that templates display as they are. No template does arithmetic or
rounding; every number a reader sees is formatted here from a computed value or a config field.
"""

from __future__ import annotations

import base64
from collections import Counter
from typing import Any

from reportgen.config.load import LoadedConfig
from reportgen.config.schema import ReportConfig
from reportgen.interpret.absolute import control_risk, treated_risk
from reportgen.interpret.certainty import certainty_of
from reportgen.interpret.statements import outcome_statement
from reportgen.present.appendix import methods_paragraphs, outcome_appendix, software_sentence
from reportgen.present.brief import brief_context, designs_of
from reportgen.present.citations import methods_references
from reportgen.present.figures.icons import icon_array_svg
from reportgen.present.format import (
    capitalise,
    count_words,
    frequency_scale,
    heterogeneity_words,
    join_words,
    natural_frequency,
    per_scale,
    plural,
)
from reportgen.present.versions import VersionInfo
from reportgen.provenance import Provenance
from reportgen.stats.analysis import OutcomeResult, ReportResults
from reportgen.stats.data import participants_per_study

# Plain explanations of common study designs, matched on words in a study's `design`.
DESIGN_EXPLANATIONS = {
    "quasi-randomised": "compared treatments in groups that were not chosen by chance",
    "non-randomised": "compared groups that were not chosen by chance",
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
    loaded: LoadedConfig,
    results: ReportResults,
    figures: dict[str, str],
    provenance: Provenance,
    version: VersionInfo | None = None,
    text: Any = None,
    checks: Any = None,
) -> dict[str, Any]:
    """Everything the report template shows, as display-ready values."""
    config = loaded.config
    report = config.report
    side_effects = [r for r in results.outcomes if _is_side_effect(r)]
    findings = [r for r in results.outcomes if not _is_side_effect(r)]
    return {
        "lang": report.language,
        "title": report.title,
        "report_id": report.id,
        "banner": BANNER if report.illustrative else None,
        "headline": (text or config.text).headline
        or _headline(config, findings or list(results.outcomes)),
        "text": text or config.text,
        "question": report.question,
        "findings": [_finding(r, config) for r in findings],
        "side_effects": [_finding(r, config) for r in side_effects],
        "evidence": _evidence_sentences(config, results),
        "study_details": _study_details(config, results),
        "methods": (methods := [*methods_paragraphs(results), software_sentence(provenance)]),
        "methods_references": methods_references(methods),
        "outcomes": [outcome_appendix(r, figures, designs_of(config)) for r in results.outcomes],
        "characteristics": _characteristics(config),
        "references": _references(config),
        "source": report.source,
        "source_url": report.source_url,
        "version": _version_context(version),
        "checks": _checks_context(checks),
        "brief": brief_context(config, results, version),
        "provenance": {
            "config_file": loaded.path.name,
            "config_sha256": loaded.sha256,
            "reportgen_version": provenance.reportgen_version,
            "software": provenance.software_line,
        },
    }


def _checks_context(checks: Any) -> dict[str, Any] | None:
    """What the summary checks found, for the appendix."""
    if checks is None:
        return None
    numbers = checks.numbers
    return {
        "numbers": (
            f"{numbers.checked} numbers in the summary were checked; {numbers.traced} "
            "trace back to the analysis or to the config's data and metadata."
        ),
        "checked": ", ".join(dict.fromkeys(numbers.numbers)),
        "untraced": [f"{token} in \u201c{sentence}\u201d" for token, sentence in numbers.untraced],
        "readability": _readability_text(checks),
    }


def _readability_text(checks: Any) -> str | None:
    r = checks.readability
    if r is None:
        return None
    verdict = "meets" if r.grade <= checks.reading_target else "is above"
    return (
        f"Readability of the summary: Flesch-Kincaid grade {r.grade:g} ({verdict} the target "
        f"of {checks.reading_target:g}), SMOG index {r.smog:g}, {r.words:,} words in "
        f"{r.sentences} sentences, {r.mean_sentence_length:g} words per sentence on average."
    )


def _version_context(version: VersionInfo | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "number": version.version,
        "updated": version.updated,
        "previous": version.previous_version,
        "changes": list(version.changes),
        "log": [
            {
                "version": entry["version"],
                "updated": entry.get("updated"),
                "changes": entry.get("changes", []),
            }
            for entry in version.changelog
        ],
    }


def _is_side_effect(result: OutcomeResult) -> bool:
    flag = result.outcome.side_effect
    return result.outcome.role == "harm" if flag is None else flag


def _headline(config: ReportConfig, outcomes: list[OutcomeResult]) -> str:
    first = outcomes[0]
    if first.outcome.type != "proportion":
        # The phrase-table statement already names the treatment.
        return outcome_statement(first, config).text.split(". ")[0].rstrip(".")
    sentence = f"{natural_frequency(first.pooled.estimate)} {first.outcome.plain_label}"
    if config.report.intervention:
        return f"{capitalise(config.report.intervention)}: {sentence}"
    return capitalise(sentence)


def _icon_arrays(result: OutcomeResult) -> list[dict[str, str]]:
    """Icon arrays of 100 people: one for a rate, two (with and without treatment) for two-arm
    counts when the risks are common enough to show in 100 people."""
    outcome, pooled = result.outcome, result.pooled
    if outcome.type == "proportion":
        groups = [("", per_scale(pooled.estimate, 100))]
    elif outcome.type == "binary" and frequency_scale(control_risk(result)) == 100:
        control = control_risk(result)
        groups = [
            (
                "With the treatment",
                per_scale(treated_risk(control, pooled.estimate, outcome.measure), 100),
            ),
            ("Without the treatment", per_scale(control, 100)),
        ]
    else:
        return []
    arrays = []
    for caption, count in groups:
        alt = (
            f"{caption + ': ' if caption else ''}a picture of 100 people, {count} of them "
            f"filled in: about {count} in 100 people {outcome.plain_label}."
        )
        svg = icon_array_svg(count, 100, alt)
        arrays.append(
            {
                "caption": caption,
                "alt": alt,
                "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
            }
        )
    return arrays


def _finding(result: OutcomeResult, config: ReportConfig) -> dict[str, Any]:
    """One outcome in the patient summary: its statement with the numbers behind it."""
    sentence = outcome_statement(result, config).text
    rating = certainty_of(result, designs_of(config))
    return {
        "certainty_symbol": rating.symbol,
        "certainty_word": rating.word,
        "icons": _icon_arrays(result),
        "id": result.outcome.id,
        "label": result.outcome.label,
        "definition": result.outcome.definition,
        "sentence": sentence,
        "studies": plural(result.k, "study", "studies"),
        "participants": (
            plural(result.participants, "person", "people")
            if result.participants is not None
            else None
        ),
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
        sentence = f"{who} {noun}: {design}."
        if explanation:
            sentence += f" {'It' if count == 1 else 'They'} {explanation}."
        sentences.append(sentence)
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


def _characteristics(config: ReportConfig) -> dict[str, Any]:
    """The study-characteristics table: label, design and every further study attribute."""
    extra_keys: list[str] = []
    for study in config.studies:
        for key in study.model_extra or {}:
            if key not in extra_keys:
                extra_keys.append(key)
    participants = participants_per_study(config)
    extra_keys = [key for key in extra_keys if key != "participants"]
    header = [
        "Study",
        "Design",
        "Participants",
        *[key.replace("_", " ").capitalize() for key in extra_keys],
    ]
    rows = []
    for study in config.studies:
        extras = study.model_extra or {}
        count = participants.get(study.id)
        rows.append(
            [
                study.label,
                study.design or "\u2013",
                f"{count:,}" if count is not None else "\u2013",
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
