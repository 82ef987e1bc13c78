"""The rows of the measure registry: one ``Measure`` per effect measure, in the order configs
and the schema list them (see ``stats.measures`` for what each field means and the sources).

Codes are metafor's ``escalc`` measures. Incidence-rate measures (IR, IRLN, IRS, IRFT single-arm;
IRR, IRD, IRSD two-arm) are escalc's person-time measures (Viechtbauer 2010; Rothman, Greenland
& Lash 2008, Modern Epidemiology, ch. 15).
"""

from __future__ import annotations

from reportgen.stats import transforms
from reportgen.stats.registry_types import ESTIMATORS, Measure

# -- measures -----------------------------------------------------------------------------------

RATIO_THRESHOLDS = (0.10, 0.25, 0.50)  # relative change: 0.10 = a 10% change either way


_IV = ESTIMATORS  # every measure can be pooled by inverse variance
_PROPORTION = ("proportion",)
_RATE = ("rate",)

MEASURE_LIST = (
    # single-arm proportions (escalc PR, PLO, PLN, PFT, PAS)
    Measure(
        "PR",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.identity,
        transforms.clipped_proportion(transforms.identity),
        zero_cell_correction=True,
    ),
    Measure(
        "PLO",
        "proportion",
        None,
        _PROPORTION,
        (*_IV, "GLMM"),
        transforms.logit,
        transforms.clipped_proportion(transforms.inverse_logit),
        zero_cell_correction=True,
    ),
    Measure(
        "PLN",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.log,
        transforms.clipped_proportion(transforms.exp),
        zero_cell_correction=True,
    ),
    Measure(
        "PFT",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.to_freeman_tukey,
        transforms.clipped_proportion(transforms.from_freeman_tukey),
    ),
    Measure(
        "PAS",
        "proportion",
        None,
        _PROPORTION,
        _IV,
        transforms.arcsine,
        transforms.clipped_proportion(transforms.inverse_arcsine),
    ),
    # single-arm incidence rates, events per unit of person-time (escalc IR, IRLN, IRS, IRFT);
    # the natural scale is events per one unit of time (IRFT: back-transformed with a time t)
    Measure(
        "IR",
        "rate",
        None,
        _RATE,
        _IV,
        transforms.identity,
        transforms.nonnegative(transforms.identity),
        zero_cell_correction=True,
    ),
    Measure(
        "IRLN",
        "rate",
        None,
        _RATE,
        _IV,
        transforms.log,
        transforms.exp,
        zero_cell_correction=True,
    ),
    Measure("IRS", "rate", None, _RATE, _IV, transforms.square_root, transforms.square),
    Measure(
        "IRFT",
        "rate",
        None,
        _RATE,
        _IV,
        transforms.to_freeman_tukey_rate,
        transforms.from_freeman_tukey_rate,
    ),
    # ratios, pooled on the log scale
    Measure(
        "HR", "ratio", 1.0, ("generic",), _IV, transforms.log, transforms.exp, RATIO_THRESHOLDS
    ),
    Measure(
        "OR",
        "ratio",
        1.0,
        ("binary", "generic"),
        (*_IV, "MH", "PETO"),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        transforms.risk_with_odds_ratio,
        zero_cell_correction=True,
    ),
    Measure(
        "RR",
        "ratio",
        1.0,
        ("binary", "generic"),
        (*_IV, "MH"),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        transforms.risk_with_risk_ratio,
        zero_cell_correction=True,
    ),
    Measure(
        "IRR",
        "ratio",
        1.0,
        ("rate_comparison", "generic"),
        (*_IV, "MH"),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        zero_cell_correction=True,
    ),
    # differences, pooled as they are
    Measure(
        "MD",
        "difference",
        0.0,
        ("continuous", "generic"),
        _IV,
        transforms.identity,
        transforms.identity,
    ),
    Measure(
        "RD",
        "difference",
        0.0,
        ("binary", "generic"),
        (*_IV, "MH"),
        transforms.identity,
        transforms.identity,
        (0.01, 0.05, 0.10),
        transforms.risk_with_risk_difference,
        zero_cell_correction=True,
    ),
    # rate differences: IRD on the rate scale (events per unit of time), IRSD on the square-root
    # scale (no back-transformation exists for a difference of square roots)
    Measure(
        "IRD",
        "difference",
        0.0,
        ("rate_comparison",),
        (*_IV, "MH"),
        transforms.identity,
        transforms.identity,
        zero_cell_correction=True,
    ),
    Measure(
        "IRSD",
        "difference",
        0.0,
        ("rate_comparison",),
        _IV,
        transforms.identity,
        transforms.identity,
    ),
    Measure(
        "SMD",
        "difference",
        0.0,
        ("continuous", "generic"),
        _IV,
        transforms.identity,
        transforms.identity,
        (0.2, 0.5, 0.8),
    ),
    # the effect sizes of method PETO (binary outcomes with measure OR); chosen by the method
    Measure(
        "PETO",
        "ratio",
        1.0,
        (),
        ("PETO",),
        transforms.log,
        transforms.exp,
        RATIO_THRESHOLDS,
        transforms.risk_with_odds_ratio,
        zero_cell_correction=True,
    ),
)
