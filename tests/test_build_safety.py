"""A failed build never replaces or corrupts a good earlier report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reportgen.errors import ConfigError
from reportgen.publish.build import build_report
from reportgen.publish.output import write_atomic


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_bad_config_leaves_previous_report_untouched(write_config, minimal_config, tmp_path):
    config = write_config(minimal_config)
    built = build_report(config, tmp_path / "out", formats=("html", "json"))
    before = digests(built.folder)
    assert set(before) == {"report.html", "results.json", "manifest.json", "figures/response.svg"}

    write_config(minimal_config.replace("events: 10, total: 20", "events: 99, total: 20"))
    with pytest.raises(ConfigError):
        build_report(config, tmp_path / "out", formats=("html", "json"))
    assert digests(built.folder) == before


def test_failure_while_rendering_writes_nothing(
    write_config, minimal_config, tmp_path, monkeypatch
):
    config = write_config(minimal_config)
    built = build_report(config, tmp_path / "out", formats=("html", "json"))
    before = digests(built.folder)

    write_config(minimal_config.replace("events: 10, total: 20", "events: 11, total: 20"))

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("reportgen.render.html.render_html", broken)
    with pytest.raises(RuntimeError):
        build_report(config, tmp_path / "out", formats=("html", "json"))
    assert digests(built.folder) == before


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "a" / "file.txt"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]
