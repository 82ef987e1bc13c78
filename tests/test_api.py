"""The notebook API: frozen results that export themselves (to_dict, repr, HTML, DataFrame), and
a public surface that ``dir(reportgen)`` shows without importing heavy modules."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import pickle
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import reportgen
from reportgen.config.load import load_config
from reportgen.stats.analysis import OutcomeResult, ReportResults, analyse
from reportgen.stats.glmm import fit_glmm
from reportgen.stats.mantel_haenszel import mantel_haenszel, peto
from reportgen.stats.pooling import PoolResult, pool
from reportgen.stats.small_study import trim_and_fill

ROOT = Path(__file__).resolve().parent.parent
# Six studies with clear heterogeneity (a Q-profile interval with a positive lower bound).
YI = (0.10, 0.95, 0.42, 1.30, -0.20, 0.61)
VI = (0.020, 0.045, 0.031, 0.060, 0.025, 0.050)
POOL_FIELDS = [f.name for f in dataclasses.fields(PoolResult) if not f.name.startswith("_")]
Q_PROFILE = ("tau2_ci_lower", "tau2_ci_upper", "i2_ci_lower", "i2_ci_upper")
REPR_MAX_LENGTH = 120  # one short line in a console


def _inputs() -> tuple[np.ndarray, np.ndarray]:
    return np.array(YI), np.array(VI)


def _json_round_trip(data: dict) -> dict:
    return json.loads(json.dumps(data, allow_nan=False))


@pytest.fixture(scope="module")
def bcg() -> ReportResults:
    return analyse(load_config(ROOT / "configs" / "bcg-vaccine-tuberculosis.yaml").config)


# --- frozen results -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["REML", "DL", "PM", "FE"])
@pytest.mark.parametrize("test", ["z", "knha"])
def test_changing_the_inputs_after_pool_changes_nothing(method: str, test: str) -> None:
    y, v = _inputs()
    result = pool(y, v, method=method, test=test)
    expected = pool(*_inputs(), method=method, test=test).to_dict()
    # Before the lazy Q-profile interval is first computed, and after.
    y[:] = 5.0
    v[:] = 1.0
    assert result.to_dict() == expected
    y[0], v[0] = -3.0, 9.0
    assert result.to_dict() == expected


def test_changing_a_list_input_changes_nothing() -> None:
    y, v = list(YI), list(VI)
    result = pool(y, v)
    y[0] = 100.0
    assert result.tau2_ci_upper == pool(YI, VI).tau2_ci_upper


def test_pool_result_fields_cannot_be_assigned_or_deleted() -> None:
    result = pool(YI, VI)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.estimate = 0.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.tau2_ci_lower = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result._profile_data = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del result.weights


def test_weights_cannot_be_written_or_made_writeable() -> None:
    result = pool(YI, VI)
    with pytest.raises(ValueError, match="read-only"):
        result.weights[0] = 50.0
    with pytest.raises(ValueError):
        result.weights.flags.writeable = True
    assert result.weights.sum() == pytest.approx(100.0)


def test_arrays_passed_to_the_constructor_are_copied() -> None:
    weights = np.array([25.0, 75.0])
    result = dataclasses.replace(pool([0.1, 0.3], [0.01, 0.02]), weights=weights)
    weights[0] = 0.0
    assert result.weights.tolist() == [25.0, 75.0]
    assert not result.weights.flags.writeable


@pytest.mark.parametrize(
    "duplicate", [copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))]
)
def test_copies_are_frozen_too(duplicate) -> None:
    result = pool(YI, VI)
    twin = duplicate(result)
    assert twin.to_dict() == result.to_dict()
    with pytest.raises(ValueError):
        twin.weights[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        twin.k = 2


def test_other_fitters_return_frozen_results() -> None:
    a, n1, c, n2 = [3, 5, 12, 7], [40, 50, 80, 60], [6, 9, 15, 10], [40, 55, 70, 65]
    events = np.array(a, dtype=float)
    results = [
        mantel_haenszel(a, n1, c, n2, "OR"),
        peto(a, n1, c, n2),
        fit_glmm(events, n1),
        trim_and_fill(YI, VI, "REML").model,
    ]
    events[:] = 0
    assert results[2].to_dict() == fit_glmm(a, n1).to_dict()
    for result in results:
        with pytest.raises(ValueError):
            result.weights[0] = 1.0
    filled = trim_and_fill(YI, VI, "REML")
    assert isinstance(filled.filled_yi, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        filled.k0 = 3  # type: ignore[misc]


def test_analysis_results_are_frozen(bcg: ReportResults) -> None:
    outcome = bcg.outcomes[0]
    study = outcome.studies[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.notes = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        bcg.study_count = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.pooled.estimate = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        study.data["intervention"] = {}
    with pytest.raises(TypeError):
        study.data["intervention"]["events"] = 0
    with pytest.raises(TypeError):
        study.data.update(x=1)
    # Still a dict to json (results.json writes it as it is).
    assert json.loads(json.dumps(study.data)) == {
        "intervention": {"events": 4, "total": 123},
        "control": {"events": 11, "total": 139},
    }
    for sub in outcome.leave_one_out:
        with pytest.raises(ValueError):
            sub.model.weights[0] = 0.0
    assert isinstance(outcome.studies, tuple) and isinstance(bcg.outcomes, tuple)
    copied = pickle.loads(pickle.dumps(bcg))
    assert copied.to_dict() == bcg.to_dict()
    with pytest.raises(TypeError):
        copied.outcomes[0].studies[0].data["control"] = {}


# --- to_dict ------------------------------------------------------------------------------


def test_to_dict_is_json_safe_and_complete_for_several_studies() -> None:
    result = pool(YI, VI, method="REML", test="knha")
    data = result.to_dict()
    assert _json_round_trip(data) == data
    assert set(POOL_FIELDS) | set(Q_PROFILE) == set(data)
    assert isinstance(data["weights"], list) and sum(data["weights"]) == pytest.approx(100)
    for name in Q_PROFILE:
        assert data[name] == getattr(result, name)
        assert isinstance(data[name], float)
    assert 0 < data["tau2_ci_lower"] < data["tau2"] < data["tau2_ci_upper"]
    assert data["estimate"] == result.estimate and data["df"] == 5.0


def test_to_dict_of_one_study_has_no_heterogeneity() -> None:
    data = pool([0.4], [0.09], test="knha").to_dict()
    assert _json_round_trip(data) == data
    for name in ("tau2", "i2", "h2", "q_p", "df", *Q_PROFILE):
        assert data[name] is None, name
    assert data["k"] == 1 and data["weights"] == [100.0]


def test_to_dict_maps_infinite_values_to_none() -> None:
    # Identical estimates under Knapp-Hartung: the scale is 0, so SE = 0 and z is infinite.
    result = pool([0.5, 0.5, 0.5], [0.1, 0.1, 0.1], method="FE", test="knha")
    assert math.isinf(result.statistic)
    data = result.to_dict()
    assert data["statistic"] is None
    json.dumps(data, allow_nan=False)


def test_analysis_to_dict_is_json_safe(bcg: ReportResults, write_config, minimal_config) -> None:
    data = bcg.to_dict()
    assert _json_round_trip(data) == data
    outcome = data["outcomes"][0]
    assert outcome["k"] == 13 and outcome["outcome"]["id"] == "tuberculosis"
    assert outcome["model"]["tau2_ci_upper"] == bcg.outcomes[0].model.tau2_ci_upper
    assert len(outcome["studies"]) == 13 and len(outcome["leave_one_out"]) == 13
    assert outcome["small_study"]["trimfill"]["model"]["k"] >= 13
    assert data["study_count"] == bcg.study_count
    single = minimal_config.replace(
        "      - {study: s2, events: 15, total: 25}\n      - {study: s3, events: 8, total: 30}\n",
        "",
    )
    one = analyse(load_config(write_config(single)).config).outcomes[0]
    data = one.to_dict()
    assert _json_round_trip(data) == data
    assert data["k"] == 1 and data["model"]["tau2"] is None and data["small_study"] is None


# --- repr, HTML and DataFrame -----------------------------------------------------------------


def test_repr_is_one_short_readable_line() -> None:
    result = pool(YI, VI)
    text = repr(result)
    assert re.fullmatch(
        r"PoolResult\(k=6, method='REML', estimate=0\.\d+ \[0\.\d+, 0\.\d+\], "
        r"tau2=0\.\d+, I2=\d+\.\d%\)",
        text,
    ), text
    assert len(text) <= REPR_MAX_LENGTH and "\n" not in text and "array" not in text
    assert "_q_profile" not in vars(result)  # showing a result does not run the Q-profile
    knha = repr(pool(YI, VI, test="knha"))
    assert "test='knha'" in knha
    single = repr(pool([0.4], [0.09]))
    assert single.endswith("tau2=None, I2=None)") and "k=1" in single


def test_analysis_reprs_are_short(bcg: ReportResults) -> None:
    for text in (repr(bcg), repr(bcg.outcomes[0])):
        assert "\n" not in text and len(text) <= REPR_MAX_LENGTH, text
    assert repr(bcg.outcomes[0]).startswith("OutcomeResult(id='tuberculosis', measure='RR', k=13")
    assert "tuberculosis" in repr(bcg)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_repr_html_is_an_escaped_table() -> None:
    result = dataclasses.replace(pool(YI, VI), method="<script>&")
    markup = result._repr_html_()
    assert markup.startswith("<table>") and markup.endswith("</table>")
    assert "<script>" not in markup and "&lt;script&gt;&amp;" in markup
    parsed = _Cells()
    parsed.feed(markup)
    assert "script" not in parsed.tags
    assert parsed.tags.count("tr") == 1 + len(result.summary())
    assert "<script>&" in "".join(parsed.text)


def test_outcome_repr_html_escapes_study_labels(write_config, minimal_config) -> None:
    text = minimal_config.replace("Alpha 2020", '"Alpha <i>&amp; 2020"')
    result = analyse(load_config(write_config(text)).config)
    markup = result.outcomes[0]._repr_html_()
    assert "<i>" not in markup and "Alpha &lt;i&gt;&amp;amp; 2020" in markup
    assert "<i>" not in result._repr_html_()


def test_summary_of_a_pool_result() -> None:
    result = pool(YI, VI, test="knha")
    frame = result.summary()
    assert list(frame.columns) == ["value", "lower", "upper"]
    assert frame.index.name == "quantity"
    assert frame.loc["estimate"].tolist() == [result.estimate, result.ci_lower, result.ci_upper]
    assert frame.loc["prediction", "lower"] == result.pi_lower
    assert frame.loc["tau2"].tolist() == [result.tau2, result.tau2_ci_lower, result.tau2_ci_upper]
    assert frame.loc["i2", "upper"] == result.i2_ci_upper
    assert frame.loc["df", "value"] == 5.0
    assert frame.attrs == {"method": "REML", "test": "knha"}
    single = pool([0.4], [0.09]).summary()
    assert math.isnan(single.loc["tau2", "value"]) and math.isnan(single.loc["tau2", "upper"])


def test_summary_of_analysis_results(bcg: ReportResults) -> None:
    outcome = bcg.outcomes[0]
    frame = outcome.summary()
    assert list(frame.columns) == [
        "label",
        "yi",
        "vi",
        "weight",
        "estimate",
        "ci_lower",
        "ci_upper",
    ]
    assert len(frame) == outcome.k + 1 and frame.index[-1] == "pooled"
    assert frame.index[0] == outcome.studies[0].id
    assert frame.loc["pooled", "estimate"] == outcome.pooled.estimate
    assert frame["weight"].iloc[:-1].sum() == pytest.approx(100)
    overview = bcg.summary()
    assert overview.index.tolist() == ["tuberculosis"]
    assert overview.loc["tuberculosis", "i2"] == outcome.model.i2
    assert overview.loc["tuberculosis", "k"] == 13


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_pooling_and_showing_a_result_do_not_import_pandas() -> None:
    _run(
        "import sys, reportgen\n"
        "r = reportgen.pool([0.1, 0.5, 0.9], [0.02, 0.03, 0.04])\n"
        "repr(r); r.to_dict(); r._repr_html_()\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
        "r.summary()\n"
        "assert 'pandas' in sys.modules\n"
    )


# --- the public surface ------------------------------------------------------------------------


def test_dir_lists_the_public_api_without_importing_heavy_modules() -> None:
    _run(
        "import sys, reportgen\n"
        "names = dir(reportgen)\n"
        "missing = set(reportgen.__all__) - set(names)\n"
        "assert not missing, missing\n"
        "heavy = {'numpy', 'scipy', 'jinja2', 'pandas', 'pydantic'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )


def test_every_public_name_resolves() -> None:
    expected = {
        "pool",
        "PoolResult",
        "analyse",
        "OutcomeResult",
        "ReportResults",
        "build_report",
        "load_config",
        "ReportgenError",
        "UserError",
        "ConfigError",
        "AnalysisError",
    }
    assert expected <= set(reportgen.__all__)
    for name in reportgen.__all__:
        assert getattr(reportgen, name) is not None, name
    assert reportgen.PoolResult is PoolResult and reportgen.OutcomeResult is OutcomeResult
    assert issubclass(reportgen.ConfigError, reportgen.UserError)
    with pytest.raises(AttributeError):
        reportgen.no_such_name  # noqa: B018
