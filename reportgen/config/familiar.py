"""`familiar_scale:` on a standardised mean difference: a scale readers know and a typical SD on
it, so that the SMD can also be said in that scale's units (Cochrane Handbook 15.5.3.2 and
15.6.4: multiply the SMD and its confidence limits by a typical among-person SD, e.g. the
control group's SD in a representative study).
"""

from __future__ import annotations

from pydantic import Field

from reportgen.config.parts import Strict, Text


class FamiliarScale(Strict):
    """A familiar scale to re-express an SMD on (*contract* keys: name, unit, sd, source)."""

    name: Text = Field(
        description="The familiar scale, finishing 'on the ...', e.g. 'Beck Depression "
        "Inventory (0 to 63)'."
    )
    unit: Text = Field(description="Its unit, e.g. 'points' or 'days'.")
    sd: float = Field(
        gt=0,
        allow_inf_nan=False,
        description="A typical standard deviation on that scale, in its unit (> 0), e.g. the "
        "control group's SD in a representative study.",
    )
    source: Text | None = Field(
        None, description="Where the SD comes from, e.g. 'control group of Lee 2021'."
    )
