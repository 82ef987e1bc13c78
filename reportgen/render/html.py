"""HTML from the Jinja templates.

One Jinja environment, built once: autoescape on (editorial text cannot inject markup),
``StrictUndefined`` (a missing field is a bug, not a blank) and every filter registered in one
place."""

from __future__ import annotations

from functools import lru_cache

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


def render_html(view: ReportView) -> str:
    """Render the report page; the stylesheet is inlined so the file stands alone."""
    env = environment()
    # The stylesheet is our own file, not user input: it is marked safe so quotes survive.
    stylesheet = Markup((templates_dir() / STYLESHEET).read_text(encoding="utf-8"))
    return env.get_template(REPORT_TEMPLATE).render(view=view, stylesheet=stylesheet)


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    return render_html(view).encode("utf-8")
