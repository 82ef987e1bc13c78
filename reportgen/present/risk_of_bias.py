"""The appendix's risk-of-bias section: a traffic-light plot of the studies' judgements, and per
outcome a summary of the analysis weight at each judgement (robvis's weighted summary plot),
each with a table that says the same in words (the figures' accessible alternative).

Figure stems: ``_risk-of-bias`` for the studies' judgements (an outcome id cannot start with
``_``, so no forest plot can take that name) and ``<outcome-id>-risk-of-bias`` (summary) and
``<outcome-id>-risk-of-bias-studies`` (judgements given for that outcome only).
"""

from __future__ import annotations

from typing import Any

from reportgen.config.risk_of_bias import Judgement, judgement_table, judgements_for
from reportgen.config.rob_tools import ROB_TOOLS, RobTool
from reportgen.interpret.findings import Finding, Findings
from reportgen.present.figures.risk_of_bias import (
    RobFigureWords,
    summary_bars_svg,
    traffic_light_svg,
)
from reportgen.present.figures.style import svg_data_url
from reportgen.present.format import join_words, percent
from reportgen.present.locale import Locale, locale

STUDIES_STEM = "_risk-of-bias"
NO_INFORMATION = "no_information"


def summary_stem(outcome_id: str) -> str:
    return f"{outcome_id}-risk-of-bias"


def outcome_studies_stem(outcome_id: str) -> str:
    return f"{outcome_id}-risk-of-bias-studies"


def _figure_words(tool: RobTool, words: Locale, title: str) -> RobFigureWords:
    section = words.section("risk_of_bias")
    return RobFigureWords(
        title=title,
        domains=tuple(section["domains"][tool.code]),
        overall=section["overall"],
        judgements=dict(section["judgements"]),
    )


def _tool_name(tool: RobTool, words: Locale) -> str:
    return str(words.section("risk_of_bias")["tools"][tool.code])


def _ordered(config: Any, judgements: dict[str, Judgement]) -> list[tuple[str, Judgement]]:
    """(label, judgement) in the order of ``studies:``."""
    return [(s.label, judgements[s.id]) for s in config.studies if s.id in judgements]


def _traffic(rows: list[tuple[str, Judgement]], tool: RobTool, words: Locale) -> str:
    title = words.text("risk_of_bias.traffic_caption", tool=_tool_name(tool, words))
    return traffic_light_svg(
        [label for label, _ in rows],
        [(j.domains, j.overall) for _, j in rows],
        _figure_words(tool, words, title),
    )


def weight_shares(finding: Finding, judgements: dict[str, Judgement]) -> list[dict[str, float]]:
    """Per domain (D1 first, overall last): percent of the outcome's pooled weight at each
    judgement; studies without a judgement count as 'no information'."""
    studies = finding.result.studies
    total = sum(s.weight for s in studies) or 1.0
    columns = len(next(iter(judgements.values())).domains) + 1
    shares: list[dict[str, float]] = [{} for _ in range(columns)]
    for study in studies:
        judgement = judgements.get(study.id)
        marks = (
            (*judgement.domains, judgement.overall) if judgement else (NO_INFORMATION,) * columns
        )
        for column, mark in enumerate(marks):
            shares[column][mark] = shares[column].get(mark, 0.0) + 100.0 * study.weight / total
    return shares


def draw_risk_of_bias(config: Any, findings: Findings) -> dict[str, str]:
    """Every risk-of-bias figure of a report, keyed by file stem; empty without judgements."""
    table = judgement_table(config)
    if not table:
        return {}
    tool = ROB_TOOLS[config.risk_of_bias.tool]
    words = locale(config.report.language)
    figures: dict[str, str] = {}
    if table.get(None):
        figures[STUDIES_STEM] = _traffic(_ordered(config, table[None]), tool, words)
    for finding in findings:
        outcome_id = finding.result.outcome.id
        judgements = judgements_for(table, outcome_id)
        if not any(s.id in judgements for s in finding.result.studies):
            continue
        title = words.text("risk_of_bias.summary_caption", outcome=finding.result.outcome.label)
        figures[summary_stem(outcome_id)] = summary_bars_svg(
            weight_shares(finding, judgements), _figure_words(tool, words, title)
        )
        if table.get(outcome_id):
            figures[outcome_studies_stem(outcome_id)] = _traffic(
                _ordered(config, judgements), tool, words
            )
    return figures


