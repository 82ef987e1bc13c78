"""The measure registry (``stats.measures``): complete, consistent, and the only source of the
(outcome type, measure, method, test) combinations that configs may use.

Every combination is generated from the registry, never from a hand list: a measure added to the
registry is covered here without editing this file.
"""

from __future__ import annotations

import ast
import itertools
import math
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from reportgen.config.load import load_config
from reportgen.config.schema import Outcome, ReportConfig, Sensitivity
from reportgen.errors import AnalysisError, ConfigError
from reportgen.present.appendix import BACK_TRANSFORMS
from reportgen.present.format import MEASURES as DISPLAY
from reportgen.present.format import METHOD_NAMES, SHORT_METHOD_NAMES, TEST_NAMES
from reportgen.stats.analysis import analyse
from reportgen.stats.data import outcome_table
from reportgen.stats.fitting import EFFECT_SIZES, FITTERS, fit_table
from reportgen.stats.measures import (
    MEASURES,
    METHODS,
    OUTCOME_TYPES,
    TESTS,
    allowed_methods,
    combination_problems,
    displayed_measure,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSFORM_TOLERANCE = 1e-12  # round trips of closed-form transformations: float rounding only

# -- small datasets, one per outcome type ---------------------------------------------------

STUDIES = [{"id": f"s{i}", "label": f"Study {i}"} for i in range(1, 5)]
ROWS: dict[str, list[dict[str, Any]]] = {
    "proportion": [
        {"study": "s1", "events": 10, "total": 20},
        {"study": "s2", "events": 15, "total": 25},
        {"study": "s3", "events": 0, "total": 30},
        {"study": "s4", "events": 12, "total": 40},
    ],
    "binary": [
        {
            "study": s,
            "intervention": {"events": a, "total": n1},
            "control": {"events": c, "total": n2},
        }
        for s, a, n1, c, n2 in (
            ("s1", 4, 50, 9, 52),
            ("s2", 0, 30, 3, 31),
            ("s3", 12, 80, 15, 78),
            ("s4", 7, 60, 12, 61),
        )
    ],
    "continuous": [
        {
            "study": s,
            "intervention": {"mean": m1, "sd": 1.2, "n": n},
            "control": {"mean": m2, "sd": 1.4, "n": n + 1},
        }
        for s, m1, m2, n in (("s1", 3.1, 3.9, 40), ("s2", 2.8, 3.0, 25), ("s3", 4.0, 4.6, 60))
    ],
    "rate": [
        {"study": "s1", "events": 9, "time": 413.0},
        {"study": "s2", "events": 0, "time": 263.5},
        {"study": "s3", "events": 20, "time": 507},
        {"study": "s4", "events": 6, "time": 237},
    ],
    "rate_comparison": [
        {
            "study": s,
            "intervention": {"events": x1, "time": t1},
            "control": {"events": x2, "time": t2},
        }
        for s, x1, t1, x2, t2 in (
            ("s1", 9, 413, 19, 398),
            ("s2", 0, 263.5, 19, 245),
            ("s3", 3, 487, 13, 435),
            ("s4", 20, 507, 50, 405),
        )
    ],
}
GENERIC_ROWS = {
    "ratio": [
        {"study": "s1", "estimate": 0.72, "ci_lower": 0.55, "ci_upper": 0.94},
        {"study": "s2", "estimate": 0.85, "se": 0.1},
        {"study": "s3", "estimate": 0.64, "ci_lower": 0.45, "ci_upper": 0.91},
    ],
    "difference": [
        {"study": "s1", "estimate": -0.3, "ci_lower": -0.6, "ci_upper": 0.0},
        {"study": "s2", "estimate": -0.1, "se": 0.1},
        {"study": "s3", "estimate": -0.4, "ci_lower": -0.8, "ci_upper": -0.05},
    ],
}


def _rows(type_code: str, measure: str) -> list[dict[str, Any]]:
    if type_code == "generic":
        return GENERIC_ROWS[MEASURES[measure].scale]
    return ROWS[type_code]


def _meaning(type_code: str, measure: str) -> dict[str, Any]:
    """The keys a sentence needs (``good``, ``event``, ``unit``, ``mid``) where the type and
    measure have no default."""
    keys: dict[str, Any] = {}
    if type_code in ("continuous", "generic"):
        keys["good"] = "lower"
    if type_code == "generic" and (MEASURES[measure].scale == "ratio" or measure == "RD"):
        keys["event"] = "had it"
    if measure == "MD":
        keys.update(unit="points", mid=1.0)
    return keys


def _outcome(type_code: str, measure: str, method: str, test: str, **extra: Any) -> dict:
    return {
        **_meaning(type_code, measure),
        "id": "outcome",
        "label": "Outcome",
        "plain_label": "had it",
        "role": "harm",
        "type": type_code,
        "measure": measure,
        "method": method,
        "test": test,
        **extra,
        "data": _rows(type_code, measure),
    }


def _config(outcome: dict) -> dict:
    return {"report": {"id": "r", "title": "R"}, "studies": STUDIES, "outcomes": [outcome]}


def _problems(write_config, config: dict) -> list[str]:
    path = write_config(yaml.safe_dump(config, sort_keys=False, width=200))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(p) for p in caught.value.problems]


