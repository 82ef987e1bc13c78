"""Building one report, as a recipe: one step per module, every output computed before anything
is written, so a failing step leaves the earlier report untouched."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import OutputError
from reportgen.publish.incremental import (
    State,
    inputs_digest,
    manifest,
    source_hashes,
    templates_sha256,
)
from reportgen.publish.output import (
    DAMAGED,
    VERSIONS,
    check_report_id,
    publish,
    report_lock,
    valid_version,
)
from reportgen.publish.published import Published, read_published
from reportgen.render import FORMATS, OUTPUT_FILES, needs_figures

FIGURES = "figures"  # the folder of figure files in a published report

if TYPE_CHECKING:
    from reportgen.config.load import LoadedConfig
    from reportgen.present.versions import VersionInfo
    from reportgen.present.view import ReportView
    from reportgen.stats.analysis import ReportResults


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
    source_sha256: tuple[str, ...] = ()  # the hash of each of ``sources``, in order


@dataclass(frozen=True)
class Plan:
    """Which formats to render and which to keep from the published folder."""

    render: tuple[str, ...]  # rendered now (the requested ones, plus stale published ones)
    carry: tuple[str, ...]  # published files kept as they are (same inputs, still valid)
    digest: str  # the inputs digest of this build

    @property
    def formats(self) -> tuple[str, ...]:
        """Every format the new folder holds (what its manifest lists)."""
        kept = {name for name, filename in OUTPUT_FILES.items() if filename in self.carry}
        return tuple(f for f in FORMATS if f in set(self.render) | kept)


def plan_formats(requested: tuple[str, ...], published: Published, digest: str) -> Plan:
    """Never drop a published format: a format not requested is kept when the folder was built
    from the same inputs (same digest, valid results), and rendered again otherwise."""
    others = published.formats - set(requested)
    if published.digest == digest and not published.results_damaged:
        carry = tuple(OUTPUT_FILES[f] for f in FORMATS if f in others)
        if needs_figures(others) and not needs_figures(requested):
            carry += published_figures(published.folder)  # kept with the page that shows them
        return Plan(requested, carry, digest)
    render = tuple(f for f in FORMATS if f in set(requested) | others)
    return Plan(render, (), digest)


def published_figures(folder: Path) -> tuple[str, ...]:
    """The figure files of a published report (``figures/<stem>.svg``, regular files only)."""
    figures = folder / FIGURES
    try:
        entries = sorted(os.scandir(figures), key=lambda entry: entry.name)
    except OSError:
        return ()
    return tuple(
        f"{FIGURES}/{entry.name}"
        for entry in entries
        if entry.name.endswith(".svg") and entry.is_file(follow_symlinks=False)
    )


@dataclass(frozen=True)
class PreparedReport:
    """One report computed and checked, not yet rendered or written: what ``validate`` runs
    and ``build`` renders, so that a config ``validate`` accepts is one ``build`` publishes."""

    loaded: LoadedConfig
    view: ReportView
    warnings: tuple[str, ...]
    version: VersionInfo
    previous: dict | None


def load_and_analyse(
    config_path: str | Path, timer: StageTimer
) -> tuple[LoadedConfig, ReportResults]:
    """The validated config and its analysis; ``UserError`` (located) for bad input."""
    with timer.stage("validate"):
        from reportgen.config.load import load_config

        loaded = load_config(config_path)
    check_report_id(loaded.config.report.id)
    with timer.stage("pooling"):
        from reportgen.publish.locate import analyse_located

        results = analyse_located(loaded)  # an AnalysisError names the config line and outcome
    return loaded, results


def prepare_report(
    config_path: str | Path,
    out_dir: str | Path = "output",
    timer: StageTimer | None = None,
    allow_untraced_numbers: bool = False,
    strict: bool = False,
) -> PreparedReport:
    """Every step of ``build`` short of rendering and writing (what ``validate`` runs). The
    published folder in ``out_dir`` is only read (without trusting it), for the previous version
    the summary's changes are compared with.

    Raises ``UserError`` for bad input: config problems, analysis errors, untraced numbers and
    unknown placeholders, and (with ``strict``) a summary above its reading grade.
    """
    timer = timer or StageTimer()
    out = Path(out_dir)
    loaded, results = load_and_analyse(config_path, timer)
    report_id = loaded.config.report.id
    published = read_published(out, report_id, State.load(out).built_here(report_id))
    prepared = prepare(loaded, results, published.previous, timer, allow_untraced_numbers, strict)
    return PreparedReport(
        prepared.loaded,
        prepared.view,
        published.warnings + prepared.warnings,
        prepared.version,
        prepared.previous,
    )


def prepare(
    loaded: LoadedConfig,
    results: ReportResults,
    previous: dict | None,
    timer: StageTimer,
    allow_untraced_numbers: bool,
    strict: bool,
    figures: bool = True,
) -> PreparedReport:
    """Interpret, present and check an analysed report against its ``previous`` results; the
    figures are drawn only if ``figures`` (a format that shows them is rendered)."""
    from reportgen.checks.summary import check_summary, checks_view
    from reportgen.interpret.findings import interpret
    from reportgen.present.document import dumps, results_document
    from reportgen.present.placeholders import render_editorial_text
    from reportgen.present.versions import compare
    from reportgen.present.view import build_view
    from reportgen.provenance import current_provenance

    config = loaded.config
    findings = interpret(config, results)
    provenance = current_provenance()
    document = results_document(config, results, findings, provenance, loaded.sha256)
    version = compare(previous, document, config.report.updated)
    document["report"].update(version=version.version, updated=version.updated)
    document["changelog"] = list(version.changelog)
    text = render_editorial_text(loaded, document)
    drawn: dict[str, str] = {}
    if figures:
        with timer.stage("figures"):
            from reportgen.present.figures.forest import draw_figures
            from reportgen.present.figures.overview import draw_overviews
            from reportgen.present.risk_of_bias import draw_risk_of_bias, forest_marks

            drawn, _parts = draw_figures(results, forest_marks(config))
            drawn |= draw_risk_of_bias(config, findings)
            drawn |= draw_overviews(results)
    with timer.stage("html"):
        view = build_view(
            loaded,
            results,
            findings,
            drawn,
            provenance,
            version,
            text,
            dumps(document),
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
    on_wait: Callable[[str], None] | None = None,
    expected_id: str | None = None,
) -> BuiltReport:
    """Validate, analyse, interpret, present, check, render and publish one report to
    ``<out_dir>/<report.id>/``: every file is computed before anything is written.

    Holds the report's lock from reading the published folder to publishing (``on_wait`` is
    told if another build of it holds the lock). Formats already published and not in
    ``formats`` are kept or rebuilt, never dropped. Raises ``UserError`` (nothing written) for
    bad input, ``OutputError`` when the output folder cannot take the report (a folder
    reportgen did not make, a report id other than ``expected_id``, a read-only or full disk).
    """
    timer = timer or StageTimer()
    out = Path(out_dir)
    loaded, results = load_and_analyse(config_path, timer)
    report_id = loaded.config.report.id
    if expected_id is not None and report_id != expected_id:
        raise OutputError(
            f"{config_path}: report.id changed from {expected_id!r} to {report_id!r} during the "
            "run; build again"
        )
    waiting = (
        f"reportgen: another build is writing to {out}; waiting for it to finish ({report_id})"
    )
    with report_lock(out, report_id, on_wait=on_wait and (lambda: on_wait(waiting))):
        published = read_published(out, report_id, State.load(out).built_here(report_id))
        plan = plan_formats(tuple(formats), published, _digest(loaded))
        prepared = prepare(
            loaded,
            results,
            published.previous,
            timer,
            allow_untraced_numbers,
            strict,
            figures=needs_figures(plan.render),
        )
        files = _render(prepared.view, plan.render, timer)
        files["manifest.json"] = _manifest(loaded, plan.formats, prepared.version)
        with timer.stage("write"):
            folder = publish(  # re-checks ownership; OSError -> OutputError
                out,
                report_id,
                files,
                carry=plan.carry,
                archive=_archive(published, prepared.version.version),
                adopt_damaged=published.status == DAMAGED,
            )
    hashes = source_hashes(loaded.sources)
    return BuiltReport(
        report_id,
        loaded.config.report.title,
        folder,
        prepared.version.version,
        prepared.version.updated,
        loaded.sha256,
        tuple(hashes),
        published.warnings + prepared.warnings,
        tuple(hashes.values()),
    )


def _render(view: ReportView, formats: tuple[str, ...], timer: StageTimer) -> dict[str, bytes]:
    """Every file of the report in ``formats``, figures included."""
    from reportgen.render import render_formats

    with timer.stage("pdf" if "pdf" in formats else "render"):
        files = {f"{FIGURES}/{stem}.svg": svg.encode("utf-8") for stem, svg in view.figures}
        files |= render_formats(view, formats)
    return files


def _digest(loaded: LoadedConfig) -> str:
    from reportgen.config.related import related_digest
    from reportgen.paths import templates_dir

    return inputs_digest(
        loaded.sha256,
        source_hashes(loaded.sources),
        templates_sha256(templates_dir()),
        related_digest(loaded.path),
    )


def _manifest(loaded: LoadedConfig, formats: tuple[str, ...], version: VersionInfo) -> bytes:
    """manifest.json: the digests of every input and the formats built (for skipping), and the
    title, version and date the index page lists."""
    from reportgen.config.related import related_digest
    from reportgen.paths import templates_dir

    document = manifest(
        loaded.path,
        loaded.sha256,
        source_hashes(loaded.sources),
        templates_sha256(templates_dir()),
        formats,
        version.version,
        loaded.config.report.title,
        version.updated,
        related_digest(loaded.path),
    )
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _archive(published: Published, version: str) -> dict[str, str] | None:
    """Where the previous version's files go when the version changes: only files of a valid
    published version are archived (its version string is checked before use in a path)."""
    if not published.from_live or published.previous is None:
        return None
    old = published.previous["report"]["version"]
    if version == old or not valid_version(old):
        return None
    return {name: f"{VERSIONS}/{old}/{name}" for name in OUTPUT_FILES.values()}
