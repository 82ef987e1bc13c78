"""The clinician brief: the question (PICO) and a summary-of-findings table in the GRADE format
(Guyatt GH, Oxman AD, Santesso N, et al. GRADE guidelines 12: preparing summary of findings
tables - binary outcomes. J Clin Epidemiol 2013;66:158-172): outcome with unit and follow-up,
relative effect (95% CI), anticipated absolute effects (risk with the comparator, risk with the
intervention, difference) at the studies' median control-group risk and at any risks the editor
gives, participants and studies, certainty with footnoted reasons in GRADE's terms, and the
statement. Below it: the prediction interval where it includes no effect, significant tests for
subgroup differences, and caveats for clinicians drawn from the data (never the patient text).

The comparator risk is the median of the studies' control-group risks (the GRADE handbook's
"median control group risk across studies"), not pooled events over pooled totals, which a
single large study would dominate.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config.schema import ReportConfig
from reportgen.interpret.absolute import treated_risk
from reportgen.interpret.findings import Finding, Findings
from reportgen.present.appendix_regression import brief_lines
from reportgen.present.flags import subgroup_test_flag
from reportgen.present.format import (
    MEASURES,
    count,
    effect_value,
    level_label,
    levels_label,
    number,
    p_value,
    per_scale,
    percent,
)
from reportgen.present.phrases import certainty_symbol, certainty_word
from reportgen.present.rates import brief_rate, rate_absolute
from reportgen.present.statements import familiar_sentences, outcome_statement
from reportgen.present.versions import VersionInfo
from reportgen.stats.measures import displayed_measure, measure_info

DASH = "\u2013"
SUBGROUP_ALPHA = 0.05  # tests for subgroup differences shown in the brief when p < this
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# GRADE's domains (Guyatt et al. 2011, J Clin Epidemiol 64:383-394 and the series that follows).
GRADE_TERMS = {
    "risk_of_bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication_bias": "publication bias",
    "non_randomised": "non-randomised studies (rated from low)",
    "large_effect": "large effect",
    "dose_response": "dose-response gradient",
    "plausible_confounding": "plausible confounding would reduce the effect",
}
UPGRADES = ("large_effect", "dose_response", "plausible_confounding")


@dataclass(frozen=True)
class Absolute:
    """Anticipated absolute effects per 1,000 at one comparator risk."""

    label: str  # "Median of the studies" or the editor's label
    comparator: str
    intervention: str
    difference: str


@dataclass(frozen=True)
class BriefRow:
    """One row of the summary-of-findings table."""

    label: str
    detail: str  # unit and follow-up, when given
    relative: str
    absolute: tuple[Absolute, ...]  # empty for outcomes without absolute effects
    rate: str  # single-arm outcomes: the rate per 1,000 instead of absolute effects
    participants: str
    certainty_symbol: str
    certainty_word: str
    footnote: str  # letter of the footnote giving the reasons, or ""
    statement: str


@dataclass(frozen=True)
class BriefView:
    question: tuple[tuple[str, str], ...]
    rows: tuple[BriefRow, ...]
    footnotes: tuple[tuple[str, str], ...]  # (letter, text)
    notes: tuple[str, ...]  # prediction intervals and subgroup differences
    caveats: tuple[str, ...]
    how_to_cite: str
    ci_label: str = "95% CI"  # the table's intervals: "90% CI"; "90% or 95% CI" when mixed


def brief_view(config: ReportConfig, findings: Findings, version: VersionInfo | None) -> BriefView:
    """The clinician brief: the question, the summary-of-findings table, its notes, caveats."""
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
    letters: dict[str, str] = {}  # footnote text -> its letter; equal reasons share one
    rows = []
    levels = [finding.result.model.level for finding in findings]
    mixed = len(set(levels)) > 1  # then each row says its own level
    for finding in findings:
        text = _footnote_text(finding)
        if text not in letters:
            letters[text] = LETTERS[len(letters) % len(LETTERS)]
        rows.append(_row(finding, config, letters[text], mixed))
    cite_version = f", version {version.version}" if version else ""
    cite_date = f" ({version.updated})" if version and version.updated else ""
    return BriefView(
        question=question,
        rows=tuple(rows),
        footnotes=tuple((letter, text) for text, letter in letters.items()),
        notes=tuple(note for finding in findings for note in _notes(finding)),
        caveats=tuple(_caveats(config, findings)),
        how_to_cite=(
            f"{report.authors or 'reportgen'}. {report.title}. Evidence summary"
            f"{cite_version}{cite_date}."
        ),
        ci_label=f"{levels_label(levels)} CI",
    )


def _row(finding: Finding, config: ReportConfig, footnote: str, mixed: bool = False) -> BriefRow:
    result, rating = finding.result, finding.certainty
    outcome = result.outcome
    details = [
        getattr(outcome, "unit", None),
        outcome.follow_up and f"follow-up {outcome.follow_up}",
        mixed and f"{level_label(result.model.level)} CI",
    ]
    n = result.study_count  # three-level outcomes: studies, not effects
    studies = f"{count(n)} {'study' if n == 1 else 'studies'}"
    participants = (
        f"{count(result.participants)} ({studies})" if result.participants is not None else studies
    )
    return BriefRow(
        label=outcome.label,
        detail="; ".join(d for d in details if d),
        relative=_relative(finding),
        absolute=_absolute_effects(finding),
        rate=_rate(finding),
        participants=participants,
        certainty_symbol=certainty_symbol(rating.level),
        certainty_word=certainty_word(rating.level),
        footnote=footnote,
        statement=" ".join(
            [
                outcome_statement(finding, config.report.intervention).lead,
                *familiar_sentences(finding)[:1],
            ]
        ),
    )


def _relative(finding: Finding) -> str:
    pooled, outcome = finding.result.pooled, finding.result.outcome
    display = MEASURES[displayed_measure(outcome.measure, outcome.method)]
    if display.scale in ("proportion", "rate"):  # single arm: no relative effect
        return DASH
    values = (
        f"{effect_value(pooled.estimate, outcome.measure)} "
        f"({effect_value(pooled.ci_lower, outcome.measure)} to "
        f"{effect_value(pooled.ci_upper, outcome.measure)})"
    )
    return f"{display.short} {values}"


def _rate(finding: Finding) -> str:
    if not finding.is_rate:
        return ""
    if finding.result.outcome.type == "rate":
        return brief_rate(finding.result)
    pooled = finding.result.pooled
    return (
        f"{count(per_scale(pooled.estimate, 1000))} per 1,000 "
        f"({count(per_scale(pooled.ci_lower, 1000))} to "
        f"{count(per_scale(pooled.ci_upper, 1000))})"
    )


def _absolute_effects(finding: Finding) -> tuple[Absolute, ...]:
    """Per 1,000 at the median control risk of the studies and at each editor-given risk."""
    outcome = finding.result.outcome
    if outcome.type == "rate_comparison":
        return tuple(Absolute(*row) for row in rate_absolute(finding.result))
    if finding.absolute is None:
        return ()
    risks = [("Median of the studies", finding.absolute.control)]
    risks += [(b.label, b.risk) for b in outcome.baseline_risks]
    return tuple(_absolute_at(finding, label, risk) for label, risk in risks)


def _absolute_at(finding: Finding, label: str, control_risk: float) -> Absolute:
    pooled, measure = finding.result.pooled, finding.result.outcome.measure
    control = per_scale(control_risk, 1000)
    treated = [
        per_scale(treated_risk(control_risk, value, measure), 1000)
        for value in (pooled.estimate, pooled.ci_lower, pooled.ci_upper)
    ]
    differences = [count - control for count in treated]
    low, high = sorted(differences[1:])
    return Absolute(
        label=label,
        comparator=f"{count(control)} per 1,000",
        intervention=(
            f"{count(treated[0])} per 1,000 "
            f"({count(min(treated[1:]))} to {count(max(treated[1:]))})"
        ),
        difference=(
            f"{_more_or_fewer(differences[0])} per 1,000 "
            f"({_more_or_fewer(low)} to {_more_or_fewer(high)})"
        ),
    )


def _more_or_fewer(difference: int) -> str:
    if not difference:
        return "0 fewer"
    return f"{count(abs(difference))} {'more' if difference > 0 else 'fewer'}"


def _footnote_text(finding: Finding) -> str:
    """Why the certainty is what it is, in GRADE's terms, and who rated it."""
    rating = finding.certainty
    down = [GRADE_TERMS[r] for r in rating.reasons if r not in UPGRADES]
    up = [GRADE_TERMS[r] for r in rating.reasons if r in UPGRADES]
    parts = []
    if down:
        parts.append("Rated down for " + _join(down))
    if up:
        parts.append("rated up for " + _join(up))
    text = "; ".join(parts)
    who = "Editor's rating" if rating.source == "editor" else "Suggested by reportgen from the data"
    text = f"{text}. {who}" if text else who
    if rating.note:
        text += f": {rating.note.rstrip('.')}"
    elif rating.source == "editor" and rating.suggested_level != rating.level:
        text += f" (reportgen's suggestion: {certainty_word(rating.suggested_level).lower()})"
    return text + "."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _notes(finding: Finding) -> list[str]:
    """The prediction interval when it includes no effect; a significant subgroup test."""
    result = finding.result
    outcome, pooled = result.outcome, result.pooled
    notes = []
    null = measure_info(outcome.measure).null
    if (
        null is not None
        and pooled.pi_lower is not None
        and pooled.pi_upper is not None
        and pooled.pi_lower <= null <= pooled.pi_upper
        and not pooled.ci_lower <= null <= pooled.ci_upper
    ):
        short = MEASURES[displayed_measure(outcome.measure, outcome.method)].short
        notes.append(
            f"{outcome.label}: the {level_label(result.model.level)} prediction interval ({short} "
            f"{effect_value(pooled.pi_lower, outcome.measure)} to "
            f"{effect_value(pooled.pi_upper, outcome.measure)}) includes no effect: in a new "
            "setting like those studied, the effect may be absent or reversed."
        )
    groups = result.subgroups
    if groups is not None and groups.q_between_p < SUBGROUP_ALPHA:
        estimates = "; ".join(
            f"{g.label} {_group_value(g.pooled.estimate, outcome.measure)}" for g in groups.groups
        )
        flag = subgroup_test_flag(result)
        notes.append(
            f"{outcome.label}: results differ between subgroups by {groups.variable} "
            f"(test for subgroup differences Q = {number(groups.q_between, 2)}, df = "
            f"{groups.q_between_df}, {p_value(groups.q_between_p)}): {estimates}."
            + (f" {flag}" if flag else "")
        )
    notes.extend(brief_lines(result))  # one line per meta-regression
    return notes


