"""Plain words: explain technical terms at their first use in the patient summary, and flag
words that oversell in editorial text. The glossary is ``data/glossary.yaml``, extendable per
report with a top-level ``glossary:`` in the config."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from reportgen.paths import data_dir

TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
SUMMARY = re.compile(r'(<section id="summary".*?</section>)', re.S)


@lru_cache(maxsize=1)
def _data() -> dict:
    import yaml

    return yaml.safe_load((data_dir() / "glossary.yaml").read_text())


def glossary(extra: dict[str, str] | None = None) -> dict[str, str]:
    terms = dict(_data()["terms"])
    terms.update(extra or {})
    return terms


def hype_words() -> tuple[str, ...]:
    return tuple(_data()["hype"])


def explain_terms(page: str, terms: dict[str, str]) -> str:
    """Add a plain explanation after the first use of each term in the summary section.

    Longer terms are matched first, so "composite complete remission" is explained as itself
    and not as "complete remission". Only text between tags is touched, never headings.
    """
    match = SUMMARY.search(page)
    if not match:
        return page
    remaining = sorted(terms, key=len, reverse=True)
    explained: set[str] = set()
    in_heading = False
    parts = TAG_OR_TEXT.split(match.group(1))
    for index, part in enumerate(parts):
        if part.startswith("<"):
            # Headings and bold labels stay as they are: explain the term in the prose.
            if re.match(r"<(h[1-6]|strong|b)\b", part):
                in_heading = True
            elif re.match(r"</(h[1-6]|strong|b)>", part):
                in_heading = False
            continue
        if in_heading or not part.strip():
            continue
        for term in remaining:
            if term in explained:
                continue
            found = _first_free_match(part, term, [t for t in terms if term in t and t != term])
            if found is None:
                continue
            end = found
            part = part[:end] + f' <span class="gloss">({escape(terms[term])})</span>' + part[end:]
            explained.add(term)
        parts[index] = part
    return page[: match.start()] + "".join(parts) + page[match.end() :]


def _first_free_match(text: str, term: str, longer_terms: list[str]) -> int | None:
    """End of the first whole-word use of ``term`` that is not part of a longer term."""
    covered = [m.span() for longer in longer_terms for m in re.finditer(_whole(longer), text, re.I)]
    for found in re.finditer(_whole(term), text, re.I):
        if not any(start <= found.start() and found.end() <= end for start, end in covered):
            return found.end()
    return None


def _whole(term: str) -> str:
    """A whole-word pattern in which a hyphen joins words ("non-randomised" is not
    "randomised")."""
    return rf"(?<![\w-]){re.escape(term)}(?![\w-])"


def hype_in(text: str) -> list[str]:
    """Hype words used in ``text`` (whole words, any case)."""
    return [word for word in hype_words() if re.search(_whole(word), text, re.I)]
