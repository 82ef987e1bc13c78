"""The config schema: frozen pydantic models, one per YAML section.

Every field has a one-line description (shown in the README's editor guide); unknown keys are
errors so that a misspelt key never silently does nothing. Key names marked *contract* are read by
other tools and must not change.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from reportgen.config.choices import (  # noqa: F401 (re-exported)
    ALL_METHODS,
    BINARY,
    CONTINUOUS,
    COUNTED_TYPES,
    GENERIC,
    PROPORTION,
    RATE,
    RATE_COMPARISON,
    AnyMethod,
    AnyTest,
    BinaryMeasure,
    BinaryMethod,
    ContinuousMeasure,
    ContinuousMethod,
    GenericMeasure,
    GenericMethod,
    ProportionMeasure,
    ProportionMethod,
    RateComparisonMeasure,
    RateComparisonMethod,
    RateMeasure,
    RateMethod,
)
from reportgen.config.familiar import FamiliarScale
from reportgen.config.parts import (
    BaselineRisk,
    BinaryArm,
    BinaryRow,
    CertaintyRating,
    ContinuousArm,
    ContinuousRow,
    Count,
    GenericRow,
    Identifier,
    Number,
    PositiveCount,
    ProportionRow,
    Slug,
    Strict,
    SummaryWords,
    Text,
    Thresholds,
    ZeroCellOptions,
)
from reportgen.config.prisma import Prisma
from reportgen.config.rate_parts import RateComparisonRow, RateOptions, RateRow
from reportgen.config.references import References
from reportgen.config.regression import Regression
from reportgen.config.risk_of_bias import RiskOfBias
from reportgen.config.sections import EditorialText, Question, ReportInfo, Study
from reportgen.stats.measures import MEASURES, OUTCOME_TYPES, OutcomeType

__all__ = [  # the parts are importable from here, where the sections use them
    "BaselineRisk",
    "BinaryArm",
    "BinaryRow",
    "CertaintyRating",
    "ContinuousArm",
    "ContinuousRow",
    "Count",
    "EditorialText",
    "GenericRow",
    "Identifier",
    "Number",
    "PositiveCount",
    "ProportionRow",
    "Question",
    "ReportInfo",
    "Slug",
    "Strict",
    "Study",
    "SummaryWords",
    "Text",
    "Thresholds",
    "ZeroCellOptions",
]


def _choices(codes: tuple[str, ...]) -> str:
    """'A, B or C' for field descriptions."""
    return ", ".join(codes[:-1]) + " or " + codes[-1] if len(codes) > 1 else "".join(codes)


def _default_measure(kind: OutcomeType) -> str:
    """The registry's default measure of an outcome type whose config may leave it out."""
    if kind.default_measure is None:
        raise RuntimeError(f"the measure registry gives {kind.code} outcomes no default measure")
    return kind.default_measure


def _of_scale(codes: tuple[str, ...], scale: str) -> tuple[str, ...]:
    return tuple(code for code in codes if MEASURES[code].scale == scale)


class Sensitivity(Strict):
    """A named re-analysis shown beside the main result."""

    name: Text = Field(description="What the re-analysis does, e.g. 'Excluding small studies'.")
    exclude: dict[str, Text | int | float | bool | list[Text | int | float | bool]] = Field(
        default_factory=dict,
        description="Leave out studies with these attribute values, e.g. {design: [a, b]}.",
    )
    exclude_studies: list[Identifier] = Field(
        default_factory=list, description="Study ids to leave out."
    )
    method: AnyMethod | None = Field(
        None,
        description="A different method: FE, a tau2 estimator, or MH, PETO or GLMM where the "
        "outcome's type and measure allow it.",
    )
    test: AnyTest | None = Field(None, description="A different test.")


