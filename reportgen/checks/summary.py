"""Checks of the rendered patient summary, run before anything is written: every number traces
to the analysis (``faithfulness``), the text meets its reading-grade target (``readability``), and
the editor's prose avoids words that oversell (``plainwords``). Problems are located at the
config line where the editor wrote the sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.errors import ConfigError, Problem
from reportgen.present.placeholders import editorial_fields


def check_summary(
    loaded, text, html: str, render, document: dict, allow_untraced: bool, strict: bool = False
):
    """Trace the numbers of the rendered patient summary (see ``faithfulness``); raise a
    ``ConfigError`` quoting each untraced sentence unless ``allow_untraced``."""
    from reportgen.checks.faithfulness import check_numbers, structured_config_text

    def summary_of(page: str) -> str:
        match = re.search(r'<section id="summary".*?</section>', page, re.S)
        return match.group(0) if match else ""

    blank = text.model_copy(
        update={
            "headline": None,
            "key_takeaway": None,
            "context": None,
            "what_it_means": None,
            "caveats": [],
            "faq": [],
        }
    )
    result = check_numbers(
        summary_of(html), summary_of(render(blank)), structured_config_text(loaded.config), document
    )
    problems = []
    for token, sentence in result.untraced:
        file, line, key = _text_location(loaded, text, sentence)
        problems.append(
            Problem(
                file,
                line,
                key,
                f"the number {token!r} matches no computed "
                f"result or config field: \u201c{sentence}\u201d",
            )
        )
    if problems and not allow_untraced:
        raise ConfigError(problems)
    notes = [str(p) for p in problems]
    notes += _hype_warnings(loaded, text)
    from reportgen.checks.readability import measure

    readability = measure(summary_of(html))
    target = loaded.config.report.reading_grade
    if readability.grade > target:
        hardest = "; ".join(
            f"\u201c{sentence}\u201d (grade {grade:g})" for grade, sentence in readability.hardest
        )
        message = (
            f"the summary reads at grade {readability.grade:g}, above the target of "
            f"{target:g}; hardest sentences: {hardest}"
        )
        file, line, key = (
            loaded.document.locate(("report", "reading_grade"))
            if loaded.document
            else (str(loaded.path), 0, "report.reading_grade")
        )
        if strict:
            raise ConfigError([Problem(file, line, key, message)])
        notes.append(str(Problem(file, line, key, message)))
    return SummaryChecks(result, tuple(notes), readability, target)


@dataclass(frozen=True)
class SummaryChecks:
    numbers: object
    warnings: tuple[str, ...]
    readability: object = None
    reading_target: float = 8


def _hype_warnings(loaded, text) -> list[str]:
    """Words that oversell (breakthrough, cure, proves, significant...) in the editor's text."""
    from reportgen.present.glossary import hype_in

    warnings = []
    for path, value in editorial_fields(text):
        for word in hype_in(value or ""):
            file, line, key = (
                loaded.document.locate(path)
                if loaded.document
                else (str(loaded.path), 0, ".".join(map(str, path)))
            )
            warnings.append(
                str(
                    Problem(
                        file,
                        line,
                        key,
                        f"'{word}' oversells: say what was found, in measured words",
                    )
                )
            )
    return warnings


def _text_location(loaded, text, sentence: str) -> tuple[str, int, str]:
    """Where in the config the editor wrote ``sentence`` (the text section if not found)."""
    document = loaded.document
    for path, value in editorial_fields(text):
        if value and sentence[:40] in " ".join(value.split()):
            return document.locate(path) if document else (str(loaded.path), 0, "")
    return document.locate(("text",)) if document else (str(loaded.path), 0, "text")
