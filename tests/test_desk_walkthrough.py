"""The README's walkthrough "From init to a Word file", run as an editor runs it: the commands of
its shell block, in order, through the real entry point (``python -m reportgen``), from an empty
folder. The built report must carry what the walkthrough promises: the risk-of-bias section and
its figure, the PRISMA 2020 flow diagram, numbered citations with the formatted reference list,
and a Word file with the same sections. ``preview`` is skipped here (it serves until stopped;
tests/test_desk_preview.py drives it in Chromium)."""

from __future__ import annotations

import html
import re
import shlex
import subprocess
import sys
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
WALKTHROUGH_HEADING = "### From init to a Word file"
# The steps the "Done when" names, in the order an editor takes them.
STEPS = ["init", "cd", "validate", "preview", "build"]


def walkthrough_commands() -> list[list[str]]:
    """The commands of the walkthrough's ``sh`` block in README.md, split as a shell would."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert WALKTHROUGH_HEADING in readme, "README.md has no walkthrough from init to Word"
    section = readme.split(WALKTHROUGH_HEADING, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the walkthrough has no sh block"
    return [shlex.split(line) for line in block.group(1).splitlines() if line.strip()]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reportgen", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_the_readme_walkthrough_builds_a_report_with_every_part(tmp_path):
    commands = walkthrough_commands()
    steps = [c[0] if c[0] == "cd" else c[1] for c in commands]
    assert steps == STEPS
    assert all(c[0] in ("cd", "reportgen") for c in commands)
    assert commands[0][1:3] == ["init", "binary"]
    build = commands[-1]
    assert "--format" in build and build[build.index("--format") + 1] == "html,pdf,docx"

    cwd = tmp_path
    outputs = {}
    for command in commands:
        if command[0] == "cd":
            cwd = cwd / command[1]
            continue
        if command[1] == "preview":
            continue
        result = run(command[1:], cwd)
        assert result.returncode == 0, f"{shlex.join(command)}:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        outputs[command[1]] = result
    assert "review.yaml: ok" in outputs["validate"].stdout
    assert "0 failed" in outputs["build"].stdout

    folder = cwd / "output" / "my-two-arm-review"  # where the walkthrough says the files are
    page = (folder / "report.html").read_text(encoding="utf-8")
    _check_html(page)
    _check_docx(folder / "report.docx")
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")


def _check_html(page: str) -> None:
    # Risk of bias: the section, the traffic-light figure with its alternative text, the table
    # of judgements from data/risk-of-bias.csv (Trial C's overall judgement is high).
    section = re.search(r'<section[^>]*id="risk-of-bias".*?</section>', page, re.S)
    assert section, 'no id="risk-of-bias" section'
    rob = section.group(0)
    assert re.search(r'<figure class="rob">\s*<img src="data:image/[^"]+" alt="[^"]*RoB 2', rob)
    judged = re.search(r'<th scope="row">Trial C 2023</th>(.*?)</tr>', rob, re.S)
    assert judged and re.findall(r"<td>([^<]*)</td>", judged.group(1))[-1] == "High"

    # PRISMA 2020: the flow diagram, its boxes as text, with the skeleton's counts.
    prisma = re.search(r'<figure class="prisma">(.*?)</figure>', page, re.S)
    assert prisma, "no PRISMA flow diagram"
    boxes = html.unescape(prisma.group(1)).replace("\u00a0", " ")
    assert "Databases (n = 412)" in boxes and "Registers (n = 18)" in boxes
    assert "Studies included in review (n = 3)" in boxes

    # References: each study's numbered citation points at its entry of references.bib, formatted
    # (Vancouver: authors' initials, title, journal, year;volume(issue):pages).
    listed = re.search(r'<h3>References</h3>\s*<ol class="references">(.*?)</ol>', page, re.S)
    assert listed, "no formatted reference list"
    items = [html.unescape(i) for i in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]
    for study in ("Trial A 2019", "Trial B 2021", "Trial C 2023"):
        cited = re.search(re.escape(study) + r" \[(\d+)\]", page)
        assert cited, f"no numbered citation for {study}"
        entry = items[int(cited.group(1)) - 1]
        assert entry.startswith("Example AB, Sample CD. Example title of " + study), entry
        assert re.search(r"Example Journal of Medicine\. \d{4};\d+\(\d+\):\d+", entry), entry


def _check_docx(path: Path) -> None:
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Risk of bias" in headings
    assert headings.count("Study selection (PRISMA 2020)") == 2  # brief and appendix
    # Word shows the PRISMA diagram as a picture with the skeleton's counts in its alt text.
    alts = [shape._inline.docPr.get("descr") or "" for shape in document.inline_shapes]
    prisma = [alt for alt in alts if alt.startswith("Flow diagram of study selection")]
    assert len(prisma) == 2
    assert all("430 records identified" in alt and "3 studies included" in alt for alt in prisma)
    assert "References" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Example title of Trial A 2019" in text
