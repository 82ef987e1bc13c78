"""The small models the config schema is built from: value types, data rows and their arms,
certainty ratings, thresholds, zero-cell options, baseline risks and the summary's length
target. ``config.schema`` assembles them into the sections of a config."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Count = Annotated[int, Field(strict=True, ge=0)]
PositiveCount = Annotated[int, Field(strict=True, ge=1)]
# A real number: true/false and text are refused (``mean: yes`` is not 1.0), and so are nan and
# infinities (``.inf`` in YAML, ``1e999`` in a CSV), which no analysis can use.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
# An effect's id within its study (three-level outcomes): text or a whole number.
EffectId = Annotated[
    Identifier | Annotated[int, Field(strict=True)], Field(union_mode="left_to_right")
]
EFFECT_DESCRIPTION = (
    "*Contract.* Id of this effect within its study (outcomes with structure: three_level, "
    "where a study may have several rows)."
)


class Strict(BaseModel):
    """Frozen, and unknown keys are errors (a misspelt key never silently does nothing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SummaryWords(Strict):
    """`report.summary_words:` the patient summary's length target, in words."""

    min: PositiveCount = Field(400, description="Fewest words (default 400).")
    max: PositiveCount = Field(850, description="Most words (default 850).")

    @model_validator(mode="after")
    def _ordered(self) -> SummaryWords:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class BaselineRisk(Strict):
    """A control-group risk at which the clinician brief shows absolute effects."""

    label: Text = Field(description="Whose risk this is, e.g. 'High-risk adults'.")
    risk: float = Field(ge=0, le=1, description="The risk without treatment, 0 to 1.")


class ProportionRow(Strict):
    """One study's count for a single-arm proportion (*contract*: study, events, total)."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    effect: EffectId | None = Field(None, description=EFFECT_DESCRIPTION)
    events: Count = Field(description="Number of people who had the outcome.")
    total: PositiveCount = Field(description="Number of people in whom the outcome was assessed.")


class BinaryArm(Strict):
    events: Count = Field(description="Number of people in this arm who had the outcome.")
    total: PositiveCount = Field(description="Number of people in this arm.")


class BinaryRow(Strict):
    """Two-arm counts (*contract*: study, intervention {events, total}, control {...})."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    effect: EffectId | None = Field(None, description=EFFECT_DESCRIPTION)
    intervention: BinaryArm = Field(description="The treatment arm.")
    control: BinaryArm = Field(description="The comparison arm.")


class ContinuousArm(Strict):
    mean: Number = Field(description="Mean of the outcome in this arm.")
    sd: Number = Field(gt=0, description="Standard deviation in this arm (> 0).")
    n: int = Field(strict=True, ge=2, description="Number of people in this arm (>= 2).")


class ContinuousRow(Strict):
    """Two-arm means (*contract*: study, intervention {mean, sd, n}, control {...})."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    effect: EffectId | None = Field(None, description=EFFECT_DESCRIPTION)
    intervention: ContinuousArm = Field(description="The treatment arm.")
    control: ContinuousArm = Field(description="The comparison arm.")


class GenericRow(Strict):
    """An effect as a paper reports it (*contract*: study, estimate and either se or
    ci_lower and ci_upper). Ratios (HR, OR, RR, IRR) on their natural scale, with the SE of the
    log ratio; differences on their own scale."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    effect: EffectId | None = Field(None, description=EFFECT_DESCRIPTION)
    estimate: Number = Field(description="The study's effect estimate.")
    se: Number | None = Field(None, gt=0, description="Its standard error.")
    ci_lower: Number | None = Field(None, description="Lower bound of its 95% CI.")
    ci_upper: Number | None = Field(None, description="Upper bound of its 95% CI.")


class CertaintyRating(Strict):
    """`certainty:` the editor's GRADE rating of an outcome."""

    level: Literal["high", "moderate", "low", "very_low"] = Field(
        description="GRADE certainty: high, moderate, low or very_low."
    )
    reasons: list[
        Literal[
            "risk_of_bias",
            "inconsistency",
            "indirectness",
            "imprecision",
            "publication_bias",
            "non_randomised",
            "large_effect",
            "dose_response",
            "plausible_confounding",
        ]
    ] = Field(default_factory=list, description="Why the level was lowered (or raised).")
    note: Text | None = Field(None, description="A sentence explaining the rating.")


class Thresholds(Strict):
    """`thresholds:` what counts as a small, moderate and large effect for this outcome."""

    small: Number = Field(gt=0, description="Smallest important effect (ratios: 0.1 = 10%).")
    moderate: Number = Field(gt=0, description="A moderate effect.")
    large: Number = Field(gt=0, description="A large effect.")


class ZeroCellOptions(Strict):
    """`zero_cells:` metafor escalc's zero-cell options (binary and proportion outcomes)."""

    add: float | None = Field(
        None, ge=0, description="Added to each cell (default 0.5; 0 for PAS and PFT)."
    )
    to: Literal["only0", "all", "if0all", "none"] = Field(
        "only0",
        description="only0: studies with a zero cell; all: every study; if0all: every study "
        "if any has a zero cell; none: no addition.",
    )
    drop00: bool | None = Field(
        None,
        description="Leave out two-arm studies with no events (or only events) in both arms "
        "(default: false; true for MH and PETO heterogeneity, as metafor).",
    )
