"""The data columns of the appendix's study table, per outcome type, as entered."""

from __future__ import annotations

from reportgen.present.format import as_entered
from reportgen.present.rates import RATE_TYPES, rate_study_columns
from reportgen.stats.analysis import OutcomeResult


def study_columns(result: OutcomeResult) -> tuple[list[str], list[list[str]]]:
    """The appendix study table's data columns: headers, and each study's cells as the editor
    entered them (counts, mean (SD), n, person-time, or the reported estimate)."""
    kind = result.outcome.type
    if kind == "proportion":
        return ["Events", "Total"], [
            [str(s.data["events"]), str(s.data["total"])] for s in result.studies
        ]
    if kind == "binary":
        return (
            ["Intervention events / total", "Control events / total"],
            [
                [
                    f"{s.data[a]['events']} / {s.data[a]['total']}"
                    for a in ("intervention", "control")
                ]
                for s in result.studies
            ],
        )
    if kind == "continuous":
        return (
            ["Intervention mean (SD), n", "Control mean (SD), n"],
            [[_arm_values(s.data[a]) for a in ("intervention", "control")] for s in result.studies],
        )
    if kind in RATE_TYPES:
        return rate_study_columns(result)
    return (["Reported"], [[_reported(s.data)] for s in result.studies])


def _arm_values(arm: dict) -> str:
    """'12.5 (3.1), 40': an arm's mean (SD), n as the editor entered them."""
    return f"{as_entered(arm['mean'])} ({as_entered(arm['sd'])}), {arm['n']}"


def _reported(data: dict) -> str:
    if "se" in data:
        return f"{as_entered(data['estimate'])} (SE {as_entered(data['se'])})"
    estimate, lower, upper = (as_entered(data[k]) for k in ("estimate", "ci_lower", "ci_upper"))
    return f"{estimate} ({lower} to {upper})"
