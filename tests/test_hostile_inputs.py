"""A catalogue of hostile and broken inputs (issue 11, the input side): each is refused with a
located message (``file:line: key: message``), or read correctly where it is legitimate; never
a traceback, a hang, a read outside the config's folder or a file's contents in a message.

Most cases run in-process through ``load_config`` (or ``build_report`` where the input is only
used while building); a representative subset runs the real command line in a subprocess,
with a generous timeout as the failure signal for a hang.
"""

# ruff: noqa: E501  (the catalogue is a table: one case a line)
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reportgen.config.load import load_config
from reportgen.errors import ConfigError, UserError
from reportgen.present.glossary import TermIndex, explain_terms
from reportgen.present.prose import Prose

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds: far above any case's real time; reaching it means a hang

HEAD = """\
report:
  id: hostile
  title: A hostile report
studies:
  - {id: s1, label: Alpha 2020}
  - {id: s2, label: Beta 2021}
  - {id: s3, label: Gamma 2022}
"""
OUTCOME = """\
outcomes:
  - id: response
    label: Response
    plain_label: responded
    role: benefit
    type: proportion
"""
ROWS = """\
    data:
      - {study: s1, events: 10, total: 20}
      - {study: s2, events: 15, total: 25}
      - {study: s3, events: 8, total: 30}
"""
CONFIG = HEAD + OUTCOME + ROWS  # data rows on lines 15-17
CSV_CONFIG = HEAD + OUTCOME + "    data: d.csv\n"  # the data key on line 14
CSV = b"study,events,total\ns1,10,20\ns2,15,25\ns3,8,30\n"
CONTINUOUS = (
    HEAD
    + """\
outcomes:
  - id: pain
    label: Pain
    plain_label: had less pain
    role: benefit
    type: continuous
    data:
      - {study: s1, intervention: {mean: 1.0, sd: 1.0, n: 10}, control: {mean: 2, sd: 1, n: 10}}
      - {study: s2, intervention: {mean: MEAN, sd: SD, n: 10}, control: {mean: 2, sd: 1, n: 10}}
"""
)  # the second row on line 16


def studies_from(path: str) -> str:
    """The config with its studies in a file (the key on line 4)."""
    return HEAD.split("studies:")[0] + f"studies: {path}\n" + OUTCOME + ROWS


def continuous(mean: str = "1.5", sd: str = "1.0") -> str:
    return CONTINUOUS.replace("MEAN", mean).replace("SD", sd)


GENERIC = (
    HEAD
    + """\
outcomes:
  - id: hr
    label: Death
    plain_label: died
    role: harm
    type: generic
    measure: HR
    data:
      - {study: s1, estimate: 0.8, se: 0.1}
      - {study: s2, estimate: EST, se: SE}
"""
)  # the second row on line 17


def generic(estimate: str = "0.9", se: str = "0.2") -> str:
    return GENERIC.replace("EST", estimate).replace("SE", se)


def alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SECRET = "root-secret-first-line:x:0:0"  # the first line of a file outside the config's folder


def outside_file(project: Path) -> Path:
    """A file beside the project folder, holding SECRET (never to appear in a message)."""
    secret = project.parent / "outside" / "secret.csv"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(f"{SECRET}\nstudy,events,total\n", encoding="utf-8")
    return secret


@dataclass(frozen=True)
class Case:
    """One hostile input: a config, files beside it, an optional setup, and the expected lines
    (each must appear in the message; ``None``: the config must load)."""

    id: str
    config: str
    expected: tuple[str, ...] | None
    files: dict[str, bytes] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    data_root: str | None = None


def symlink(name: str, target: Callable[[Path], Path | str]) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target(project), project / name)

    return make


def fifo(name: str) -> Callable[[Path], None]:
    return lambda project: os.mkfifo(project / name)


OUTSIDE = "is outside the folder data may be read from"
CANNOT_TAG = "without a !!tag"


def data_problem(message: str, path: str = "d.csv") -> str:
    return f"c.yaml:14: outcomes[0].data: {path}: {message}"


