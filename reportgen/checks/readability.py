"""Readability of the patient summary: Flesch-Kincaid grade, SMOG index, word count and mean
sentence length (Kincaid JP et al. 1975, Naval Technical Training Command report 8-75;
McLaughlin GH 1969, J Reading 12:639-646).

Syllables are counted with the usual vowel-group rule (silent final e, -es and -ed dropped),
which needs no dictionary and no network.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from reportgen.checks.faithfulness import visible_text

# A sentence longer than this is named, whatever its grade (plain-language guidance, e.g. the
# Cochrane plain language summary template 2021: "keep sentences short, 15 to 20 words").
MAX_SENTENCE_WORDS = 25
# The grade of a sentence is only judged from this many words: on fewer, Flesch-Kincaid is noise
# (the five words "Seven studies were randomised trials." score grade 10, because the formula's
# syllable term dominates when the sentence-length term is small).
MIN_WORDS_FOR_GRADE = 10

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
PROSE = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.S | re.I)


@dataclass(frozen=True)
class Readability:
    grade: float  # Flesch-Kincaid grade level
    smog: float
    words: int
    sentences: int
    mean_sentence_length: float
    hardest: tuple[tuple[float, str], ...]  # (grade, sentence), hardest first


def syllables(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def _grade(words: list[str], sentences: int, names: frozenset[str] = frozenset()) -> float:
    if not words or not sentences:
        return 0.0
    syllable_count = sum(
        min(2, syllables(w)) if w.lower() in names else syllables(w) for w in words
    )
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59


def prose_sentences(summary_html: str) -> list[str]:
    """The summary's sentences from paragraphs and list items (not headings or tables)."""
    sentences = []
    for _, inner in PROSE.findall(summary_html):
        for line in visible_text(inner).splitlines():
            sentences += [s.strip() for s in SENTENCE_END.split(line) if WORD.search(s)]
    return sentences


def measure(summary_html: str) -> Readability:
    """Readability of the paragraphs and list items of an HTML fragment."""
    return measure_sentences(prose_sentences(summary_html))


def split_sentences(paragraphs: list[str]) -> list[str]:
    """Sentences of plain-text paragraphs (those with at least one word)."""
    return [
        s.strip()
        for paragraph in paragraphs
        for line in paragraph.splitlines()
        for s in SENTENCE_END.split(line)
        if WORD.search(s)
    ]


def measure_sentences(sentences: list[str]) -> Readability:
    """Flesch-Kincaid grade, SMOG, word and sentence counts, and the three hardest sentences."""
    words = [w for s in sentences for w in WORD.findall(s)]
    polysyllables = sum(1 for w in words if syllables(w) >= 3)
    smog = 1.0430 * math.sqrt(polysyllables * 30 / max(1, len(sentences))) + 3.1291
    hardest = sorted(
        ((round(_grade(WORD.findall(s), 1), 1), s) for s in sentences if len(WORD.findall(s)) >= 6),
        reverse=True,
    )[:3]
    return Readability(
        grade=round(_grade(words, len(sentences)), 1),
        smog=round(smog, 1),
        words=len(words),
        sentences=len(sentences),
        mean_sentence_length=round(len(words) / max(1, len(sentences)), 1),
        hardest=tuple(hardest),
    )


@dataclass(frozen=True)
class HardSentence:
    """A sentence over the length limit or (from ``MIN_WORDS_FOR_GRADE`` words) over the target
    grade."""

    sentence: str
    words: int
    grade: float

    def why(self, target: float) -> str:
        reasons = []
        if self.words > MAX_SENTENCE_WORDS:
            reasons.append(f"{self.words} words")
        if self.words >= MIN_WORDS_FOR_GRADE and self.grade > target:
            reasons.append(f"grade {self.grade:g}")
        return ", ".join(reasons)


def hard_sentences(
    sentences: list[str], target: float, names: frozenset[str] = frozenset()
) -> tuple[HardSentence, ...]:
    """Every sentence longer than ``MAX_SENTENCE_WORDS`` words or, from
    ``MIN_WORDS_FOR_GRADE`` words, above the ``target`` Flesch-Kincaid grade, in reading order.

    ``names`` are words the reader cannot be spared (the condition, the treatment, the outcomes
    and glossary terms, which the summary names and explains): in a sentence's grade each counts
    as at most two syllables, so "tuberculosis" alone does not make a plain sentence hard. The
    whole summary's grade counts every syllable."""
    found = []
    for sentence in dict.fromkeys(sentences):
        words = WORD.findall(sentence)
        grade = round(_grade(words, 1, names), 1)
        hard = HardSentence(sentence, len(words), grade)
        if hard.why(target):
            found.append(hard)
    return tuple(found)
