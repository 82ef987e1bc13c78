"""Hostile and damaged output folders: reportgen replaces only what it made, keeps every
published format and its version history, trusts none of the files it finds there, and says in
one line why it cannot write. Each case asserts the message, the exit status, that no traceback
reaches the user, and that nothing outside the output folder (or, where a build is refused, in
the previous report) changed."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen import cli
from reportgen.errors import OutputError
from reportgen.publish import output
from reportgen.publish.batch import run
from reportgen.publish.incremental import STATE_FILE
from reportgen.publish.output import locked, publish, report_id_problem
from reportgen.render import FORMATS

ROOT = Path(__file__).resolve().parent.parent
OUT = Path("out")
FOREIGN = (
    "out/{id}: not made by reportgen (no valid manifest.json); refusing to replace it: "
    "give the report another report.id, or move the folder away"
)
FAILED_LINE = (
    "failed    {config}: see the messages above; the last good report, if any, is unchanged"
)


def snapshot(root: Path, skip: str | None = None) -> dict[str, object]:
    """Every path under ``root`` (except ``skip``) with its bytes, link target and mode."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if skip and (relative == skip or relative.startswith(f"{skip}/")):
            continue
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            found[relative] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode):
            found[relative] = ("file", path.read_bytes(), stat.S_IMODE(info.st_mode))
        else:
            found[relative] = ("dir", stat.S_IMODE(info.st_mode))
    return found


@pytest.fixture
def project(tmp_path, minimal_config, monkeypatch) -> Path:
    """A working folder with ``minimal.yaml`` (report id ``minimal``) and an outside folder."""
    monkeypatch.chdir(tmp_path)
    Path("minimal.yaml").write_text(minimal_config)
    Path("outside").mkdir()
    Path("outside", "precious.txt").write_text("do not touch\n")
    return tmp_path


def config(minimal_config: str, name: str, report_id: str, events: int = 10) -> Path:
    text = minimal_config.replace("id: minimal", f"id: {report_id}")
    Path(name).write_text(text.replace("events: 10,", f"events: {events},"))
    return Path(name)


