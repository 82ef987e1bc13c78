"""Building one report, as a recipe: one step per module, every output computed before anything
is written, so a failing step leaves the earlier report untouched."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("html", "pdf", "json")


@dataclass
class StageTimer:
    """Wall-clock seconds spent in each build stage (for the benchmark)."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class BuiltReport:
    report_id: str
    title: str
    folder: Path
    version: str
    updated: str | None
    config_sha256: str
    sources: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def _previous_results(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_report(
    config_path: str | Path,
    out_dir: str | Path = "output",
    formats: Iterable[str] = FORMATS,
    timer: StageTimer | None = None,
    allow_untraced_numbers: bool = False,
    strict: bool = False,
) -> BuiltReport:
    """Validate, analyse, draw, render and publish one report to ``<out_dir>/<report.id>/``.

    Raises ``UserError`` (nothing written) for bad input. The caller holds the output lock.
    """
    timer = timer or StageTimer()
    formats = tuple(formats)
    warnings: tuple[str, ...] = ()
    out = Path(out_dir)
    with timer.stage("validate"):
        from reportgen.config.load import load_config

        loaded = load_config(config_path)
    report_id = loaded.config.report.id
    with timer.stage("pooling"):
        from reportgen.publish.locate import analyse_located

        results = analyse_located(loaded)  # an AnalysisError names the config line and outcome
    from reportgen.paths import templates_dir
    from reportgen.present.document import dumps, results_document
    from reportgen.present.versions import compare
    from reportgen.provenance import current_provenance
    from reportgen.publish.incremental import manifest, source_hashes, templates_sha256

    provenance = current_provenance()
    document = results_document(loaded.config, results, provenance, loaded.sha256)
    previous = _previous_results(out / report_id)
    version = compare(previous, document, loaded.config.report.updated)
    document["report"].update(version=version.version, updated=version.updated)
    document["changelog"] = list(version.changelog)
    from reportgen.present.placeholders import render_editorial_text

    text = render_editorial_text(loaded, document)
    with timer.stage("figures"):
        from reportgen.present.figures.forest import draw_figures

        figures = draw_figures(results)
    files: dict[str, bytes] = {
        f"figures/{outcome_id}.svg": svg.encode("utf-8") for outcome_id, svg in figures.items()
    }
    if "html" in formats or "pdf" in formats:
        with timer.stage("html"):
            from reportgen.present.glossary import explain_terms, glossary
            from reportgen.present.view import build_context
            from reportgen.render.html import render_html

            terms = glossary(loaded.config.glossary)

            def render(editorial, checks=None) -> str:
                return explain_terms(
                    render_html(
                        build_context(
                            loaded, results, figures, provenance, version, editorial, checks
                        )
                    ),
                    terms,
                )

            html = render(text)
            from reportgen.checks.summary import check_summary

            checks = check_summary(
                loaded, text, html, render, document, allow_untraced_numbers, strict
            )
            warnings = checks.warnings
            html = render(text, checks)
        if "html" in formats:
            files["report.html"] = html.encode("utf-8")
        if "pdf" in formats:
            with timer.stage("pdf"):
                from reportgen.render.html import render_pdf

                files["report.pdf"] = render_pdf(html)
    if "json" in formats:
        files["results.json"] = dumps(document).encode("utf-8")
    sources = source_hashes(loaded.sources)
    files["manifest.json"] = (
        json.dumps(
            manifest(
                loaded.path,
                loaded.sha256,
                sources,
                templates_sha256(templates_dir()),
                formats,
                version.version,
            ),
            indent=2,
        )
        + "\n"
    ).encode("utf-8")
    archive = None
    if previous is not None and version.version != previous.get("report", {}).get("version"):
        old = previous.get("report", {}).get("version", "1.0")
        archive = {
            name: f"versions/{old}/{name}" for name in ("results.json", "report.html", "report.pdf")
        }
    with timer.stage("write"):
        from reportgen.publish.output import publish

        folder = publish(out, report_id, files, archive=archive)
    return BuiltReport(
        report_id,
        loaded.config.report.title,
        folder,
        version.version,
        version.updated,
        loaded.sha256,
        tuple(sources),
        warnings,
    )
