"""The no-op path of a scheduled run (``publish.skip``): stat before hashing, trust a recorded
signature only while the file is untouched, and still catch every change of config, data file,
template or reportgen version; the report manifests stand in for a lost state file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reportgen.publish import incremental, skip
from reportgen.publish.batch import BUILT, UNCHANGED, run
from reportgen.publish.output import STATE_FILE

CONFIG = """\
report: {{id: {id}, title: A living summary {id}}}
studies: data/studies.csv
outcomes:
  - {{id: orr, label: Response, plain_label: responded, role: benefit, type: proportion,
     data: data/orr.csv}}
"""
STUDIES_CSV = "id,label,design\ns1,Alpha 2020,cohort\ns2,Beta 2021,cohort\ns3,Gamma 2022,trial\n"
ORR_CSV = "study,events,total\ns1,10,20\ns2,15,25\ns3,8,30\n"
OUT = Path("out")


@pytest.fixture
def catalogue(tmp_path, monkeypatch) -> list[Path]:
    """Two configs sharing two data files; signatures are trusted at once (no racy window)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(skip, "RACY_NS", 0)
    Path("data").mkdir()
    Path("data/studies.csv").write_text(STUDIES_CSV)
    Path("data/orr.csv").write_text(ORR_CSV)
    for name in ("a", "b"):
        Path(f"{name}.yaml").write_text(CONFIG.format(id=name))
    return [Path("a.yaml"), Path("b.yaml")]


def statuses(configs: list[Path], formats: tuple[str, ...] = ("json",)) -> dict[str, str]:
    return {o.config.name: o.status for o in run(configs, OUT, formats, echo=lambda _: None)}


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The paths ``publish.skip`` hashes (instead of trusting their signature)."""
    calls: list[str] = []
    real = skip.file_sha256

    def counting(path: Path, *args: int) -> str:
        calls.append(path.as_posix())
        return real(path, *args)

    monkeypatch.setattr(skip, "file_sha256", counting)
    return calls


def test_noop_runs_hash_nothing_the_build_read_and_rewrite_no_state(catalogue, hashed):
    """The build records the signatures of what it read: the first no-op run hashes nothing and
    records only the manifests' signatures; the second writes no state at all."""
    assert statuses(catalogue) == {"a.yaml": BUILT, "b.yaml": BUILT}
    state = json.loads((OUT / STATE_FILE).read_text())
    assert set(state["a.yaml"]["stats"]) == {"a.yaml", "data/orr.csv", "data/studies.csv"}
    assert statuses(catalogue) == {"a.yaml": UNCHANGED, "b.yaml": UNCHANGED}
    assert hashed == []
    assert json.loads((OUT / STATE_FILE).read_text())["a.yaml"]["manifest_stat"] is not None
    before = os.stat(OUT / STATE_FILE).st_mtime_ns, os.stat(OUT / "index.html").st_ino
    assert statuses(catalogue) == {"a.yaml": UNCHANGED, "b.yaml": UNCHANGED}
    assert hashed == []
    assert os.stat(OUT / STATE_FILE).st_mtime_ns == before[0]  # nothing to merge: not written
    assert os.stat(OUT / "index.html").st_ino != before[1]  # the page shows this run


def test_without_signatures_each_input_is_hashed_once_per_run(catalogue, hashed):
    statuses(catalogue)
    state = json.loads((OUT / STATE_FILE).read_text())
    for entry in state.values():
        entry.pop("stats")
    (OUT / STATE_FILE).write_text(json.dumps(state))
    statuses(catalogue)
    # each config once, and each data file once although both configs read it
    assert sorted(hashed) == ["a.yaml", "b.yaml", "data/orr.csv", "data/studies.csv"]
    hashed.clear()
    statuses(catalogue)
    assert hashed == []


@pytest.mark.parametrize("changed", ["a.yaml", "data/orr.csv"])
def test_a_change_is_caught_even_with_the_same_size_and_mtime(catalogue, hashed, changed):
    """An edit in place that keeps the size and sets the mtime back still changes the ctime."""
    statuses(catalogue)
    statuses(catalogue)  # signatures recorded
    path = Path(changed)
    old = os.stat(path)
    text = path.read_text()
    edited = text.replace("Response", "Responze") if changed.endswith(".yaml") else text
    edited = edited.replace("s2,15,25", "s2,16,25")
    assert edited != text and len(edited) == len(text)
    with path.open("r+") as stream:  # same inode
        stream.write(edited)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == old.st_mtime_ns and os.stat(path).st_size == old.st_size
    expected = {"a.yaml": BUILT, "b.yaml": BUILT if "csv" in changed else UNCHANGED}
    assert statuses(catalogue) == expected


def test_a_template_or_reportgen_version_change_rebuilds(catalogue, monkeypatch, tmp_path):
    statuses(catalogue)
    assert set(statuses(catalogue).values()) == {UNCHANGED}
    from reportgen import paths

    templates = tmp_path / "templates"
    shutil.copytree(paths.templates_dir(), templates)
    page = next(p for p in sorted(templates.rglob("*.j2")))
    page.write_text(page.read_text() + "\n")
    with monkeypatch.context() as patched:
        patched.setattr(paths, "templates_dir", lambda: templates)
        assert set(statuses(catalogue).values()) == {BUILT}
    assert set(statuses(catalogue).values()) == {BUILT}  # back to the installed templates
    monkeypatch.setattr(incremental, "__version__", "999.0")
    assert set(statuses(catalogue).values()) == {BUILT}


