"""Fixed English phrases of the report that are not sentence templates: certainty words and
symbols, plain reasons for a rating, plain explanations of study designs and the banner of
illustrative reports. Sentence templates with slots live in ``data/statements.yaml``."""

from __future__ import annotations

from reportgen.present.format import join_words

CERTAINTY_WORDS = {"high": "High", "moderate": "Moderate", "low": "Low", "very_low": "Very low"}
# Filled and open circles, the GRADE convention: readable without colour.
CERTAINTY_SYMBOLS = {
    "high": "\u2295\u2295\u2295\u2295",
    "moderate": "\u2295\u2295\u2295\u25ef",
    "low": "\u2295\u2295\u25ef\u25ef",
    "very_low": "\u2295\u25ef\u25ef\u25ef",
}
# Plain words: these finish the patient sentence "We are not confident in this number because
# of ..." and fill the certainty column of the brief.
REASON_WORDS = {
    "risk_of_bias": "how the studies were done",
    "inconsistency": "results that differ a lot between studies",
    "indirectness": "studies that may not match your situation",
    "imprecision": "small studies with few events",
    "publication_bias": "studies that may not have been published",
    "non_randomised": "studies without groups chosen by chance",
    "large_effect": "a large effect",
    "dose_response": "a dose-response gradient",
    "plausible_confounding": "bias that would shrink the effect",
}
# Plain explanations of common study designs, matched on words in a study's `design`; the
# matched word is the glossary term the sentence explains (so it is not explained twice).
DESIGN_EXPLANATIONS = {
    "quasi-randomised": "compared treatments in groups that were not chosen by chance",
    "non-randomised": "compared groups that were not chosen by chance",
    "retrospective": "looked back at the records of past patients",
    "prospective": "followed people forward in time",
    "randomised": "compared treatments in groups chosen by chance",
    "randomized": "compared treatments in groups chosen by chance",
    "case series": "described what happened to a group of treated patients",
    "cohort": "followed a group of treated patients",
}
BANNER = (
    "The study data in this report are invented to show the format. "
    "Do not use it for decisions about care."
)


def certainty_word(level: str) -> str:
    return CERTAINTY_WORDS[level]


def certainty_symbol(level: str) -> str:
    return CERTAINTY_SYMBOLS[level]


def reasons_text(reasons: tuple[str, ...]) -> str:
    """'a, b and c' in plain words; 'no serious concerns' for none."""
    return join_words([REASON_WORDS[r] for r in reasons]) if reasons else "no serious concerns"
