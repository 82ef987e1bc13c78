"""Every kind of config problem gives a located, readable message, and all are reported at once."""

from __future__ import annotations

import pytest

from reportgen.config.load import load_config
from reportgen.errors import ConfigError


def problems_of(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_config_is_valid(write_config, minimal_config):
    loaded = load_config(write_config(minimal_config))
    assert loaded.config.report.id == "minimal"
    outcome = loaded.config.outcomes[0]
    assert (outcome.measure, outcome.method, outcome.test) == ("PLO", "REML", "z")
    assert len(loaded.sha256) == 64


def test_example_configs_are_valid(example_configs):
    assert len(example_configs) >= 2
    for path in example_configs:
        load_config(path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  title: A minimal report",
            "  title: A minimal report\n  titel: typo",
            "config.yaml:4: report.titel: unknown key 'titel' (did you mean 'title'?)",
        ),
        (
            "  id: minimal",
            "  id: Not A Slug",
            "config.yaml:2: report.id: 'Not A Slug' is not a valid id: use lower-case letters, "
            "digits and hyphens",
        ),
        (
            "    type: proportion",
            "    type: proportion\n    measure: LOGIT",
            "config.yaml:14: outcomes[0].measure: expected one of 'PR', 'PLO', 'PLN', 'PFT' or "
            "'PAS', got 'LOGIT'",
        ),
        (
            "    type: proportion",
            "    type: proportion\n    method: MLE",
            "config.yaml:14: outcomes[0].method: expected one of 'FE', 'DL', 'REML', 'ML', 'PM', "
            "'HS', 'SJ', 'HE', 'EB' or 'GLMM', got 'MLE'",
        ),
        (
            "    type: proportion",
            "    type: proportion\n    test: t",
            "config.yaml:14: outcomes[0].test: expected one of 'z' or 'knha', got 't'",
        ),
        (
            "    role: benefit",
            "    role: good",
            "config.yaml:12: outcomes[0].role: expected one of 'benefit' or 'harm', got 'good'",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s1, events: 21, total: 20}",
            "config.yaml:15: outcomes[0].data[0].events: "
            "events (21) cannot be more than total (20)",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s1, events: -1, total: 20}",
            "config.yaml:15: outcomes[0].data[0].events: must be at least 0, got -1",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s1, events: 0, total: 0}",
            "config.yaml:15: outcomes[0].data[0].total: must be at least 1, got 0",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s1, events: ten, total: 20}",
            "config.yaml:15: outcomes[0].data[0].events: expected a whole number, got 'ten'",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s1, events: 10, total: 20.5}",
            "config.yaml:15: outcomes[0].data[0].total: expected a whole number, got 20.5",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s7, events: 10, total: 20}",
            "config.yaml:15: outcomes[0].data[0].study: unknown study 's7'; it must be listed "
            "under studies",
        ),
        (
            "{study: s1, events: 10, total: 20}",
            "{study: s1, events: 10}",
            "config.yaml:15: outcomes[0].data[0].total: required key is missing",
        ),
        (
            "{study: s2, events: 15, total: 25}",
            "{study: s1, events: 15, total: 25}",
            "config.yaml:16: outcomes[0].data[1].study: study 's1' has more than one row in this "
            "outcome",
        ),
        (
            "{id: s2, label: Beta 2021}",
            "{id: s2, label: Beta 2021, arms: [1, 2]}",
            "config.yaml:6: studies[1].arms: study attribute must be text, a number or "
            "true/false, got a list",
        ),
    ],
)
def test_each_problem_has_a_located_message(write_config, minimal_config, old, new, expected):
    assert old in minimal_config
    assert problems_of(write_config(minimal_config.replace(old, new, 1))) == [expected]


def test_duplicate_study_id(write_config, minimal_config):
    text = minimal_config.replace("{id: s2, label: Beta 2021}", "{id: s1, label: Beta 2021}")
    assert problems_of(write_config(text)) == [
        "config.yaml:6: studies[1].id: duplicate study id 's1'",
        "config.yaml:16: outcomes[0].data[1].study: unknown study 's2'; it must be listed under "
        "studies",
    ]


def test_wrong_type_for_a_flag(write_config, minimal_config):
    text = minimal_config.replace(
        "  title: A minimal report", "  title: A minimal report\n  illustrative: maybe"
    )
    assert problems_of(write_config(text)) == [
        "config.yaml:4: report.illustrative: expected true or false, got 'maybe'"
    ]


def test_duplicate_outcome_id_and_missing_key(write_config, minimal_config):
    second = """\
  - id: response
    label: Again
    role: harm
    type: proportion
    data: []
"""
    problems = problems_of(write_config(minimal_config + second))
    assert problems == [
        "config.yaml:18: outcomes[1].id: duplicate outcome id 'response'",
        "config.yaml:18: outcomes[1].plain_label: required key is missing",
        "config.yaml:22: outcomes[1].data: must not be empty",
    ]


def test_all_problems_are_reported_together_in_line_order(write_config, minimal_config):
    text = (
        minimal_config.replace("  id: minimal", "  id: Bad Id")
        .replace("    role: benefit", "    role: good")
        .replace("{study: s3, events: 8, total: 30}", "{study: s9, events: 31, total: 30}")
    )
    problems = problems_of(write_config(text))
    assert [p.split(":")[1] for p in problems] == ["2", "12", "17", "17"]
    assert len(problems) == 4


def test_duplicate_yaml_key_is_an_error(write_config, minimal_config):
    text = minimal_config.replace(
        "  title: A minimal report", "  title: A minimal report\n  title: Again"
    )
    assert problems_of(write_config(text)) == [
        "config.yaml:4: report.title: duplicate key (it is already set above)"
    ]


def test_yaml_syntax_error_names_the_line(write_config):
    problems = problems_of(write_config("report:\n  id: x\n  title: [unclosed\n"))
    assert len(problems) == 1
    # The parser finds the bracket unclosed at the end of the stream, past the last line: the
    # message names the last line, where the editor opened it.
    assert problems[0].startswith("config.yaml:3: invalid YAML:")


def test_not_a_mapping(write_config):
    assert problems_of(write_config("- just\n- a list\n")) == [
        "config.yaml:1: expected a mapping with report, studies and outcomes"
    ]


def test_missing_file(tmp_path):
    assert problems_of(tmp_path / "absent.yaml") == [
        f"{tmp_path / 'absent.yaml'}: cannot read file: No such file or directory"
    ]


def test_missing_sections(write_config):
    assert problems_of(write_config("report: {id: x, title: T}\n")) == [
        "config.yaml:1: outcomes: required key is missing",
        "config.yaml:1: studies: required key is missing",
    ]


def test_dates_stay_text(write_config, minimal_config):
    text = minimal_config.replace(
        "  title: A minimal report", "  title: A minimal report\n  published: 2026-07-01"
    )
    assert load_config(write_config(text)).config.report.published == "2026-07-01"
