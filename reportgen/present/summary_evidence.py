"""How sure we are and the limits of the evidence, for the patient summary: each said once.

Certainty reasons are grouped over the outcomes (one sentence per certainty level, one per
reason, naming the outcomes it concerns only when it does not concern them all), so nothing is
repeated per outcome. Study designs are counted and said in full sentences with plural nouns
("Seven studies were randomised trials."), and explained once per kind of design.
"""

from __future__ import annotations

import re
from collections import Counter

from reportgen.config.schema import ReportConfig
from reportgen.interpret.certainty import LEVELS
from reportgen.interpret.findings import Finding
from reportgen.present.format import capitalise
from reportgen.present.locale import Locale
from reportgen.present.prose import STRUCTURED, Prose
from reportgen.stats.analysis import ReportResults

PARENTHESIS = re.compile(r"\s*(\(.*\))\s*$")


def mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: 'Overall response rate' -> 'overall response
    rate'; acronyms ('AML response') and names in title case ('Berg Balance Scale') are kept."""
    words = label.split()
    if not words:
        return label
    first = words[0]
    title_case = len(words) > 1 and all(w[:1].isupper() for w in words if w[:1].isalpha())
    if title_case or first.isupper() or not first[:1].isupper():
        return label
    if len(first) > 1 and any(c.isupper() for c in first[1:]):
        return label  # 'MRI-based', 'pH'
    return first[:1].lower() + label[len(first[:1]) :]


def certainty_sentences(
    findings: tuple[Finding, ...], words: Locale
) -> tuple[tuple[Prose, ...], tuple[Prose, ...]]:
    """'We are very unsure about the results for A and B.' per level, most certain first; and
    the reasons, one sentence each, with the outcomes a reason concerns unless it is all."""
    if not findings:
        return (), ()
    labels = {f.outcome_id: mid_sentence(f.result.outcome.label) for f in findings}
    sentences = []
    by_level: dict[str, list[str]] = {}
    for finding in findings:
        by_level.setdefault(finding.certainty.level, []).append(finding.outcome_id)
    for level in reversed(LEVELS):
        ids = by_level.get(level)
        if not ids:
            continue
        if len(by_level) == 1 and len(ids) > 1:
            text = words.text(f"certainty.sure_all.{level}")
        else:
            outcomes = words.join([labels[i] for i in ids])
            text = words.text(f"certainty.sure.{level}", outcomes=outcomes)
        sentences.append(Prose(text))
    by_reason: dict[str, list[str]] = {}
    for finding in findings:
        for reason in finding.certainty.reasons:
            by_reason.setdefault(reason, []).append(finding.outcome_id)
    reasons = []
    for reason, ids in by_reason.items():
        text = words.text(f"certainty.explained.{reason}")
        if len(ids) < len(findings):
            text = words.text(
                "certainty.explained_for",
                reason=text,
                outcomes=words.join([labels[i] for i in ids]),
            )
        reasons.append(Prose(text))
    reasons += _noted_ratings(findings, words)
    return tuple(sentences), tuple(reasons)


def _noted_ratings(findings: tuple[Finding, ...], words: Locale) -> list[Prose]:
    """The editor's note on a lowered rating that names no reason ('Survival: Rated low by the
    review authors.'), so that every outcome the summary is unsure about has its why. Edge
    cases: a high rating, or a rating with reasons, says it through the reasons above; a
    lowered rating with neither reasons nor a note has nothing to say here."""
    noted = []
    for index, finding in enumerate(findings):  # findings keep the config's outcome order
        rating = finding.certainty
        if rating.level == "high" or rating.reasons or not rating.note:
            continue
        text = words.text(
            "certainty.noted",
            outcome=capitalise(finding.result.outcome.label),
            note=rating.note.strip(),
        )
        noted.append(Prose(text, STRUCTURED, ("outcomes", index, "certainty", "note")))
    return noted


