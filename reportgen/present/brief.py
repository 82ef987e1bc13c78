"""The clinician brief: the question (PICO), the summary-of-findings table with absolute effects
per 1,000 people and GRADE certainty, the caveats and how to cite."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config.schema import ReportConfig
from reportgen.interpret.findings import Finding, Findings
from reportgen.present.format import MEASURES, effect_value, per_scale, percent, plural
from reportgen.present.phrases import certainty_symbol, certainty_word, reasons_text
from reportgen.present.statements import outcome_statement
from reportgen.present.versions import VersionInfo
from reportgen.stats.measures import displayed_measure


@dataclass(frozen=True)
class BriefRow:
    """One row of the summary-of-findings table."""

    label: str
    studies: str
    effect: str
    absolute: str
    certainty_symbol: str
    certainty_word: str
    certainty_source: str
    certainty_reasons: str
    statement: str


@dataclass(frozen=True)
class BriefView:
    question: tuple[tuple[str, str], ...]
    rows: tuple[BriefRow, ...]
    caveats: tuple[str, ...]
    how_to_cite: str


def brief_view(config: ReportConfig, findings: Findings, version: VersionInfo | None) -> BriefView:
    """The clinician brief: the question, the summary-of-findings table and the caveats."""
    report = config.report
    question = tuple(
        (name, value)
        for name, value in (
            ("Population", report.population),
            ("Intervention", report.intervention),
            ("Comparator", report.comparator),
            ("Condition", report.condition),
        )
        if value
    )
    cite_version = f", version {version.version}" if version else ""
    cite_date = f" ({version.updated})" if version and version.updated else ""
    return BriefView(
        question=question,
        rows=tuple(_row(finding, config) for finding in findings),
        caveats=tuple(config.text.caveats),
        how_to_cite=(
            f"{report.authors or 'reportgen'}. {report.title}. Evidence summary"
            f"{cite_version}{cite_date}."
        ),
    )


def _row(finding: Finding, config: ReportConfig) -> BriefRow:
    result, rating = finding.result, finding.certainty
    studies = plural(result.k, "study", "studies")
    if result.participants is not None:
        studies += f" ({result.participants:,} people)"
    return BriefRow(
        label=result.outcome.label,
        studies=studies,
        effect=_effect_text(finding),
        absolute=_absolute_text(finding),
        certainty_symbol=certainty_symbol(rating.level),
        certainty_word=certainty_word(rating.level),
        certainty_source="" if rating.source == "editor" else "suggested by reportgen",
        certainty_reasons=reasons_text(rating.reasons),
        statement=outcome_statement(finding, config.report.intervention).text,
    )


def _effect_text(finding: Finding) -> str:
    pooled, outcome = finding.result.pooled, finding.result.outcome
    display = MEASURES[displayed_measure(outcome.measure, outcome.method)]
    if display.scale == "proportion":
        return (
            f"{percent(pooled.estimate, 1)} ({percent(pooled.ci_lower, 1)} to "
            f"{percent(pooled.ci_upper, 1)})"
        )
    values = (
        f"{effect_value(pooled.estimate, outcome.measure)} "
        f"({effect_value(pooled.ci_lower, outcome.measure)} to "
        f"{effect_value(pooled.ci_upper, outcome.measure)})"
    )
    return f"{display.short} {values}"


def _absolute_text(finding: Finding) -> str:
    """Per 1,000 people: the rate itself for single-arm data; for two-arm counts the risk
    without and with treatment at the studies' control-group risk, and the difference."""
    pooled = finding.result.pooled
    if finding.is_rate:
        return (
            f"{per_scale(pooled.estimate, 1000)} per 1,000 "
            f"({per_scale(pooled.ci_lower, 1000)} to {per_scale(pooled.ci_upper, 1000)})"
        )
    absolute = finding.absolute
    if absolute is None:
        return "\u2013"
    control = per_scale(absolute.control, 1000)
    treated = [
        per_scale(risk, 1000)
        for risk in (absolute.treated, absolute.treated_lower, absolute.treated_upper)
    ]
    differences = [count - control for count in treated]

    def more_or_fewer(count: int) -> str:
        return f"{abs(count)} {'more' if count > 0 else 'fewer'}" if count else "0 more"

    low, high = sorted(differences[1:])
    return (
        f"{control} per 1,000 without, {treated[0]} with: "
        f"{more_or_fewer(differences[0])} per 1,000 ({more_or_fewer(low)} to "
        f"{more_or_fewer(high)})"
    )
