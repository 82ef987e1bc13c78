"""What the PDF prints for an outcome with very many studies, in place of its longest parts.

From ``figures.overview.OVERVIEW_FROM_K`` studies on, three parts of an outcome grow to dozens
of printed pages that repeat what the study table already prints (k = 1,000: about 35 pages
of labelled plot, 28 of leave-one-out rows and 28 of funnel-plot data). The PDF then prints:

- the forest plot's overview (every study on one page, sorted by result) and the full table
  of every study's result;
- the leave-one-out range and the ``LEAVE_ONE_OUT_PRINTED`` studies whose omission moves the
  pooled result most (on the analysis scale), largest first;
- the funnel plot without its data table (each study's effect and standard error are in
  ``results.json`` and ``results.csv``).

The HTML page keeps every part whole: these are print-only substitutes, chosen here once.
"""

from __future__ import annotations

import math
from typing import Any

from reportgen.present.figures.overview import overview_alt
from reportgen.present.figures.style import svg_data_url
from reportgen.present.format import effect_value
from reportgen.stats.analysis import OutcomeResult

LEAVE_ONE_OUT_PRINTED = 10


def large_print(
    result: OutcomeResult, figures: dict[str, str], leave_one_out_rows: list[dict[str, str]]
) -> dict[str, Any] | None:
    """The print-only substitutes of a very large outcome (None when it prints whole, or when
    no figures were drawn). ``leave_one_out_rows``: the display rows of every omission, in the
    order of ``result.leave_one_out``."""
    overview = figures.get(f"{result.outcome.id}-overview")
    if overview is None:
        return None
    return {
        "overview_src": svg_data_url(overview),
        "overview_alt": overview_alt(result),
        "k": f"{len(result.studies):,}",
        **_leave_one_out(result, leave_one_out_rows),
    }


def _leave_one_out(result: OutcomeResult, rows: list[dict[str, str]]) -> dict[str, Any]:
    pooled = result.model.estimate
    fitted = [
        (abs(sub.model.estimate - pooled), index, sub.pooled.estimate)
        for index, sub in enumerate(result.leave_one_out)
        if sub.error is None and math.isfinite(sub.model.estimate)
    ]
    if not fitted:
        return {"leave_one_out_rows": [], "leave_one_out_range": None}
    # Largest shift first; ties keep the studies' order, so the choice is reproducible.
    largest = sorted(fitted, key=lambda item: (-item[0], item[1]))[:LEAVE_ONE_OUT_PRINTED]
    measure = result.outcome.measure
    estimates = [natural for _, _, natural in fitted]
    return {
        "leave_one_out_rows": [rows[index] for _, index, _ in largest],
        "leave_one_out_range": (
            effect_value(min(estimates), measure),
            effect_value(max(estimates), measure),
        ),
        "leave_one_out_printed": len(largest),
    }