def limitation_sentences(
    config: ReportConfig, results: ReportResults, findings: tuple[Finding, ...], words: Locale
) -> list[Prose]:
    """Designs, the total number of people, how much results varied where no certainty reason
    already says so, and whether anything was compared."""
    sentences = design_sentences(config, words)
    if all(r.outcome.type in ("proportion", "rate") for r in results.outcomes):  # single arm
        sentences.append(Prose(words.text("summary.no_comparison")))
    n_studies = len(config.studies)
    sentences.append(
        Prose(
            words.text(
                # no people counted (person-time or generic data only): say the studies alone
                "summary.total" if results.participant_count else "summary.total_studies",
                count=words.count_words(n_studies),
                noun=words.noun_word(n_studies, "study"),
                people=words.noun(results.participant_count, "person"),
            )
        )
    )
    said = {f.outcome_id for f in findings if "inconsistency" in f.certainty.reasons}
    return sentences + _variation_sentences(results, said, words)


def plural_design(design: str, count: int, words: Locale) -> str:
    """'randomised trial' -> 'randomised trials'; 'retrospective' -> 'retrospective studies';
    a parenthesis stays at the end: 'quasi-randomised trials (alternate allocation)'."""
    nouns: dict[str, list[str]] = words.section("summary")["design_nouns"]
    match = PARENTHESIS.search(design)
    head = design[: match.start()] if match else design
    tail = f" {match.group(1)}" if match else ""
    last = head.split()[-1] if head.split() else ""
    form = 0 if count == 1 else 1
    if last in nouns:
        head = head[: len(head) - len(last)] + nouns[last][form]
    else:
        head = f"{head} {nouns['study'][form]}".strip()
    return head + tail


def design_sentences(config: ReportConfig, words: Locale) -> list[Prose]:
    """'Seven studies were randomised trials. They compared ...', designs that share an
    explanation said in one sentence and explained once."""
    counts = Counter((s.design or "").strip().lower() for s in config.studies)
    counts.pop("", None)
    explanations = words.section("designs")
    groups: dict[str | None, list[tuple[str, int]]] = {}
    for design, count in counts.most_common():
        key = next((k for k in explanations if k in design), None)
        groups.setdefault(key, []).append((design, count))
    total = len(config.studies)
    sentences = []
    for key, members in groups.items():
        parts = []
        for index, (design, count) in enumerate(members):
            every = count == total and count > 1
            name = "design_all" if every else "design_one" if count == 1 else "design_some"
            if index > 0 and not every:
                name += "_more"
            parts.append(
                words.text(
                    f"summary.{name}",
                    count=words.count_words(count),
                    noun=words.noun_word(count, "study"),
                    design=plural_design(design, count, words),
                    article=_article(plural_design(design, 1, words), words),
                )
            )
        sentence = " ".join(f"{capitalise(part)}." for part in parts)
        if key is None:
            sentences.append(Prose(sentence))
            continue
        which = "one" if sum(c for _, c in members) == 1 else "many"
        explained = words.text(f"summary.design_explained_{which}", explanation=explanations[key])
        sentences.append(Prose(f"{sentence} {explained}", explains=frozenset({key})))
    return sentences


def _article(noun_phrase: str, words: Locale) -> str:
    """'a' or 'an' (the locale's articles, chosen by the first letter)."""
    articles: dict[str, str] = words.section("summary")["articles"]
    return articles["vowel" if noun_phrase[:1].lower() in "aeiou" else "other"]


def _variation_sentences(results: ReportResults, said: set[str], words: Locale) -> list[Prose]:
    """'Results varied somewhat from study to study for X and Y.' One sentence per band, for
    outcomes whose certainty reasons do not already say that results differed."""
    bands: dict[str, list[str]] = {}
    for result in results.outcomes:
        if result.outcome.id in said or result.k < 2 or result.model.i2 is None:
            continue
        bands.setdefault(words.variation_words(result.model.i2), []).append(
            mid_sentence(result.outcome.label)
        )
    return [
        Prose(words.text("summary.variation", words=band, outcomes=words.join(labels)))
        for band, labels in bands.items()
    ]
