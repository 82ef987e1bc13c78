"""``reportgen preview`` in a real browser (Playwright driving Debian's Chromium): the page
reloads with the new text after the config changes, a broken config shows its located message
over the last good report, and fixing it brings the report back. Skipped with the reason where
Chromium or Playwright is not installed, as tests/test_accessibility.py is."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_desk_schema import reportgen

from reportgen.desk.preview import HOST, STATE_PATH, PreviewState, start_server, with_script
from reportgen.publish.batch import FAILED, Outcome

CHROMIUM = (
    os.environ.get("REPORTGEN_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
TITLE = "A new treatment compared with usual care for preventing an event"  # init binary's
WAIT_MS = 90_000  # a rebuild takes seconds; the machine may be busy with other builds


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_the_server_listens_on_the_loopback_address_only(tmp_path):
    server = start_server(tmp_path, PreviewState())
    try:
        assert server.server_address[0] == HOST == "127.0.0.1"
        assert server.server_address[1] > 0  # a free port chosen by the system
    finally:
        server.shutdown()
        server.server_close()


def test_served_pages_get_the_script_and_files_on_disk_do_not(tmp_path):
    (tmp_path / "r").mkdir()
    page = b"<html><body><p>report</p></body></html>"
    (tmp_path / "r" / "report.html").write_bytes(page)
    state = PreviewState()
    state.update([Outcome(Path("c.yaml"), "built", report_id="r")], None)
    server = start_server(tmp_path, state)
    base = f"http://{HOST}:{server.server_address[1]}"
    try:
        served = get(f"{base}/r/report.html")
        assert served == with_script(page, 1)
        assert served.index(b"reportgen-preview") < served.index(b"</body>")
        assert (tmp_path / "r" / "report.html").read_bytes() == page
        assert json.loads(get(base + STATE_PATH)) == {"version": 1, "errors": []}
        message = "c.yaml:3: report.id: not a valid id"
        state.update([Outcome(Path("c.yaml"), FAILED, message)], None)
        assert json.loads(get(base + STATE_PATH)) == {"version": 1, "errors": [message]}
        with urllib.request.urlopen(f"{base}/", timeout=10) as response:
            assert response.url.endswith("/r/report.html")  # the only report opens
        (tmp_path / "r" / "results.json").write_text("{}", encoding="utf-8")
        head = urllib.request.Request(f"{base}/r/results.json", method="HEAD")
        with urllib.request.urlopen(head, timeout=10) as response:
            assert response.headers["Content-Length"] == "2" and response.read() == b""
    finally:
        server.shutdown()
        server.server_close()


def test_before_any_report_builds_the_root_page_waits_and_shows_why(tmp_path):
    state = PreviewState()
    message = "c.yaml:2: report.title: field required"
    state.update([Outcome(Path("c.yaml"), FAILED, message)], None)
    server = start_server(tmp_path, state)
    try:
        page = get(f"http://{HOST}:{server.server_address[1]}/").decode("utf-8")
        assert 'id="reportgen-preview"' in page and "<h1>" in page  # the overlay script
        assert json.loads(get(f"http://{HOST}:{server.server_address[1]}{STATE_PATH}")) == {
            "version": 0,
            "errors": [message],
        }
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def previewing(tmp_path):
    """``reportgen init binary`` then ``reportgen preview`` on it, through the real entry point;
    yields (folder, address of the page) and stops the preview with Ctrl-C."""
    assert reportgen("init", "binary", str(tmp_path), cwd=tmp_path).returncode == 0
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    process = subprocess.Popen(
        [*command, "preview", "review.yaml", "--out", "out", "--format", "html"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = process.stdout.readline()
        match = re.match(r"preview: (http://127\.0\.0\.1:\d+/)$", first.strip())
        assert match, first
        yield tmp_path, match.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_page_follows_the_config_and_shows_a_failed_build(previewing):
    playwright_api = pytest.importorskip("playwright.sync_api")
    folder, address = previewing
    config = folder / "review.yaml"
    deadline = time.monotonic() + WAIT_MS / 1000
    while json.loads(get(address.rstrip("/") + STATE_PATH))["version"] < 1:
        assert time.monotonic() < deadline, "the first build did not finish"
        time.sleep(0.2)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.goto(address)
            assert TITLE in page.inner_text("body")
            has_text = "text => document.body.innerText.includes(text)"

            # Change the config: the page reloads by itself with the new title.
            edit(config, f"title: {TITLE}", "title: Walking every day to prevent falls")
            page.wait_for_function(has_text, arg="Walking every day", timeout=WAIT_MS)
            assert TITLE not in page.inner_text("body")

            # Break it: the located message shows over the last good report.
            edit(config, "    role: harm", "    role: good")
            overlay = page.locator("#reportgen-preview-errors")
            overlay.wait_for(state="visible", timeout=WAIT_MS)
            shown = overlay.inner_text()
            assert re.search(r"review\.yaml:\d+: outcomes\[0\]\.role: expected one of", shown)
            assert "Walking every day" in page.inner_text("body")  # the last good report

            # Fix it (and change the title once more): the report comes back, no overlay.
            edit(config, "    role: good", "    role: harm")
            edit(config, "Walking every day", "Cycling every day")
            page.wait_for_function(has_text, arg="Cycling every day", timeout=WAIT_MS)
            overlay.wait_for(state="detached", timeout=WAIT_MS)
        finally:
            browser.close()
    published = next((folder / "out").glob("*/report.html")).read_text(encoding="utf-8")
    assert "Cycling every day" in published
    assert "<script" not in published  # the script lives only in served pages