@pytest.mark.parametrize("damage", ["output", "manifest"])
def test_a_damaged_report_folder_is_rebuilt(catalogue, damage):
    statuses(catalogue)
    statuses(catalogue)
    if damage == "output":
        (OUT / "a" / "results.json").unlink()
    else:  # replaced (a new inode), with the digest of other inputs
        manifest = json.loads((OUT / "a" / "manifest.json").read_text())
        manifest["digest"] = "0" * 64
        (OUT / "a" / "manifest.json").unlink()
        (OUT / "a" / "manifest.json").write_text(json.dumps(manifest))
    assert statuses(catalogue) == {"a.yaml": BUILT, "b.yaml": UNCHANGED}


def test_without_the_state_file_the_manifests_show_what_is_built(catalogue, hashed):
    """A run killed before it merged its state loses nothing: the next run finds each finished
    report from its manifest, skips it and records it again."""
    statuses(catalogue)
    (OUT / STATE_FILE).unlink()
    Path("c.yaml").write_text(CONFIG.format(id="c"))
    assert statuses([*catalogue, Path("c.yaml")]) == {
        "a.yaml": UNCHANGED,
        "b.yaml": UNCHANGED,
        "c.yaml": BUILT,
    }
    assert set(json.loads((OUT / STATE_FILE).read_text())) == {"a.yaml", "b.yaml", "c.yaml"}


def test_a_manifest_of_another_config_is_not_taken_for_this_one(catalogue):
    statuses(catalogue[:1])
    (OUT / STATE_FILE).unlink()
    Path("copy.yaml").write_text(Path("a.yaml").read_text())  # same id, another path
    assert statuses([Path("copy.yaml")]) == {"copy.yaml": BUILT}


def test_a_racily_clean_file_is_hashed_again(catalogue, monkeypatch, hashed):
    """A signature taken within RACY_NS of the check (or of the build's start) could hide a
    write in the same clock tick: it is not recorded, so the file is hashed next time too."""
    monkeypatch.setattr(skip, "RACY_NS", 3600 * 10**9)
    statuses(catalogue)
    assert json.loads((OUT / STATE_FILE).read_text())["a.yaml"]["stats"] == {}
    statuses(catalogue)
    hashed.clear()
    statuses(catalogue)
    assert sorted(hashed) == ["a.yaml", "b.yaml", "data/orr.csv", "data/studies.csv"]
    assert json.loads((OUT / STATE_FILE).read_text())["a.yaml"]["stats"] == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("report:\n  id: abc\n  title: x\nstudies: [1, 2]\n", "abc"),
        (
            "studies:\n  - {id: s1, label: x}\n  - [1, {a: b}]\nreport: {title: t, id: later}\n",
            "later",
        ),
        ("report:\n  id: 'quoted'\n", "quoted"),
        ("report:\n  id: !!str 2020\n", "2020"),
        ("report:\n  id: &a anchored\n  other: *a\n", "anchored"),
        ("report:\n  id: 123\n", None),  # an int, as a loader resolves it
        ("report:\n  id: true\n", None),
        ("report: [a, b]\n", None),
        ("- a\n- b\n", None),
        ("report:\n  title: no id\n", None),
        ("", None),
    ],
)
def test_quick_id_reads_the_id_a_yaml_loader_would(tmp_path, text, expected):
    """The batch reads report ids from libyaml's events (stopping once found): the same ids as
    the positioned loader the build uses."""
    from reportgen.publish.claims import declared_id, quick_id

    path = tmp_path / "c.yaml"
    path.write_text(text)
    assert quick_id(path) == expected == declared_id(path)[0]


def test_a_noop_run_imports_no_analysis_or_rendering_library(tmp_path):
    """A scheduled run over unchanged configs only stats files: the command line's parser and
    the skip path import neither the config models (pydantic) nor the statistics, figure or
    PDF libraries (the parser's list of init kinds once imported the config models: 0.15 CPU
    s on every run)."""
    import subprocess
    import sys

    from tests.conftest import MINIMAL_CONFIG

    config = tmp_path / "configs" / "a.yaml"
    config.parent.mkdir()
    config.write_text(MINIMAL_CONFIG, encoding="utf-8")
    build = [sys.executable, "-m", "reportgen", "build", str(config), "--out", str(tmp_path / "o")]
    subprocess.run([*build, "--format", "json"], check=True, capture_output=True)
    probe = (
        "import runpy, sys; sys.argv = ['reportgen', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('reportgen', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *build[3:], "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "unchanged" in done.stdout
    loaded = set(done.stderr.split())
    heavy = {"pydantic", "numpy", "scipy", "pandas", "matplotlib", "weasyprint", "jinja2"}
    assert not heavy & loaded