def _line_of(write_config, config: dict, *keys: str) -> int:
    """The line of a key in the YAML that ``_problems`` writes (outcomes[0] ... keys)."""
    text = yaml.safe_dump(config, sort_keys=False, width=200)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("outcomes:"))
    for key in keys:
        start = next(i for i in range(start, len(lines)) if f"{key}:" in lines[i].split("#")[0])
    return start + 1


# -- every combination the registry allows, and every one it refuses --------------------------

VALID = [
    (t, m, method, test)
    for t, kind in OUTCOME_TYPES.items()
    for m in kind.measures
    for method in allowed_methods(t, m)
    for test in METHODS[method].tests
]
INVALID_METHODS = [
    (t, m, method)
    for t, kind in OUTCOME_TYPES.items()
    for m in kind.measures
    for method in METHODS
    if method not in allowed_methods(t, m)
]
INVALID_TESTS = [
    (t, m, method, test)
    for t, kind in OUTCOME_TYPES.items()
    for m in kind.measures
    for method in allowed_methods(t, m)
    for test in TESTS
    if test not in METHODS[method].tests
]


def _id(values: tuple) -> str:
    return "-".join(values)


# -- the registry is complete and consistent --------------------------------------------------


def test_outcome_types_defaults_are_allowed():
    for kind in OUTCOME_TYPES.values():
        assert kind.measures, kind.code
        if kind.default_measure is not None:
            assert kind.default_measure in kind.measures
        for measure in kind.measures:
            assert kind.default_method in allowed_methods(kind.code, measure)
            assert set(allowed_methods(kind.code, measure)) <= set(kind.methods)


def test_measures_are_consistent():
    for code, measure in MEASURES.items():
        assert measure.code == code
        assert set(measure.outcome_types) <= set(OUTCOME_TYPES)
        assert set(measure.methods) <= set(METHODS)
        nulls = {"proportion": None, "rate": None, "ratio": 1.0, "difference": 0.0}
        assert measure.null == nulls[measure.scale]
        if measure.thresholds is not None:
            small, moderate, large = measure.thresholds
            assert 0 < small < moderate < large
        # a measure no outcome type lists must be some method's effect measure (PETO)
        if not measure.outcome_types:
            assert any(m.effect_measure == code for m in METHODS.values())
    for method in METHODS.values():
        assert set(method.tests) <= set(TESTS)
        assert method.fitter in FITTERS
        if method.effect_measure is not None:
            assert method.effect_measure in MEASURES
        if method.small_study_method is not None:
            assert METHODS[method.small_study_method].fitter == "uni"
    assert set(EFFECT_SIZES) == set(OUTCOME_TYPES)


