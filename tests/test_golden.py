"""Golden files of what is published: the brief, the patient summary and the appendix of each
example report, and its results.json, all made by the same ``build_report`` that publishes.

Figures are replaced by a marker (their structure is tested in test_figures.py), so the golden
files are readable text whose diffs can be reviewed. Refresh on purpose with
``pytest --update-golden`` and review the diff before committing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reportgen.provenance import Provenance
from reportgen.publish.build import build_report

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = [
    "venetoclax-rr-aml",
    "hyperdynamic-therapy-vasospasm",
    "bcg-vaccine-tuberculosis",
    "asthma-self-management",
    "matched-targeted-therapy-advanced-cancer",
]
SECTIONS = ("brief", "summary", "appendix")
# Pinned so golden files do not change when a library is upgraded.
PINNED_PROVENANCE = Provenance("0.0.0-test", "3.x", (("numpy", "x"),))
FIGURE = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example built once, by the publishing path, into a fresh output folder."""
    out = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
        patch.setattr("reportgen.provenance.current_provenance", lambda: PINNED_PROVENANCE)
        return {
            report_id: build_report(
                ROOT / "configs" / f"{report_id}.yaml", out, formats=("html", "json")
            ).folder
            for report_id in EXAMPLES
        }


def section(page: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?\n</section>', page, re.DOTALL)
    assert match, f'no <section id="{section_id}"> in the report'
    return FIGURE.sub("[figure]", match.group(0)) + "\n"


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


@pytest.mark.parametrize("section_id", SECTIONS)
@pytest.mark.parametrize("report_id", EXAMPLES)
def test_sections_match_golden(published, report_id, section_id, update_golden):
    page = (published[report_id] / "report.html").read_text(encoding="utf-8")
    check(f"{report_id}.{section_id}.html", section(page, section_id), update_golden)


@pytest.mark.parametrize("report_id", EXAMPLES)
def test_results_json_matches_golden(published, report_id, update_golden):
    document = json.loads((published[report_id] / "results.json").read_text(encoding="utf-8"))
    # Compare numbers to 12 significant digits so a last-bit change in a BLAS does not fail.
    rounded = json.dumps(_round(document), indent=2, ensure_ascii=False) + "\n"
    check(f"{report_id}.results.json", rounded, update_golden)


def test_building_is_deterministic(published, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setattr("reportgen.provenance.current_provenance", lambda: PINNED_PROVENANCE)
    again = build_report(
        ROOT / "configs" / f"{EXAMPLES[0]}.yaml", tmp_path, formats=("html", "json")
    ).folder
    for name in ("report.html", "results.json"):
        assert (again / name).read_bytes() == (published[EXAMPLES[0]] / name).read_bytes()


def _round(value):
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {key: _round(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_round(item) for item in value]
    return value
