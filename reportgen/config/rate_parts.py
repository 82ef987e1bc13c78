"""Data rows of incidence-rate outcomes (events in person-time): ``type: rate`` (single arm) and
``type: rate_comparison`` (two arms). ``config.schema`` assembles them into outcomes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from reportgen.config.parts import (
    EFFECT_DESCRIPTION,
    Count,
    EffectId,
    Identifier,
    Strict,
    Text,
    ZeroCellOptions,
)

# Person-time: a positive real number (a time of 0 has no rate; nan and infinities refused).
PersonTime = Annotated[float, Field(strict=True, gt=0, allow_inf_nan=False)]


class RateRow(Strict):
    """One study's events and person-time (*contract*: study, events, time)."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    effect: EffectId | None = Field(None, description=EFFECT_DESCRIPTION)
    events: Count = Field(description="Number of events counted.")
    time: PersonTime = Field(
        description="Person-time in which they were counted (> 0), in the outcome's time_unit."
    )


class RateArm(Strict):
    events: Count = Field(description="Number of events in this arm.")
    time: PersonTime = Field(description="Person-time of this arm (> 0), in time_unit.")


class RateComparisonRow(Strict):
    """Two-arm events and person-time (*contract*: study, intervention {events, time},
    control {events, time})."""

    study: Identifier = Field(description="Id of a study listed under `studies:`.")
    effect: EffectId | None = Field(None, description=EFFECT_DESCRIPTION)
    intervention: RateArm = Field(description="The treatment arm.")
    control: RateArm = Field(description="The comparison arm.")


class RateOptions(Strict):
    """The keys rate outcomes share: the unit of their person-time and escalc's zero-count
    options."""

    time_unit: Text = Field(
        "person-years",
        description="*Contract.* The unit of the data's person-time, plural, as readers say it "
        "(default person-years; e.g. patient-days, catheter-days). Rates are shown per 1,000 "
        "of it: 'per 1,000 person-years'.",
    )
    zero_cells: ZeroCellOptions = Field(
        default_factory=ZeroCellOptions,
        description="Zero-count correction, as metafor's escalc (added to events, never to "
        "time; default 1/2 to studies with zero events for IR, IRLN, IRR and IRD).",
    )
