"""The clinician brief's context: the question (PICO), the summary-of-findings table with
absolute effects per 1,000 people and GRADE certainty, the caveats and how to cite."""

from __future__ import annotations

from typing import Any

from reportgen.config.schema import ReportConfig
from reportgen.interpret.absolute import control_risk, treated_risk
from reportgen.interpret.certainty import certainty_of, reasons_text
from reportgen.interpret.statements import outcome_statement
from reportgen.present.format import MEASURES, effect_value, per_scale, percent, plural
from reportgen.present.versions import VersionInfo
from reportgen.stats.analysis import OutcomeResult, ReportResults
from reportgen.stats.measures import displayed_measure


def designs_of(config: ReportConfig) -> list[str | None]:
    return [study.design for study in config.studies]


def brief_context(
    config: ReportConfig, results: ReportResults, version: VersionInfo | None
) -> dict[str, Any]:
    """The clinician brief: the question, the summary-of-findings table and the caveats."""
    report = config.report
    question = [
        (name, value)
        for name, value in (
            ("Population", report.population),
            ("Intervention", report.intervention),
            ("Comparator", report.comparator),
            ("Condition", report.condition),
        )
        if value
    ]
    rows = []
    for result in results.outcomes:
        rating = certainty_of(result, designs_of(config))
        rows.append(
            {
                "label": result.outcome.label,
                "studies": (
                    f"{plural(result.k, 'study', 'studies')}"
                    + (
                        f" ({result.participants:,} people)"
                        if result.participants is not None
                        else ""
                    )
                ),
                "effect": _effect_text(result),
                "absolute": _absolute_text(result),
                "certainty_symbol": rating.symbol,
                "certainty_word": rating.word,
                "certainty_source": "" if rating.source == "editor" else "suggested by reportgen",
                "certainty_reasons": reasons_text(rating.reasons),
                "statement": outcome_statement(result, config).text,
            }
        )
    cite_version = f", version {version.version}" if version else ""
    cite_date = f" ({version.updated})" if version and version.updated else ""
    return {
        "question": question,
        "rows": rows,
        "caveats": list(config.text.caveats),
        "how_to_cite": (
            f"{report.authors or 'reportgen'}. {report.title}. Evidence summary"
            f"{cite_version}{cite_date}."
        ),
    }


def _effect_text(result: OutcomeResult) -> str:
    pooled, outcome = result.pooled, result.outcome
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


def _absolute_text(result: OutcomeResult) -> str:
    """Per 1,000 people: the rate itself for single-arm data; for two-arm counts the risk
    without and with treatment at the studies' control-group risk, and the difference."""
    pooled, outcome = result.pooled, result.outcome
    if outcome.type == "proportion":
        return (
            f"{per_scale(pooled.estimate, 1000)} per 1,000 "
            f"({per_scale(pooled.ci_lower, 1000)} to {per_scale(pooled.ci_upper, 1000)})"
        )
    if outcome.type != "binary":
        return "\u2013"
    control = control_risk(result)
    treated = [
        treated_risk(control, v, outcome.measure)
        for v in (pooled.estimate, pooled.ci_lower, pooled.ci_upper)
    ]
    differences = [per_scale(t, 1000) - per_scale(control, 1000) for t in treated]

    def signed(count: int) -> str:
        return f"{abs(count)} {'more' if count > 0 else 'fewer'}" if count else "0 more"

    low, high = sorted(differences[1:])
    return (
        f"{per_scale(control, 1000)} per 1,000 without, {per_scale(treated[0], 1000)} with: "
        f"{signed(differences[0])} per 1,000 ({signed(low)} to {signed(high)})"
    )
