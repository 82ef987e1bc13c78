"""Plain words: explain technical terms at their first use in the patient summary, and flag
words that oversell in editorial text. The glossary is the locale's (``data/locale/*.yaml``),
extendable per report with a top-level ``glossary:`` in the config.

Explanations are added to the summary's ``Prose`` as data, in reading order, once per term:
never in a heading or label, never inside another explanation or in a text that explains the
term itself, and never inside an HTML entity (matching happens on plain text).
"""

from __future__ import annotations

import re
from typing import TypeVar

from reportgen.present.locale import Locale, locale
from reportgen.present.prose import Prose, map_prose

T = TypeVar("T")


def glossary(extra: dict[str, str] | None = None, words: Locale | None = None) -> dict[str, str]:
    """The locale's glossary (English by default) with the config's own terms over it."""
    terms = dict((words or locale()).section("glossary")["terms"])
    terms.update(extra or {})
    return terms


def hype_words(words: Locale | None = None) -> tuple[str, ...]:
    return tuple((words or locale()).section("hype"))


def explain_terms(view: T, terms: dict[str, str]) -> T:
    """A copy of ``view`` (any frozen view holding Prose) with each term explained at its first
    use in glossable prose.

    Longer terms are matched first, so "composite complete remission" is explained as itself
    and not as "complete remission"; matching is case-insensitive and whole-word (a hyphen joins
    words: "non-randomised" is not "randomised").
    """
    ordered = sorted(terms, key=len, reverse=True)
    done: set[str] = set()

    def explain(prose: Prose) -> Prose:
        if not prose.glossable:
            return prose
        done.update(term for term in ordered if term.lower() in prose.explains)
        glosses = []
        for term in ordered:
            if term in done:
                continue
            longer = [t for t in ordered if term.lower() in t.lower() and t != term]
            end = first_free_match(prose.text, term, longer)
            if end is not None:
                glosses.append((end, terms[term]))
                done.add(term)
        if not glosses:
            return prose
        return Prose(**{**prose.__dict__, "glosses": tuple(sorted(glosses))})

    return map_prose(view, explain)


def first_free_match(text: str, term: str, longer_terms: list[str]) -> int | None:
    """End of the first whole-word use of ``term`` that is not part of a longer term."""
    covered = [m.span() for longer in longer_terms for m in re.finditer(_whole(longer), text, re.I)]
    for found in re.finditer(_whole(term), text, re.I):
        if not any(start <= found.start() and found.end() <= end for start, end in covered):
            return found.end()
    return None


def _whole(term: str) -> str:
    """A whole-word pattern in which a hyphen joins words."""
    return rf"(?<![\w-]){re.escape(term)}(?![\w-])"


def hype_in(text: str) -> list[str]:
    """Hype words used in ``text`` (whole words, any case)."""
    return [word for word in hype_words() if re.search(_whole(word), text, re.I)]
