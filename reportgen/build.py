"""``reportgen build`` for one config, as a recipe: one step per module, every output computed
before anything is written, so a failing step leaves an earlier good report untouched."""

from __future__ import annotations

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
    folder: Path
    files: tuple[Path, ...]


def build_report(
    config_path: str | Path,
    out_dir: str | Path = "output",
    formats: Iterable[str] = FORMATS,
    timer: StageTimer | None = None,
) -> BuiltReport:
    """Validate, analyse, draw, render and write one report to ``<out_dir>/<report.id>/``.

    Raises ``UserError`` (nothing written) for bad input.
    """
    timer = timer or StageTimer()
    formats = tuple(formats)
    with timer.stage("validate"):
        from .load import load_config

        loaded = load_config(config_path)
    with timer.stage("pooling"):
        from .analysis import analyse

        results = analyse(loaded.config)
    with timer.stage("figures"):
        from .figures import draw_figures

        figures = draw_figures(results)
    from .provenance import current_provenance

    provenance = current_provenance()
    files: dict[str, bytes] = {
        f"figures/{outcome_id}.svg": svg.encode("utf-8") for outcome_id, svg in figures.items()
    }
    if "html" in formats or "pdf" in formats:
        with timer.stage("html"):
            from .context import build_context
            from .render import render_html

            html = render_html(build_context(loaded, results, figures, provenance))
        if "html" in formats:
            files["report.html"] = html.encode("utf-8")
        if "pdf" in formats:
            with timer.stage("pdf"):
                from .render import render_pdf

                files["report.pdf"] = render_pdf(html)
    if "json" in formats:
        from .results_json import dumps, results_document

        document = results_document(loaded.config, results, provenance, loaded.sha256)
        files["results.json"] = dumps(document).encode("utf-8")
    with timer.stage("write"):
        from .output import write_outputs

        folder = Path(out_dir) / loaded.config.report.id
        written = write_outputs(folder, files)
    return BuiltReport(loaded.config.report.id, folder, tuple(written))