PATH_CASES = [
    Case("absolute", CSV_CONFIG.replace("d.csv", "/etc/passwd"), (data_problem("an absolute path is not allowed", "/etc/passwd"),)),
    Case("home", CSV_CONFIG.replace("d.csv", "~/d.csv"), ("an absolute path is not allowed",)),
    Case("dotdot", CSV_CONFIG.replace("d.csv", "../outside/secret.csv"), (data_problem("the file " + OUTSIDE, "../outside/secret.csv"),), setup=outside_file),
    Case("dotdot-deep", CSV_CONFIG.replace("d.csv", "sub/../../outside/secret.csv"), ("the file " + OUTSIDE,), setup=outside_file),
    Case("symlink-passwd", CSV_CONFIG, (data_problem("the file " + OUTSIDE),), setup=symlink("d.csv", lambda p: "/etc/passwd")),
    Case("symlink-outside", CSV_CONFIG, (data_problem("the file " + OUTSIDE),), setup=symlink("d.csv", outside_file)),
    Case("symlinked-folder", CSV_CONFIG.replace("d.csv", "data/secret.csv"), ("the file " + OUTSIDE,), setup=symlink("data", lambda p: outside_file(p).parent)),
    Case("studies-absolute", studies_from("/etc/hosts"), ("c.yaml:4: studies: /etc/hosts: an absolute path is not allowed",)),
    Case("studies-dotdot", studies_from("../outside/secret.csv"), ("c.yaml:4: studies: ../outside/secret.csv: the file " + OUTSIDE,), setup=outside_file),
    Case("fifo", CSV_CONFIG, (data_problem("not a regular file (a device, pipe or socket)"),), setup=fifo("d.csv")),
    Case("dev-zero", CSV_CONFIG, (data_problem("not a regular file (a device, pipe or socket)"),), setup=symlink("d.csv", lambda p: "/dev/zero"), data_root="/"),
    Case("folder", CSV_CONFIG, (data_problem("this is a folder, not a file"),), setup=lambda p: (p / "d.csv").mkdir()),
    Case("missing", CSV_CONFIG, (data_problem("cannot read data file: No such file or directory"),)),
    Case("empty-name", CSV_CONFIG.replace("d.csv", '""'), ("c.yaml:14: outcomes[0].data: '': the file name is empty",)),
    Case("control-char", CSV_CONFIG.replace("d.csv", '"d\\x01.csv"'), ("the file name contains a control character",)),
    Case("not-csv", CSV_CONFIG.replace("d.csv", "d.txt"), (data_problem("unsupported data file type '.txt': use .csv or .xlsx", "d.txt"),), files={"d.txt": CSV}),
    Case("too-big", CSV_CONFIG, (data_problem("the file is larger than 20 bytes (a limit; an operator can raise it with REPORTGEN_LIMIT_DATA_FILE_BYTES)"),), files={"d.csv": CSV}, env={"REPORTGEN_LIMIT_DATA_FILE_BYTES": "20"}),
    Case("symlink-inside", CSV_CONFIG, None, files={"real.csv": CSV}, setup=symlink("d.csv", lambda p: p / "real.csv")),
    Case("data-root-allows", CSV_CONFIG.replace("d.csv", "../shared/d.csv"), None, setup=lambda p: ((p.parent / "shared").mkdir(), (p.parent / "shared" / "d.csv").write_bytes(CSV)), data_root=".."),
]  # fmt: skip

