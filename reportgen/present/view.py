"""The report view: every text and figure of one report, computed once, frozen.

``build_view`` is the only place where results become display values for a whole report; the
renderers (HTML, PDF, JSON) display it as it is and the checks read it. No template does
arithmetic or rounding.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from reportgen.config.load import LoadedConfig
from reportgen.config.related import related_reports
from reportgen.config.schema import EditorialText, ReportConfig
from reportgen.interpret.findings import Findings
from reportgen.present.appendix import methods_paragraphs, outcome_appendix, software_sentence
from reportgen.present.brief import BriefView, brief_view
from reportgen.present.citations import methods_references
from reportgen.present.citations_csl import reference_list
from reportgen.present.forest_print import forest_print
from reportgen.present.format import count as format_count
from reportgen.present.glossary import explain_terms, glossary
from reportgen.present.locale import locale
from reportgen.present.prisma import PrismaView, prisma_view
from reportgen.present.results_table import ResultsRow, results_rows
from reportgen.present.risk_of_bias import (
    forest_marks,
    forest_rob_captions,
    risk_of_bias_appendix,
)
from reportgen.present.summary import SummaryView, summary_view
from reportgen.present.versions import VersionInfo
from reportgen.provenance import Provenance
from reportgen.stats.analysis import OutcomeResult, ReportResults
from reportgen.stats.data import participants_per_study

DASH = "\u2013"
# The report's sections in page order; each is a field of ReportView shown by
# templates/<section>.html.j2.
SECTIONS = ("brief", "summary", "appendix")


@dataclass(frozen=True)
class ChecksView:
    """What the summary checks found, in words, for the appendix."""

    numbers: str
    checked: str
    untraced: tuple[str, ...]
    readability: str | None


@dataclass(frozen=True)
class AppendixView:
    methods: tuple[str, ...]
    methods_references: tuple[str, ...]
    outcomes: tuple[dict[str, Any], ...]
    characteristics: dict[str, Any]
    references: tuple[str, ...]
    source: str | None
    source_url: str | None
    checks: ChecksView | None = None
    risk_of_bias: dict[str, Any] | None = None  # present/risk_of_bias.py; None: not judged


@dataclass(frozen=True)
class ReportView:
    """One report, ready to render: brief, summary and appendix, in page order."""

    lang: str
    title: str
    report_id: str
    banner: str | None
    question: str | None
    version: dict[str, Any] | None
    brief: BriefView
    summary: SummaryView
    appendix: AppendixView
    provenance: dict[str, str]
    figures: tuple[tuple[str, str], ...]  # (file stem, SVG), written under figures/
    results_json: str  # the results document, serialised
    sections: tuple[str, ...] = SECTIONS
    # Every analysis as one table (results.csv, results.xlsx).
    results_table: tuple[ResultsRow, ...] = ()
    prisma: PrismaView | None = None  # the study flow (PRISMA 2020), in the brief and appendix

    def with_checks(self, checks: ChecksView) -> ReportView:
        return replace(self, appendix=replace(self.appendix, checks=checks))


def build_view(
    loaded: LoadedConfig,
    results: ReportResults,
    findings: Findings,
    figures: dict[str, str],
    provenance: Provenance,
    version: VersionInfo | None,
    text: EditorialText,
    results_json: str,
) -> ReportView:
    """Everything the report shows, as display-ready values; the summary's glossary is applied
    here, once. ``figures`` is empty when no format shows them."""
    config = loaded.config
    report = config.report
    methods = (*methods_paragraphs(results), software_sentence(provenance))
    words = locale(report.language)
    citations = reference_list(config)
    summary = summary_view(
        config,
        results,
        findings,
        text,
        version.changes if version else (),
        (
            (version.version, version.updated, version.previous_version)
            if version
            else (None, None, None)
        ),
        words,
        related_reports(loaded.path),
    )
    rob_captions = forest_rob_captions(config)
    rob_marks = forest_marks(config)
    return ReportView(
        lang="en",  # the brief and the appendix; the summary section carries its own
        title=report.title,
        report_id=report.id,
        banner=words.text("summary.banner") if report.illustrative else None,
        question=report.question,
        version=_version_context(version),
        brief=brief_view(config, findings, version),
        summary=explain_terms(summary, glossary(config.glossary, words)),
        appendix=AppendixView(
            methods=methods,
            methods_references=tuple(methods_references(list(methods))),
            outcomes=tuple(
                {
                    **outcome_appendix(f, figures),
                    "rob_caption": rob_captions.get(f.result.outcome.id),
                    "forest_print": _forest_print(f.result, figures, rob_marks),
                }
                for f in findings
            ),
            characteristics=_characteristics(config, citations.marks),
            references=citations.entries,
            source=report.source,
            source_url=report.source_url,
            risk_of_bias=risk_of_bias_appendix(config, findings, figures),
        ),
        provenance={
            "config_file": loaded.path.name,
            "config_sha256": loaded.sha256,
            "reportgen_version": provenance.reportgen_version,
            "software": provenance.software_line,
        },
        figures=tuple(figures.items()),
        results_json=results_json,
        results_table=results_rows(config, results),
        prisma=prisma_view(config.prisma),
    )


def _version_context(version: VersionInfo | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "number": version.version,
        "updated": version.updated,
        "previous": version.previous_version,
        "log": [
            {
                "version": entry["version"],
                "updated": entry.get("updated"),
                "changes": entry.get("changes", []),
            }
            for entry in version.changelog
        ],
    }


def _characteristics(config: ReportConfig, marks: dict[str, str]) -> dict[str, Any]:
    """The study-characteristics table: label (with its citation mark, ``marks`` by study id),
    design and every further study attribute."""
    extra_keys: list[str] = []
    for study in config.studies:
        for key in study.model_extra or {}:
            if key not in extra_keys:
                extra_keys.append(key)
    participants = participants_per_study(config)
    extra_keys = [key for key in extra_keys if key != "participants"]
    header = [
        "Study",
        "Design",
        "Participants",
        *[key.replace("_", " ").capitalize() for key in extra_keys],
    ]
    rows = []
    for study in config.studies:
        extras = study.model_extra or {}
        count = participants.get(study.id)
        rows.append(
            [
                f"{study.label} {marks[study.id]}" if study.id in marks else study.label,
                study.design or DASH,
                format_count(count) if count is not None else DASH,
                *[_attribute(extras.get(key)) for key in extra_keys],
            ]
        )
    return {"header": header, "rows": rows}


def _attribute(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _forest_print(
    result: OutcomeResult, figures: dict[str, str], rob_marks: dict[str, Any]
) -> dict[str, Any] | None:
    """The forest plot as the PDF prints it (``forest_print``), when figures are shown and the
    outcome is not printed as an overview (``large_print``)."""
    if result.outcome.id not in figures or f"{result.outcome.id}-overview" in figures:
        return None
    return forest_print(result, rob_marks.get(result.outcome.id))
