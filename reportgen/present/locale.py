"""The words of the patient summary, per language: ``data/locale/<language>.yaml``.

A ``Locale`` answers every question the summary asks in words: phrases with slots, plural
nouns, numbers as words, lists joined with "and", certainty words, the statement table and the
glossary. The code of the summary holds no sentences of its own; a new summary language is one
new locale file. The clinician brief and the technical appendix are in English.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from reportgen.paths import data_dir
from reportgen.present.format import count as format_count
from reportgen.present.format import per_hundred

DEFAULT_LANGUAGE = "en"


def available_languages() -> tuple[str, ...]:
    """The languages with a locale file."""
    return tuple(sorted(path.stem for path in (data_dir() / "locale").glob("*.yaml")))


def language_of(tag: str) -> str:
    """The locale for an IETF tag: 'en-GB' -> 'en' when there is no 'en-GB' file."""
    languages = available_languages()
    for candidate in (tag, tag.split("-")[0].lower()):
        if candidate in languages:
            return candidate
    raise ValueError(f"no summary words for language {tag!r}; available: {', '.join(languages)}")


class Locale:
    """The phrases of one language (read-only)."""

    def __init__(self, language: str, data: dict[str, Any]):
        self.language = language
        self._data = data

    @property
    def version(self) -> int:
        version: int = self._data["version"]
        return version

    def section(self, name: str) -> Any:
        """A whole table of the locale file (``statements``, ``headings``, ``glossary``...)."""
        return self._data[name]

    def text(self, key: str, **slots: Any) -> str:
        """The phrase at a dotted ``key`` (``summary.basis``) with its slots filled."""
        node: Any = self._data
        for part in key.split("."):
            node = node[part]
        return str(node).format(**slots) if slots else str(node)

    def noun(self, count: int, noun: str) -> str:
        """'1 study', '6 studies', '1,234 people'."""
        singular, plural = self._data["numbers"]["nouns"][noun]
        return f"{format_count(count)} {singular if count == 1 else plural}"

    def noun_word(self, count: int, noun: str) -> str:
        """The noun alone, in the form ``count`` takes."""
        singular, plural = self._data["numbers"]["nouns"][noun]
        return str(singular if count == 1 else plural)

    def unit_for(self, amount: str, unit: str) -> str:
        """The unit as ``amount`` (as shown) takes it: '1 point' but '2 points' in English
        (``numbers.singular_unit``: drop-final-s, or none for languages without the rule)."""
        rule = self._data["numbers"].get("singular_unit", "none")
        if amount == "1" and rule == "drop-final-s" and unit.endswith("s"):
            return unit if unit.endswith("ss") else unit[:-1]
        return unit

    def count_words(self, count: int) -> str:
        """Numbers below ten as words ('six'); others as figures ('1,234')."""
        words = self._data["numbers"]["count_words"]
        return str(words[count]) if 0 <= count < len(words) else format_count(count)

    def date(self, iso: str) -> str:
        """'2026-12-07' -> '7 December 2026' (``numbers.date``, ``numbers.months``). Edge case:
        text that is not a calendar date as YYYY-MM-DD is returned as it is."""
        try:
            day = dt.date.fromisoformat(iso)
        except ValueError:
            return iso
        month = self._data["numbers"]["months"][day.month - 1]
        return self.text("numbers.date", day=day.day, month=month, year=day.year)

    def join(self, items: list[str]) -> str:
        """['a', 'b', 'c'] -> 'a, b and c'."""
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self._data['numbers']['and']} " + items[-1]

    def natural_frequency(self, proportion: float) -> str:
        """0.6379 -> 'about 64 in 100 people'."""
        count = per_hundred(proportion)
        if count == 0:
            return self.text("numbers.frequency_none")
        if count == 100:
            return self.text("numbers.frequency_all")
        return self.text("numbers.frequency", count=count)

    def certainty_word(self, level: str) -> str:
        return self.text(f"certainty.words.{level}")

    def certainty_symbol(self, level: str) -> str:
        return self.text(f"certainty.symbols.{level}")

    def reasons(self, reasons: tuple[str, ...]) -> str:
        """'a, b and c' in plain words; 'no serious concerns' for none."""
        if not reasons:
            return self.text("certainty.no_reasons")
        return self.join([self.text(f"certainty.reasons.{reason}") for reason in reasons])

    def variation_words(self, i2: float) -> str:
        """How much study results varied, from I2 in percent (Cochrane Handbook 10.10.2: might
        not be important, moderate, substantial, considerable; cut at 30, 50 and 75%)."""
        bands = self._data["summary"]["variation_words"]
        return str(bands[sum(i2 >= cut for cut in (30, 50, 75))])


@lru_cache(maxsize=8)
def locale(language: str = DEFAULT_LANGUAGE) -> Locale:
    """The locale of ``language`` (an IETF tag; falls back to its primary language)."""
    import yaml

    code = language_of(language)
    data = yaml.safe_load((data_dir() / "locale" / f"{code}.yaml").read_text(encoding="utf-8"))
    return Locale(code, data)