def test_default_thresholds():
    ratios = {c for c, m in MEASURES.items() if m.scale == "ratio"}
    assert all(MEASURES[c].thresholds == (0.10, 0.25, 0.50) for c in ratios)
    assert MEASURES["RD"].thresholds == (0.01, 0.05, 0.10)
    assert MEASURES["SMD"].thresholds == (0.2, 0.5, 0.8)
    assert MEASURES["MD"].thresholds is None
    assert MEASURES["RR"].distance(0.8) == pytest.approx(0.25)
    assert MEASURES["RR"].distance(1.25) == pytest.approx(0.25)
    assert MEASURES["RD"].distance(-0.03) == pytest.approx(0.03)
    with pytest.raises(ValueError):
        MEASURES["PLO"].distance(0.5)


@pytest.mark.parametrize("code", list(MEASURES))
def test_transform_round_trips(code):
    measure = MEASURES[code]
    values = {
        "proportion": np.array([0.05, 0.3, 0.5, 0.9]),
        "ratio": np.array([0.2, 0.9, 1.0, 3.5]),
        "difference": np.array([-1.5, 0.0, 0.2, 4.0]),
        "rate": np.array([0.001, 0.004, 0.3, 2.5]),
    }[measure.scale]
    n = 40.0
    back = measure.to_natural(measure.to_analysis(values, n), n)
    np.testing.assert_allclose(back, values, rtol=TRANSFORM_TOLERANCE, atol=TRANSFORM_TOLERANCE)
    if measure.scale == "proportion":  # clipped to [0, 1] whatever the analysis value
        extreme = measure.to_natural(np.array([-50.0, 50.0]), n)
        assert np.all((extreme >= 0) & (extreme <= 1))


def test_absolute_effects():
    binary = set(OUTCOME_TYPES["binary"].measures)
    for code, measure in MEASURES.items():
        assert (measure.absolute is not None) == (code in binary or code == "PETO"), code
    p0 = 0.2
    assert MEASURES["RR"].absolute(p0, 0.5) == pytest.approx(0.1)
    assert MEASURES["OR"].absolute(p0, 2.0) == pytest.approx(2 * 0.2 / (0.8 + 0.4))
    assert MEASURES["RD"].absolute(p0, -0.05) == pytest.approx(0.15)
    assert MEASURES["RR"].absolute(p0, 10.0) == 1.0  # clipped
    assert MEASURES["RD"].absolute(p0, -0.5) == 0.0


def test_displayed_measure():
    assert displayed_measure("OR", "PETO") == "PETO"
    for method in METHODS:
        if METHODS[method].effect_measure is None:
            assert displayed_measure("RR", method) == "RR"


# -- presentation tables are keyed by the registry's codes ----------------------------------


def test_display_table_covers_the_registry():
    assert set(DISPLAY) == set(MEASURES)
    for code, display in DISPLAY.items():
        assert display.code == code
        assert display.scale == MEASURES[code].scale
        assert display.null == MEASURES[code].null


def test_back_transform_sentences_cover_the_proportion_measures():
    assert set(BACK_TRANSFORMS) == {c for c, m in MEASURES.items() if m.scale == "proportion"}


def test_method_and_test_names_cover_the_registry():
    assert set(METHOD_NAMES) == set(METHODS) == set(SHORT_METHOD_NAMES)
    assert set(TEST_NAMES) == set(TESTS)


# -- the schema's choices are the registry's (adding a measure needs no schema edit) ----------


