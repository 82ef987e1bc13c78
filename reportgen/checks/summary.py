"""Checks of the patient summary, run on the report view before anything is rendered or written:
every number traces to the analysis (``faithfulness``), the text meets its reading-grade target
(``readability``), and the editor's prose avoids words that oversell (``glossary.hype_in``).
Problems are located at the config line where the editor wrote the sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.checks.faithfulness import NumberCheck, check_numbers, structured_config_text
from reportgen.checks.readability import Readability, measure_sentences, split_sentences
from reportgen.config.load import LoadedConfig
from reportgen.config.schema import EditorialText
from reportgen.config.yamlpos import format_key_path
from reportgen.errors import ConfigError, Problem
from reportgen.present.glossary import hype_in
from reportgen.present.placeholders import editorial_fields
from reportgen.present.prose import EDITORIAL, Prose, walk_prose
from reportgen.present.view import ChecksView, ReportView


@dataclass(frozen=True)
class SummaryChecks:
    numbers: NumberCheck
    warnings: tuple[str, ...]
    readability: Readability
    reading_target: float


def check_summary(
    loaded: LoadedConfig,
    view: ReportView,
    document: dict[str, Any],
    allow_untraced: bool,
    strict: bool = False,
) -> SummaryChecks:
    """Trace the numbers of the summary and measure its readability; raise a ``ConfigError``
    quoting each untraced sentence unless ``allow_untraced``, and for a reading grade above the
    target with ``strict``."""
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
    readability = measure_sentences(split_sentences([item.read for item in items if item.prose]))
    target = loaded.config.report.reading_grade
    if readability.grade > target:
        hardest = "; ".join(
            f"\u201c{sentence}\u201d (grade {grade:g})" for grade, sentence in readability.hardest
        )
        problem = Problem(
            *_locate(loaded, ("report", "reading_grade")),
            f"the summary reads at grade {readability.grade:g}, above the target of "
            f"{target:g}; hardest sentences: {hardest}",
        )
        if strict:
            raise ConfigError([problem])
        notes.append(str(problem))
    return SummaryChecks(numbers, tuple(notes), readability, target)


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
            f"{r.sentences} sentences, {r.mean_sentence_length:g} words per sentence on average."
        )
        if r.sentences
        else None,
    )


def _path_of(items: list[Prose], sentence: str) -> tuple[str | int, ...]:
    """The config key path of the editorial text holding ``sentence``."""
    for item in items:
        if item.source == EDITORIAL and sentence in item.read:
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
