"""Readability of the patient summary: measured, shown in the appendix, gated by a target."""

from __future__ import annotations

import re

import pytest

from reportgen.checks.readability import measure, syllables
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("people", 2),
        ("treatment", 2),
        ("leukaemia", 4),
        ("chemotherapy", 5),
        ("heterogeneity", 6),
    ],
)
def test_syllable_counts(word, count):
    assert abs(syllables(word) - count) <= 1  # the vowel-group rule is within one syllable


def test_grade_of_simple_and_hard_text():
    easy = measure("<p>The cat sat on the mat. We saw it. It was red.</p>")
    hard = measure(
        "<p>Heterogeneity between randomised investigations necessitates "
        "sophisticated methodological considerations regarding generalisability.</p>"
    )
    assert easy.grade < 3 < 15 < hard.grade
    assert (easy.words, easy.sentences) == (12, 3)
    assert hard.hardest[0][1].startswith("Heterogeneity between")


def test_example_summaries_meet_grade_8(example_configs, tmp_path):
    for config in example_configs:
        built = build_report(config, tmp_path, formats=("html",))
        html = (built.folder / "report.html").read_text()
        summary = re.search(r'<section id="summary".*?</section>', html, re.S).group(0)
        assert measure(summary).grade <= 8, config.name
        assert "Readability of the summary: Flesch-Kincaid grade" in html
        assert not built.warnings


HARD = (
    "Pharmacological interventions demonstrated considerable heterogeneity, "
    "necessitating circumspect interpretation of multivariable associations."
)


def test_a_hard_summary_warns_and_strict_fails(write_config, minimal_config, tmp_path):
    config = write_config(
        minimal_config.replace(
            "  title: A minimal report", "  title: A minimal report\n  reading_grade: 6"
        )
        + f"text:\n  key_takeaway: {HARD} {HARD}\n  context: {HARD}\n"
    )
    built = build_report(config, tmp_path / "out", formats=("html",))
    warning, *others = built.warnings
    assert warning.startswith("config.yaml:4: report.reading_grade: the summary reads at grade")
    assert "above the target of 6; hardest sentences: \u201cPharmacological" in warning
    # Every sentence over the grade is named once, located where the editor first wrote it.
    named = [w for w in others if "sentence over the limit" in w and ": text." in w]
    assert len(named) == 1
    assert "text.key_takeaway" in named[0] and HARD in named[0]
    with pytest.raises(ConfigError, match="above the target of 6"):
        build_report(config, tmp_path / "strict", formats=("html",), strict=True)
