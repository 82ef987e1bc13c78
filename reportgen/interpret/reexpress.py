"""A standardised mean difference said on a familiar scale (Cochrane Handbook 15.5.3.2, 15.6.4).

An SMD is a difference in units of the among-person standard deviation, which readers cannot
picture. Multiplying the SMD and both confidence limits by a typical SD on a scale they know
(the outcome's ``familiar_scale.sd``, e.g. the control group's SD in a representative study)
gives the mean difference that SMD would be on that scale. The result is as good as the SD is
typical: it says nothing new about certainty, and the SD is shown with its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.stats.analysis import OutcomeResult


@dataclass(frozen=True)
class Reexpressed:
    """An SMD re-expressed as a mean difference on a familiar scale, in that scale's unit."""

    name: str
    unit: str
    sd: float
    source: str | None
    estimate: float
    ci_lower: float
    ci_upper: float


def reexpress(result: OutcomeResult) -> Reexpressed | None:
    """``SMD x SD`` for the estimate and each CI limit (Handbook 15.5.3.2), or None when the
    outcome is not an SMD or gives no ``familiar_scale``. The SD is positive (config
    validation), so the order and sign of the limits are kept."""
    outcome = result.outcome
    familiar = getattr(outcome, "familiar_scale", None)
    if familiar is None or outcome.measure != "SMD":
        return None
    pooled = result.pooled
    return Reexpressed(
        name=familiar.name,
        unit=familiar.unit,
        sd=familiar.sd,
        source=familiar.source,
        estimate=pooled.estimate * familiar.sd,
        ci_lower=pooled.ci_lower * familiar.sd,
        ci_upper=pooled.ci_upper * familiar.sd,
    )
