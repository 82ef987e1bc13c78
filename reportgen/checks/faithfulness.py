"""Number faithfulness: every number in the patient summary must come from the analysis or from a
structured config field, within the rounding shown.

Numbers that reportgen itself wrote are traced by construction; so are numbers in the report's
metadata, study and outcome fields. A number an editor typed into free text (``text:``) is
traced only if it equals a computed value at the precision shown: "64%" for a pooled 64.4%
passes, "67%" fails and the build stops, quoting the sentence (``--allow-untraced-numbers``
turns that into a warning).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

# A number as written in prose: an optional minus, digits with commas only as thousands
# separators ("1,234"; in "over 65, a group" the comma is punctuation), decimals, a percent sign.
NUMBER = re.compile(
    r"(?<![\w\-.\u2212])[\u2212-]?(?:\d{1,3}(?:,\d{3})+(?!,?\d)|\d+)(?:\.\d+)?(?:\s?%)?"
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class NumberCheck:
    checked: int
    traced: int
    untraced: tuple[tuple[str, str], ...]  # (number, sentence)
    numbers: tuple[str, ...] = ()  # every number checked, in reading order


BLOCK_END = re.compile(r"</(p|h[1-6]|li|div|td|th|caption|figcaption|summary)>|<br\s*/?>", re.I)


def visible_text(fragment: str) -> str:
    """Text of an HTML fragment as a reader sees it: tags (and alt text) removed, one line per
    block, so that a heading never runs into the sentence after it."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    text = BLOCK_END.sub("\n", text)
    text = re.sub(r"<[^>]+>", " ", text)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def numbers_in(text: str) -> list[str]:
    return [match.group(0) for match in NUMBER.finditer(text)]


def _value(token: str) -> tuple[float, int, bool]:
    percent = token.endswith("%")
    digits = token.rstrip("%").strip().replace(",", "").replace("\u2212", "-")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits), decimals, percent


def _computed_values(document: dict[str, Any]) -> list[float]:
    """The values a reader is shown: pooled results, counts and study data (not internals such
    as weights or variances, which would let almost any number through)."""
    values: list[float] = []
    report = document.get("report", {})
    for key in ("study_count", "participant_count"):
        if isinstance(report.get(key), int | float):
            values.append(float(report[key]))
    for outcome in document.get("outcomes", []):
        for key in ("k", "participants", "events"):
            if isinstance(outcome.get(key), int | float):
                values.append(float(outcome[key]))
        values += [
            float(v) for v in outcome.get("pooled", {}).values() if isinstance(v, int | float)
        ]
        i2 = outcome.get("heterogeneity", {}).get("i2")
        if i2 is not None:
            values.append(i2 / 100)  # shown as a percentage
        for study in outcome.get("studies", []):
            _collect(study.get("data", {}), values)
        values += _regression_values(outcome)
    return values


def _regression_values(outcome: dict[str, Any]) -> list[float]:
    """What an editor may quote of a meta-regression (through placeholders): R2 (a percent),
    the predicted effects and, for ratio measures, the relative changes they imply (1 - ratio)
    and the ratio per unit of a moderator."""
    values: list[float] = []
    for regression in outcome.get("meta_regression", []):
        if isinstance(regression.get("r2"), int | float):
            values.append(regression["r2"] / 100)
        for prediction in regression.get("predictions", []):
            for key in ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper"):
                if isinstance(prediction.get(key), int | float):
                    values += [prediction[key], 1 - prediction[key]]
        for coefficient in regression.get("coefficients", []):
            for key in ("ratio", "ratio_ci_lower", "ratio_ci_upper"):
                if isinstance(coefficient.get(key), int | float):
                    values += [coefficient[key], 1 - coefficient[key]]
    return values


def _collect(node: Any, values: list[float]) -> None:
    if isinstance(node, bool):
        return
    if isinstance(node, int | float):
        values.append(float(node))
    elif isinstance(node, dict):
        for item in node.values():
            _collect(item, values)


def _matches(token: str, computed: list[float]) -> bool:
    value, decimals, percent = _value(token)
    scales = (100.0,) if percent else (1.0, 100.0, 1000.0)
    for number in computed:
        for scale in scales:
            if round(abs(number) * scale, decimals) == round(abs(value), decimals):
                return True
    return False


def check_numbers(
    texts: list[tuple[str, bool]], config_text: str, document: dict[str, Any]
) -> NumberCheck:
    """Trace every number in the summary's ``texts``, (text, written by the editor) pairs in
    reading order.

    Numbers in reportgen's own text are traced by construction, as are numbers of the
    structured config fields (``config_text``); a number in the editor's text must equal a
    computed value at the precision shown.
    """
    allowed = {token for text, editorial in texts if not editorial for token in numbers_in(text)}
    allowed |= set(numbers_in(config_text))
    computed = _computed_values(document)
    untraced = []
    tokens = []
    for text, editorial in texts:
        for line in text.splitlines():
            for sentence in SENTENCE_END.split(line):
                for token in numbers_in(sentence):
                    tokens.append(token)
                    if editorial and token not in allowed and not _matches(token, computed):
                        untraced.append((token, sentence.strip()))
    return NumberCheck(len(tokens), len(tokens) - len(untraced), tuple(untraced), tuple(tokens))


def structured_config_text(config) -> str:
    """The config's structured fields as one text (everything except the editor's prose)."""
    return " ".join(
        str(value) for value in _walk(config.model_dump(exclude={"text"})) if value is not None
    )


def _walk(node: Any):
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
    else:
        yield node