LIMIT_CASES = [
    Case("alias-bomb", alias_bomb(), ("values once aliases (*name) are expanded (a limit; an operator can raise it with REPORTGEN_LIMIT_YAML_NODES)",)),
    Case("alias-self", CONFIG.replace("studies:\n", "studies: &loop\n  - *loop\n"), ("c.yaml:4: studies[0]: an alias refers to itself",)),
    Case("alias-self-mapping", "report: &r {a: *r}\n", ("c.yaml:1: report.a: an alias refers to itself",)),
    Case("deep-lists", "a: " + "[" * 5000 + "]" * 5000 + "\n", ("c.yaml:1: lists and mappings nested more than 50 deep",)),
    Case("deep-mappings", "a: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", ("nested more than 50 deep (a limit; an operator can raise it with REPORTGEN_LIMIT_YAML_DEPTH)",)),
    Case("config-too-big", CONFIG, ("c.yaml: the file is larger than 100 bytes (a limit; an operator can raise it with REPORTGEN_LIMIT_CONFIG_BYTES)",), env={"REPORTGEN_LIMIT_CONFIG_BYTES": "100"}),
    Case("rows", CSV_CONFIG, ("d.csv:3: more than 1 data rows (a limit; an operator can raise it with REPORTGEN_LIMIT_DATA_ROWS)",), files={"d.csv": CSV}, env={"REPORTGEN_LIMIT_DATA_ROWS": "1"}),
    Case("columns", CSV_CONFIG, ("d.csv:1: more than 200 columns",), files={"d.csv": b",".join(b"c%d" % i for i in range(300)) + b"\n"}),
    Case("cell", CSV_CONFIG, ("d.csv:2: column 'study': a cell longer than 10,000 characters",), files={"d.csv": b"study,events,total\n" + b"s" * 10_001 + b",1,2\n"}),
    Case("cell-128k", CSV_CONFIG, ("d.csv:2: not readable as CSV: a cell longer than 10,000 characters",), files={"d.csv": b'study,events,total\ns1,1,"' + b"9" * 140_000 + b'"\n'}),
    Case("xlsx-unzipped", CSV_CONFIG.replace("d.csv", "d.xlsx"), (data_problem("the workbook unzips to more than 1,000 bytes (a limit; an operator can raise it with REPORTGEN_LIMIT_XLSX_UNCOMPRESSED_BYTES)", "d.xlsx"),), files={"d.xlsx": xlsx_bytes([["study", "events", "total"], ["s1", 1, 2]])}, env={"REPORTGEN_LIMIT_XLSX_UNCOMPRESSED_BYTES": "1000"}),
    Case("xlsx-zip-bomb", CSV_CONFIG.replace("d.csv", "d.xlsx"), ("the workbook unzips to more than 100,000,000 bytes",), files={"d.xlsx": zip_bytes({"xl/worksheets/sheet1.xml": b"\0" * 110_000_000})}),
    Case("title", CONFIG.replace("A hostile report", "T" * 65_536), ("c.yaml:3: report.title: longer than 300 characters (65,536) (a limit; an operator can raise it with REPORTGEN_LIMIT_TITLE_CHARS)",)),
    Case("study-label", CONFIG.replace("Alpha 2020", "A" * 201), ("c.yaml:5: studies[0].label: longer than 200 characters (201)",)),
    Case("outcome-label", CONFIG.replace("label: Response", "label: " + "R" * 500), ("c.yaml:10: outcomes[0].label: longer than 200 characters (500)",)),
    Case("csv-label", CSV_CONFIG, ("d.csv:2: study: longer than 200 characters (300)",), files={"d.csv": b"study,events,total\n" + b"s" * 300 + b",1,2\n"}),
    Case("context", CONFIG + "text:\n  context: " + "word " * 5000 + "\n", ("c.yaml:19: text.context: longer than 20,000 characters",)),
    Case("glossary-key", CONFIG + "glossary:\n  " + "k" * 300 + ": explained\n", ("c.yaml:18: glossary: a key longer than 200 characters ('kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk'... (300 characters))",)),
    Case("studies-per-outcome", CONFIG, ("c.yaml:14: outcomes[0].data: more than 2 studies in one outcome (a limit; an operator can raise it with REPORTGEN_LIMIT_STUDIES_PER_OUTCOME)",), env={"REPORTGEN_LIMIT_STUDIES_PER_OUTCOME": "2"}),
    Case("studies", CONFIG, ("c.yaml:4: studies: more than 2 studies",), env={"REPORTGEN_LIMIT_STUDIES": "2"}),
    Case("outcomes", CONFIG + OUTCOME.replace("outcomes:\n", "").replace("response", "second") + ROWS, ("c.yaml:8: outcomes: more than 1 outcomes",), env={"REPORTGEN_LIMIT_OUTCOMES": "1"}),
    Case("bad-limit-zero", CONFIG, ("REPORTGEN_LIMIT_OUTCOMES='0': give a whole number of at least 1",), env={"REPORTGEN_LIMIT_OUTCOMES": "0"}),
    Case("bad-limit", CONFIG, ("REPORTGEN_LIMIT_DATA_ROWS='many': give a whole number of at least 1",), env={"REPORTGEN_LIMIT_DATA_ROWS": "many"}),
    Case("events-huge", CONFIG.replace("events: 10,", "events: 1" + "0" * 400 + ","), ("c.yaml:15: outcomes[0].data[0].events: must be at most 1,000,000,000",)),
    Case("total-huge", CONFIG.replace("total: 20}", "total: 1000000000000}"), ("c.yaml:15: outcomes[0].data[0].total: must be at most 1,000,000,000 (a limit; an operator can raise it with REPORTGEN_LIMIT_MAX_COUNT)",)),
]  # fmt: skip

