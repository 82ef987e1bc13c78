"""``results.json``: the machine-readable results (a contract other tools read).

Analysis-scale values under ``model``, natural-scale (proportion) values under ``pooled``, I2 and
weights in percent. Floats are written with full precision; a value that cannot be estimated is
``null``. Keys beyond the contract are added around it, never instead of it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from reportgen.config.risk_of_bias import judgement_table
from reportgen.config.schema import ReportConfig
from reportgen.interpret.findings import Finding, Findings
from reportgen.present.statements import outcome_statement, phrase_table
from reportgen.provenance import Provenance
from reportgen.stats.analysis import ReportResults, SubResult
from reportgen.stats.fitting import NaturalScale
from reportgen.stats.frozen import plain
from reportgen.stats.measures import MEASURES
from reportgen.stats.pooling import PoolResult
from reportgen.stats.regression_analysis import MetaRegression

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
    document = {
        "schema_version": SCHEMA_VERSION,
        "report": report,
        "outcomes": [_outcome(f, config) for f in findings],
        "generator": {"software": provenance.as_dict(), "config_sha256": config_sha256},
    }
    if config.risk_of_bias is not None:
        document["risk_of_bias"] = _risk_of_bias(config)
    return document


def _risk_of_bias(config: ReportConfig) -> dict[str, Any]:
    """The tool and every study's judgements (``outcome`` null: for every outcome), with the
    overall judgement as given or, where the editor gave none, the worst domain."""
    rows = [
        {
            "study": study_id,
            "outcome": outcome_id,
            "domains": list(judgement.domains),
            "overall": judgement.overall,
            "overall_given": judgement.overall_given,
        }
        for outcome_id, studies in judgement_table(config).items()
        for study_id, judgement in studies.items()
    ]
    return {"tool": config.risk_of_bias.tool if config.risk_of_bias else None, "judgements": rows}


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
        **(
            {"high_risk_weight": rating.high_risk_weight}
            if rating.high_risk_weight is not None
            else {}
        ),
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
        "familiar_scale": _familiar(finding),
    }


def _familiar(finding: Finding) -> dict[str, Any] | None:
    """An SMD re-expressed on the outcome's familiar scale (SMD x SD, Cochrane Handbook
    15.5.3.2): the scale, unit, SD and its source, and the estimate and CI in that unit."""
    familiar = finding.familiar
    if familiar is None:
        return None
    return {
        "name": familiar.name,
        "unit": familiar.unit,
        "sd": familiar.sd,
        "source": familiar.source,
        "estimate": familiar.estimate,
        "ci_lower": familiar.ci_lower,
        "ci_upper": familiar.ci_upper,
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
        "level": _level(outcome.level),
        "profile": outcome.profile,
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
        "meta_regression": [_regression(r, outcome.measure) for r in result.meta_regression],
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


def _level(level: float) -> float | int:
    """A confidence level as the config writes it: 90, or 97.5."""
    return int(level) if float(level).is_integer() else float(level)


def _regression(regression: MetaRegression, measure: str) -> dict[str, Any]:
    """One meta-regression (*contract*: name, moderators, coefficients with term, estimate, se,
    statistic, p_value, ci_lower, ci_upper; qm, qm_df, qm_p, qe, qe_df, qe_p, r2, tau2, i2).
    Coefficients on the analysis scale; for ratio measures also as ratios (``ratio``: the
    factor by which the effect changes per unit, or from the reference level). Predictions on
    the natural scale, with the analysis-scale values under ``model``."""
    model = regression.model
    ratio = MEASURES[measure].scale == "ratio"
    coefficients = []
    for c in model.coefficients:
        row = {
            "term": c.term,
            "moderator": c.moderator,
            "level": c.level,
            "estimate": c.estimate,
            "se": c.se,
            "statistic": c.statistic,
            "p_value": c.p_value,
            "ci_lower": c.ci_lower,
            "ci_upper": c.ci_upper,
        }
        if ratio:
            row.update(ratio=math.exp(c.estimate), ratio_ci_lower=math.exp(c.ci_lower))
            row.update(ratio_ci_upper=math.exp(c.ci_upper))
        coefficients.append(row)
    references = {m.name: m.reference for m in model.design.moderators if m.reference}
    return {
        "name": regression.name,
        "moderators": list(regression.moderators),
        "method": model.method,
        "test": model.test,
        "k": model.k,
        "coefficients": coefficients,
        "reference_levels": references,
        "qm": model.qm,
        "qm_df": model.qm_df,
        "qm_df2": model.qm_df2,
        "qm_p": model.qm_p,
        "qe": model.qe,
        "qe_df": model.qe_df,
        "qe_p": model.qe_p,
        "r2": model.r2,
        "tau2": model.tau2,
        "tau2_intercept_only": model.tau2_re,
        "i2": model.i2,
        "h2": model.h2,
        "predictions": [
            {**plain(natural), "model": plain(prediction)}
            for natural, prediction in zip(regression.natural, regression.predictions, strict=True)
        ],
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
