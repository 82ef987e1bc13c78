"""Golden-file tests of the rendered patient summary and of results.json.

Refresh on purpose with ``pytest --update-golden`` and review the diff before committing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reportgen.config.load import load_config
from reportgen.present.document import dumps, results_document
from reportgen.present.figures.forest import draw_figures
from reportgen.present.view import build_context
from reportgen.provenance import Provenance
from reportgen.render.html import render_html
from reportgen.stats.analysis import analyse

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ["venetoclax-rr-aml", "hyperdynamic-therapy-vasospasm", "bcg-vaccine-tuberculosis"]
# Pinned so golden files do not change when a library is upgraded.
PINNED_PROVENANCE = Provenance("0.0.0-test", "3.x", (("numpy", "x"),))
SUMMARY = re.compile(r'<section id="summary".*?</section>', re.DOTALL)


def render(report_id: str) -> tuple[str, str]:
    loaded = load_config(ROOT / "configs" / f"{report_id}.yaml")
    results = analyse(loaded.config)
    figures = draw_figures(results)
    html = render_html(build_context(loaded, results, figures, PINNED_PROVENANCE))
    document = results_document(loaded.config, results, PINNED_PROVENANCE, "sha256-pinned")
    return html, dumps(document)


def check(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, run "
        "pytest --update-golden and review the diff"
    )


@pytest.mark.parametrize("report_id", EXAMPLES)
def test_summary_matches_golden(report_id, update_golden):
    html, _ = render(report_id)
    summary = SUMMARY.search(html)
    assert summary, 'no <section id="summary"> in the report'
    check(f"{report_id}.summary.html", summary.group(0) + "\n", update_golden)


@pytest.mark.parametrize("report_id", EXAMPLES)
def test_results_json_matches_golden(report_id, update_golden):
    _, document = render(report_id)
    # Compare numbers to 12 significant digits so a last-bit change in a BLAS does not fail.
    rounded = json.dumps(_round(json.loads(document)), indent=2, ensure_ascii=False) + "\n"
    check(f"{report_id}.results.json", rounded, update_golden)


def test_rendering_is_deterministic():
    assert render(EXAMPLES[0]) == render(EXAMPLES[0])


def _round(value):
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {key: _round(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_round(item) for item in value]
    return value
