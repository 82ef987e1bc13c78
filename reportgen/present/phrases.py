"""Certainty in words for the clinician brief and the appendix (English), from the English
locale: the summary takes the same words from its own locale."""

from __future__ import annotations

from reportgen.present.locale import locale


def certainty_word(level: str) -> str:
    return locale().certainty_word(level)


def certainty_symbol(level: str) -> str:
    return locale().certainty_symbol(level)


def reasons_text(reasons: tuple[str, ...]) -> str:
    """'a, b and c' in plain words; 'no serious concerns' for none."""
    return locale().reasons(reasons)
