"""``results.json``: the results document, serialised when the view was built."""

from __future__ import annotations

from reportgen.present.view import ReportView


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    return view.results_json.encode("utf-8")