BAD_ROWS = b"study,events,total\n" + b"".join(b"s1,x%d,20\n" % i for i in range(100))

TRACEBACK_CASES = [
    Case("csv-utf16", CSV_CONFIG, ("d.csv:1: UTF-16 text: save the file as UTF-8",), files={"d.csv": CSV.decode().encode("utf-16")}),
    Case("csv-latin1", CSV_CONFIG, ("d.csv:2: not UTF-8 text (byte 0xe9 in column 2): save the file as UTF-8",), files={"d.csv": "study,events,total\nsé,1,2\n".encode("latin-1")}),
    Case("csv-binary", CSV_CONFIG, ("d.csv:1: contains a NUL byte: this is not a CSV text file",), files={"d.csv": bytes(range(256)) * 4}),
    Case("csv-nul", CSV_CONFIG, ("d.csv:3: contains a NUL byte: this is not a CSV text file",), files={"d.csv": b"study,events,total\ns1,1,2\ns2,1\0,2\n"}),
    Case("csv-empty", CSV_CONFIG, ("the file is empty: expected a header line of column names",), files={"d.csv": b""}),
    Case("csv-header-only", CSV_CONFIG, ("d.csv:1: the file has a header but no data rows",), files={"d.csv": b"study,events,total\n"}),
    Case("csv-both-columns", HEAD + OUTCOME.replace("proportion", "binary") + "    data: d.csv\n", ("d.csv:1: columns 'intervention' and 'intervention_events' give the same value: keep one of them",), files={"d.csv": b"study,intervention,intervention_events,intervention_total,control_events,control_total\ns1,x,1,2,1,2\n"}),
    Case("csv-duplicate-column", CSV_CONFIG, ("d.csv:1: columns 'events' and 'events' give the same value",), files={"d.csv": b"study,events,events,total\ns1,1,2,3\n"}),
    Case("csv-huge-integer", CSV_CONFIG, ("d.csv:2: events: expected a whole number, got '1000000000000000000000000000000000000000'... (401 characters)",), files={"d.csv": b"study,events,total\ns1,1" + b"0" * 400 + b",2\n"}),
    Case("csv-inf", HEAD + OUTCOME.replace("proportion", "generic\n    measure: HR") + "    data: d.csv\n", ("d.csv:2: estimate: expected a finite number, got inf",), files={"d.csv": b"study,estimate,se\ns1,1e999,0.1\n"}),
    Case("csv-nan-text", HEAD + OUTCOME.replace("proportion", "generic\n    measure: HR") + "    data: d.csv\n", ("d.csv:2: estimate: expected a number, got 'nan'",), files={"d.csv": b"study,estimate,se\ns1,nan,0.1\n"}),
    Case("csv-row-errors", CSV_CONFIG, ("d.csv:11: events: expected a whole number, got 'x9'", "d.csv:12: and 180 more problems from this line on"), files={"d.csv": BAD_ROWS}),
    Case("xlsx-not-zip", CSV_CONFIG.replace("d.csv", "d.xlsx"), (data_problem("not a readable .xlsx workbook (it is not a zip archive", "d.xlsx"),), files={"d.xlsx": CSV}),
    Case("xlsx-not-workbook", CSV_CONFIG.replace("d.csv", "d.xlsx"), (data_problem("not a readable .xlsx workbook (", "d.xlsx"),), files={"d.xlsx": zip_bytes({"hello.txt": b"hi"})}),
    Case("xlsx-ok", CSV_CONFIG.replace("d.csv", "d.xlsx"), None, files={"d.xlsx": xlsx_bytes([["study", "events", "total"], ["s1", 10, 20], ["s2", 15, 25], ["s3", 8, 30]])}),
    Case("yaml-python-object", CONFIG.replace("A hostile report", "!!python/object:os.system x"), ("c.yaml:3: report.title: cannot read 'x' as !!python/object:os.system: write a plain value",)),
    Case("yaml-python-apply", CONFIG.replace("report:\n", "report: !!python/object/apply:os.system\n"), ("c.yaml:1: report: the tag !!python/object/apply:os.system is not allowed",)),
    Case("yaml-int-abc", CONFIG.replace("events: 10,", 'events: !!int "abc",'), ("c.yaml:15: outcomes[0].data[0].events: cannot read 'abc' as !!int: " + "write a plain value (text, a number, true or false) " + CANNOT_TAG,)),
    Case("yaml-float-x", CONFIG.replace("events: 10,", 'events: !!float "x",'), ("c.yaml:15: outcomes[0].data[0].events: cannot read 'x' as !!float",)),
    Case("yaml-timestamp", CONFIG.replace("A hostile report", "!!timestamp abc"), ("c.yaml:3: report.title: cannot read 'abc' as !!timestamp",)),
    Case("yaml-5000-digits", CONFIG.replace("events: 10,", "events: " + "1" * 5000 + ","), ("c.yaml:15: outcomes[0].data[0].events: cannot read '1111111111111111111111111111111111111111'... (5,000 characters) as !!int",)),
    Case("yaml-nul", CONFIG.replace("A hostile", "A\0hostile"), ("c.yaml:3: invalid YAML: unacceptable character #x0000",)),
    Case("yaml-utf16", "", ("c.yaml:1: UTF-16 text: save the file as UTF-8",), files={"c.yaml": CONFIG.encode("utf-16")}),
    Case("yaml-latin1", "", ("c.yaml:3: not UTF-8 text (byte 0xe9 in column 13): save the file as UTF-8",), files={"c.yaml": CONFIG.replace("A hostile", "A hé").encode("latin-1")}),
    Case("yaml-complex-key", CONFIG + "? [a, b]\n: 1\n", ("c.yaml:18: a key must be plain text",)),
    Case("yaml-syntax", CONFIG.replace("title: A", "title: [A"), ("c.yaml:4: invalid YAML:",)),
    Case("yaml-list", "- a\n- b\n", ("c.yaml:1: expected a mapping with report, studies and outcomes",)),
    Case("yaml-empty", "", ("c.yaml:1: expected a mapping with report, studies and outcomes",)),
    Case("config-fifo", "", ("c.yaml: not a regular file (a device, pipe or socket)",), setup=lambda p: (os.remove(p / "c.yaml"), os.mkfifo(p / "c.yaml"))),
    Case("mean-yes", continuous(mean="yes"), ("c.yaml:16: outcomes[0].data[1].intervention.mean: expected a number, got true (true/false)",)),
    Case("mean-text", continuous(mean='"1.5"'), ("c.yaml:16: outcomes[0].data[1].intervention.mean: expected a number, got '1.5'",)),
    Case("mean-nan", continuous(mean=".nan"), ("c.yaml:16: outcomes[0].data[1].intervention.mean: expected a finite number, got nan",)),
    Case("sd-inf", continuous(sd=".inf"), ("c.yaml:16: outcomes[0].data[1].intervention.sd: expected a finite number, got inf",)),
    Case("sd-minus-inf", continuous(sd="-.inf"), ("c.yaml:16: outcomes[0].data[1].intervention.sd: expected a finite number, got -inf",)),
    Case("mean-huge", continuous(mean="1" + "0" * 400), ("c.yaml:16: outcomes[0].data[1].intervention.mean: the number 1000000000000000000000000000000000000000... is too large",)),
    Case("estimate-inf", generic(estimate=".inf"), ("c.yaml:17: outcomes[0].data[1].estimate: expected a finite number, got inf",)),
    Case("se-nan", generic(se=".NaN"), ("c.yaml:17: outcomes[0].data[1].se: expected a finite number, got nan",)),
    Case("se-bool", generic(se="no"), ("c.yaml:17: outcomes[0].data[1].se: expected a number, got false (true/false)",)),
    Case("attribute-nan", CONFIG.replace("label: Alpha 2020}", "label: Alpha 2020, weight: .nan}"), ("c.yaml:5: studies[0].weight: expected a finite number, got nan",)),
    Case("threshold-inf", CONFIG.replace("type: proportion\n", "type: proportion\n    thresholds: {small: .inf, moderate: 1, large: 2}\n"), ("c.yaml:14: outcomes[0].thresholds.small: expected a finite number, got inf",)),
    Case("reading-grade-bool", CONFIG.replace("title: A hostile report\n", "title: A hostile report\n  reading_grade: yes\n"), ("c.yaml:4: report.reading_grade: expected a number, got true (true/false)",)),
]  # fmt: skip

