"""``results.json``: the machine-readable results (a contract other tools read).

Analysis-scale values under ``model``, natural-scale (proportion) values under ``pooled``, I2 and
weights in percent. Floats are written with full precision; a value that cannot be estimated is
``null``. Keys beyond the contract are added around it, never instead of it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .analysis import OutcomeResult, ReportResults
from .config import ReportConfig
from .provenance import Provenance

SCHEMA_VERSION = 1


def results_document(
    config: ReportConfig, results: ReportResults, provenance: Provenance, config_sha256: str
) -> dict[str, Any]:
    report = config.report.model_dump(exclude_none=True)
    report.update(study_count=results.study_count, participant_count=results.participant_count)
    return {
        "schema_version": SCHEMA_VERSION,
        "report": report,
        "outcomes": [_outcome(r) for r in results.outcomes],
        "generator": {"software": provenance.as_dict(), "config_sha256": config_sha256},
    }


def _outcome(result: OutcomeResult) -> dict[str, Any]:
    model, pooled, outcome = result.model, result.pooled, result.outcome
    return {
        "id": outcome.id,
        "label": outcome.label,
        "role": outcome.role,
        "k": result.k,
        "type": outcome.type,
        "measure": outcome.measure,
        "method": outcome.method,
        "test": model.test,
        "participants": result.participants,
        "events": result.events,
        "model": {
            "estimate": model.estimate,
            "se": model.se,
            "statistic": model.statistic,
            "p_value": model.p_value,
            "ci_lower": model.ci_lower,
            "ci_upper": model.ci_upper,
            "pi_lower": model.pi_lower,
            "pi_upper": model.pi_upper,
            "df": model.df,
            "iterations": model.iterations,
        },
        "pooled": {
            "estimate": pooled.estimate,
            "ci_lower": pooled.ci_lower,
            "ci_upper": pooled.ci_upper,
            "pi_lower": pooled.pi_lower,
            "pi_upper": pooled.pi_upper,
            "back_transform_n": result.back_transform_n,
        },
        "heterogeneity": {
            "tau2": model.tau2,
            "i2": model.i2,
            "h2": model.h2,
            "q": model.q,
            "q_df": model.q_df,
            "q_p": model.q_p,
        },
        "studies": [
            {
                "id": s.id,
                "label": s.label,
                "events": s.events,
                "total": s.total,
                "yi": s.yi,
                "vi": s.vi,
                "weight": s.weight,
                "estimate": s.estimate,
                "ci_lower": s.ci_lower,
                "ci_upper": s.ci_upper,
                "zero_cell_corrected": s.zero_cell_corrected,
            }
            for s in result.studies
        ],
        "notes": list(model.notes),
    }


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def dumps(document: dict[str, Any]) -> str:
    """Serialise deterministically: fixed key order, full float precision, no NaN."""
    return json.dumps(_finite(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
