"""``results.json``: the machine-readable results (a contract other tools read).

Analysis-scale values under ``model``, natural-scale (proportion) values under ``pooled``, I2 and
weights in percent. Floats are written with full precision; a value that cannot be estimated is
``null``. Keys beyond the contract are added around it, never instead of it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from reportgen.config.schema import ReportConfig
from reportgen.interpret.findings import Finding, Findings
from reportgen.present.statements import outcome_statement, phrase_table
from reportgen.provenance import Provenance
from reportgen.stats.analysis import ReportResults, SubResult
from reportgen.stats.fitting import NaturalScale
from reportgen.stats.pooling import PoolResult

SCHEMA_VERSION = 1


def results_document(
    config: ReportConfig,
    results: ReportResults,
    findings: Findings,
    provenance: Provenance,
    config_sha256: str,
) -> dict[str, Any]:
    report = config.report.model_dump(exclude_none=True)
    report.update(study_count=results.study_count, participant_count=results.participant_count)
    return {
        "schema_version": SCHEMA_VERSION,
        "report": report,
        "outcomes": [_outcome(f, config) for f in findings],
        "generator": {"software": provenance.as_dict(), "config_sha256": config_sha256},
    }


def _model(model: PoolResult) -> dict[str, Any]:
    return {
        "estimate": model.estimate,
        "se": model.se,
        "statistic": model.statistic,
        "p_value": model.p_value,
        "ci_lower": model.ci_lower,
        "ci_upper": model.ci_upper,
        "pi_lower": model.pi_lower,
        "pi_upper": model.pi_upper,
        "df": model.df,
        "method": model.method,
        "test": model.test,
        "iterations": model.iterations,
        "loglik": model.loglik,
        "aic": model.aic,
        "bic": model.bic,
    }


def _pooled(pooled: NaturalScale) -> dict[str, Any]:
    return {
        "estimate": pooled.estimate,
        "ci_lower": pooled.ci_lower,
        "ci_upper": pooled.ci_upper,
        "pi_lower": pooled.pi_lower,
        "pi_upper": pooled.pi_upper,
    }


def _heterogeneity(model: PoolResult) -> dict[str, Any]:
    values = {
        "tau2": model.tau2,
        "i2": model.i2,
        "h2": model.h2,
        "q": model.q,
        "q_df": model.q_df,
        "q_p": model.q_p,
        "tau2_ci_lower": model.tau2_ci_lower,
        "tau2_ci_upper": model.tau2_ci_upper,
        "i2_ci_lower": model.i2_ci_lower,
        "i2_ci_upper": model.i2_ci_upper,
        "tau2_se": model.tau2_se,
    }
    if model.components is not None:  # three-level models (contract keys)
        values.update(
            sigma2_between=model.components.sigma2_between,
            sigma2_within=model.components.sigma2_within,
            i2_between=model.components.i2_between,
            i2_within=model.components.i2_within,
            studies=model.components.studies,
        )
    return values


def _sub_result(result: SubResult) -> dict[str, Any]:
    row = {
        "k": result.k,
        "model": _model(result.model),
        "pooled": _pooled(result.pooled),
        "heterogeneity": _heterogeneity(result.model),
    }
    if result.error is not None:  # not estimable: numbers null, the reason here
        row["error"] = result.error
    return row


def _certainty(rating) -> dict[str, Any]:
    return {
        "level": rating.level,
        "reasons": list(rating.reasons),
        "source": rating.source,
        "note": rating.note,
        "suggested": {"level": rating.suggested_level, "reasons": list(rating.suggested_reasons)},
    }


def _interpretation(finding: Finding, statement: str) -> dict[str, Any]:
    """What the outcome's result means (*contract*): which direction is good, what it counts
    (``event``), its ``unit`` and ``mid``, the ``size`` class and ``direction`` of the measure,
    the side it ``favours`` and the ``statement`` the report shows. Single-arm rates have no
    comparison: their size, direction and favours are null."""
    outcome = finding.result.outcome
    return {
        "good": finding.good,
        "event": finding.event,
        "unit": outcome.unit,
        "mid": outcome.mid,
        "size": None if finding.is_rate else finding.size,
        "direction": None if finding.is_rate else finding.direction,
        "favours": finding.favours,
        "statement": statement,
    }


def _outcome(finding: Finding, config: ReportConfig) -> dict[str, Any]:
    result = finding.result
    model, outcome = result.model, result.outcome
    statement = outcome_statement(finding, config.report.intervention)
    document: dict[str, Any] = {
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
        "model": _model(model),
        "pooled": {**_pooled(result.pooled), "back_transform_n": result.back_transform_n},
        "heterogeneity": _heterogeneity(model),
        "studies": [
            {
                "id": s.id,
                "label": s.label,
                "data": s.data,
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
        "leave_one_out": [{"omitted": r.label, **_sub_result(r)} for r in result.leave_one_out],
        "sensitivity": [{"name": r.label, **_sub_result(r)} for r in result.sensitivity],
        "statement": {
            "key": statement.key,
            "text": statement.text,
            "phrase_table_version": phrase_table()["version"],
        },
        "certainty": _certainty(finding.certainty),
        "interpretation": _interpretation(finding, statement.lead),
        "notes": list(result.notes),
    }
    if model.mh is not None:
        document["mh"] = {
            "cmh": model.mh.cmh,
            "cmh_p": model.mh.cmh_p,
            "tarone": model.mh.tarone,
            "tarone_p": model.mh.tarone_p,
        }
    if result.subgroups is not None:
        subgroups = result.subgroups
        document["subgroups"] = {
            "variable": subgroups.variable,
            "groups": [{"value": g.label, **_sub_result(g)} for g in subgroups.groups],
            "q_between": subgroups.q_between,
            "q_between_df": subgroups.q_between_df,
            "q_between_p": subgroups.q_between_p,
        }
    if result.small_study is not None:
        small = result.small_study
        document["small_study"] = {
            "egger": {"statistic": small.egger.statistic, "p_value": small.egger.p_value},
            "begg": {"statistic": small.begg.statistic, "p_value": small.begg.p_value},
            "trimfill": {
                "k0": small.trimfill.k0,
                "side": small.trimfill.side,
                "model": _model(small.trimfill.model),
                "pooled": _pooled(small.trimfill_pooled),
            },
        }
    return document


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
