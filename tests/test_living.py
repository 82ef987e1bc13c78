"""Living summaries: data files, incremental rebuilds, versions, crash and concurrency safety,
the index page and watch mode. Everything runs through the real `reportgen` command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

STUDIES_CSV = "id,label,design\ns1,Alpha 2020,cohort\ns2,Beta 2021,cohort\ns3,Gamma 2022,trial\n"
ORR_CSV = "study,events,total\ns1,10,20\ns2,15,25\ns3,8,30\n"
CONFIG = """\
report: {id: living, title: A living summary, updated: 2026-01-15}
studies: data/studies.csv
outcomes:
  - {id: orr, label: Response, plain_label: responded, role: benefit, type: proportion,
     data: data/orr.csv}
"""


def reportgen(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "studies.csv").write_text(STUDIES_CSV)
    (tmp_path / "data" / "orr.csv").write_text(ORR_CSV)
    (tmp_path / "living.yaml").write_text(CONFIG)
    return tmp_path


def results(project: Path) -> dict:
    return json.loads((project / "output" / "living" / "results.json").read_text())


def test_data_files_feed_the_report(project):
    done = reportgen("build", "living.yaml", "--format", "json", cwd=project)
    assert done.returncode == 0, done.stderr
    outcome = results(project)["outcomes"][0]
    assert [s["data"] for s in outcome["studies"]] == [
        {"events": 10, "total": 20},
        {"events": 15, "total": 25},
        {"events": 8, "total": 30},
    ]
    manifest = json.loads((project / "output" / "living" / "manifest.json").read_text())
    assert [s["path"] for s in manifest["inputs"]["sources"]] == [
        "data/orr.csv",
        "data/studies.csv",
    ]


def test_xlsx_data_file(project):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in [("study", "events", "total"), ("s1", 10, 20), ("s2", 15, 25), ("s3", 8, 30)]:
        sheet.append(row)
    workbook.save(project / "data" / "orr.xlsx")
    (project / "living.yaml").write_text(CONFIG.replace("data/orr.csv", "data/orr.xlsx"))
    done = reportgen("build", "living.yaml", "--format", "json", cwd=project)
    assert done.returncode == 0, done.stderr
    assert results(project)["outcomes"][0]["k"] == 3


def test_errors_in_data_files_name_file_row_and_column(project):
    (project / "data" / "orr.csv").write_text("study,events,total\ns1,ten,20\ns2,30,25\n")
    done = reportgen("validate", "living.yaml", cwd=project)
    assert done.returncode == 1
    assert "data/orr.csv:2: events: expected a whole number, got 'ten'" in done.stderr
    assert "data/orr.csv:3: events: events (30) cannot be more than total (25)" in done.stderr
    (project / "living.yaml").write_text(CONFIG.replace("data/orr.csv", "data/none.csv"))
    done = reportgen("validate", "living.yaml", cwd=project)
    assert (
        "living.yaml:5: outcomes[0].data: data/none.csv: cannot read data file: No such "
        "file or directory"
    ) in done.stderr


def test_unchanged_reports_are_skipped_and_changes_rebuilt(project):
    first = reportgen("build", "living.yaml", "--format", "json", cwd=project)
    assert "1 report: 1 built, 0 unchanged, 0 failed" in first.stdout
    again = reportgen("build", "living.yaml", "--format", "json", cwd=project)
    assert "unchanged living.yaml" in again.stdout
    assert "1 report: 0 built, 1 unchanged, 0 failed" in again.stdout
    forced = reportgen("build", "living.yaml", "--format", "json", "--force", cwd=project)
    assert "1 built" in forced.stdout
    (project / "data" / "orr.csv").write_text(ORR_CSV.replace("s3,8,30", "s3,9,30"))
    changed = reportgen("build", "living.yaml", "--format", "json", cwd=project)
    assert "built     living.yaml" in changed.stdout
    more_formats = reportgen("build", "living.yaml", "--format", "json,html", cwd=project)
    assert "1 built" in more_formats.stdout  # html was never built


def test_same_inputs_give_identical_files(project):
    reportgen("build", "living.yaml", "--format", "html,json", cwd=project)
    folder = project / "output" / "living"
    before = {name: (folder / name).read_bytes() for name in ("report.html", "results.json")}
    reportgen("build", "living.yaml", "--format", "html,json", "--force", cwd=project)
    assert {name: (folder / name).read_bytes() for name in before} == before


def test_a_data_change_makes_a_new_version_with_what_changed(project):
    reportgen("build", "living.yaml", "--format", "html,json", cwd=project)
    assert results(project)["report"]["version"] == "1.0"
    # A new study: the rate moves and the statement changes -> a major version.
    (project / "data" / "studies.csv").write_text(STUDIES_CSV + "s4,Delta 2023,trial\n")
    (project / "data" / "orr.csv").write_text(ORR_CSV + "s4,40,50\n")
    (project / "living.yaml").write_text(CONFIG.replace("2026-01-15", "2026-02-01"))
    done = reportgen("build", "living.yaml", "--format", "html,json", cwd=project)
    assert done.returncode == 0, done.stderr
    report = results(project)
    assert (report["report"]["version"], report["report"]["updated"]) == ("2.0", "2026-02-01")
    changes = report["changelog"][0]["changes"]
    assert "Response: studies added: Delta 2023." in changes
    assert any(c.startswith("Response: pooled estimate moved from") for c in changes)
    html = (project / "output" / "living" / "report.html").read_text()
    assert "What changed since version 1.0" in html and "studies added: Delta 2023" in html
    archived = project / "output" / "living" / "versions" / "1.0" / "results.json"
    assert json.loads(archived.read_text())["report"]["version"] == "1.0"
    # Only numbers move (same rounded rate): a minor version.
    (project / "data" / "orr.csv").write_text(ORR_CSV + "s4,40,51\n")
    reportgen("build", "living.yaml", "--format", "html,json", cwd=project)
    assert results(project)["report"]["version"] == "2.1"
    assert [e["version"] for e in results(project)["changelog"]] == ["2.1", "2.0", "1.0"]


def test_failed_config_keeps_its_report_and_others_build(project):
    (project / "other.yaml").write_text(CONFIG.replace("id: living", "id: other"))
    reportgen("build", "living.yaml", "other.yaml", "--format", "json", cwd=project)
    good = (project / "output" / "living" / "results.json").read_bytes()
    (project / "living.yaml").write_text(CONFIG.replace("role: benefit", "role: good"))
    (project / "data" / "orr.csv").write_text(ORR_CSV.replace("s3,8,30", "s3,9,30"))
    done = reportgen("build", "living.yaml", "other.yaml", "--format", "json", cwd=project)
    assert done.returncode == 1
    assert "failed    living.yaml" in done.stdout and "built     other.yaml" in done.stdout
    assert (project / "output" / "living" / "results.json").read_bytes() == good
    index = (project / "output" / "index.html").read_text()
    assert 'class="failed"' in index and 'href="other/results.json"' in index


def test_kill_9_during_builds_never_breaks_the_previous_report(project):
    reportgen("build", "living.yaml", cwd=project)  # html, pdf, json
    folder = project / "output" / "living"
    good = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    (project / "data" / "orr.csv").write_text(ORR_CSV.replace("s3,8,30", "s3,20,30"))
    executable = shutil.which("reportgen") or sys.executable
    prefix = [executable] if shutil.which("reportgen") else [executable, "-m", "reportgen"]
    for delay in (0.3, 0.8, 1.3, 1.8, 2.3):
        process = subprocess.Popen(
            [*prefix, "build", "living.yaml", "--force"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        now = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        finished = json.loads(now[Path("results.json")])["outcomes"][0]["k"] == 3 and (now != good)
        assert now == good or finished, f"report changed half-way after {delay}s"
        if now != good:
            good = now  # the build completed before the kill: it is the new good report
    # The next run clears what the killed ones left half-written.
    assert reportgen("build", "living.yaml", cwd=project).returncode == 0
    for leftover in (".staging", ".trash"):
        path = project / "output" / leftover
        assert not path.exists() or not any(path.iterdir())


def test_two_concurrent_builds_do_not_corrupt_anything(project):
    executable = shutil.which("reportgen")
    prefix = [executable] if executable else [sys.executable, "-m", "reportgen"]
    first = subprocess.Popen(
        [*prefix, "build", "living.yaml", "--force"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.2)
    second = subprocess.Popen(
        [*prefix, "build", "living.yaml", "--force"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err_first = first.communicate(timeout=300)
    _, err_second = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err_first + err_second
    assert "another build is writing to output; waiting" in err_first + err_second
    folder = project / "output" / "living"
    json.loads((folder / "results.json").read_text())
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert not (project / "output" / ".staging").exists() or not any(
        (project / "output" / ".staging").iterdir()
    )


def test_jobs_builds_in_parallel(project):
    for i in range(4):
        (project / f"r{i}.yaml").write_text(CONFIG.replace("id: living", f"id: r{i}"))
    configs = [f"r{i}.yaml" for i in range(4)]
    done = reportgen("build", *configs, "--format", "json", "--jobs", "2", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "4 reports: 4 built, 0 unchanged, 0 failed" in done.stdout
    assert all((project / "output" / f"r{i}" / "results.json").exists() for i in range(4))
    bad = reportgen("build", "--jobs", "0", cwd=project)
    assert bad.returncode == 2 and "invalid --jobs '0'" in bad.stderr


def test_watch_rebuilds_after_a_data_change(project):
    executable = shutil.which("reportgen")
    prefix = [executable] if executable else [sys.executable, "-m", "reportgen"]
    process = subprocess.Popen(
        [*prefix, "watch", "living.yaml", "--format", "json"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        results_file = project / "output" / "living" / "results.json"
        while not results_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.5)  # let the watcher start
        first = results(project)["outcomes"][0]["pooled"]["estimate"]
        (project / "data" / "orr.csv").write_text(ORR_CSV.replace("s3,8,30", "s3,25,30"))
        while time.monotonic() < deadline:
            time.sleep(0.3)
            try:
                if results(project)["outcomes"][0]["pooled"]["estimate"] != first:
                    break
            except (ValueError, OSError):
                continue
        assert results(project)["outcomes"][0]["pooled"]["estimate"] != first
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
