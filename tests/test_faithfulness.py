"""Number faithfulness: a hand-typed number that matches nothing fails the build."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from reportgen.checks.faithfulness import numbers_in
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report


def test_numbers_are_found_but_not_inside_words():
    text = "About 64 in 100 people (between 50 and 77); 63.8% had BCL-2 and 1,000 did; \u221212."
    assert numbers_in(text) == ["64", "100", "50", "77", "63.8%", "1,000", "\u221212"]


def build(write_config, minimal_config, tmp_path, takeaway, **options):
    text = minimal_config + f'text:\n  key_takeaway: "{takeaway}"\n'
    return build_report(write_config(text), tmp_path / "out", formats=("html",), **options)


def test_a_correctly_rounded_hand_typed_number_passes(write_config, minimal_config, tmp_path):
    # The minimal config pools to 45.2% (REML on logits): "45%" is that number, rounded.
    built = build(write_config, minimal_config, tmp_path, "About 45% of people responded.")
    html = (built.folder / "report.html").read_text()
    assert "numbers in the summary were checked" in html


def test_a_wrong_hand_typed_number_fails_the_build(write_config, minimal_config, tmp_path):
    with pytest.raises(ConfigError) as caught:
        build(write_config, minimal_config, tmp_path, "About 67% of people responded.")
    (problem,) = caught.value.problems
    assert str(problem) == (
        "config.yaml:19: text.key_takeaway: the number '67%' matches no computed result or "
        "config field: \u201cAbout 67% of people responded.\u201d"
    )
    assert not (tmp_path / "out" / "minimal").exists()


def test_allow_untraced_numbers_turns_it_into_a_warning(write_config, minimal_config, tmp_path):
    config = write_config(minimal_config + "text:\n  key_takeaway: About 67% responded.\n")
    executable = shutil.which("reportgen")
    command = [executable] if executable else [sys.executable, "-m", "reportgen"]
    failed = subprocess.run(
        [*command, "build", str(config), "--format", "html"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert failed.returncode == 1 and "'67%' matches no computed result" in failed.stderr
    allowed = subprocess.run(
        [*command, "build", str(config), "--format", "html", "--allow-untraced-numbers"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert allowed.returncode == 0
    assert "warning: config.yaml:19: text.key_takeaway: the number '67%'" in allowed.stderr
    html = (tmp_path / "output" / "minimal" / "report.html").read_text()
    assert "Numbers that match no computed value" in html and "67% in" in html
