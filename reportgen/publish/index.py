"""``<out>/index.html``: every report in the output folder with its title, version, date,
status of the last run, and links. Built with the standard library only (the no-op path)."""

from __future__ import annotations

import html
from pathlib import Path

from reportgen.publish.output import write_atomic
from reportgen.render import RENDERERS

STYLE = """
body { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a;
       max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem; line-height: 1.5; }
h1 { color: #1f3a5f; font-size: 1.6rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #c9ced6;
         vertical-align: top; }
thead th { border-bottom: 2px solid #1a1a1a; }
.failed { color: #8a1c1c; font-weight: 700; }
a { color: #1f3a5f; }
"""


def write_index(out: Path, state, outcomes) -> Path:
    """Write the index of every report the state knows, marking this run's statuses."""
    status = {o.config.as_posix(): o for o in outcomes}
    rows = []
    for config, entry in sorted(state.entries.items(), key=lambda item: item[1].get("title") or ""):
        report_id = entry.get("report_id", "")
        outcome = status.get(config)
        label = outcome.status if outcome else "not in this run"
        status_cell = '<td class="failed">' if label == "failed" else "<td>"
        links = " · ".join(
            f'<a href="{html.escape(report_id)}/{r.filename}">{r.label}</a>'
            for r in RENDERERS.values()
            if (out / report_id / r.filename).exists()
        )
        rows.append(
            "<tr>"
            f"<td>{html.escape(entry.get('title') or report_id)}</td>"
            f"<td>{html.escape(str(entry.get('version') or ''))}</td>"
            f"<td>{html.escape(str(entry.get('updated') or ''))}</td>"
            f"{status_cell}{html.escape(label)}</td>"
            f"<td>{links}</td>"
            f"<td><code>{html.escape(config)}</code></td>"
            "</tr>"
        )
    failed = [
        o for o in outcomes if o.status == "failed" and o.config.as_posix() not in state.entries
    ]
    for outcome in failed:
        rows.append(
            f'<tr><td colspan="3">{html.escape(str(outcome.config))}</td>'
            '<td class="failed">failed</td><td></td>'
            f"<td><code>{html.escape(str(outcome.config))}</code></td></tr>"
        )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Evidence summaries</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Evidence summaries</h1>\n<table>\n<caption>Reports in this folder</caption>\n"
        '<thead><tr><th scope="col">Report</th><th scope="col">Version</th>'
        '<th scope="col">Updated</th><th scope="col">Last run</th>'
        '<th scope="col">Files</th><th scope="col">Config</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</main>\n</body>\n</html>\n"
    )
    target = out / "index.html"
    write_atomic(target, page.encode("utf-8"))
    return target
