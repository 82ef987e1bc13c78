"""The config schema: frozen pydantic models, one per YAML section.

Every field has a one-line description (shown in the README's editor guide); unknown keys are
errors so that a misspelt key never silently does nothing. Key names marked *contract* are read by
other tools and must not change.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MEASURES = ("PR", "PLO", "PLN", "PFT", "PAS")
METHODS = ("FE", "DL", "REML")
TESTS = ("z", "knha")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Count = Annotated[int, Field(strict=True, ge=0)]
PositiveCount = Annotated[int, Field(strict=True, ge=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportInfo(_Strict):
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
    evidence_level: Text | None = Field(None, description="Evidence level as the source states it.")
    search: Text | None = Field(None, description="Databases and dates searched.")
    source: Text | None = Field(None, description="Citation of the review this report summarises.")
    source_url: Text | None = Field(
        None, description="Link to the source review (printed, not fetched)."
    )
    authors: Text | None = Field(None, description="Who prepared this summary.")
    language: Text = Field("en", description="Language of the report, as an IETF tag.")
    illustrative: bool = Field(
        False, description="True for demonstration data: a banner on every page says so."
    )


class Study(BaseModel):
    """`studies:` one included study. Keys beyond these are study attributes (shown in tables)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: Identifier = Field(description="Short unique id that data rows use to name the study.")
    label: Text = Field(description="How the study is named in tables and plots, e.g. 'Lee 2021'.")
    design: Text | None = Field(None, description="Study design, e.g. 'retrospective cohort'.")
    citation: Text | None = Field(None, description="Full reference, listed in the appendix.")


class ProportionRow(_Strict):
    """One study's count for a single-arm proportion (*contract*: study, events, total)."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    events: Count = Field(description="Number of people who had the outcome.")
    total: PositiveCount = Field(description="Number of people in whom the outcome was assessed.")


class Outcome(_Strict):
    """`outcomes:` one outcome to pool."""

    id: Slug = Field(description="Short unique id; names the figure file.")
    label: Text = Field(description="Technical name, e.g. 'Overall response rate'.")
    plain_label: Text = Field(
        description="What happened to people, in plain words, e.g. 'had their leukaemia respond'."
    )
    role: Literal["benefit", "harm"] = Field(description="Whether more events is good or bad.")
    type: Literal["proportion"] = Field(
        description="Kind of data: 'proportion' (single-arm rates)."
    )
    measure: Literal[MEASURES] = Field(  # type: ignore[valid-type]
        "PLO", description="Scale used for pooling, with metafor's names (PR, PLO, PLN, PFT, PAS)."
    )
    method: Literal[METHODS] = Field(  # type: ignore[valid-type]
        "REML", description="Model: FE (fixed effect), DL or REML (random effects)."
    )
    test: Literal[TESTS] = Field(  # type: ignore[valid-type]
        "z", description="z (normal) or knha (Knapp-Hartung) for tests and confidence intervals."
    )
    definition: Text | None = Field(
        None, description="Plain-language explanation of the outcome for patients."
    )
    data: list[ProportionRow] = Field(min_length=1, description="One row per study.")


class Question(_Strict):
    question: Text = Field(description="A question a patient might ask.")
    answer: Text = Field(description="The answer, in plain words.")


class EditorialText(_Strict):
    """`text:` editorial prose. It is shown as written (HTML is escaped, not interpreted)."""

    headline: Text | None = Field(
        None, description="Headline; if omitted, one is written from the first benefit outcome."
    )
    key_takeaway: Text | None = Field(
        None, description="One or two sentences readers must not miss."
    )
    context: Text | None = Field(None, description="Why this question matters, for patients.")
    what_it_means: Text | None = Field(None, description="What this means for you.")
    caveats: list[Text] = Field(default_factory=list, description="Limits of the evidence.")
    faq: list[Question] = Field(default_factory=list, description="Common questions and answers.")


class ReportConfig(_Strict):
    """A whole config file."""

    report: ReportInfo
    studies: list[Study] = Field(min_length=1, description="The included studies.")
    outcomes: list[Outcome] = Field(min_length=1, description="The outcomes to pool, in order.")
    text: EditorialText = Field(default_factory=EditorialText, description="Editorial prose.")
    references: list[Text] = Field(
        default_factory=list, description="Further references listed in the appendix."
    )

    def study(self, study_id: str) -> Study:
        return next(s for s in self.studies if s.id == study_id)
