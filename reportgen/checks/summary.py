"""Checks of the patient summary, run on the report view before anything is rendered or written:
every number traces to the analysis (``faithfulness``), the text meets its reading-grade target
(``readability``), and the editor's prose avoids words that oversell (``glossary.hype_in``).
Problems are located at the config line where the editor wrote the sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.checks.faithfulness import NumberCheck, check_numbers, structured_config_text
from reportgen.checks.readability import (
    MAX_SENTENCE_WORDS,
    WORD,
    HardSentence,
    Readability,
    hard_sentences,
    measure_sentences,
    split_sentences,
)
from reportgen.config.load import LoadedConfig
from reportgen.config.schema import EditorialText, ReportConfig
from reportgen.config.yamlpos import format_key_path
from reportgen.errors import ConfigError, Problem
from reportgen.present.glossary import glossary, hype_in
from reportgen.present.locale import locale
from reportgen.present.placeholders import editorial_fields
from reportgen.present.prose import EDITORIAL, Prose, walk_prose
from reportgen.present.view import ChecksView, ReportView


@dataclass(frozen=True)
class SummaryChecks:
    numbers: NumberCheck
    warnings: tuple[str, ...]
    readability: Readability
    reading_target: float
    word_target: tuple[int, int] = (400, 850)
    hard: tuple[HardSentence, ...] = ()


def check_summary(
    loaded: LoadedConfig,
    view: ReportView,
    document: dict[str, Any],
    allow_untraced: bool,
    strict: bool = False,
) -> SummaryChecks:
    """Trace the numbers of the summary and measure its readability; raise a ``ConfigError``
    quoting each untraced sentence unless ``allow_untraced``; with ``strict``, also for a
    reading grade above the target, a length outside the word target, or any sentence over
    ``MAX_SENTENCE_WORDS`` words or the target grade (each is a warning otherwise)."""
    items = list(walk_prose(view.summary))
    texts = [(item.read, item.source == EDITORIAL) for item in items]
    numbers = check_numbers(texts, structured_config_text(loaded.config), document)
    problems = [
        Problem(
            *_locate(loaded, _path_of(items, sentence)),
            f"the number {token!r} matches no computed result or config field: "
            f"\u201c{sentence}\u201d",
        )
        for token, sentence in numbers.untraced
    ]
    if problems and not allow_untraced:
        raise ConfigError(problems)
    notes = [str(p) for p in problems]
    notes += _hype_warnings(loaded, loaded.config.text)
    prose = [item for item in items if item.prose]
    sentences = split_sentences([item.read for item in prose])
    readability = measure_sentences(sentences)
    report = loaded.config.report
    hard = hard_sentences(sentences, report.reading_grade, _names(loaded.config, view))
    reading = _reading_problems(loaded, readability, hard, prose)
    if reading and strict:
        raise ConfigError(reading)
    notes += [str(problem) for problem in reading]
    words = (report.summary_words.min, report.summary_words.max)
    return SummaryChecks(numbers, tuple(notes), readability, report.reading_grade, words, hard)


def _names(config: ReportConfig, view: ReportView) -> frozenset[str]:
    """Words of the report's own subject: title, condition, intervention, outcome labels and
    definitions' terms, and the glossary terms the summary explains."""
    report = config.report
    texts = [report.title, report.condition, report.intervention, report.population]
    for outcome in config.outcomes:
        texts += [outcome.label, outcome.plain_label]
    texts += [term for term in glossary(config.glossary, locale(report.language))]
    return frozenset(
        word.lower() for text in texts if text for word in WORD.findall(text) if len(word) > 3
    )


def _reading_problems(
    loaded: LoadedConfig,
    readability: Readability,
    hard: tuple[HardSentence, ...],
    prose: list[Prose],
) -> list[Problem]:
    """The summary's grade above its target, its length outside its word target and every
    sentence too long or too hard, each located (an editor's sentence at its own key)."""
    report = loaded.config.report
    target = report.reading_grade
    problems = []
    if readability.grade > target:
        hardest = "; ".join(
            f"\u201c{sentence}\u201d (grade {grade:g})" for grade, sentence in readability.hardest
        )
        problems.append(
            Problem(
                *_locate(loaded, ("report", "reading_grade")),
                f"the summary reads at grade {readability.grade:g}, above the target of "
                f"{target:g}; hardest sentences: {hardest}",
            )
        )
    low, high = report.summary_words.min, report.summary_words.max
    if not low <= readability.words <= high:
        problems.append(
            Problem(
                *_locate(loaded, ("report", "summary_words")),
                f"the summary has {readability.words:,} words, outside the target of {low:,} "
                f"to {high:,}",
            )
        )
    for sentence in hard:
        path = _path_of(prose, sentence.sentence)
        if path == ("text",):
            path = ("report", "reading_grade")
        problems.append(
            Problem(
                *_locate(loaded, path),
                f"sentence over the limit of {MAX_SENTENCE_WORDS} words or grade {target:g} "
                f"({sentence.why(target)}): \u201c{sentence.sentence}\u201d",
            )
        )
    return problems


def checks_view(checks: SummaryChecks) -> ChecksView:
    """What the checks found, in words, for the appendix."""
    numbers, r = checks.numbers, checks.readability
    verdict = "meets" if r.grade <= checks.reading_target else "is above"
    return ChecksView(
        numbers=(
            f"{numbers.checked} numbers in the summary were checked; {numbers.traced} "
            "trace back to the analysis or to the config's data and metadata."
        ),
        checked=", ".join(dict.fromkeys(numbers.numbers)),
        untraced=tuple(
            f"{token} in \u201c{sentence}\u201d" for token, sentence in numbers.untraced
        ),
        readability=(
            f"Readability of the summary: Flesch-Kincaid grade {r.grade:g} ({verdict} the target "
            f"of {checks.reading_target:g}), SMOG index {r.smog:g}, {r.words:,} words in "
            f"{r.sentences} sentences, {r.mean_sentence_length:g} words per sentence on average "
            f"(length target {checks.word_target[0]:,} to {checks.word_target[1]:,} words; "
            f"{_sentences_over(checks)})."
        )
        if r.sentences
        else None,
    )


def _path_of(items: list[Prose], sentence: str) -> tuple[str | int, ...]:
    """The config key path of the editor's or config's text holding ``sentence``."""
    for item in items:
        if item.path and sentence in item.read:
            return item.path
    return ("text",)


def _locate(loaded: LoadedConfig, path: tuple[str | int, ...]) -> tuple[str, int, str]:
    if loaded.document is None:
        return str(loaded.path), 0, format_key_path(path)
    return loaded.document.locate(path)


def _hype_warnings(loaded: LoadedConfig, text: EditorialText) -> list[str]:
    """Words that oversell (breakthrough, cure, proves, significant...) in the editor's text."""
    return [
        str(
            Problem(
                *_locate(loaded, path),
                f"'{word}' oversells: say what was found, in measured words",
            )
        )
        for path, value in editorial_fields(text)
        for word in hype_in(value or "")
    ]


def _sentences_over(checks: SummaryChecks) -> str:
    count = len(checks.hard)
    if not count:
        return f"no sentence over {MAX_SENTENCE_WORDS} words or the target grade"
    noun = "sentence" if count == 1 else "sentences"
    return f"{count} {noun} over {MAX_SENTENCE_WORDS} words or the target grade"
