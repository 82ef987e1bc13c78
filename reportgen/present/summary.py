"""The patient summary: what was found, side effects, how strong the evidence is, and the
editor's prose, as Prose in reading order (so the checks and the glossary read the same text the
page shows)."""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass

from reportgen.config.schema import EditorialText, ReportConfig
from reportgen.interpret.findings import Finding, Findings
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
from reportgen.present.phrases import DESIGN_EXPLANATIONS, certainty_symbol, certainty_word
from reportgen.present.prose import EDITORIAL, STRUCTURED, Prose
from reportgen.present.statements import outcome_statement
from reportgen.stats.analysis import ReportResults


@dataclass(frozen=True)
class IconArray:
    caption: str
    alt: str
    src: str  # a data: URL of the SVG


@dataclass(frozen=True)
class FindingView:
    """One outcome in the patient summary: its statement and the numbers behind it."""

    id: str
    label: Prose
    sentence: Prose
    definition: Prose | None
    basis: Prose
    certainty_symbol: str
    certainty_word: str
    icons: tuple[IconArray, ...]


@dataclass(frozen=True)
class Question:
    question: Prose
    answer: Prose


@dataclass(frozen=True)
class SummaryView:
    """Every text of the patient summary, fields in the order the page shows them."""

    headline: Prose
    changes_heading: Prose | None
    changes: tuple[Prose, ...]
    key_takeaway: Prose | None
    context: Prose | None
    findings: tuple[FindingView, ...]
    reading_note: Prose | None
    side_effects: tuple[FindingView, ...]
    evidence: tuple[Prose, ...]
    what_it_means: Prose | None
    faq: tuple[Question, ...]
    study_details: tuple[tuple[Prose, Prose], ...]


def summary_view(
    config: ReportConfig,
    results: ReportResults,
    findings: Findings,
    text: EditorialText,
    changes: tuple[str, ...],
    previous_version: str | None,
) -> SummaryView:
    """The summary of ``findings``; ``text`` is the editor's prose with placeholders filled."""
    main = tuple(_finding_view(f, config) for f in findings.main)
    side = tuple(_finding_view(f, config) for f in findings.side_effects)
    return SummaryView(
        headline=_editorial(text.headline, "headline", glossable=False)
        or Prose(_headline(config, findings), glossable=False),
        changes_heading=Prose(
            f"What changed since version {previous_version}", glossable=False, prose=False
        )
        if changes
        else None,
        changes=tuple(Prose(change) for change in changes),
        key_takeaway=_editorial(text.key_takeaway, "key_takeaway"),
        context=_editorial(text.context, "context"),
        findings=main,
        reading_note=_reading_note(findings.main) if main else None,
        side_effects=side,
        evidence=(
            *_evidence_sentences(config, results),
            *(
                Prose(caveat, EDITORIAL, ("text", "caveats", i))
                for i, caveat in enumerate(text.caveats)
            ),
        ),
        what_it_means=_editorial(text.what_it_means, "what_it_means"),
        faq=tuple(
            Question(
                Prose(item.question, EDITORIAL, ("text", "faq", i, "question"), glossable=False),
                Prose(item.answer, EDITORIAL, ("text", "faq", i, "answer")),
            )
            for i, item in enumerate(text.faq)
        ),
        study_details=tuple(
            (Prose(name, glossable=False, prose=False), Prose(value, glossable=False, prose=False))
            for name, value in _study_details(config, results)
        ),
    )


def _editorial(value: str | None, name: str, **options: bool) -> Prose | None:
    return Prose(value, EDITORIAL, ("text", name), **options) if value else None


def _headline(config: ReportConfig, findings: Findings) -> str:
    """The first main outcome's claim (or its rate, for single-arm data)."""
    first = (findings.main or findings.outcomes)[0]
    if not first.is_rate:
        return outcome_statement(first, config.report.intervention).lead.rstrip(".")
    outcome = first.result.outcome
    sentence = f"{natural_frequency(first.result.pooled.estimate)} {outcome.plain_label}"
    if config.report.intervention:
        return f"{capitalise(config.report.intervention)}: {sentence}"
    return capitalise(sentence)