def forest_marks(config: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    """For each outcome with judgements: study id -> (D1 ... Dn, overall), the columns drawn
    beside its forest plot; empty without ``risk_of_bias``."""
    table = judgement_table(config)
    marks = {}
    for outcome in config.outcomes if table else ():
        judgements = judgements_for(table, outcome.id)
        if judgements:
            marks[outcome.id] = {study: (*j.domains, j.overall) for study, j in judgements.items()}
    return marks


def forest_rob_captions(config: Any) -> dict[str, str]:
    """The sentence a forest plot's caption gains where risk-of-bias columns are drawn."""
    marks = forest_marks(config)
    if not marks:
        return {}
    tool = ROB_TOOLS[config.risk_of_bias.tool]
    words = locale(config.report.language)
    sentence = words.text(
        "risk_of_bias.forest_caption", tool=_tool_name(tool, words), count=tool.domains
    )
    return dict.fromkeys(marks, sentence)


def _judgement_rows(rows: list[tuple[str, Judgement]], names: dict[str, str]) -> list[list[str]]:
    return [[label, *(names[j] for j in (*jd.domains, jd.overall))] for label, jd in rows]


def risk_of_bias_appendix(
    config: Any, findings: Findings, figures: dict[str, str]
) -> dict[str, Any] | None:
    """The appendix section as display strings; None when the config gives no judgements."""
    table = judgement_table(config)
    if not table:
        return None
    tool = ROB_TOOLS[config.risk_of_bias.tool]
    words = locale(config.report.language)
    section = words.section("risk_of_bias")
    names = {code: str(word) for code, word in section["judgements"].items()}
    tool_name = _tool_name(tool, words)
    header = [section["study"], *tool.domain_keys, section["overall"]]
    outcomes = []
    for finding in findings:
        outcome = finding.result.outcome
        judgements = judgements_for(table, outcome.id)
        if not any(s.id in judgements for s in finding.result.studies):
            continue
        missing = [s.label for s in finding.result.studies if s.id not in judgements]
        shares = weight_shares(finding, judgements)
        share = finding.certainty.high_risk_weight
        outcomes.append(
            {
                "label": outcome.label,
                "src": svg_data_url(figures.get(summary_stem(outcome.id))),
                "caption": words.text("risk_of_bias.summary_caption", outcome=outcome.label),
                "high_weight": words.text(
                    "risk_of_bias.high_weight", percent=percent((share or 0.0) / 100)
                ),
                "not_judged": (
                    words.text("risk_of_bias.not_judged", studies=join_words(missing))
                    if missing
                    else None
                ),
                "table_caption": words.text(
                    "risk_of_bias.summary_table_caption", outcome=outcome.label
                ),
                "shares_header": [section["domain"], *(names[j] for j in tool.judgements)],
                "shares": [
                    [name, *(percent(share.get(j, 0.0) / 100) for j in tool.judgements)]
                    for name, share in zip(
                        [*tool.domain_keys, section["overall"]], shares, strict=True
                    )
                ],
                "studies_src": svg_data_url(figures.get(outcome_studies_stem(outcome.id))),
                "studies_rows": (
                    _judgement_rows(_ordered(config, judgements), names)
                    if table.get(outcome.id)
                    else []
                ),
            }
        )
    return {
        "heading": section["heading"],
        "intro": words.text("risk_of_bias.intro", tool=tool_name, count=tool.domains),
        "domains": [f"D{i + 1}: {name}" for i, name in enumerate(section["domains"][tool.code])],
        "traffic_src": svg_data_url(figures.get(STUDIES_STEM)),
        "traffic_caption": words.text("risk_of_bias.traffic_caption", tool=tool_name),
        "table_caption": words.text("risk_of_bias.table_caption", tool=tool_name),
        "header": header,
        "rows": _judgement_rows(_ordered(config, table.get(None, {})), names),
        "outcomes": outcomes,
    }