CASES = PATH_CASES + LIMIT_CASES + TRACEBACK_CASES


def make_project(tmp_path: Path, case: Case) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "c.yaml").write_text(case.config, encoding="utf-8")
    for name, data in case.files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
    if case.setup is not None:
        case.setup(project)
    return project


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_is_refused_with_its_location(tmp_path, monkeypatch, case: Case):
    project = make_project(tmp_path, case)
    monkeypatch.chdir(project)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    if case.expected is None:
        loaded = load_config("c.yaml", data_root=case.data_root)
        assert [s.id for s in loaded.config.studies] == ["s1", "s2", "s3"]
        return
    with pytest.raises(UserError) as caught:
        load_config("c.yaml", data_root=case.data_root)
    message = str(caught.value)
    for expected in case.expected:
        assert expected in message, message
    assert SECRET not in message and "root:x:0" not in message
    assert all(len(line) < 400 for line in message.splitlines()), "a message quotes too much"


def test_row_errors_are_capped_per_data_file(write_config, tmp_path):
    (tmp_path / "d.csv").write_bytes(BAD_ROWS)
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(CSV_CONFIG, "c.yaml"))
    lines = str(caught.value).splitlines()
    # One problem on the first row and two on each later one (its events, a repeated study):
    # whole rows are listed up to the 20th problem, then one line for the rest.
    assert len(lines) == 20
    assert lines[-1] == "d.csv:12: and 180 more problems from this line on"