def _reading_note(findings: tuple[Finding, ...]) -> Prose | None:
    """How to read the numbers, saying only what the findings show: brackets (rates and
    effects without absolute risks) and pictures (icon arrays)."""
    brackets = any(f.absolute is None for f in findings)
    pictures = any(_icon_counts(f) for f in findings)
    sentences = []
    if brackets:
        sentences.append(
            "The numbers in brackets show the range in which the true number probably lies "
            "(the 95% confidence interval)."
        )
    if pictures:
        sentences.append(
            "Each picture shows 100 people; the filled-in figures are those who had the outcome."
        )
    if not sentences:
        return None
    return Prose(" ".join(sentences), explains=frozenset({"confidence interval"}))


def _icon_counts(finding: Finding) -> list[tuple[str, int]]:
    """Filled figures out of 100: one array for a rate, two (with and without treatment) for
    two-arm counts when the risks are common enough to show in 100 people."""
    if finding.is_rate:
        return [("", per_scale(finding.result.pooled.estimate, 100))]
    absolute = finding.absolute
    if absolute is not None and frequency_scale(absolute.control) == 100:
        return [
            ("With the treatment", per_scale(absolute.treated, 100)),
            ("Without the treatment", per_scale(absolute.control, 100)),
        ]
    return []


def _icon_arrays(finding: Finding) -> tuple[IconArray, ...]:
    arrays = []
    plain_label = finding.result.outcome.plain_label
    for caption, count in _icon_counts(finding):
        alt = (
            f"{caption + ': ' if caption else ''}a picture of 100 people, {count} of them "
            f"filled in: about {count} in 100 people {plain_label}."
        )
        svg = icon_array_svg(count, 100, alt)
        src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        arrays.append(IconArray(caption, alt, src))
    return tuple(arrays)


def _finding_view(finding: Finding, config: ReportConfig) -> FindingView:
    result, rating = finding.result, finding.certainty
    outcome = result.outcome
    basis = f"Based on {plural(result.k, 'study', 'studies')}"
    if result.participants is not None:
        basis += f" with {plural(result.participants, 'person', 'people')}"
    definition = (
        Prose(f"{outcome.label} means {outcome.definition}.", STRUCTURED)
        if outcome.definition
        else None
    )
    return FindingView(
        id=outcome.id,
        label=Prose(outcome.label, STRUCTURED, glossable=False, prose=False),
        sentence=Prose(outcome_statement(finding, config.report.intervention).text),
        definition=definition,
        basis=Prose(basis + "."),
        certainty_symbol=certainty_symbol(rating.level),
        certainty_word=certainty_word(rating.level),
        icons=_icon_arrays(finding),
    )


def _evidence_sentences(config: ReportConfig, results: ReportResults) -> list[Prose]:
    """How strong the evidence is: designs, size and how much results varied, in words."""
    sentences = []
    designs = Counter((study.design or "").strip().lower() for study in config.studies)
    n_studies = len(config.studies)
    for design, count in designs.most_common():
        if not design:
            continue
        matched = next((key for key in DESIGN_EXPLANATIONS if key in design), None)
        who = (
            "All " + count_words(count)
            if count == n_studies and count > 1
            else capitalise(count_words(count))
        )
        noun = "study" if count == 1 else "studies"
        sentence = f"{who} {noun}: {design}."
        if matched:
            sentence += f" {'It' if count == 1 else 'They'} {DESIGN_EXPLANATIONS[matched]}."
        sentences.append(Prose(sentence, explains=frozenset({matched}) if matched else frozenset()))
    if all(r.outcome.type == "proportion" for r in results.outcomes):
        sentences.append(
            Prose(
                "No study compared the treatment with another treatment or with no "
                "treatment, so we cannot tell how much of what happened was due to it."
            )
        )
    sentences.append(
        Prose(
            f"The {count_words(n_studies) if n_studies < 10 else n_studies} "
            f"{'study' if n_studies == 1 else 'studies'} included "
            f"{plural(results.participant_count, 'person', 'people')} in total."
        )
    )
    sentences += _variation_sentences(results)
    return sentences


def _variation_sentences(results: ReportResults) -> list[Prose]:
    """'Results varied very much from study to study for X and Y.' One sentence per band."""
    bands: dict[str, list[str]] = {}
    for result in results.outcomes:
        if result.k > 1:
            bands.setdefault(heterogeneity_words(result.model.i2), []).append(
                result.outcome.label.lower()
            )
    return [
        Prose(f"Results {words} from study to study for {join_words(labels)}.")
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