class _OutcomeBase(Strict):
    id: Slug = Field(description="Short unique id; names the figure file.")
    label: Text = Field(description="Technical name, e.g. 'Overall response rate'.")
    plain_label: Text = Field(
        description="What happened to people, in plain words, e.g. 'had their leukaemia respond'."
    )
    role: Literal["benefit", "harm"] = Field(
        description="Whether the outcome is a benefit or a harm (harms are listed as side "
        "effects; for counted events it also sets the default of good)."
    )
    side_effect: bool | None = Field(
        None,
        description="List under 'Side effects' in the summary (default: true for harms).",
    )
    test: AnyTest = Field(
        "z", description="z (normal) or knha (Knapp-Hartung) for tests and confidence intervals."
    )
    level: Number = Field(
        95,
        description="*Contract.* Confidence level in percent of every interval of this outcome "
        "(default: the report's level, else 95).",
    )
    profile: Text | None = Field(
        None,
        description="*Contract.* A named method profile (docs/profiles.md); explicit keys win.",
    )
    definition: Text | None = Field(
        None, description="Plain-language explanation of the outcome for patients."
    )
    subgroup: Identifier | None = Field(
        None, description="A study attribute: fit one model per value and test the difference."
    )
    sensitivity: list[Sensitivity] = Field(default_factory=list, description="Named re-analyses.")
    regression: list[Regression] = Field(
        default_factory=list, description="*Contract.* Meta-regressions on study attributes."
    )
    structure: Literal["three_level"] | None = Field(
        None,
        description="*Contract.* three_level: several effects per study (rows name an effect "
        "id), fitted as rma.mv(yi, vi, random = ~ 1 | study/effect) by REML or ML.",
    )
    certainty: CertaintyRating | None = Field(
        None, description="GRADE rating; if omitted, reportgen's suggestion is used and says so."
    )
    thresholds: Thresholds | None = Field(
        None,
        description="Sizes of effect for the summary statement (defaults: ratios 0.1/0.25/0.5 "
        "relative change, RD 0.01/0.05/0.10, SMD 0.2/0.5/0.8).",
    )
    small_study_min_k: int = Field(
        10, strict=True, ge=3, description="Run small-study tests from this many studies."
    )
    follow_up: Text | None = Field(
        None, description="How long people were followed, e.g. '12 months' (clinician brief)."
    )
    baseline_risks: list[BaselineRisk] = Field(
        default_factory=list,
        description="Further control-group risks for the brief's absolute effects (binary).",
    )
    good: Literal["higher", "lower"] | None = Field(
        None,
        description="*Contract.* Which direction of the outcome is better: higher or lower "
        "(default for counted events, binary and proportion: lower for a harm, higher for a "
        "benefit; required for continuous and generic outcomes).",
    )
    event: Text | None = Field(
        None,
        description="*Contract.* What a ratio or risk difference counts, finishing 'fewer "
        "people ...', e.g. 'died' or 'had a fall' (default for binary outcomes: plain_label; "
        "required for generic HR, OR, RR, IRR and RD).",
    )
    unit: Text | None = Field(
        None,
        description="*Contract.* Unit of a mean difference, e.g. 'points' (required for MD).",
    )
    scale: Text | None = Field(
        None,
        description="*Contract.* The measurement scale and its range, e.g. 'Berg Balance Scale, "
        "0 to 56' (mean differences).",
    )
    mid: float | None = Field(
        None,
        gt=0,
        description="*Contract.* Minimal important difference of a mean difference, in the "
        "outcome's unit: the smallest change that matters to people. Sets the sizes of effect "
        "(small = 1, moderate = 2, large = 3 MIDs) unless thresholds are given.",
    )

    familiar_scale: FamiliarScale | None = Field(
        None,
        description="Standardised mean differences: a familiar scale and a typical SD on it, to "
        "say the effect also in that scale's units (Cochrane Handbook 15.5.3.2).",
    )

    def good_direction(self) -> str | None:
        """``good``, or for counted events (binary, proportion) the default from ``role``:
        fewer harms and more benefits are better. None where it must be given."""
        if self.good is not None:
            return self.good
        if self.type in COUNTED_TYPES:  # type: ignore[attr-defined]
            return "lower" if self.role == "harm" else "higher"
        return None

    def counts_events(self) -> bool:
        """Whether the measure compares how many people had an event (ratios, and risk
        differences, which have an absolute effect), so its sentence names the event; mean
        differences and SMDs measure a quantity instead."""
        measure = MEASURES[self.measure]  # type: ignore[attr-defined]
        return measure.scale == "ratio" or measure.absolute is not None

    def counted_event(self) -> str | None:
        """What the outcome counts, finishing 'fewer people ...': ``event``, or for binary and
        proportion outcomes ``plain_label`` (their data count people who had it)."""
        if self.event is not None:
            return self.event
        if self.type in COUNTED_TYPES:  # type: ignore[attr-defined]
            return self.plain_label
        return None


class ProportionOutcome(_OutcomeBase):
    """Single-arm proportions (rates)."""

    type: Literal["proportion"] = Field(description="Single-arm rates.")
    measure: ProportionMeasure = Field(
        _default_measure(PROPORTION),
        description="Scale used for pooling, with metafor's names "
        f"({', '.join(PROPORTION.measures)}).",
    )
    method: ProportionMethod = Field(
        PROPORTION.default_method,
        description="FE, a random-effects tau2 estimator (DL, REML, ML, PM, ...) or GLMM "
        "(binomial-normal model; with measure PLO).",
    )
    zero_cells: ZeroCellOptions = Field(
        default_factory=ZeroCellOptions, description="Zero-cell correction, as metafor's escalc."
    )
    data: list[ProportionRow] = Field(min_length=1, description="One row per study.")


