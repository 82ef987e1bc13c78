"""The risk-of-bias tools reportgen knows: their domains and the judgements each allows.

One table, read by config validation (which columns and values a judgement row may have), by the
certainty suggestion (which judgements count as high risk) and by the figures (colour and symbol
per judgement). The domains' names are words, so they live in the locale file
(``risk_of_bias.<tool>.D1`` ...); here a domain is only its column name, ``D1`` to ``Dn``, as
robvis names them.

Sources: RoB 2 (Sterne JAC et al. BMJ 2019;366:l4898), ROBINS-I (Sterne JAC et al. BMJ
2016;355:i4919), QUADAS-2 (Whiting PF et al. Ann Intern Med 2011;155:529-36).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Judgement codes, in order of concern. ``severity`` ranks them: 0 low, 1 some concern,
# 2 high, 3 critical; no information has no rank (it is neither good nor bad news).
SEVERITY = {
    "low": 0,
    "some_concerns": 1,
    "moderate": 1,
    "unclear": 1,
    "high": 2,
    "serious": 2,
    "critical": 3,
    "no_information": None,
}
# What an editor may type for a judgement (after lower-casing and folding spaces and hyphens to
# underscores), beside the codes themselves: robvis's and the tools' own spellings.
ALIASES = {
    "some_concern": "some_concerns",
    "some": "some_concerns",
    "no_info": "no_information",
    "ni": "no_information",
    "unclear_risk": "unclear",
    "low_risk": "low",
    "high_risk": "high",
    "serious_risk": "serious",
    "critical_risk": "critical",
    "moderate_risk": "moderate",
}
HIGH_SEVERITY = 2  # high (RoB 2, QUADAS-2) and serious or critical (ROBINS-I)


@dataclass(frozen=True)
class RobTool:
    """One risk-of-bias tool: its config code, its number of domains and its judgements."""

    code: str
    domains: int
    judgements: tuple[str, ...]

    @property
    def domain_keys(self) -> tuple[str, ...]:
        """The domain columns, ``D1`` to ``Dn`` (robvis's names)."""
        return tuple(f"D{number}" for number in range(1, self.domains + 1))


_TOOL_LIST = (
    RobTool("rob2", 5, ("low", "some_concerns", "high", "no_information")),
    RobTool("robins-i", 7, ("low", "moderate", "serious", "critical", "no_information")),
    RobTool("quadas-2", 4, ("low", "unclear", "high", "no_information")),
)
ROB_TOOLS = {tool.code: tool for tool in _TOOL_LIST}
OVERALL = "overall"


def normalise_judgement(tool: RobTool, text: object) -> str | None:
    """The judgement code that ``text`` names for ``tool`` ("Some concerns" -> some_concerns),
    or None when the tool has no such judgement (the caller reports it)."""
    if not isinstance(text, str):
        return None
    key = re.sub(r"[\s\-]+", "_", text.strip().lower())
    key = ALIASES.get(key, key)
    return key if key in tool.judgements else None


def normalise_domain(tool: RobTool, column: object) -> str | None:
    """``D1`` ... ``Dn`` or ``overall`` for a column name given in any case, else None."""
    if not isinstance(column, str):
        return None
    key = column.strip()
    if key.lower() == OVERALL:
        return OVERALL
    upper = key.upper()
    return upper if upper in tool.domain_keys else None


def worst(judgements: tuple[str, ...]) -> str:
    """The overall judgement when the editor gives none: the worst domain (the tools' basic
    rule; RoB 2 also allows 'high' for several 'some concerns', which needs a reader).
    Domains with no information count only when every domain has none."""
    ranked = [j for j in judgements if SEVERITY[j] is not None]
    if not ranked:
        return "no_information"
    return max(ranked, key=lambda j: SEVERITY[j] or 0)


def is_high(judgement: str) -> bool:
    """High risk for the certainty rating: RoB 2 and QUADAS-2 'high', ROBINS-I 'serious' or
    'critical'."""
    severity = SEVERITY[judgement]
    return severity is not None and severity >= HIGH_SEVERITY
