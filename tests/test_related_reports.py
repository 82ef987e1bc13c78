"""Related reports (issue 10): the patient summary's "earlier evidence" section links to the other
reports of the output folder that share the condition or the intervention, through the real
batch build; adding a matching config rebuilds the reports that link to it and only those, and
an unchanged folder is skipped and rebuilt byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

from reportgen.cli import main

STUDIES = """\
studies:
  - {id: a, label: A 2020, design: randomised trial}
  - {id: b, label: B 2021, design: randomised trial}
  - {id: c, label: C 2022, design: randomised trial}
outcomes:
  - id: falls
    label: People who fell
    plain_label: fell at least once
    role: harm
    side_effect: false
    type: binary
    data:
      - {study: a, intervention: {events: 10, total: 100}, control: {events: 20, total: 100}}
      - {study: b, intervention: {events: 12, total: 90}, control: {events: 19, total: 95}}
      - {study: c, intervention: {events: 8, total: 80}, control: {events: 15, total: 82}}
"""


def config(report_id: str, title: str, condition: str, intervention: str) -> str:
    return (
        f"report:\n  id: {report_id}\n  title: {title}\n  condition: {condition}\n"
        f"  intervention: {intervention}\n  comparator: usual care\n" + STUDIES
    )


def build(folder: Path, capsys) -> dict[str, str]:
    """Build every config of ``folder`` into ``folder/out``; each config's status word."""
    configs = sorted(str(p) for p in folder.glob("*.yaml"))
    assert main(["build", *configs, "--out", str(folder / "out"), "--format", "html"]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {
        Path(line.split()[1]).stem: line.split()[0]
        for line in lines
        if line.split() and line.split()[0] in ("built", "unchanged")
    }


def links(folder: Path, report_id: str) -> list[tuple[str, str]]:
    page = (folder / "out" / report_id / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<ul class="related">(.*?)</ul>', page, re.DOTALL)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', section.group(1)) if section else []


def test_related_reports_link_share_and_rebuild_deterministically(tmp_path, capsys):
    (tmp_path / "exercise.yaml").write_text(
        config("exercise-falls", "Exercise for falls", "Falls in older people", "exercise"),
        encoding="utf-8",
    )
    (tmp_path / "vitamin.yaml").write_text(
        config("vitamin-d-falls", "Vitamin D for falls", "falls in  OLDER people", "vitamin D"),
        encoding="utf-8",
    )
    (tmp_path / "asthma.yaml").write_text(
        config("asthma-education", "Education for asthma", "asthma", "education"),
        encoding="utf-8",
    )
    assert set(build(tmp_path, capsys).values()) == {"built"}
    # The condition matches case-insensitively; the unrelated report is not linked.
    assert links(tmp_path, "exercise-falls") == [
        ("../vitamin-d-falls/report.html", "Vitamin D for falls")
    ]
    assert links(tmp_path, "vitamin-d-falls") == [
        ("../exercise-falls/report.html", "Exercise for falls")
    ]
    assert links(tmp_path, "asthma-education") == []
    for report_id in ("exercise-falls", "vitamin-d-falls"):
        page = (tmp_path / "out" / report_id / "report.html").read_text(encoding="utf-8")
        assert "Other summaries on the same condition or treatment:" in page
        target = links(tmp_path, report_id)[0][0]
        assert (tmp_path / "out" / report_id / target).resolve().is_file()
    before = (tmp_path / "out" / "exercise-falls" / "report.html").read_bytes()

    # Nothing changed: every report is skipped.
    assert set(build(tmp_path, capsys).values()) == {"unchanged"}

    # A new report on the same intervention: the reports that now link to it are rebuilt.
    (tmp_path / "tai-chi.yaml").write_text(
        config("exercise-balance", "Exercise for balance", "poor balance", "Exercise"),
        encoding="utf-8",
    )
    statuses = build(tmp_path, capsys)
    assert statuses == {
        "asthma": "unchanged",
        "exercise": "built",
        "tai-chi": "built",
        "vitamin": "unchanged",
    }
    assert links(tmp_path, "exercise-falls") == [
        ("../exercise-balance/report.html", "Exercise for balance"),
        ("../vitamin-d-falls/report.html", "Vitamin D for falls"),
    ]
    # Removing it again gives back the same page, byte for byte.
    (tmp_path / "tai-chi.yaml").unlink()
    assert build(tmp_path, capsys)["exercise"] == "built"
    assert (tmp_path / "out" / "exercise-falls" / "report.html").read_bytes() == before
