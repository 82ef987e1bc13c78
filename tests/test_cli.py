"""The command line, run through its real entry point in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def reportgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built_examples(tmp_path_factory) -> Path:
    """Both example configs built once, by `reportgen build` with its defaults, in a copy of
    the project layout (configs/ in the working folder, output/ created there)."""
    workdir = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "configs", workdir / "configs")
    result = reportgen("build", cwd=workdir)
    assert result.returncode == 0, result.stderr
    count = len(list((ROOT / "configs").glob("*.yaml")))
    assert f"{count} reports: {count} built, 0 unchanged, 0 failed" in result.stdout
    return workdir / "output"


@pytest.mark.parametrize(
    "report_id", ["venetoclax-rr-aml", "hyperdynamic-therapy-vasospasm", "bcg-vaccine-tuberculosis"]
)
def test_build_writes_every_output(built_examples, report_id):
    folder = built_examples / report_id
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert 'id="summary"' in html and 'id="appendix"' in html
    # Self-contained: no external stylesheet, script or image.
    assert "<link" not in html and "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF-")
    results = json.loads((folder / "results.json").read_text())
    for outcome in results["outcomes"]:
        svg = (folder / "figures" / f"{outcome['id']}.svg").read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_results_json_has_the_contract_keys(built_examples):
    results = json.loads((built_examples / "venetoclax-rr-aml" / "results.json").read_text())
    assert {"id", "title"} <= set(results["report"])
    assert [o["id"] for o in results["outcomes"]] == [
        "orr",
        "crc",
        "cr",
        "febrile-neutropenia",
        "pneumonia",
    ]
    for outcome in results["outcomes"]:
        assert {
            "id",
            "k",
            "type",
            "measure",
            "method",
            "test",
            "model",
            "pooled",
            "heterogeneity",
            "studies",
        } <= set(outcome)
        assert {"estimate", "se", "statistic", "p_value", "ci_lower", "ci_upper"} <= set(
            outcome["model"]
        )
        assert {"estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper"} <= set(
            outcome["pooled"]
        )
        assert {"tau2", "i2", "h2", "q", "q_df", "q_p"} <= set(outcome["heterogeneity"])
        for study in outcome["studies"]:
            assert {"id", "yi", "vi", "weight", "estimate", "ci_lower", "ci_upper"} <= set(study)
        assert sum(s["weight"] for s in outcome["studies"]) == pytest.approx(100)
        pooled = outcome["pooled"]
        assert 0 <= pooled["ci_lower"] <= pooled["estimate"] <= pooled["ci_upper"] <= 1


def test_format_option_limits_outputs(tmp_path):
    result = reportgen(
        "build",
        str(ROOT / "configs" / "venetoclax-rr-aml.yaml"),
        "--out",
        str(tmp_path / "out"),
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "venetoclax-rr-aml"
    assert (folder / "results.json").exists()
    assert not (folder / "report.html").exists() and not (folder / "report.pdf").exists()


def test_unknown_format_is_a_usage_error(tmp_path):
    result = reportgen("build", "--format", "rtf", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid format 'rtf'; choose from html, pdf, json" in result.stderr


def test_validate_reports_ok(tmp_path):
    result = reportgen(
        "validate", *map(str, sorted((ROOT / "configs").glob("*.yaml"))), cwd=tmp_path
    )
    assert result.returncode == 0
    assert result.stdout.count(": ok") == len(list((ROOT / "configs").glob("*.yaml")))


def test_bad_config_exits_non_zero_without_traceback(tmp_path, minimal_config):
    (tmp_path / "bad.yaml").write_text(
        minimal_config.replace("events: 10, total: 20", "events: 30, total: 20").replace(
            "    role: benefit", "    role: good"
        ),
        encoding="utf-8",
    )
    for command in ("validate", "build"):
        result = reportgen(command, "bad.yaml", cwd=tmp_path)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert (
            "bad.yaml:12: outcomes[0].role: expected one of 'benefit' or 'harm', got 'good'"
            in result.stderr
        )
        assert (
            "bad.yaml:15: outcomes[0].data[0].events: events (30) cannot be more than total (20)"
        ) in result.stderr
    assert not (tmp_path / "output" / "minimal").exists()


def test_one_failing_config_does_not_stop_the_others(tmp_path, minimal_config):
    (tmp_path / "good.yaml").write_text(minimal_config, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("report: {id: bad}\n", encoding="utf-8")
    result = reportgen("build", "bad.yaml", "good.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert "2 reports: 1 built, 0 unchanged, 1 failed" in result.stdout
    assert (tmp_path / "output" / "minimal" / "results.json").exists()


def test_no_configs_found(tmp_path):
    result = reportgen("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "no configs given and none found matching configs/*.yaml" in result.stderr


def test_single_study_outcome_says_heterogeneity_cannot_be_estimated(tmp_path):
    (tmp_path / "one.yaml").write_text(
        """\
report: {id: one-study, title: One study}
studies: [{id: s1, label: Solo 2020}]
outcomes:
  - {id: rate, label: Rate, plain_label: had it, role: harm, type: proportion, test: knha,
     data: [{study: s1, events: 12, total: 40}]}
""",
        encoding="utf-8",
    )
    result = reportgen("build", "one.yaml", "--format", "html,json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "output" / "one-study"
    outcome = json.loads((folder / "results.json").read_text())["outcomes"][0]
    assert outcome["k"] == 1
    assert outcome["pooled"]["estimate"] == pytest.approx(12 / 40)
    assert outcome["heterogeneity"] == {
        "tau2": None,
        "i2": None,
        "h2": None,
        "q": 0.0,
        "q_df": 0,
        "q_p": None,
        "tau2_ci_lower": None,
        "tau2_ci_upper": None,
        "i2_ci_lower": None,
        "i2_ci_upper": None,
        "tau2_se": None,
    }
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "heterogeneity cannot be estimated" in html
    assert "Knapp-Hartung needs at least two studies" in html
