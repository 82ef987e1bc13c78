"""'How sure are we?' in the patient summary: every outcome the summary is unsure about has its
why, from the rating's reasons or, where the editor gave none, the editor's note."""

from __future__ import annotations

from types import SimpleNamespace

from reportgen.present.locale import locale
from reportgen.present.prose import STRUCTURED
from reportgen.present.summary_evidence import certainty_sentences


def finding(label: str, level: str, reasons: tuple[str, ...] = (), note: str | None = None):
    """What ``certainty_sentences`` reads of a finding: its outcome's label and id, its rating."""
    outcome = SimpleNamespace(id=label.lower(), label=label)
    return SimpleNamespace(
        outcome_id=outcome.id,
        result=SimpleNamespace(outcome=outcome),
        certainty=SimpleNamespace(level=level, reasons=reasons, note=note),
    )


def texts(findings) -> tuple[list[str], list[str]]:
    sure, why = certainty_sentences(tuple(findings), locale("en"))
    return [p.text for p in sure], [p.text for p in why]


def test_a_lowered_rating_without_reasons_is_explained_by_the_editor_s_note():
    findings = [
        finding("Survival", "low", note="Rated low by the review authors. "),
        finding("Response", "high", note="No concerns."),
        finding("Severe harms", "moderate", ("inconsistency",)),
    ]
    sure, why = texts(findings)
    assert sure == [
        "We are confident about the results for response.",
        "We are fairly confident about the results for severe harms.",
        "We are not confident about the results for survival.",
    ]
    assert why == [
        "Results differed a lot from study to study. This is true for severe harms.",
        "Survival: Rated low by the review authors.",
    ]
    note = certainty_sentences(tuple(findings), locale("en"))[1][-1]
    assert (note.source, note.path) == (STRUCTURED, ("outcomes", 0, "certainty", "note"))


def test_a_note_beside_reasons_or_on_a_high_rating_is_not_repeated():
    findings = [
        finding("Falls", "low", ("imprecision",), note="Few events."),
        finding("Fractures", "high", note="Large trials."),
    ]
    _, why = texts(findings)
    assert why == [
        "There were too few people or events to be sure of the numbers. This is true for falls."
    ]


def test_a_lowered_rating_with_neither_reasons_nor_note_adds_nothing():
    _, why = texts([finding("Falls", "very_low")])
    assert why == []