class BinaryOutcome(_OutcomeBase):
    """Two-arm counts."""

    type: Literal["binary"] = Field(description="Events and totals in two arms.")
    measure: BinaryMeasure = Field(
        _default_measure(BINARY), description=f"{_choices(BINARY.measures)}."
    )
    method: BinaryMethod = Field(
        BINARY.default_method,
        description="FE, MH, PETO (odds ratios only), or a random-effects estimator.",
    )
    zero_cells: ZeroCellOptions = Field(
        default_factory=ZeroCellOptions, description="Zero-cell correction, as metafor's escalc."
    )
    correct: bool = Field(
        True, description="MH: continuity correction of the Cochran-Mantel-Haenszel test."
    )
    data: list[BinaryRow] = Field(min_length=1, description="One row per study.")


class ContinuousOutcome(_OutcomeBase):
    """Two-arm means."""

    type: Literal["continuous"] = Field(description="Means, SDs and sizes in two arms.")
    measure: ContinuousMeasure = Field(
        _default_measure(CONTINUOUS),
        description=f"{_choices(CONTINUOUS.measures)} (MD: mean difference; SMD: Hedges' g).",
    )
    method: ContinuousMethod = Field(
        CONTINUOUS.default_method, description="FE or a random-effects estimator."
    )
    data: list[ContinuousRow] = Field(min_length=1, description="One row per study.")


class GenericOutcome(_OutcomeBase):
    """Effects as papers report them (estimate with SE or CI)."""

    type: Literal["generic"] = Field(description="Estimates with SEs or confidence intervals.")
    measure: GenericMeasure = Field(
        description=f"{', '.join(_of_scale(GENERIC.measures, 'ratio'))} (ratios) or "
        f"{', '.join(_of_scale(GENERIC.measures, 'difference'))} (differences)."
    )
    method: GenericMethod = Field(
        GENERIC.default_method, description="FE or a random-effects estimator."
    )
    entered_level: Number = Field(
        95,
        description="Level in percent of the confidence intervals entered in the data rows "
        "(default 95, whatever the report's level).",
    )
    data: list[GenericRow] = Field(min_length=1, description="One row per study.")


class RateOutcome(_OutcomeBase, RateOptions):
    """Single-arm incidence rates: events in person-time."""

    type: Literal["rate"] = Field(description="Events and person-time in one arm.")
    measure: RateMeasure = Field(
        _default_measure(RATE),
        description=f"{_choices(RATE.measures)} (raw, log, square-root, Freeman-Tukey rate).",
    )
    method: RateMethod = Field(RATE.default_method, description="FE or a random-effects estimator.")
    data: list[RateRow] = Field(min_length=1, description="One row per study.")


class RateComparisonOutcome(_OutcomeBase, RateOptions):
    """Two-arm incidence rates: events and person-time in each arm."""

    type: Literal["rate_comparison"] = Field(description="Events and person-time in two arms.")
    measure: RateComparisonMeasure = Field(
        _default_measure(RATE_COMPARISON),
        description=f"{_choices(RATE_COMPARISON.measures)} (rate ratio, rate difference, "
        "difference of square-root rates).",
    )
    method: RateComparisonMethod = Field(
        RATE_COMPARISON.default_method,
        description="FE, MH (IRR and IRD), or a random-effects estimator.",
    )
    correct: bool = Field(
        True, description="MH: continuity correction of the Mantel-Haenszel test (IRR)."
    )
    data: list[RateComparisonRow] = Field(min_length=1, description="One row per study.")


Outcome = Annotated[
    ProportionOutcome
    | BinaryOutcome
    | ContinuousOutcome
    | GenericOutcome
    | RateOutcome
    | RateComparisonOutcome,
    Field(discriminator="type"),
]
OUTCOME_TYPE_CODES = tuple(OUTCOME_TYPES)


class ReportConfig(Strict):
    """A whole config file."""

    report: ReportInfo = Field(description="What the review is and where it comes from.")
    studies: list[Study] = Field(min_length=1, description="The included studies.")
    outcomes: list[Outcome] = Field(min_length=1, description="The outcomes to pool, in order.")
    text: EditorialText = Field(default_factory=EditorialText, description="Editorial prose.")
    references: References = Field(
        default_factory=References,
        description="References: a list of texts, or a file and style to format them "
        "(see config/references.py).",
    )
    risk_of_bias: RiskOfBias | None = Field(
        None, description="The risk-of-bias tool and the studies' judgements (figures, certainty)."
    )
    glossary: dict[str, Text] = Field(
        default_factory=dict,
        description="Extra plain explanations, added at the first use of each term in the summary.",
    )
    prisma: Prisma | None = Field(None, description="Study flow counts (PRISMA 2020 diagram).")

    def study(self, study_id: str) -> Study:
        return next(s for s in self.studies if s.id == study_id)
