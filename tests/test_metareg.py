"""Meta-regression against metafor (tests/reference/metafor_metareg.json, written by
tests/reference/metafor_metareg.R): every estimator, z and Knapp-Hartung, one and two
moderators, continuous, categorical and true/false, every field and the predictions."""

from __future__ import annotations

import numpy as np
import pytest
from metafor_reference import ABSOLUTE_FLOOR, load_reference, tolerance_for

from reportgen.config.regression import level_name
from reportgen.errors import AnalysisError
from reportgen.stats.moderators import INTERCEPT, design_matrix
from reportgen.stats.regression import meta_regression

REFERENCE = load_reference("metafor_metareg.json")
CASES = REFERENCE["cases"]
MODEL_FIELDS = ("qm", "qm_df", "qm_p", "qe", "qe_df", "qe_p", "tau2", "i2", "h2", "r2")
COEFFICIENT_FIELDS = ("estimate", "se", "statistic", "p_value", "ci_lower", "ci_upper")
PREDICTION_FIELDS = ("estimate", "se", "ci_lower", "ci_upper", "pi_lower", "pi_upper")


def _moderators(case: dict) -> list[str]:
    names = case["moderators"]
    return [names] if isinstance(names, str) else list(names)


def _close(actual: float | None, expected: float | None, rtol: float, what: str) -> None:
    if expected is None:
        assert actual is None, f"{what}: got {actual}, metafor gives NA"
        return
    assert actual is not None, f"{what}: got None, metafor gives {expected}"
    if abs(actual - expected) > ABSOLUTE_FLOOR:
        assert actual == pytest.approx(expected, rel=rtol), f"{what}: {actual} vs {expected}"


def _fit(case: dict):
    data = REFERENCE["datasets"][case["set"]]
    design = design_matrix({name: data["moderators"][name] for name in _moderators(case)})
    y, v = np.array(data["yi"]), np.array(data["vi"])
    return meta_regression(y, v, design, case["method"], case["test"])


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[f"{c['set']}-{'+'.join(_moderators(c))}-{c['method']}-{c['test']}" for c in CASES],
)
def test_matches_metafor(case: dict) -> None:
    if "error" in case:
        with pytest.raises(AnalysisError):
            _fit(case)
        return
    model = _fit(case)
    rtol = tolerance_for(case["method"])
    for moderator in model.design.moderators:  # R's factor() level order, reference first
        if moderator.kind == "categorical":
            expected_levels = case["levels"][moderator.name]
            assert list(moderator.levels) == [level_name(v) for v in expected_levels]
    assert len(model.coefficients) == len(case["terms"])
    for field in MODEL_FIELDS:
        _close(getattr(model, field), case[field], rtol, field)
    for coefficient, expected in zip(model.coefficients, case["coefficients"], strict=True):
        for field in COEFFICIENT_FIELDS:
            _close(
                getattr(coefficient, field), expected[field], rtol, f"{coefficient.term}.{field}"
            )
    for expected in case["predictions"]:
        prediction = model.predict(expected["at"])
        for field in PREDICTION_FIELDS:
            _close(getattr(prediction, field), expected[field], rtol, f"prediction.{field}")


def test_terms_follow_r_factor_coding() -> None:
    """Levels sorted as R's factor() sorts them, the first the reference; true/false as
    FALSE < TRUE; metafor's intercept name."""
    design = design_matrix(
        {
            "alloc": ["systematic", "random", "alternate", "random", "random"],
            "flag": [True, False, True, True, False],
        }
    )
    assert [t.name for t in design.terms] == [
        INTERCEPT,
        "alloc: random",
        "alloc: systematic",
        "flag: true",
    ]
    assert design.moderators[0].reference == "alternate"
    assert design.moderators[1].reference == "false"
    assert design.X[:, 1].tolist() == [0.0, 1.0, 0.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"x": [1.0, 1.0, 1.0]}, "same value in every study"),
        ({"x": ["a", "a", "a"]}, "same value in every study"),
        ({"x": [1.0, None, 2.0]}, "has no value"),
        ({"x": [1.0, 2.0]}, "needs more than 2 studies"),
        ({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.0, 8.0]}, "redundant"),
    ],
)
def test_design_edge_cases_refused(values: dict, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        design_matrix(values)


def test_options_checked_on_entry() -> None:
    design = design_matrix({"x": [1.0, 2.0, 3.0, 4.0]})
    y, v = np.array([0.1, 0.2, 0.4, 0.3]), np.full(4, 0.05)
    with pytest.raises(ValueError, match="Invalid method"):
        meta_regression(y, v, design, "MH")
    with pytest.raises(ValueError, match="Invalid test"):
        meta_regression(y, v, design, "REML", "t")


def test_prediction_needs_known_level() -> None:
    design = design_matrix({"g": ["a", "b", "a", "b", "c"]})
    model = meta_regression(np.array([0.1, 0.3, 0.2, 0.5, 0.4]), np.full(5, 0.04), design, "DL")
    with pytest.raises(AnalysisError, match="no level 'd'"):
        model.predict({"g": "d"})


def test_public_api_takes_moderators_by_name() -> None:
    import reportgen

    data = REFERENCE["datasets"]["bcg"]
    case = next(
        c
        for c in CASES
        if c["set"] == "bcg" and _moderators(c) == ["ablat"] and c["method"] == "REML"
        if c["test"] == "z"
    )
    model = reportgen.meta_regression(
        data["yi"], data["vi"], {"ablat": data["moderators"]["ablat"]}, "REML", "z"
    )
    assert isinstance(model, reportgen.RegressionModel)
    slope = model.coefficients[1]
    assert slope.estimate == pytest.approx(case["coefficients"][1]["estimate"], rel=1e-6)
    assert model.to_dict()["r2"] == pytest.approx(case["r2"], rel=1e-6)


def test_results_print_and_export() -> None:
    data = REFERENCE["datasets"]["bcg"]
    model = meta_regression(
        np.array(data["yi"]), np.array(data["vi"]), {"ablat": data["moderators"]["ablat"]}
    )
    frame = model.summary()
    assert list(frame.index) == ["intrcpt", "ablat"]
    assert frame.loc["ablat", "estimate"] == model.coefficients[1].estimate
    assert frame.attrs["r2"] == model.r2
    assert "ablat=-0.0291" in repr(model) and "R2=75.6%" in repr(model)
    assert "<table>" in model._repr_html_()
    exported = model.to_dict()
    assert "design" not in exported and "_covariance" not in exported
    assert exported["coefficients"][1]["term"] == "ablat"
