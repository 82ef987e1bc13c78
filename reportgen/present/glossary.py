"""Plain words: explain technical terms at their first use in the patient summary, and flag
words that oversell in editorial text. The glossary is the locale's (``data/locale/*.yaml``),
extendable per report with a top-level ``glossary:`` in the config.

Explanations are added to the summary's ``Prose`` as data, in reading order, once per term:
never in a heading or label, never inside another explanation or in a text that explains the
term itself, and never inside an HTML entity (matching happens on plain text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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

    Linear in the length of the text and the number of terms: terms are indexed once by their
    first word, and each word start in a text looks up only the terms that begin with it (3,000
    glossary terms cost no more per word than 30).
    """
    index = TermIndex(terms)
    done: set[str] = set()

    def explain(prose: Prose) -> Prose:
        if not prose.glossable:
            return prose
        if prose.explains:
            done.update(term for term in terms if term.lower() in prose.explains)
        glosses = []
        for end, term in index.free_matches(prose.text):
            if term not in done:
                glosses.append((end, terms[term]))
                done.add(term)
        if not glosses:
            return prose
        return Prose(**{**prose.__dict__, "glosses": tuple(sorted(glosses))})

    return map_prose(view, explain)


_WORD = re.compile(r"\w+")
_JOINS = re.compile(r"[\w-]")  # a character that continues a word (a hyphen joins words)


class TermIndex:
    """Terms indexed by their first word (lower case), each list longest first."""

    def __init__(self, terms: Iterable[str]):
        self.by_start: dict[str, list[tuple[str, str]]] = {}
        for term in sorted(set(terms), key=len, reverse=True):
            if term:
                self.by_start.setdefault(_start_key(term, 0), []).append((term, term.lower()))

    def free_matches(self, text: str) -> list[tuple[int, str]]:
        """(end, term) of every whole-word use of a term in ``text`` that is not part of a
        longer term's use, in order."""
        found: list[tuple[int, int, str]] = []  # (start, -length, term)
        lowered = text.lower()
        same_length = len(lowered) == len(text)
        for start in range(len(text)):
            if start and _JOINS.match(text, start - 1):
                continue  # not the start of a word
            for term, term_lower in self.by_start.get(_start_key(text, start), ()):
                end = start + len(term)
                piece = lowered[start:end] if same_length else text[start:end].lower()
                if piece == term_lower and not (end < len(text) and _JOINS.match(text, end)):
                    found.append((start, -len(term), term))
        free = []
        reach = -1  # furthest end of the uses so far (they start at or before this one)
        for start, negative_length, term in sorted(found):
            end = start - negative_length
            if end > reach:
                free.append((end, term))
            reach = max(reach, end)
        return free


def _start_key(text: str, start: int) -> str:
    """The word starting at ``start`` in lower case (or the character there, if not a word)."""
    word = _WORD.match(text, start)
    return word.group().lower() if word else text[start : start + 1].lower()


def _whole(term: str) -> str:
    """A whole-word pattern in which a hyphen joins words."""
    return rf"(?<![\w-]){re.escape(term)}(?![\w-])"


def hype_in(text: str) -> list[str]:
    """Hype words used in ``text`` (whole words, any case)."""
    return [word for word in hype_words() if re.search(_whole(word), text, re.I)]