# The command line, on a representative subset: exit 1, the message, no traceback, no hang, and
# nothing outside the output folder changed.
CLI_CASES = [
    case
    for case in CASES
    if case.id
    in {
        "symlink-passwd",
        "dotdot",
        "fifo",
        "alias-bomb",
        "deep-lists",
        "xlsx-zip-bomb",
        "csv-both-columns",
        "yaml-python-object",
        "yaml-int-abc",
        "mean-yes",
        "csv-row-errors",
        "events-huge",
        "config-fifo",
        "title",
    }
]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def tree_state(folder: Path, skip: Path) -> dict[str, str]:
    """Every file under ``folder`` (but ``skip``) with a hash of its contents (or its kind)."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        if path.is_symlink():
            state[str(path)] = "link:" + os.readlink(path)
        elif path.is_file() and not path.is_fifo():
            state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[str(path)] = "other"
    return state


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize("case", CLI_CASES, ids=[case.id for case in CLI_CASES])
def test_hostile_input_through_the_command_line(tmp_path, case: Case, command: str):
    project = make_project(tmp_path, case)
    out = tmp_path / "site"
    before = tree_state(tmp_path, out)
    args = ["c.yaml"] if command == "validate" else ["c.yaml", "--out", str(out)]
    done = run_cli(command, *args, cwd=project)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for expected in case.expected or ():
        assert expected in done.stderr
    assert SECRET not in done.stderr + done.stdout
    assert tree_state(tmp_path, out) == before
    assert not (out / "hostile").exists()


def test_data_root_option_widens_what_a_config_may_read(tmp_path):
    project = make_project(tmp_path, PATH_CASES[-1])
    refused = run_cli("validate", "c.yaml", cwd=project)
    assert refused.returncode == 1 and "the file " + OUTSIDE in refused.stderr
    allowed = run_cli("validate", "c.yaml", "--data-root", "..", cwd=project)
    assert (allowed.returncode, allowed.stdout) == (0, "c.yaml: ok\n")


# Placeholders run while building: each hostile one is a located error, quickly.
PLACEHOLDERS = [
    ("{{ 'x' * 10**8 }}", "the result would be longer than 20,000"),
    ("{{ [1] * 10**8 }}", "the result would be longer than 20,000"),
    ("{{ 9 ** 9 ** 9 ** 9 ** 9 }}", "the result would be too large"),
    ("{{ 2 ** 100000 }}", "the result would be too large"),
    ("{{ 10 ** 400.0 }}", "Numerical result out of range"),
    (
        "{% for i in outcomes %}{% for j in outcomes %}x{% endfor %}{% endfor %}",
        "'for' is not allowed here",
    ),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "'macro' is not allowed here"),
    ("{% set a = 'x' %}{{ a }}", "'assign' is not allowed here"),
    ("{{ 'a'.ljust(10**9) }}", "'call' is not allowed here"),
    ("{{ '%0999999999d' % 1 }}", "'%' formatting is not allowed"),
    ("{{ 0.5 | number(10**9) }}", "digits must be a whole number from 0 to 10"),
    ("{{ 0.5 | percent(-1) }}", "digits must be a whole number from 0 to 10"),
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested too deeply"),
    ("{% include 'x' %}", "'include' is not allowed here"),
    ("{{ ('x' * 15000) ~ ('y' * 15000) }}", "the text would be longer than 20,000 characters"),
]


@pytest.mark.parametrize(("placeholder", "message"), PLACEHOLDERS)
def test_hostile_placeholders_are_refused(write_config, tmp_path, placeholder, message):
    from reportgen.publish.build import build_report

    text = CONFIG + "text:\n  key_takeaway: " + repr(placeholder) + "\n"
    with pytest.raises(ConfigError) as caught:
        build_report(write_config(text), tmp_path / "out", formats=("json",))
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key_path) == (
        "config.yaml",
        19,
        "text.key_takeaway",
    )
    assert message in problem.message
    assert not (tmp_path / "out" / "hostile").exists()


@pytest.mark.parametrize("label", ["$\\foo{$", "Cost $5 vs $10", "$x^2$ and \\n"])
def test_study_labels_are_plain_text_in_figures(write_config, tmp_path, label):
    from reportgen.publish.build import build_report

    quoted = label.replace("\\", "\\\\").replace('"', '\\"')
    text = CONFIG.replace("Alpha 2020", f'"{quoted}"')
    built = build_report(write_config(text), tmp_path / "out", formats=("html",))
    svg = (built.folder / "figures" / "response.svg").read_text(encoding="utf-8")
    assert label.replace("&", "&amp;") in svg


def test_glossary_matching_is_linear_in_the_number_of_terms():
    """3,000 terms over 200 texts: each word start looks up only the terms beginning with it
    (this took minutes when every term was a regex tried on every text)."""
    terms = {f"term{i} word{i}": f"explanation {i}" for i in range(3000)}
    terms["word"] = "a single word"
    texts = tuple(
        Prose(" ".join(f"term{(i * 40 + j) % 3000} word{(i * 40 + j) % 3000}" for j in range(40)))
        for i in range(200)
    )
    explained = explain_terms(texts, terms)
    assert explained[0].glosses[0] == (len("term0 word0"), "explanation 0")
    assert sum(len(item.glosses) for item in explained) == 3000


def test_term_index_prefers_the_longest_term_and_whole_words():
    index = TermIndex(["complete remission", "composite complete remission", "randomised"])
    text = "Composite complete remission, complete remission; non-randomised, randomised."
    assert index.free_matches(text) == [
        (28, "composite complete remission"),
        (48, "complete remission"),
        (76, "randomised"),
    ]
