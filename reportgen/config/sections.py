"""Config sections that describe the review rather than its analyses: `report:`, `studies:`
and the editor's `text:`. Split from ``schema`` so that each module stays small; ``schema``
re-exports them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from reportgen.config.parts import Identifier, Number, Slug, Strict, SummaryWords, Text


class ReportInfo(Strict):
    """`report:` what the review is and where it comes from."""

    id: Slug = Field(description="Short name in lower case with hyphens; names the output folder.")
    title: Text = Field(description="Full title of the review, shown at the top of the report.")
    question: Text | None = Field(None, description="The review question in one sentence.")
    condition: Text | None = Field(None, description="The condition studied, in plain words.")
    population: Text | None = Field(None, description="Who took part in the studies.")
    intervention: Text | None = Field(
        None, description="The treatment studied, in plain words (used in sentences)."
    )
    comparator: Text | None = Field(None, description="What the treatment was compared with.")
    design: Text | None = Field(
        None, description="Type of review, e.g. 'Systematic review and single-arm meta-analysis'."
    )
    published: Text | None = Field(
        None, description="When the source review was published, e.g. '2026-07' or 'July 2026'."
    )
    updated: Text | None = Field(
        None,
        description="Date of this version (YYYY-MM-DD); if omitted, the date a new version is "
        "first built.",
    )
    evidence_level: Text | None = Field(None, description="Evidence level as the source states it.")
    search: Text | None = Field(None, description="Databases and dates searched.")
    source: Text | None = Field(None, description="Citation of the review this report summarises.")
    source_url: Text | None = Field(
        None, description="Link to the source review (printed, not fetched)."
    )
    abstract: Text | None = Field(
        None,
        description="The source review's abstract, as published: shown collapsed under the "
        "summary's study details (printed open). Quoted, so not held to the reading checks.",
    )
    authors: Text | None = Field(None, description="Who prepared this summary.")
    language: Text = Field("en", description="Language of the report, as an IETF tag.")
    reading_grade: Number = Field(
        8, gt=0, description="Target Flesch-Kincaid grade of the patient summary (default 8)."
    )
    illustrative: bool = Field(
        False, description="True for demonstration data: a banner on every page says so."
    )
    level: Number | None = Field(
        None,
        description="*Contract.* Confidence level in percent of every interval, for outcomes "
        "that set none (default 95; from 50 up to 100, e.g. 90).",
    )
    profile: Text | None = Field(
        None,
        description="*Contract.* A named method profile for every outcome (docs/profiles.md), "
        "e.g. cochrane-2025; explicit keys win.",
    )
    summary_words: SummaryWords = Field(
        default_factory=SummaryWords,
        description="Length target of the patient summary in words (default 400 to 850).",
    )


class Study(BaseModel):
    """`studies:` one included study. Keys beyond these are study attributes (shown in tables)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: Identifier = Field(description="Short unique id that data rows use to name the study.")
    label: Text = Field(description="How the study is named in tables and plots, e.g. 'Lee 2021'.")
    design: Text | None = Field(None, description="Study design, e.g. 'retrospective cohort'.")
    citation: Text | None = Field(
        None,
        description="The key of a reference under `references:` (a mapping), or, with a plain "
        "list of references, the full reference as text.",
    )
    risk_of_bias: dict[str, Text] | None = Field(
        None,
        description="This study's risk-of-bias judgements for every outcome: D1 ... Dn and "
        "overall, with the tool named under risk_of_bias.tool.",
    )


class Question(Strict):
    question: Text = Field(description="A question a patient might ask.")
    answer: Text = Field(description="The answer, in plain words.")


class EditorialText(Strict):
    """`text:` editorial prose. It is shown as written (HTML is escaped, not interpreted)."""

    headline: Text | None = Field(
        None, description="Headline; if omitted, one is written from the first benefit outcome."
    )
    key_takeaway: Text | None = Field(
        None, description="One or two sentences readers must not miss."
    )
    context: Text | None = Field(None, description="Why this question matters, for patients.")
    what_it_means: Text | None = Field(None, description="What this means for you.")
    earlier_evidence: Text | None = Field(
        None, description="How this review fits earlier evidence, for patients."
    )
    caveats: list[Text] = Field(default_factory=list, description="Limits of the evidence.")
    faq: list[Question] = Field(default_factory=list, description="Common questions and answers.")
