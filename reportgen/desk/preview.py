"""``reportgen preview``: build, serve the output folder on 127.0.0.1 and reload the browser's
page whenever a config, a data file or a template changes.

The rebuild loop is ``publish.watch.watch`` (the ``watch`` command), told of every run through
its ``on_rebuild`` hook. A small HTTP server (standard library, one thread per request, bound to
the loopback address only; port 0 asks the system for a free one) serves the output folder.
Into each HTML page it *serves* it adds a script that polls ``/__reportgen__/state`` every
``POLL_MS``: when a build has published something new the page reloads; when the last build
failed, an overlay shows its located messages (``file:line: key: message``) over the last good
report, which a failed build leaves untouched. Published files never hold the script.
"""

from __future__ import annotations

import html
import json
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from reportgen.publish.batch import FAILED, Outcome

HOST = "127.0.0.1"  # never another interface: the preview is for the editor's own browser
STATE_PATH = "/__reportgen__/state"
POLL_MS = 400
OVERLAY_TITLE = "The last build failed. The page shows the last report that built."
WAITING_TITLE = "reportgen preview: waiting for a first build"


@dataclass
class PreviewState:
    """What the pages poll: ``version`` counts the builds that published something; ``errors``
    are the located messages of the last run (empty when it succeeded); ``reports`` the report
    ids built in this session (the root page opens the only one)."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, outcomes: list[Outcome], problem: str | None) -> None:
        """Record one run of the rebuild loop."""
        with self.lock:
            self.errors = [o.detail for o in outcomes if o.status == FAILED and o.detail]
            if problem:
                self.errors.append(problem)
            for outcome in outcomes:
                if outcome.report_id and outcome.report_id not in self.reports:
                    self.reports.append(outcome.report_id)
            if any(o.status == "built" for o in outcomes):
                self.version += 1

    def snapshot(self) -> dict[str, object]:
        with self.lock:
            return {"version": self.version, "errors": list(self.errors)}

    def current(self) -> int:
        with self.lock:
            return self.version

    def start_page(self) -> str | None:
        """The page ``/`` leads to: the only report, the index of several, None before any."""
        with self.lock:
            if not self.reports:
                return None
            return f"/{self.reports[0]}/report.html" if len(self.reports) == 1 else "/index.html"


# The script added to served pages: poll the state, reload on a new version, show errors.
_SCRIPT = """<script id="reportgen-preview">(function () {
  var seen = %(version)d, box = null;
  function show(errors) {
    if (!errors.length) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "reportgen-preview-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff4f4;color:#5c0000;border-top:4px solid #b00020;" +
        "padding:1em 1.5em;font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px #0004";
      document.body.appendChild(box);
    }
    var title = document.createElement("strong");
    title.textContent = %(title)s;
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:.5em 0 0;font:14px/1.4 monospace";
    list.textContent = errors.join("\\n");
    box.replaceChildren(title, list);
  }
  function poll() {
    fetch("%(path)s", {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== seen) { location.reload(); return; }
        show(s.errors); setTimeout(poll, %(poll)d);
      })
      .catch(function () { setTimeout(poll, %(poll)d); });
  }
  poll();
})();</script>"""


def preview_script(version: int) -> str:
    """The script for a page served at build ``version``."""
    values = {"version": version, "title": json.dumps(OVERLAY_TITLE)}
    return _SCRIPT % {**values, "path": STATE_PATH, "poll": POLL_MS}


def with_script(page: bytes, version: int) -> bytes:
    """``page`` with the preview script before its last ``</body>`` (or at its end)."""
    script = preview_script(version).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def waiting_page(version: int) -> bytes:
    """The page ``/`` shows before any report has built (the overlay then shows why)."""
    title = html.escape(WAITING_TITLE)
    body = f"<h1>{title}</h1>"
    head = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    return with_script(f"{head}</head><body><main>{body}</main></body></html>".encode(), version)


class _Handler(SimpleHTTPRequestHandler):
    state: PreviewState

    def __init__(self, *args: object, state: PreviewState, directory: str) -> None:
        self.state = state
        super().__init__(*args, directory=directory)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:  # quiet: the editor reads builds
        return

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == STATE_PATH:
            state = json.dumps(self.state.snapshot()).encode("utf-8")
            self._send(state, "application/json")
            return
        if path == "/":
            start = self.state.start_page()
            if start is None:
                page = waiting_page(self.state.current())
                self._send(page, "text/html; charset=utf-8")
                return
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", start)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = Path(self.translate_path(path))
        if file.suffix.lower() == ".html" and file.is_file():
            page = with_script(file.read_bytes(), self.state.current())
            self._send(page, "text/html; charset=utf-8")
            return
        if self.command == "HEAD":
            super().do_HEAD()
        else:
            super().do_GET()


def start_server(out: Path, state: PreviewState, port: int = 0) -> ThreadingHTTPServer:
    """Serve ``out`` on ``HOST``:``port`` (0: a free port) from a daemon thread."""
    out.mkdir(parents=True, exist_ok=True)
    handler = partial(_Handler, state=state, directory=str(out))
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


def preview(
    configs: list[Path],
    out: Path,
    formats: tuple[str, ...],
    port: int = 0,
    log: Path | None = None,
    debug: bool = False,
) -> int:
    """Serve ``out``, print its address, then build and rebuild as ``reportgen watch`` does,
    telling the pages of every run, until Ctrl-C."""
    from reportgen.publish.watch import watch

    state = PreviewState()
    server = start_server(out, state, port)
    address = f"http://{HOST}:{server.server_address[1]}/"
    print(f"preview: {address}", flush=True)
    try:
        return watch(
            configs, out, formats, log=log, debug=debug, on_rebuild=state.update, where=address
        )
    finally:
        server.shutdown()
        server.server_close()
        print("preview: stopped", file=sys.stderr, flush=True)