def build(capsys, *args: str) -> tuple[int, str, str]:
    """``reportgen build ARGS --out out`` in this process: (exit status, stdout, stderr)."""
    status = cli.main(["build", *args, "--out", "out"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return status, captured.out, captured.err


def change_data(events: int) -> None:
    text = Path("minimal.yaml").read_text()
    start = text.index("{study: s1, events: ")
    end = text.index(",", start + len("{study: s1, events: "))
    Path("minimal.yaml").write_text(f"{text[:start]}{{study: s1, events: {events}{text[end:]}")


def results(report: str = "minimal") -> dict:
    return json.loads((OUT / report / "results.json").read_text())


def subprocess_build(*args: str, wrapper: tuple[str, ...] = ()) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [*wrapper, sys.executable, "-m", "reportgen", "build", *args, "--out", "out"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# --- Publishing that owns what it replaces -----------------------------------------------------


def test_report_id_naming_a_foreign_folder_is_refused(project, minimal_config, capsys):
    config(minimal_config, "assets.yaml", "assets")
    (OUT / "assets" / "css").mkdir(parents=True)
    (OUT / "assets" / "css" / "site.css").write_text("body {}\n")
    before = snapshot(project)
    status, stdout, stderr = build(capsys, "assets.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines()[0] == FOREIGN.format(id="assets")
    assert FAILED_LINE.format(config="assets.yaml") in stdout
    after = snapshot(project)
    assert {k: v for k, v in after.items() if k.startswith("out/assets")} == {
        k: v for k, v in before.items() if k.startswith("out/assets")
    }
    assert {k: v for k, v in after.items() if not k.startswith("out")} == {
        k: v for k, v in before.items() if not k.startswith("out")
    }


def test_foreign_folder_with_someone_elses_manifest_is_refused(project, minimal_config, capsys):
    config(minimal_config, "assets.yaml", "assets")
    (OUT / "assets").mkdir(parents=True)
    (OUT / "assets" / "manifest.json").write_text('{"name": "web app", "icons": []}\n')
    before = snapshot(OUT / "assets")
    status, _, stderr = build(capsys, "assets.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines()[0] == FOREIGN.format(id="assets")
    assert snapshot(OUT / "assets") == before


@pytest.mark.parametrize("kind", ["symlink", "file"])
def test_report_path_that_is_a_link_or_file_is_refused(project, capsys, kind):
    OUT.mkdir()
    if kind == "symlink":
        (OUT / "minimal").symlink_to(project / "outside")
    else:
        (OUT / "minimal").write_text("not a folder\n")
    before = snapshot(project)
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines()[0] == FOREIGN.format(id="minimal")
    after = snapshot(project)
    assert after["outside/precious.txt"] == before["outside/precious.txt"]
    assert after["out/minimal"] == before["out/minimal"]


def test_other_configs_still_build_next_to_a_refused_one(project, minimal_config, capsys):
    config(minimal_config, "assets.yaml", "assets")
    (OUT / "assets").mkdir(parents=True)
    (OUT / "assets" / "logo.svg").write_text("<svg/>")
    status, stdout, _ = build(
        capsys, "assets.yaml", "minimal.yaml", "--format", "json", "--jobs", "2"
    )
    assert status == cli.EXIT_USER_ERROR
    assert "2 reports: 1 built, 0 unchanged, 1 failed" in stdout
    assert (OUT / "assets" / "logo.svg").read_text() == "<svg/>"
    assert results()["report"]["version"] == "1.0"
    assert json.loads((OUT / "minimal" / "manifest.json").read_text())["generator"] == "reportgen"


@pytest.mark.parametrize(
    "report_id",
    ["index.html", ".reportgen-state.json", ".reportgen-errors.log", ".staging", ".locks", ".x"],
)
def test_reserved_names_cannot_be_report_ids(project, report_id):
    OUT.mkdir()
    (OUT / "index.html").write_text("the index\n")
    before = snapshot(project)
    assert "is reserved in the output folder" in report_id_problem(report_id)
    with pytest.raises(OutputError, match="is reserved in the output folder"):
        publish(OUT, report_id, {"results.json": b"{}"})
    assert snapshot(project) == before


@pytest.mark.parametrize("report_id", ["..", "a/b", "a--b", ""])
def test_ids_that_are_not_folder_names_are_refused(project, report_id):
    OUT.mkdir()
    with pytest.raises(OutputError):
        publish(OUT, report_id, {"results.json": b"{}"})
    assert sorted(p.name for p in OUT.iterdir()) == []


def test_reserved_id_in_a_config_is_refused_before_building(project, minimal_config, capsys):
    config(minimal_config, "index.yaml", "index.html")
    OUT.mkdir()
    (OUT / "index.html").write_text("the index\n")
    status, stdout, stderr = build(capsys, "index.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.startswith("index.yaml:2: report.id: ")
    assert FAILED_LINE.format(config="index.yaml") in stdout
    assert not (OUT / "index.html" / "results.json").exists()


# --- Duplicate report ids in one run -----------------------------------------------------------


def duplicate_message(config: str, other: str) -> str:
    return (
        f"{config}:2: report.id: 'minimal' is also the report id of {other}; two configs cannot "
        "publish one report, so neither is built (give each config its own report.id)"
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_duplicate_report_ids_build_neither(project, minimal_config, capsys, jobs):
    config(minimal_config, "copy.yaml", "minimal", events=12)
    config(minimal_config, "other.yaml", "other")
    status, stdout, stderr = build(
        capsys, "minimal.yaml", "copy.yaml", "other.yaml", "--format", "json", "--jobs", jobs
    )
    assert status == cli.EXIT_USER_ERROR
    assert duplicate_message("minimal.yaml", "copy.yaml") in stderr.splitlines()
    assert duplicate_message("copy.yaml", "minimal.yaml") in stderr.splitlines()
    assert "3 reports: 1 built, 0 unchanged, 2 failed" in stdout
    assert not (OUT / "minimal").exists()
    assert results("other")["report"]["id"] == "other"


def test_duplicate_of_an_unchanged_report_keeps_it_byte_identical(project, minimal_config, capsys):
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    before = snapshot(OUT / "minimal")
    config(minimal_config, "copy.yaml", "minimal", events=12)
    status, stdout, stderr = build(capsys, "minimal.yaml", "copy.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert duplicate_message("copy.yaml", "minimal.yaml") in stderr.splitlines()
    assert "2 reports: 0 built, 0 unchanged, 2 failed" in stdout
    assert snapshot(OUT / "minimal") == before


def test_same_config_named_twice_is_built_once(project, capsys):
    status, stdout, _ = build(capsys, "minimal.yaml", "minimal.yaml", "--format", "json")
    assert status == 0
    assert "1 report: 1 built, 0 unchanged, 0 failed" in stdout


# --- A build of some formats keeps the others --------------------------------------------------


def test_partial_build_keeps_the_other_formats_byte_identical(project, capsys):
    assert build(capsys, "minimal.yaml")[0] == 0  # every format (render.FORMATS)
    folder = OUT / "minimal"
    pdf, data = (folder / "report.pdf").read_bytes(), (folder / "results.json").read_bytes()
    status, stdout, _ = build(capsys, "minimal.yaml", "--format", "html", "--force")
    assert status == 0 and "1 built" in stdout
    assert (folder / "report.pdf").read_bytes() == pdf
    assert (folder / "results.json").read_bytes() == data
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["formats"] == sorted(FORMATS)  # every format of the first build is kept
    # watch's default formats (html,json) keep the PDF as well, and nothing is rebuilt needlessly.
    status, stdout, _ = build(capsys, "minimal.yaml", "--format", "html,json")
    assert "1 report: 0 built, 1 unchanged, 0 failed" in stdout
    outcomes = run([Path("minimal.yaml")], OUT, ("html", "json"), force=True, echo=lambda _: None)
    assert [o.status for o in outcomes] == ["built"]
    assert (folder / "report.pdf").read_bytes() == pdf


def test_partial_build_after_a_change_rebuilds_the_others_and_continues_versions(project, capsys):
    assert build(capsys, "minimal.yaml", "--format", "html,json")[0] == 0
    change_data(12)
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "html")
    assert status == 0, stderr
    document = results()
    assert document["report"]["version"] != "1.0"
    assert [e["version"] for e in document["changelog"]][-1] == "1.0"
    assert document["outcomes"][0]["studies"][0]["data"]["events"] == 12
    archived = json.loads((OUT / "minimal/versions/1.0/results.json").read_text())
    assert archived["report"]["version"] == "1.0"
    assert json.loads((OUT / "minimal" / "manifest.json").read_text())["formats"] == [
        "html",
        "json",
    ]


# --- Trusting the output folder's own files ----------------------------------------------------


def two_versions(capsys) -> str:
    """Build 1.0 and a second version; return the second version."""
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    change_data(12)
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    return results()["report"]["version"]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda text: text[: len(text) // 2], "not valid JSON (truncated?)"),
        (lambda text: "[1, 2, 3]", "not a results document"),
        (
            lambda text: text.replace('"version": "', '"version": "../../../escape', 1),
            "version '../../../escape",
        ),
        (lambda text: '{"report": {"version": 7}}', "version '7' is not like 2.1"),
    ],
    ids=["truncated", "list", "dotdot-version", "number-version"],
)
def test_damaged_results_continue_history_from_versions(project, capsys, damage, reason):
    second = two_versions(capsys)
    path = OUT / "minimal" / "results.json"
    path.write_text(damage(path.read_text()))
    outside = snapshot(project, skip="out")
    change_data(14)
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == 0, stderr
    warning = stderr.splitlines()[0]
    assert warning.startswith(f"warning: out/minimal/results.json: damaged ({reason}")
    assert warning.endswith(
        "; treated as missing; the version history continues from "
        "out/minimal/versions/1.0/results.json"
    )
    assert results()["report"]["version"] == second  # the next version after 1.0 again
    assert [e["version"] for e in results()["changelog"]] == [second, "1.0"]
    # Later changed builds go on without FileExistsError, and nothing escaped the folder.
    change_data(16)
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == 0, stderr
    assert (OUT / "minimal" / "versions" / second / "results.json").exists()
    outside.pop("minimal.yaml")
    assert {
        k: v for k, v in snapshot(project, skip="out").items() if k != "minimal.yaml"
    } == outside
    assert not (project / "escape").exists() and not (project.parent / "escape").exists()


def test_damaged_changelog_version_is_not_used_as_a_path(project, capsys):
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    path = OUT / "minimal" / "results.json"
    document = json.loads(path.read_text())
    document["changelog"][0]["version"] = "../../x"
    path.write_text(json.dumps(document))
    change_data(12)
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == 0
    assert stderr.splitlines()[0] == (
        "warning: out/minimal/results.json: damaged (changelog of the wrong shape); treated as "
        "missing; no valid archived version: the history restarts at 1.0"
    )
    assert results()["report"]["version"] == "1.0"
    assert not (project / "x").exists()


def test_no_valid_history_anywhere_restarts_at_1_0_without_crashing(project, capsys):
    two_versions(capsys)
    (OUT / "minimal" / "results.json").write_text("{")
    (OUT / "minimal" / "versions" / "1.0" / "results.json").write_text("{")
    change_data(14)
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    assert results()["report"]["version"] == "1.0"
    change_data(16)
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == 0, stderr  # versions/1.0 exists already: kept, no FileExistsError


@pytest.mark.parametrize("content", ["{", "[]", '"text"'], ids=["truncated", "list", "string"])
def test_damaged_manifest_of_a_known_report_is_rebuilt_with_a_warning(project, capsys, content):
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    (OUT / "minimal" / "manifest.json").write_text(content)
    status, stdout, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == 0
    assert "warning: out/minimal/manifest.json: damaged; treated as missing" in stderr.splitlines()
    assert "1 built" in stdout
    assert json.loads((OUT / "minimal" / "manifest.json").read_text())["generator"] == "reportgen"
    assert results()["report"]["version"] == "1.0"


def test_damaged_manifest_of_an_unknown_folder_is_foreign(project, capsys):
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    (OUT / "minimal" / "manifest.json").write_text("{")
    (OUT / STATE_FILE).unlink()
    before = snapshot(OUT / "minimal")
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines()[0] == FOREIGN.format(id="minimal")
    assert snapshot(OUT / "minimal") == before


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ('{"minimal.yaml": ', "damaged (not a JSON mapping); treated as missing"),
        ("[1, 2]", "damaged (not a JSON mapping); treated as missing"),
        (
            '{"minimal.yaml": {"report_id": "../../outside", "config_sha256": "x"}}',
            "ignored 1 damaged entry ('minimal.yaml')",
        ),
    ],
    ids=["truncated", "list", "escaping-report-id"],
)
def test_damaged_state_file_is_treated_as_missing(project, capsys, content, warning):
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    (OUT / STATE_FILE).write_text(content)
    status, stdout, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == 0
    assert stderr.splitlines()[0] == f"warning: out/{STATE_FILE}: {warning}"
    # The state is only a cache: the report's own manifest shows it is up to date.
    assert "1 unchanged" in stdout
    assert json.loads((OUT / STATE_FILE).read_text())["minimal.yaml"]["report_id"] == "minimal"
    assert "../../outside" not in (OUT / "index.html").read_text()


def test_lock_symlink_to_an_outside_file_is_refused_and_the_target_untouched(project, capsys):
    (OUT / ".locks").mkdir(parents=True)
    (OUT / ".locks" / "minimal.lock").symlink_to(project / "outside" / "precious.txt")
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines()[0] == (
        "out/.locks/minimal.lock: is a symbolic link; refusing to use it as a lock"
    )
    assert (project / "outside" / "precious.txt").read_text() == "do not touch\n"
    assert not (OUT / "minimal").exists()


@pytest.mark.parametrize("name", [".locks", ".staging"])
def test_working_folder_symlinked_outside_is_refused(project, capsys, name):
    OUT.mkdir()
    (OUT / name).symlink_to(project / "outside")
    before = snapshot(project / "outside")
    status, _, stderr = build(capsys, "minimal.yaml", "--format", "json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines()[0].startswith(f"out/{name}: ")
    assert snapshot(project / "outside") == before


def test_lock_file_is_never_truncated(project, capsys):
    (OUT / ".locks").mkdir(parents=True)
    (OUT / ".locks" / "minimal.lock").write_text("held by a human\n")
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    assert (OUT / ".locks" / "minimal.lock").read_text() == "held by a human\n"


def test_published_files_are_world_readable_whatever_the_umask(project, capsys):
    old = os.umask(0o077)
    try:
        assert build(capsys, "minimal.yaml", "--format", "html,json")[0] == 0
        change_data(12)
        assert build(capsys, "minimal.yaml", "--format", "html,json")[0] == 0
    finally:
        os.umask(old)
    published = [OUT / "index.html", OUT / STATE_FILE, OUT / "minimal"]
    published += (OUT / "minimal").rglob("*")
    modes = {p.relative_to(OUT).as_posix(): stat.S_IMODE(os.lstat(p).st_mode) for p in published}
    assert {name for name, mode in modes.items() if mode not in (0o644, 0o755)} == set()
    assert modes["minimal"] == modes["minimal/figures"] == modes["minimal/versions/1.0"] == 0o755
    assert modes["index.html"] == modes["minimal/report.html"] == 0o644


def test_out_naming_a_file_is_one_line(project, capsys):
    Path("out").write_text("a file\n")
    status, stdout, stderr = build(capsys, "minimal.yaml")
    assert status == cli.EXIT_USER_ERROR
    assert stderr == "out: the output folder (--out) is a file, not a folder\n"
    assert stdout == ""
    assert Path("out").read_text() == "a file\n"


def test_read_only_output_folder_keeps_the_previous_report(project, capsys):
    assert build(capsys, "minimal.yaml", "--format", "json")[0] == 0
    change_data(12)
    before = snapshot(OUT)
    wrapper: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root ignores modes unless it drops the capabilities that bypass them
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make a folder read-only")
        wrapper = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")
    subprocess.run(["chmod", "-R", "a-w", str(OUT)], check=True)
    try:
        done = subprocess_build("minimal.yaml", "--format", "json", wrapper=wrapper)
        stdout, stderr = done.communicate(timeout=300)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(OUT)], check=True)
    assert done.returncode == cli.EXIT_USER_ERROR
    assert "Traceback" not in stderr
    message = "out: cannot write to the output folder: Permission denied"
    assert stderr.splitlines() == [message, message]
    assert FAILED_LINE.format(config="minimal.yaml") in stdout
    assert snapshot(OUT) == before


def test_full_disk_keeps_the_previous_report(project, capsys, monkeypatch):
    assert build(capsys, "minimal.yaml", "--format", "html,json")[0] == 0
    change_data(12)
    before = snapshot(OUT)

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(os, "write", full)
        status, stdout, stderr = build(capsys, "minimal.yaml", "--format", "html,json")
    assert status == cli.EXIT_USER_ERROR
    assert stderr.splitlines() == [
        "out/minimal: cannot publish the report: No space left on device; the published "
        "report, if any, is unchanged",
        "out/.reportgen-state.json: cannot write the state file or index page: No space left "
        "on device",
    ]
    assert FAILED_LINE.format(config="minimal.yaml") in stdout
    after = snapshot(OUT)
    assert {k: v for k, v in after.items() if not k.startswith((".staging/", ".locks"))} == {
        k: v for k, v in before.items() if not k.startswith((".staging/", ".locks"))
    }


# --- Per-report locking ------------------------------------------------------------------------


def test_a_different_report_builds_while_one_is_locked(project, minimal_config):
    config(minimal_config, "other.yaml", "other")
    with locked(OUT, "minimal"):
        done = subprocess_build("other.yaml", "--format", "json")
        stdout, stderr = done.communicate(timeout=300)
    assert done.returncode == 0, stderr
    assert "waiting" not in stderr and "1 built" in stdout


def test_the_same_report_waits_for_the_lock(project):
    OUT.mkdir()
    with locked(OUT, "minimal"):
        done = subprocess_build("minimal.yaml", "--format", "json")
        deadline = time.monotonic() + 120
        while not (OUT / ".staging").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)
        assert done.poll() is None and not (OUT / "minimal").exists()
    _, stderr = done.communicate(timeout=300)
    assert done.returncode == 0, stderr
    assert [line for line in stderr.splitlines() if not line.startswith("warning:")] == [
        "reportgen: another build is writing to out; waiting for it to finish (minimal)"
    ]
    assert results()["report"]["version"] == "1.0"


def test_two_processes_build_different_reports_into_one_folder(project, minimal_config):
    names = [config(minimal_config, f"r{i}.yaml", f"r{i}").name for i in range(3)]
    processes = [subprocess_build(name, "--format", "json") for name in names]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    state = json.loads((OUT / STATE_FILE).read_text())
    assert {entry["report_id"] for entry in state.values()} == {"r0", "r1", "r2"}
    index = (OUT / "index.html").read_text()
    assert all(f'href="r{i}/results.json"' in index for i in range(3))


def test_lock_holder_blocks_a_second_locker_in_the_same_folder(project):
    OUT.mkdir()
    with locked(OUT, "minimal"):
        handle = os.open(OUT / ".locks" / "minimal.lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            other = os.open(OUT / ".locks" / "other.lock", os.O_RDWR | os.O_CREAT)
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another report: free
            os.close(other)
        finally:
            os.close(handle)
    assert output.STATE_LOCK.startswith(".")


def test_error_log_symlink_is_not_followed(project, capsys, monkeypatch):
    from reportgen.publish import build as build_module

    def bug(*args, **kwargs):
        raise KeyError("foo")

    monkeypatch.setattr(build_module, "build_report", bug)
    OUT.mkdir()
    (OUT / ".reportgen-errors.log").symlink_to(project / "outside" / "precious.txt")
    status = cli.main(["build", "minimal.yaml", "--format", "json", "--out", "out"])
    stderr = capsys.readouterr().err
    assert status == cli.EXIT_INTERNAL_ERROR
    assert (
        "minimal.yaml: internal error: KeyError: 'foo' (traceback above; cannot write "
        "out/.reportgen-errors.log: Too many levels of symbolic links)"
    ) in stderr.splitlines()
    assert (project / "outside" / "precious.txt").read_text() == "do not touch\n"