def _choices(annotation: Any) -> tuple:
    """The values of Literal[...] or Literal[...] | None."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
    return typing.get_args(inner)


def test_schema_choices_are_the_registry():
    members = typing.get_args(typing.get_args(Outcome)[0])
    by_type = {_choices(m.model_fields["type"].annotation)[0]: m for m in members}
    assert tuple(by_type) == tuple(OUTCOME_TYPES)
    for code, model in by_type.items():
        kind = OUTCOME_TYPES[code]
        assert _choices(model.model_fields["measure"].annotation) == kind.measures
        assert _choices(model.model_fields["method"].annotation) == kind.methods
        assert _choices(model.model_fields["test"].annotation) == TESTS
        measure_default = model.model_fields["measure"].default
        assert measure_default == kind.default_measure or kind.default_measure is None
        assert model.model_fields["method"].default == kind.default_method
    assert _choices(Sensitivity.model_fields["method"].annotation) == tuple(METHODS)
    assert _choices(Sensitivity.model_fields["test"].annotation) == TESTS


def test_measure_codes_are_listed_only_in_the_registry_and_display_tables():
    """Adding a measure means editing stats/measures.py and present/format.py (and an effect
    formula in stats/effects/<type>.py): no other module keeps a collection of measure codes."""
    allowed = {
        ROOT / "reportgen" / "stats" / "measures.py",
        ROOT / "reportgen" / "present" / "format.py",  # MEASURES: names and abbreviations
        ROOT / "reportgen" / "present" / "appendix.py",  # BACK_TRANSFORMS: one sentence each
    }
    codes = set(MEASURES)
    found = []
    for path in sorted((ROOT / "reportgen").rglob("*.py")):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            items = (
                node.keys
                if isinstance(node, ast.Dict)
                else node.elts
                if isinstance(node, ast.Tuple | ast.List | ast.Set)
                else []
            )
            named = [i.value for i in items if isinstance(i, ast.Constant) and i.value in codes]
            if len(named) >= 2:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {named}")
    assert found == []


# -- valid combinations fit; impossible ones are refused --------------------------------------


@pytest.mark.parametrize(("type_code", "measure", "method", "test"), VALID, ids=_id)
def test_every_allowed_combination_analyses(type_code, measure, method, test):
    config = ReportConfig.model_validate(_config(_outcome(type_code, measure, method, test)))
    assert combination_problems(type_code, measure, method, test) == []
    (result,) = analyse(config).outcomes
    pooled = result.pooled
    assert all(math.isfinite(v) for v in (pooled.estimate, pooled.ci_lower, pooled.ci_upper))
    assert pooled.ci_lower <= pooled.estimate <= pooled.ci_upper


@pytest.mark.parametrize(("type_code", "measure", "method"), INVALID_METHODS, ids=_id)
def test_impossible_sensitivity_method_is_a_located_error(write_config, type_code, measure, method):
    outcome = _outcome(
        type_code,
        measure,
        OUTCOME_TYPES[type_code].default_method,
        "z",
        sensitivity=[{"name": "Other method", "method": method}],
    )
    config = _config(outcome)
    found = _problems(write_config, config)
    line = _line_of(write_config, config, "sensitivity", "method")
    allowed = ", ".join(allowed_methods(type_code, measure))
    assert len(found) == 1, found
    assert found[0].startswith(f"config.yaml:{line}: outcomes[0].sensitivity[0].method: {method} ")
    assert found[0].endswith(f"allowed here: {allowed}")


@pytest.mark.parametrize(("type_code", "measure", "method"), INVALID_METHODS, ids=_id)
def test_impossible_main_method_is_a_located_error(write_config, type_code, measure, method):
    config = _config(_outcome(type_code, measure, method, "z"))
    found = _problems(write_config, config)
    line = _line_of(write_config, config, "method")
    assert len(found) == 1, found
    assert found[0].startswith(f"config.yaml:{line}: outcomes[0].method: ")
    # the same combination also fails when called directly, before any number is computed
    valid = ReportConfig.model_validate(_config(_outcome(type_code, measure, "REML", "z")))
    table = outcome_table(valid, valid.outcomes[0])
    with pytest.raises(AnalysisError, match=f"method {method} is not possible"):
        fit_table(table, measure, method, "z")


@pytest.mark.parametrize(("type_code", "measure", "method", "test"), INVALID_TESTS, ids=_id)
def test_impossible_test_is_a_located_error(write_config, type_code, measure, method, test):
    default = OUTCOME_TYPES[type_code].default_method
    cases = [
        # the main analysis
        (_outcome(type_code, measure, method, test), ("test",), "outcomes[0].test"),
        # a sensitivity analysis that changes the test
        (
            _outcome(type_code, measure, method, "z", sensitivity=[{"name": "x", "test": test}]),
            ("sensitivity", "test"),
            "outcomes[0].sensitivity[0].test",
        ),
        # a sensitivity analysis that changes the method of an outcome with that test
        (
            _outcome(
                type_code, measure, default, test, sensitivity=[{"name": "x", "method": method}]
            ),
            ("sensitivity", "method"),
            "outcomes[0].sensitivity[0].method",
        ),
    ]
    for outcome, keys, where in cases:
        config = _config(outcome)
        found = _problems(write_config, config)
        line = _line_of(write_config, config, *keys)
        assert len(found) == 1, found
        assert found[0].startswith(f"config.yaml:{line}: {where}: "), found
        assert "test: z" in found[0]


def test_glmm_sensitivity_on_arcsine_proportions(write_config, minimal_config):
    """The reported bug: a GLMM (logit) sensitivity analysis of a PAS outcome was published as
    'GLMM: 0% (0% to 31%)', a logit back-transformed as an arcsine."""
    text = minimal_config.replace(
        "    type: proportion\n",
        "    type: proportion\n    measure: PAS\n"
        "    sensitivity:\n      - {name: Binomial-normal model, method: GLMM}\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(text))
    assert [str(p) for p in caught.value.problems] == [
        "config.yaml:16: outcomes[0].sensitivity[0].method: GLMM needs measure PLO and this "
        "outcome uses PAS; allowed here: FE, DL, REML, ML, PM, HS, SJ, HE, EB"
    ]


def test_combination_errors_are_reported_with_every_other_problem(write_config):
    outcome = _outcome(
        "binary",
        "RR",
        "PETO",
        "knha",
        sensitivity=[
            {"name": "GLMM", "method": "GLMM"},
            {"name": "Peto", "method": "PETO", "test": "knha"},
            {"name": "Fine", "method": "MH", "test": "z"},
        ],
    )
    outcome["data"][0]["intervention"]["events"] = 99
    found = _problems(write_config, _config(outcome))
    keys = [p.split(": ")[1] for p in found]
    assert sorted(keys) == sorted(
        [
            "outcomes[0].method",
            "outcomes[0].test",
            "outcomes[0].sensitivity[0].method",
            "outcomes[0].sensitivity[1].method",
            "outcomes[0].sensitivity[1].test",
            "outcomes[0].data[0].intervention.events",
        ]
    )
    assert any("GLMM is not available for binary outcomes" in p for p in found)


@pytest.mark.parametrize("command", ["validate", "build"])
def test_cli_refuses_impossible_combinations(tmp_path, minimal_config, command):
    import subprocess
    import sys

    text = minimal_config.replace(
        "    type: proportion\n",
        "    type: proportion\n    measure: PAS\n    sensitivity: [{name: G, method: GLMM}]\n",
    )
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", command, "config.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "config.yaml:15: outcomes[0].sensitivity[0].method: GLMM needs measure PLO" in (
        result.stderr + result.stdout
    )
    assert not (tmp_path / "output" / "minimal").exists()  # no report was published


def test_every_combination_is_classified():
    """Each (type, measure, method, test) is either allowed or refused, never both."""
    for t, kind in OUTCOME_TYPES.items():
        for m, method, test in itertools.product(kind.measures, METHODS, TESTS):
            valid = (t, m, method, test) in VALID
            assert valid == (combination_problems(t, m, method, test) == []), (t, m, method, test)
