"""`prisma:` the counts of the PRISMA 2020 flow diagram, and the arithmetic that ties them.

The boxes follow the PRISMA 2020 flow diagram for new systematic reviews that searched
databases and registers (Page MJ, McKenzie JE, Bossuyt PM, et al. The PRISMA 2020 statement: an
updated guideline for reporting systematic reviews. BMJ 2021;372:n71, figure 1):

    identified (databases + registers) - removed before screening = screened
    screened - excluded at screening = sought for retrieval
    sought - not retrieved = assessed for eligibility
    assessed - excluded (with reasons) = reports of included studies

Each count that breaks a rule is reported at its own key (``prisma.screened``), with the sum
it should equal, so the editor sees which box is off; every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field

from reportgen.config.parts import Count, Strict, Text
from reportgen.config.yamlpos import KeyPath


class PrismaIdentified(Strict):
    """`prisma.identified:` records found by the searches."""

    databases: Count = Field(description="Records identified from databases.")
    registers: Count = Field(0, description="Records identified from trial registers.")


class PrismaExclusion(Strict):
    """One reason why reports assessed for eligibility were excluded."""

    reason: Text = Field(description="Why, e.g. 'Wrong population'.")
    n: Count = Field(description="How many reports were excluded for this reason.")


class Prisma(Strict):
    """`prisma:` the study flow of the review (PRISMA 2020), drawn in the brief and appendix."""

    identified: PrismaIdentified = Field(description="Records found by the searches.")
    duplicates: Count = Field(0, description="Duplicate records removed before screening.")
    removed_by_automation: Count = Field(
        0, description="Records marked as ineligible by automation tools before screening."
    )
    removed_other: Count = Field(0, description="Records removed before screening otherwise.")
    screened: Count = Field(description="Records screened (titles and abstracts).")
    excluded_screening: Count = Field(description="Records excluded at screening.")
    sought: Count = Field(description="Reports sought for retrieval.")
    not_retrieved: Count = Field(0, description="Reports that could not be retrieved.")
    assessed: Count = Field(description="Reports assessed for eligibility (full text).")
    excluded: list[PrismaExclusion] = Field(
        default_factory=list, description="Reports excluded after assessment, with reasons."
    )
    included_studies: Count = Field(description="Studies included in the review.")
    included_reports: Count | None = Field(
        None, description="Reports of the included studies (default: one per study)."
    )

    @property
    def reports(self) -> int:
        """Reports of included studies: as given, or one per study."""
        return self.included_studies if self.included_reports is None else self.included_reports


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def prisma_problems(data: dict[str, Any], add: Callable[[KeyPath, str], None]) -> None:
    """Check the arithmetic of ``prisma:`` in the raw config (tolerant of malformed values: the
    schema reports those; a rule is checked only when all its counts are whole numbers)."""
    prisma = data.get("prisma")
    if not isinstance(prisma, dict):
        return
    identified: dict[str, Any] = (
        prisma["identified"] if isinstance(prisma.get("identified"), dict) else {}
    )
    found = [_count(identified.get("databases")), _count(identified.get("registers", 0))]
    removed = [_count(prisma.get(key, 0)) for key in ("duplicates", "removed_by_automation")]
    removed.append(_count(prisma.get("removed_other", 0)))
    excluded = prisma.get("excluded", [])
    reasons = [
        _count(item.get("n")) if isinstance(item, dict) else None
        for item in (excluded if isinstance(excluded, list) else [None])
    ]
    studies = _count(prisma.get("included_studies"))
    reports = _count(prisma.get("included_reports", studies))
    rules: list[tuple[str, list[int | None], list[int | None], str]] = [
        ("screened", found, removed, "records identified minus those removed before screening"),
        (
            "sought",
            [_count(prisma.get("screened"))],
            [_count(prisma.get("excluded_screening"))],
            "records screened minus those excluded at screening",
        ),
        (
            "assessed",
            [_count(prisma.get("sought"))],
            [_count(prisma.get("not_retrieved", 0))],
            "reports sought minus those not retrieved",
        ),
        (
            "included_reports" if "included_reports" in prisma else "included_studies",
            [_count(prisma.get("assessed"))],
            reasons,
            "reports assessed minus those excluded (the reasons under prisma.excluded)",
        ),
    ]
    for key, plus, minus, rule in rules:
        given = _count(prisma.get(key))
        if given is None or None in plus or None in minus:
            continue
        expected = sum(v for v in plus if v is not None) - sum(v for v in minus if v is not None)
        if given != expected:
            add(("prisma", key), f"should be {rule}: {expected}, got {given}")
    if studies is not None and reports is not None and studies > reports:
        add(
            ("prisma", "included_studies"),
            f"more studies ({studies}) than reports of included studies ({reports})",
        )
    listed = data.get("studies")
    if studies is not None and isinstance(listed, list) and studies < len(listed):
        add(
            ("prisma", "included_studies"),
            f"the config lists {len(listed)} studies under `studies:`, more than the {studies} "
            "the review included",
        )
