"""Building one report, as a recipe: one step per module, every output computed before anything
is written, so a failing step leaves the earlier report untouched."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.publish.incremental import manifest, source_hashes, templates_sha256
from reportgen.render import FORMATS, OUTPUT_FILES

if TYPE_CHECKING:
    from reportgen.config.load import LoadedConfig
    from reportgen.present.versions import VersionInfo
    from reportgen.present.view import ReportView


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


@dataclass(frozen=True)
class PreparedReport:
    """One report computed and checked, not yet rendered or written: what ``validate`` runs
    and ``build`` renders, so that a config ``validate`` accepts is one ``build`` publishes."""

    loaded: LoadedConfig
    view: ReportView
    warnings: tuple[str, ...]
    version: VersionInfo
    previous: dict | None


def prepare_report(
    config_path: str | Path,
    out_dir: str | Path = "output",
    timer: StageTimer | None = None,
    allow_untraced_numbers: bool = False,
    strict: bool = False,
) -> PreparedReport:
    """Validate, analyse, interpret, present and check one report (every step of ``build``
    short of rendering and writing). ``out_dir`` holds the previous version, if any, which the
    summary's changes are compared with.

    Raises ``UserError`` for bad input: config problems, analysis errors, untraced numbers and
    unknown placeholders, and (with ``strict``) a summary above its reading grade.
    """
    timer = timer or StageTimer()
    with timer.stage("validate"):
        from reportgen.config.load import load_config

        loaded = load_config(config_path)
    config = loaded.config
    with timer.stage("pooling"):
        from reportgen.publish.locate import analyse_located

        results = analyse_located(loaded)  # an AnalysisError names the config line and outcome
    from reportgen.checks.summary import check_summary, checks_view
    from reportgen.interpret.findings import interpret
    from reportgen.present.document import dumps, results_document
    from reportgen.present.placeholders import render_editorial_text
    from reportgen.present.versions import compare
    from reportgen.present.view import build_view
    from reportgen.provenance import current_provenance

    findings = interpret(config, results)
    provenance = current_provenance()
    document = results_document(config, results, findings, provenance, loaded.sha256)
    previous = _previous_results(Path(out_dir) / config.report.id)
    version = compare(previous, document, config.report.updated)
    document["report"].update(version=version.version, updated=version.updated)
    document["changelog"] = list(version.changelog)
    text = render_editorial_text(loaded, document)
    with timer.stage("figures"):
        from reportgen.present.figures.forest import draw_figures

        figures = draw_figures(results)
    with timer.stage("html"):
        view = build_view(
            loaded, results, findings, figures, provenance, version, text, dumps(document)
        )
        checks = check_summary(loaded, view, document, allow_untraced_numbers, strict)
        view = view.with_checks(checks_view(checks))
    return PreparedReport(loaded, view, checks.warnings, version, previous)


def build_report(
    config_path: str | Path,
    out_dir: str | Path = "output",
    formats: Iterable[str] = FORMATS,
    timer: StageTimer | None = None,
    allow_untraced_numbers: bool = False,
    strict: bool = False,
) -> BuiltReport:
    """Validate, analyse, interpret, present, check (``prepare_report``), then render and
    publish one report to ``<out_dir>/<report.id>/``: every file is computed before anything
    is written.

    Raises ``UserError`` (nothing written) for bad input. The caller holds the output lock.
    """
    timer = timer or StageTimer()
    formats = tuple(formats)
    out = Path(out_dir)
    prepared = prepare_report(config_path, out, timer, allow_untraced_numbers, strict)
    loaded, view, version = prepared.loaded, prepared.view, prepared.version
    config = loaded.config
    from reportgen.render import render_formats

    with timer.stage("pdf" if "pdf" in formats else "render"):
        files = {f"figures/{stem}.svg": svg.encode("utf-8") for stem, svg in view.figures}
        files |= render_formats(view, formats)
    files["manifest.json"] = _manifest(loaded, formats, version.version)
    archive = _archive(prepared.previous, version.version)
    with timer.stage("write"):
        from reportgen.publish.output import publish

        folder = publish(out, config.report.id, files, archive=archive)
    return BuiltReport(
        config.report.id,
        config.report.title,
        folder,
        version.version,
        version.updated,
        loaded.sha256,
        tuple(source_hashes(loaded.sources)),
        prepared.warnings,
    )


def _manifest(loaded: LoadedConfig, formats: tuple[str, ...], version: str) -> bytes:
    """manifest.json: the digests of every input and the formats built (for skipping)."""
    from reportgen.paths import templates_dir

    document = manifest(
        loaded.path,
        loaded.sha256,
        source_hashes(loaded.sources),
        templates_sha256(templates_dir()),
        formats,
        version,
    )
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _archive(previous: dict | None, version: str) -> dict[str, str] | None:
    """Where the previous version's files go when the version changes."""
    if previous is None or version == previous.get("report", {}).get("version"):
        return None
    old = previous.get("report", {}).get("version", "1.0")
    return {name: f"versions/{old}/{name}" for name in OUTPUT_FILES.values()}
