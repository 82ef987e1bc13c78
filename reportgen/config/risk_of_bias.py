"""`risk_of_bias:` per-study risk-of-bias judgements, their checks and the resolved table.

Judgements come from two places, both robvis-shaped (columns ``D1`` ... ``Dn`` and ``overall``):
a study's own ``risk_of_bias: {D1: low, ...}`` (for every outcome), and rows under
``risk_of_bias.judgements`` (inline, or a CSV/XLSX file) with ``study`` and an optional
``outcome`` (RoB 2 and QUADAS-2 judge each result, so a row may apply to one outcome only).
A row for (study, outcome) wins over one for the study alone, which wins over the study entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reportgen.config.parts import Identifier, Strict
from reportgen.config.rob_tools import (
    OVERALL,
    ROB_TOOLS,
    RobTool,
    normalise_domain,
    normalise_judgement,
    worst,
)
from reportgen.config.yamlpos import KeyPath, PositionedDocument
from reportgen.errors import Problem

if TYPE_CHECKING:
    RobToolCode = str
else:
    RobToolCode = Literal[tuple(ROB_TOOLS)]

ROW_KEYS = ("study", "outcome")
TOOL_NAMES = {"rob2": "RoB 2", "robins-i": "ROBINS-I", "quadas-2": "QUADAS-2"}


class JudgementRow(BaseModel):
    """One row of judgements: ``study``, an optional ``outcome``, ``D1`` ... ``Dn``, ``overall``."""

    model_config = ConfigDict(extra="allow", frozen=True)

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    outcome: Identifier | None = Field(
        None, description="Id of the outcome these judgements are for (default: every outcome)."
    )


class RiskOfBias(Strict):
    """`risk_of_bias:` which tool the studies were judged with, and the judgements."""

    tool: RobToolCode = Field(
        description="rob2 (randomised trials: D1 randomisation, D2 deviations from intended "
        "interventions, D3 missing outcome data, D4 measurement of the outcome, D5 selection of "
        "the reported result), robins-i (non-randomised studies, D1 to D7) or quadas-2 "
        "(diagnostic accuracy, D1 to D4)."
    )
    judgements: list[JudgementRow] = Field(
        default_factory=list,
        description="Rows of study, optional outcome, D1 ... Dn and overall, or a CSV/XLSX file "
        "with those columns (judgements: low, some concerns, high, moderate, serious, "
        "critical, unclear or no information, as the tool allows).",
    )


@dataclass(frozen=True)
class Judgement:
    """One study's judgements for one outcome: per domain, and overall (given or the worst
    domain)."""

    domains: tuple[str, ...]
    overall: str
    overall_given: bool


def check_risk_of_bias(document: PositionedDocument) -> list[Problem]:
    """Located problems in the judgements: unknown columns or judgements, missing domains,
    unknown studies or outcomes, a (study, outcome) judged twice. The tool itself is checked
    by the schema; without a known tool nothing else can be checked."""
    data = document.data if isinstance(document.data, dict) else {}
    problems: list[Problem] = []

    def add(path: KeyPath, message: str) -> None:
        problems.append(Problem(*document.locate(path), message))

    section = data.get("risk_of_bias")
    studies: list[Any] = data["studies"] if isinstance(data.get("studies"), list) else []
    judged: list[tuple[KeyPath, Any]] = [
        (("studies", i, "risk_of_bias"), s["risk_of_bias"])
        for i, s in enumerate(studies)
        if isinstance(s, dict) and "risk_of_bias" in s
    ]
    if not isinstance(section, dict):
        for path, _ in judged[:1]:
            add(path, "a study has risk-of-bias judgements: say which tool under risk_of_bias.tool")
        return problems
    code = section.get("tool")
    tool = ROB_TOOLS.get(code) if isinstance(code, str) else None
    if tool is None:
        return problems
    for path, judgements in judged:
        _check_judgements(tool, judgements, path, add, row=False)
    rows = section.get("judgements")
    study_ids = {s.get("id") for s in studies if isinstance(s, dict)}
    outcomes: list[Any] = data["outcomes"] if isinstance(data.get("outcomes"), list) else []
    outcome_ids = {o.get("id") for o in outcomes if isinstance(o, dict)}
    seen: set[tuple[Any, Any]] = set()
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        here: KeyPath = ("risk_of_bias", "judgements", index)
        if not isinstance(row, dict):
            continue
        _check_judgements(tool, row, here, add, row=True)
        study, outcome = row.get("study"), row.get("outcome")
        if isinstance(study, str) and study not in study_ids:
            add((*here, "study"), f"unknown study '{study[:80]}'; it must be listed under studies")
        if isinstance(outcome, str) and outcome not in outcome_ids:
            add((*here, "outcome"), f"unknown outcome '{outcome[:80]}'")
        if (study, outcome) in seen:
            add((*here, "study"), "this study is judged twice" + _for(outcome))
        seen.add((study, outcome))
    return problems


def _for(outcome: object) -> str:
    return f" for outcome '{outcome}'" if isinstance(outcome, str) else " for every outcome"


def _check_judgements(tool: RobTool, values: object, path: KeyPath, add, *, row: bool) -> None:
    name = TOOL_NAMES[tool.code]
    if not isinstance(values, dict):
        add(path, f"expected a mapping of {name} domains (D1 ... D{tool.domains}, overall)")
        return
    given = set()
    for key, value in values.items():
        if row and key in ROW_KEYS:
            continue
        domain = normalise_domain(tool, key)
        if domain is None:
            add(
                (*path, key),
                f"unknown column '{str(key)[:40]}': {name} has domains D1 to D{tool.domains} "
                "and overall",
            )
            continue
        given.add(domain)
        if normalise_judgement(tool, value) is None:
            names = [j.replace("_", " ") for j in tool.judgements]
            allowed = ", ".join(names[:-1]) + " or " + names[-1]
            add((*path, key), f"'{str(value)[:40]}' is not a {name} judgement: use {allowed}")
    missing = [d for d in tool.domain_keys if d not in given]
    if missing:
        add(
            path,
            f"no judgement for {', '.join(missing)}: give one for every {name} domain "
            "('no information' where the study does not say)",
        )


def judgement_table(config: Any) -> dict[str | None, dict[str, Judgement]]:
    """The judgements by outcome id (None: those for every outcome) and study id, from a
    validated config (checked by ``check_risk_of_bias``); empty without ``risk_of_bias``."""
    section: RiskOfBias | None = config.risk_of_bias
    if section is None:
        return {}
    tool = ROB_TOOLS[section.tool]
    table: dict[str | None, dict[str, Judgement]] = {None: {}}
    for study in config.studies:
        if study.risk_of_bias is not None:
            table[None][study.id] = _judgement(tool, study.risk_of_bias)
    for row in section.judgements:
        table.setdefault(row.outcome, {})[row.study] = _judgement(tool, row.model_extra or {})
    return table


def judgements_for(
    table: dict[str | None, dict[str, Judgement]], outcome_id: str
) -> dict[str, Judgement]:
    """The judgement of each study for one outcome (outcome rows win over general ones)."""
    return {**table.get(None, {}), **table.get(outcome_id, {})}


def _judgement(tool: RobTool, values: dict[str, Any]) -> Judgement:
    by_domain = {normalise_domain(tool, key): value for key, value in values.items()}
    domains = tuple(
        normalise_judgement(tool, by_domain.get(key)) or "no_information"
        for key in tool.domain_keys
    )
    given = normalise_judgement(tool, by_domain.get(OVERALL))
    return Judgement(domains, given or worst(domains), given is not None)
