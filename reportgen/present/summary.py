"""The patient summary: what was found, side effects, how strong the evidence is, and the
editor's prose, as Prose in reading order (so the checks and the glossary read the same text the
page shows)."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config.related import RelatedReport
from reportgen.config.schema import EditorialText, ReportConfig
from reportgen.interpret.findings import Finding, Findings
from reportgen.present.figures.icons import icon_array_svg
from reportgen.present.figures.style import svg_data_url
from reportgen.present.format import capitalise, count, frequency_scale, level_label, per_scale
from reportgen.present.locale import Locale
from reportgen.present.prose import EDITORIAL, STRUCTURED, Prose
from reportgen.present.statements import outcome_statement
from reportgen.present.summary_evidence import certainty_sentences, limitation_sentences
from reportgen.stats.analysis import ReportResults


@dataclass(frozen=True)
class IconArray:
    caption: str
    alt: str
    src: str  # a data: URL of the SVG


@dataclass(frozen=True)
class FindingView:
    """One outcome in the patient summary, said once: its statement and the numbers behind it,
    what it means, what it rests on and how sure we are (the reasons are said once for all
    outcomes, under "How sure are we?")."""

    id: str
    label: Prose
    sentence: Prose
    definition: Prose | None
    basis: Prose
    how_sure: str
    certainty_symbol: str
    certainty_word: str
    icons: tuple[IconArray, ...]


@dataclass(frozen=True)
class Question:
    question: Prose
    answer: Prose


@dataclass(frozen=True)
class RelatedLink:
    """A link to another report of the same output folder (a relative URL and its title)."""

    href: str
    title: Prose


@dataclass(frozen=True)
class SummaryView:
    """Every text of the patient summary, fields in the order the page shows them (after
    Cochrane's plain-language summary template, 2021). Empty fields are sections not shown."""

    language: str  # the locale of every text below (the page's other sections are in English)
    headings: dict[str, str]
    headline: Prose
    changes_heading: Prose | None
    changes: tuple[Prose, ...]
    key_messages: tuple[Prose, ...]
    wanted: tuple[Prose, ...]
    findings: tuple[FindingView, ...]
    reading_note: Prose | None
    side_effects: tuple[FindingView, ...]
    certainty: tuple[Prose, ...]
    certainty_because: Prose | None  # introduces the reasons
    certainty_reasons: tuple[Prose, ...]
    limitations: tuple[Prose, ...]
    what_it_means: Prose | None
    up_to_date: tuple[Prose, ...]
    earlier_evidence: Prose | None
    related_intro: Prose | None  # introduces the related reports, when there are any
    related: tuple[RelatedLink, ...]
    faq: tuple[Question, ...]
    study_details: tuple[tuple[Prose, Prose], ...]
    source: Prose | None  # the source review's citation
    source_url: str | None
    abstract: Prose | None = None  # the source review's abstract, quoted (not checked prose)


def summary_view(
    config: ReportConfig,
    results: ReportResults,
    findings: Findings,
    text: EditorialText,
    changes: tuple[str, ...],
    version: tuple[str | None, str | None, str | None],
    words: Locale,
    related: tuple[RelatedReport, ...] = (),
) -> SummaryView:
    """The summary of ``findings`` in ``words``; ``text``: the editor's prose, placeholders
    filled; ``version``: (this, its date, the previous); ``related``: config.related."""
    report = config.report
    certainty, reasons = certainty_sentences(findings.outcomes, words)
    index = {f.outcome_id: i for i, f in enumerate(findings)}
    main = tuple(
        _finding_view(f, index[f.outcome_id], report.intervention, words) for f in findings.main
    )
    side = tuple(
        _finding_view(f, index[f.outcome_id], report.intervention, words)
        for f in findings.side_effects
    )
    return SummaryView(
        language=words.language,
        headings=dict(words.section("headings")),
        headline=_editorial(text.headline, "headline", glossable=False)
        or Prose(_headline(config, findings, words), glossable=False),
        changes_heading=Prose(
            words.text("summary.changes_heading", version=version[2]),
            glossable=False,
            prose=False,
        )
        if changes
        else None,
        changes=tuple(Prose(change) for change in changes),
        key_messages=tuple(p for p in (_editorial(text.key_takeaway, "key_takeaway"),) if p),
        wanted=tuple(
            p
            for p in (
                Prose(report.question, STRUCTURED, ("report", "question"))
                if report.question
                else None,
                _editorial(text.context, "context"),
            )
            if p
        ),
        findings=main,
        reading_note=_reading_note(findings.main, words) if main else None,
        side_effects=side,
        certainty=certainty,
        certainty_because=Prose(words.text("certainty.because"), glossable=False, prose=False)
        if reasons
        else None,
        certainty_reasons=reasons,
        limitations=(
            *limitation_sentences(config, results, findings.outcomes, words),
            *(
                Prose(caveat, EDITORIAL, ("text", "caveats", i))
                for i, caveat in enumerate(text.caveats)
            ),
        ),
        what_it_means=_editorial(text.what_it_means, "what_it_means"),
        up_to_date=_up_to_date(config, version, words),
        earlier_evidence=_editorial(text.earlier_evidence, "earlier_evidence"),
        related_intro=Prose(words.text("summary.related"), glossable=False) if related else None,
        related=tuple(_related_link(report) for report in related),
        faq=tuple(
            Question(
                Prose(item.question, EDITORIAL, ("text", "faq", i, "question"), glossable=False),
                Prose(item.answer, EDITORIAL, ("text", "faq", i, "answer")),
            )
            for i, item in enumerate(text.faq)
        ),
        study_details=_study_details(config, results, words),
        source=Prose(report.source, STRUCTURED, glossable=False, prose=False)
        if report.source
        else None,
        source_url=report.source_url,
        abstract=_quoted(report.abstract, ("report", "abstract")),
    )


def _related_link(report: RelatedReport) -> RelatedLink:
    """A relative link to a sibling report folder (``../<id>/report.html``): ids are slugs,
    checked by the schema, so the URL needs no escaping beyond the template's."""
    title = Prose(report.title, STRUCTURED, glossable=False, prose=False)
    return RelatedLink(f"../{report.id}/report.html", title)


def _quoted(value: str | None, key: tuple[str, ...]) -> Prose | None:
    """Text quoted from the source as written (its abstract): shown, not held to the reading
    checks or the glossary; its numbers are the source's own."""
    return Prose(value, STRUCTURED, key, glossable=False, prose=False) if value else None


def _up_to_date(
    config: ReportConfig, version: tuple[str | None, str | None, str | None], words: Locale
) -> tuple[Prose, ...]:
    """When the evidence was searched and published, and this summary's version."""
    report = config.report
    number, updated, _previous = version
    sentences = []
    if report.search:
        sentences.append(words.text("summary.up_to_date.search", search=report.search))
    if report.published:
        sentences.append(words.text("summary.up_to_date.published", published=report.published))
    if number and updated:
        sentences.append(
            words.text(
                "summary.up_to_date.version_dated", version=number, updated=words.date(updated)
            )
        )
    elif number:
        sentences.append(words.text("summary.up_to_date.version", version=number))
    return tuple(Prose(s, glossable=False) for s in sentences)


def _editorial(value: str | None, name: str, glossable: bool = True) -> Prose | None:
    return Prose(value, EDITORIAL, ("text", name), glossable=glossable) if value else None


def _headline(config: ReportConfig, findings: Findings, words: Locale) -> str:
    """The first main outcome's claim (or its rate, for single-arm data)."""
    first = (findings.main or findings.outcomes)[0]
    if not first.is_rate:
        return comparative_headline(first, config.report.intervention, words)
    outcome = first.result.outcome
    sentence = f"{words.natural_frequency(first.result.pooled.estimate)} {outcome.plain_label}"
    if outcome.type == "rate":  # events per 1,000 units of time, not people in 100
        lead = outcome_statement(first, config.report.intervention, words).lead.rstrip(".")
        sentence = lead[:1].lower() + lead[1:]
    if config.report.intervention:
        return words.text(
            "summary.headline_rate",
            intervention=capitalise(config.report.intervention),
            sentence=sentence,
        )
    return capitalise(sentence)


def comparative_headline(finding: Finding, intervention: str | None, words: Locale) -> str:
    """'Self-management education and days off work or school: probably little to no
    difference': the topic and a short verdict from the side the effect favours and the
    certainty, so the headline does not repeat the finding's sentence word for word."""
    table = words.section("summary")["headline"]
    named = intervention or words.text("statements.default_intervention")
    outcome = finding.result.outcome
    if outcome.counts_events():
        topic = table["topic_events"].format(
            intervention=named, event=finding.event or outcome.plain_label
        )
    else:
        topic = table["topic_measured"].format(intervention=named, outcome=outcome.plain_label)
    verdicts = table["verdicts"]
    level = finding.certainty.level
    favours = finding.favours or "uncertain"
    if level == "very_low":
        verdict = verdicts["very_low"]
    elif favours == "uncertain":
        verdict = verdicts["uncertain"]
    else:
        degree = table["degrees"].get(favours, {}).get(finding.size, "")
        verdict = verdicts[favours][level].format(degree=degree)
    return capitalise(table["sentence"].format(topic=topic, verdict=verdict))


def _reading_note(findings: tuple[Finding, ...], words: Locale) -> Prose | None:
    """How to read the numbers, saying only what the findings show: brackets (rates and
    effects without absolute risks) and pictures (icon arrays)."""
    sentences = []
    if any(f.absolute is None for f in findings):
        levels = [level_label(f.result.model.level) for f in findings if f.absolute is None]
        level = words.join(list(dict.fromkeys(levels)))
        sentences.append(words.text("summary.reading_note_brackets", level=level))
    if any(_icon_counts(f, words) for f in findings):
        sentences.append(words.text("summary.reading_note_pictures"))
    if not sentences:
        return None
    explains = frozenset({words.text("summary.reading_note_explains").lower()})
    return Prose(" ".join(sentences), explains=explains)


def _icon_counts(finding: Finding, words: Locale) -> list[tuple[str, int]]:
    """Filled figures out of 100: one array for a rate, two (with and without treatment) for
    two-arm counts when the risks are common enough to show in 100 people."""
    if finding.is_rate:  # people in 100; none for events in person-time
        if finding.result.outcome.type == "rate":
            return []
        return [("", per_scale(finding.result.pooled.estimate, 100))]
    absolute = finding.absolute
    if absolute is not None and frequency_scale(absolute.control) == 100:
        return [
            (words.text("summary.icon_with"), per_scale(absolute.treated, 100)),
            (words.text("summary.icon_without"), per_scale(absolute.control, 100)),
        ]
    return []


def _icon_arrays(finding: Finding, words: Locale) -> tuple[IconArray, ...]:
    arrays = []
    plain_label = finding.result.outcome.plain_label
    for caption, filled in _icon_counts(finding, words):
        alt = words.text("summary.icon_alt", count=filled, plain_label=finding.event or plain_label)
        alt = f"{caption}: {alt}" if caption else capitalise(alt)
        svg = icon_array_svg(filled, 100, alt)
        src = svg_data_url(svg)
        arrays.append(IconArray(caption, alt, src))
    return tuple(arrays)


def _finding_view(
    finding: Finding, index: int, intervention: str | None, words: Locale
) -> FindingView:
    result, rating = finding.result, finding.certainty
    outcome = result.outcome
    studies = words.noun(result.study_count, "study")
    if result.participants is None:
        basis = words.text("summary.basis", studies=studies)
    else:
        people = words.noun(result.participants, "person")
        basis = words.text("summary.basis_people", studies=studies, people=people)
    definition = (
        Prose(
            words.text("summary.definition", label=outcome.label, definition=outcome.definition),
            STRUCTURED,
            ("outcomes", index, "definition"),
            explains=frozenset({outcome.label.lower()}),
        )
        if outcome.definition
        else None
    )
    statement = outcome_statement(finding, intervention, words)
    # A rate's own certainty sentence repeats the reasons said once under "How sure are we?".
    sentence = statement.lead if finding.is_rate else statement.text
    return FindingView(
        id=outcome.id,
        label=Prose(outcome.label, STRUCTURED, glossable=False, prose=False),
        sentence=Prose(sentence),
        definition=definition,
        basis=Prose(basis),
        how_sure=words.text("summary.how_sure"),
        certainty_symbol=words.certainty_symbol(rating.level),
        certainty_word=words.certainty_word(rating.level),
        icons=_icon_arrays(finding, words),
    )


def _study_details(
    config: ReportConfig, results: ReportResults, words: Locale
) -> tuple[tuple[Prose, Prose], ...]:
    """The study details box: (name, value) rows, labels rather than running text."""
    return tuple(
        (Prose(name, glossable=False, prose=False), Prose(value, glossable=False, prose=False))
        for name, value in _detail_rows(config, results, words)
    )


def _detail_rows(
    config: ReportConfig, results: ReportResults, words: Locale
) -> list[tuple[str, str]]:
    report = config.report
    names = words.section("summary")["details"]
    rows = [
        (names["design"], report.design),
        (names["studies"], str(results.study_count)),
        (
            names["participants"],
            words.text("summary.details.participants_value", count=count(results.participant_count))
            if results.participant_count  # none counted: person-time or generic data only
            else None,
        ),
        (names["evidence_level"], report.evidence_level),
    ]
    return [(name, value) for name, value in rows if value]
