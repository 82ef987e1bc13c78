"""`regression:` config: every problem located (file:line: key.path: message), and the fitted
regressions reach results.json (the contract keys) through the publishing path."""

from __future__ import annotations

import pytest

from reportgen.config.load import load_config
from reportgen.errors import AnalysisError, ConfigError
from reportgen.stats.analysis import analyse

STUDIES = """\
  - {id: s1, label: Alpha 2020, dose: 10, arm: a, mixed: 1}
  - {id: s2, label: Beta 2021, dose: 20, arm: b, mixed: x}
  - {id: s3, label: Gamma 2022, dose: 40, arm: a, mixed: 2}
  - {id: s4, label: Delta 2023, dose: 15, arm: b, mixed: 3, same: 1}
"""


def config_with(minimal_config: str, regression: str) -> str:
    text = minimal_config.replace(
        """  - {id: s1, label: Alpha 2020}
  - {id: s2, label: Beta 2021}
  - {id: s3, label: Gamma 2022}
""",
        STUDIES,
    )
    text = text.replace("    type: proportion\n", "    type: proportion\n" + regression)
    return text + "      - {study: s4, events: 12, total: 22}\n"


def problems_of(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("regression", "expected"),
    [
        (
            "    regression: [{name: Dose, moderators: [dos]}]\n",
            "config.yaml:15: outcomes[0].regression[0].moderators[0]: no study has an attribute "
            "'dos' (did you mean 'dose'?)",
        ),
        (
            "    regression: [{name: Same, moderators: [same]}]\n",
            "config.yaml:15: outcomes[0].regression[0].moderators[0]: 'same' has no value for "
            "s1, s2, s3",
        ),
        (
            "    regression: [{name: Mixed, moderators: [mixed]}]\n",
            "config.yaml:15: outcomes[0].regression[0].moderators[0]: 'mixed' mixes numbers and "
            "text; use one or the other",
        ),
        (
            "    regression: [{name: Both, moderators: [dose, arm, label]}]\n",
            "config.yaml:15: outcomes[0].regression[0].moderators[2]: 'label' names or cites a "
            "study; use one of its attributes",
        ),
        (
            "    regression:\n      - name: Both\n        moderators: [dose, arm]\n"
            "        predict_at: [{dose: 10, arm: c}]\n",
            "config.yaml:18: outcomes[0].regression[0].predict_at[0].arm: 'arm' has no level "
            "'c'; levels: a, b",
        ),
        (
            "    regression:\n      - name: Dose\n        moderators: [dose]\n"
            "        predict_at: [{dose: high}]\n",
            "config.yaml:18: outcomes[0].regression[0].predict_at[0].dose: 'dose' is a number, "
            "got 'high'",
        ),
        (
            "    regression: [{name: Dose, moderators: [dose], predict_at: [{dose: [1]}]}]\n",
            "config.yaml:15: outcomes[0].regression[0].predict_at[0].dose: expected text, a "
            "finite number or true/false, got [1]",
        ),
        (
            "    regression: [{name: Id, moderators: [id]}]\n",
            "config.yaml:15: outcomes[0].regression[0].moderators[0]: 'id' names or cites a "
            "study; use one of its attributes",
        ),
        (
            "    regression: [{name: Dose, moderators: [dose], method: MH}]\n",
            "config.yaml:15: outcomes[0].regression[0].method: expected one of 'FE', 'DL', "
            "'REML', 'ML', 'PM', 'HS', 'SJ', 'HE' or 'EB', got 'MH'",
        ),
    ],
)
def test_problems_are_located(write_config, minimal_config, regression, expected):
    assert expected in problems_of(write_config(config_with(minimal_config, regression)))


def test_too_few_studies_for_the_coefficients(write_config, minimal_config):
    text = config_with(minimal_config, "    regression: [{name: Both, moderators: [dose, arm]}]\n")
    text = text.replace("      - {study: s4, events: 12, total: 22}\n", "")
    assert (
        "config.yaml:15: outcomes[0].regression[0].moderators: a meta-regression with 3 "
        "coefficients needs more than 3 studies; this outcome has 3"
    ) in problems_of(write_config(text))


def test_constant_moderator(write_config, minimal_config):
    text = config_with(minimal_config, "    regression: [{name: Arm, moderators: [arm]}]\n")
    text = text.replace("arm: b", "arm: a")
    assert (
        "config.yaml:15: outcomes[0].regression[0].moderators[0]: 'arm' is a in every study of "
        "this outcome: nothing to regress on"
    ) in problems_of(write_config(text))


def test_redundant_moderators_are_a_located_analysis_error(write_config, minimal_config):
    from reportgen.publish.locate import analyse_located

    text = config_with(minimal_config, "    regression: [{name: Twice, moderators: [dose, d2]}]\n")
    for dose in ("10", "20", "40", "15"):
        text = text.replace(f"dose: {dose},", f"dose: {dose}, d2: {int(dose) * 2},")
    with pytest.raises(AnalysisError) as caught:
        analyse_located(load_config(write_config(text)))
    assert "meta-regression 'Twice': the moderators are redundant" in str(caught.value)
    problem = caught.value.problem
    assert problem is not None and (problem.line, problem.key_path) == (10, "outcomes[0]")


def test_default_predictions_and_categorical_reference(write_config, minimal_config):
    text = config_with(minimal_config, "    regression: [{name: Arm, moderators: [arm]}]\n")
    result = analyse(load_config(write_config(text)).config).outcomes[0]
    (regression,) = result.meta_regression
    assert [c.term for c in regression.model.coefficients] == ["intrcpt", "arm: b"]
    assert [dict(p.at) for p in regression.natural] == [{"arm": "a"}, {"arm": "b"}]
    # Proportions (PLO): predictions back-transformed to proportions.
    assert all(0 < p.estimate < 1 for p in regression.natural)


def test_moderators_from_a_column_of_a_studies_file(write_config, minimal_config):
    """`studies: FILE`: a column of the data file is a study attribute like any other."""
    from pathlib import Path

    Path("studies.csv").write_text(
        "id,label,dose,arm\ns1,Alpha 2020,10,a\ns2,Beta 2021,20,b\ns3,Gamma 2022,40,a\n"
        "s4,Delta 2023,,b\n",
        encoding="utf-8",
    )
    text = config_with(minimal_config, "    regression: [{name: Dose, moderators: [dose]}]\n")
    start, end = text.index("studies:\n"), text.index("outcomes:\n")
    text = text[:start] + "studies: studies.csv\n" + text[end:]
    assert problems_of(write_config(text)) == [
        "config.yaml:11: outcomes[0].regression[0].moderators[0]: 'dose' has no value for s4"
    ]
    Path("studies.csv").write_text(
        Path("studies.csv").read_text().replace("s4,Delta 2023,,b", "s4,Delta 2023,15,b")
    )
    (regression,) = analyse(load_config(write_config(text)).config).outcomes[0].meta_regression
    assert regression.study_values["dose"] == (10, 20, 40, 15)