def _group_value(value: float, measure: str) -> str:
    if MEASURES[measure].scale == "proportion":
        return percent(value, 0)
    return effect_value(value, measure)


def _caveats(config: ReportConfig, findings: Findings) -> list[str]:
    """Caveats for clinicians from the data: designs, heterogeneity, small-study effects and
    the absence of a comparator (the patient caveats are the summary's own)."""
    caveats = []
    designs: dict[str, int] = {}
    for study in config.studies:
        design = (study.design or "design not stated").strip()
        designs[design] = designs.get(design, 0) + 1
    caveats.append(
        "Designs: " + "; ".join(f"{design} ({count})" for design, count in designs.items()) + "."
    )
    heterogeneous = [
        f"{f.result.outcome.label} (I\u00b2 = {number(f.result.model.i2, 0)}%)"
        for f in findings
        if f.result.model.i2 is not None and f.result.model.i2 > 50
    ]
    if heterogeneous:
        caveats.append("Substantial heterogeneity: " + "; ".join(heterogeneous) + ".")
    small = [
        f"{f.result.outcome.label} (Egger's test {p_value(f.result.small_study.egger.p_value)})"
        for f in findings
        if f.result.small_study is not None and f.result.small_study.egger.p_value < 0.10
    ]
    if small:
        caveats.append("Possible small-study effects: " + "; ".join(small) + ".")
    if all(f.is_rate for f in findings):
        caveats.append(
            "Single-arm data: no comparator, so the rates cannot be attributed to the treatment."
        )
    return caveats
