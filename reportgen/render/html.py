"""HTML from the Jinja templates.

One Jinja environment, built once: autoescape on (editorial text cannot inject markup),
``StrictUndefined`` (a missing field is a bug, not a blank) and every filter registered in one
place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from reportgen.paths import templates_dir
from reportgen.present import format as formatting
from reportgen.present.view import ReportView

REPORT_TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


def register_filters(environment: jinja2.Environment) -> None:
    """All template filters, in one place: display helpers from the formatting layer."""
    environment.filters.update(
        {
            "percent": formatting.percent,
            "number": formatting.number,
            "p_value": formatting.p_value,
            "natural_frequency": formatting.natural_frequency,
        }
    )


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    register_filters(env)
    return env


def stylesheet() -> Markup:
    """The stylesheet, read once per process while the file is unchanged (``watch`` edits it).
    It is our own file, not user input: it is marked safe so quotes survive."""
    return Markup(stylesheet_source()[1])


def stylesheet_source() -> tuple[tuple[str, int, int], str]:
    """The stylesheet's identity (path, modification time, size) and its text: the identity
    lets the PDF printer keep its parsed copy for as long as the file is unchanged."""
    path = templates_dir() / STYLESHEET
    status = path.stat()
    identity = (str(path), status.st_mtime_ns, status.st_size)
    return identity, _read_stylesheet(*identity)


@lru_cache(maxsize=1)
def _read_stylesheet(path: str, mtime_ns: int, size: int) -> str:
    return Path(path).read_text(encoding="utf-8")


MEDIA = ("screen", "print")


def render_html(view: ReportView, medium: str = "screen") -> str:
    """Render the report page for a medium.

    ``medium``: "screen" for the published page (which carries what print shows too, hidden by
    the stylesheet, so a browser prints it as the PDF shows it), "print" for the page the PDF is
    printed from, which leaves out what only the screen shows (the forest figures and their
    data tables that the printed forest tables replace; a very large outcome's whole plot and
    long tables). WeasyPrint reads and styles every element, hidden or not: at k = 1,000 the
    hidden parts cost 4.5 of a 13.5 CPU s print.

    The screen page inlines the stylesheet, so the file stands alone. The print page does not:
    the PDF printer applies its copy, parsed once per process (parsing it again for every
    report cost about 7% of printing the venetoclax example)."""
    if medium not in MEDIA:
        raise ValueError(f"Invalid medium {medium!r}; must be one of {', '.join(MEDIA)}")
    template = environment().get_template(REPORT_TEMPLATE)
    inlined = stylesheet() if medium == "screen" else None
    return template.render(view=view, stylesheet=inlined, medium=medium)


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    return render_html(view).encode("utf-8")
