"""`level:` and `profile:` in configs (issue 14, items 3 and 6): located errors, precedence
(an explicit key wins), what reaches the analysis and results.json, CIs entered at another
level, and the flags on anti-conservative tests for subgroup differences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from metafor_reference import load_reference

from reportgen.config.load import load_config
from reportgen.config.profiles import PROFILE_LIST, PROFILES, profile_table
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report, prepare_report
from reportgen.stats.analysis import analyse
from reportgen.stats.pooling import pool

ROOT = Path(__file__).resolve().parents[1]


def _problems(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def _with(config: str, report: str = "", outcome: str = "") -> str:
    """The minimal config with extra lines under `report:` and the outcome."""
    text = config.replace("  title: A minimal report\n", f"  title: A minimal report\n{report}")
    return text.replace("    type: proportion\n", f"    type: proportion\n{outcome}")


@pytest.mark.parametrize(
    ("report", "outcome", "expected"),
    [
        (
            "  level: 0.9\n",
            "",
            "config.yaml:4: report.level: a level is a percentage: write 90 for a 90% "
            "interval, not 0.9",
        ),
        (
            "",
            "    level: 100\n",
            "config.yaml:14: outcomes[0].level: must be a percentage from 50 up to (not "
            "including) 100, got 100",
        ),
        ("", "    level: 30\n", "outcomes[0].level: must be a percentage from 50"),
        ("  level: ninety\n", "", "config.yaml:4: report.level: expected a number, got 'ninety'"),
        (
            "  profile: cochrane\n",
            "",
            "config.yaml:4: report.profile: unknown profile 'cochrane'; known profiles: "
            + ", ".join(PROFILES),
        ),
        ("", "    profile: revman6\n", "outcomes[0].profile: unknown profile 'revman6'"),
    ],
)
def test_levels_and_profiles_are_checked_with_located_messages(
    write_config, minimal_config, report, outcome, expected
):
    assert expected in _problems(write_config(_with(minimal_config, report, outcome)))


def _outcome(write_config, config: str):
    return load_config(write_config(config)).config.outcomes[0]


def test_the_report_level_reaches_every_outcome_and_an_outcome_level_wins(
    write_config, minimal_config
):
    assert _outcome(write_config, minimal_config).level == 95
    assert _outcome(write_config, _with(minimal_config, "  level: 90\n")).level == 90
    both = _with(minimal_config, "  level: 90\n", "    level: 99\n")
    assert _outcome(write_config, both).level == 99


def test_a_profile_sets_estimator_test_and_zero_cells_and_explicit_keys_win(
    write_config, minimal_config
):
    profiled = _outcome(write_config, _with(minimal_config, "  profile: revman5\n"))
    assert (profiled.method, profiled.test, profiled.zero_cells.to) == ("DL", "z", "only0")
    cochrane = _outcome(write_config, _with(minimal_config, "", "    profile: cochrane-2025\n"))
    assert (cochrane.method, cochrane.test) == ("REML", "knha")
    explicit = _with(minimal_config, "  profile: cochrane-2025\n", "    method: PM\n    test: z\n")
    assert (_outcome(write_config, explicit).method, _outcome(write_config, explicit).test) == (
        "PM",
        "z",
    )
    # A fixed-effect method the config names keeps its z-test (knha needs random effects).
    fixed = _outcome(
        write_config, _with(minimal_config, "  profile: cochrane-2025\n", "    method: FE\n")
    )
    assert (fixed.method, fixed.test) == ("FE", "z")
    # The outcome's own profile wins over the report's.
    own = _with(minimal_config, "  profile: cochrane-2025\n", "    profile: revman5\n")
    assert _outcome(write_config, own).method == "DL"


def test_profiles_of_binary_outcomes_leave_out_double_zeros_for_ratios_only():
    profile = PROFILES["cochrane-2025"]
    assert profile.drop00_measures == ("OR", "RR")
    assert PROFILES["reportgen-2026"].drop00_measures == ()


def test_released_profiles_never_change():
    """A config written today must reproduce its numbers: these values are frozen. A change of
    methods is a new profile with a new name, never an edit here."""
    frozen = {
        "cochrane-2025": ("REML", "knha", 95.0, None, "only0", ("OR", "RR"), True),
        "revman5": ("DL", "z", 95.0, None, "only0", ("OR", "RR"), True),
        "reportgen-2026": ("REML", "z", 95.0, None, "only0", (), True),
    }
    actual = {
        p.name: (p.estimator, p.test, p.level, p.add, p.to, p.drop00_measures, p.correct)
        for p in PROFILE_LIST
    }
    assert actual == frozen


def test_the_documented_table_is_the_registry():
    assert profile_table() in (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8")


def test_a_profile_reproduces_metafor_with_its_methods(write_config, minimal_config):
    """revman5 = DerSimonian-Laird with a z-test (metafor's method = 'DL')."""
    loaded = load_config(write_config(_with(minimal_config, "  profile: revman5\n")))
    result = analyse(loaded.config).outcomes[0]
    y = np.log(np.array([10, 15, 8]) / np.array([10, 10, 22]))
    v = 1 / np.array([10, 15, 8]) + 1 / np.array([10, 10, 22])
    assert result.model.estimate == pytest.approx(pool(y, v, "DL").estimate, rel=1e-12)


def test_results_json_records_level_and_profile(write_config, minimal_config, tmp_path):
    config = _with(minimal_config, "  level: 90\n  profile: revman5\n")
    build_report(write_config(config), tmp_path / "out", formats=("json",))
    document = json.loads((tmp_path / "out" / "minimal" / "results.json").read_text())
    outcome = document["outcomes"][0]
    assert (outcome["level"], outcome["profile"], outcome["method"]) == (90, "revman5", "DL")
    reference = pool(
        [r["yi"] for r in outcome["studies"]], [r["vi"] for r in outcome["studies"]], "DL", level=90
    )
    assert outcome["model"]["ci_lower"] == pytest.approx(reference.ci_lower, rel=1e-12)
    assert outcome["heterogeneity"]["tau2_ci_upper"] == pytest.approx(reference.tau2_ci_upper)


GENERIC = """\
report: {id: generic, title: Generic}
studies:
  - {id: s1, label: One}
  - {id: s2, label: Two}
outcomes:
  - id: death
    label: Death
    plain_label: died
    role: harm
    type: generic
    measure: HR
    good: lower
    event: died
    data:
      - {study: s1, estimate: 0.8, ci_lower: 0.6, ci_upper: 1.1}
      - {study: s2, estimate: 0.7, ci_lower: 0.5, ci_upper: 0.95}
"""


def test_cis_entered_at_another_level_are_read_at_that_level(write_config):
    default = analyse(load_config(write_config(GENERIC)).config).outcomes[0]
    ninety = GENERIC.replace("    event: died\n", "    event: died\n    entered_level: 90\n")
    entered = analyse(load_config(write_config(ninety)).config).outcomes[0]
    se_95 = (np.log(1.1) - np.log(0.6)) / (2 * 1.959963984540054)
    se_90 = (np.log(1.1) - np.log(0.6)) / (2 * 1.6448536269514722)
    assert default.studies[0].vi == pytest.approx(se_95**2, rel=1e-12)
    assert entered.studies[0].vi == pytest.approx(se_90**2, rel=1e-12)
    # The report's own level does not change how entered CIs are read.
    shown_at_90 = GENERIC.replace(
        "report: {id: generic, title: Generic}", "report: {id: generic, title: Generic, level: 90}"
    )
    assert analyse(load_config(write_config(shown_at_90)).config).outcomes[0].studies[0].vi == (
        default.studies[0].vi
    )


def test_glmm_fit_statistics_reach_results_json():
    document = json.loads(
        (ROOT / "tests" / "golden" / "hyperdynamic-therapy-vasospasm.results.json").read_text()
    )
    glmm = [
        s for o in document["outcomes"] for s in o["sensitivity"] if s["model"]["method"] == "GLMM"
    ]
    assert glmm and all(s["model"]["loglik"] is not None for s in glmm)
    assert {
        c["dataset"] for c in load_reference("metafor_levels.json")["cases"] if c["kind"] == "glmm"
    }


SUBGROUPS = """\
report: {id: flags, title: Flags}
studies:
  - {id: s1, label: One, arm: a}
  - {id: s2, label: Two, arm: a}
  - {id: s3, label: Three, arm: a}
  - {id: s4, label: Four, arm: b}
outcomes:
  - id: response
    label: Response
    plain_label: responded
    role: benefit
    type: proportion
    subgroup: arm
    data:
      - {study: s1, events: 10, total: 20}
      - {study: s2, events: 12, total: 22}
      - {study: s3, events: 11, total: 21}
      - {study: s4, events: 28, total: 30}
"""


def test_anti_conservative_subgroup_tests_are_flagged_in_brief_and_appendix(write_config):
    view = prepare_report(write_config(SUBGROUPS)).view
    brief_notes = " ".join(view.brief.notes)
    assert "anti-conservative" in brief_notes and "\u2018b\u2019 has a single study" in brief_notes
    assert "\u2018b\u2019 has a single study" in view.appendix.outcomes[0]["subgroups"]["flag"]
    knha = SUBGROUPS.replace("    subgroup: arm\n", "    subgroup: arm\n    test: knha\n")
    notes = " ".join(prepare_report(write_config(knha)).view.brief.notes)
    assert "Knapp-Hartung standard errors are compared with a chi-square test" in notes


def test_a_test_without_one_study_groups_or_knha_is_not_flagged(write_config):
    balanced = SUBGROUPS.replace(
        "  - {id: s3, label: Three, arm: a}", "  - {id: s3, label: Three, arm: b}"
    )
    notes = " ".join(prepare_report(write_config(balanced)).view.brief.notes)
    assert "anti-conservative" not in notes


def test_a_wrong_report_level_is_reported_once(write_config, minimal_config):
    problems = _problems(write_config(_with(minimal_config, "  level: ninety\n"))).splitlines()
    assert problems == ["config.yaml:4: report.level: expected a number, got 'ninety'"]


def test_the_words_follow_the_level_and_name_the_profile(write_config, minimal_config):
    config = _with(minimal_config, "  level: 90\n  profile: revman5\n")
    view = prepare_report(write_config(config)).view
    summary = " ".join(str(value) for value in vars(view.summary).values())
    assert "the 90% confidence interval" in summary and "95%" not in summary
    outcome = view.appendix.outcomes[0]
    assert outcome["ci_label"] == "90% CI" and outcome["settings"].endswith("90% CI")
    assert any("method profile revman5 (Review Manager 5" in p for p in view.appendix.methods)
    assert all("95%" not in p for p in view.appendix.methods)
    assert "90% CI" in outcome["figure_alt"]


def test_at_95_the_settings_line_and_methods_are_as_before(write_config, minimal_config):
    view = prepare_report(write_config(minimal_config)).view
    assert view.appendix.outcomes[0]["settings"] == "proportion, PLO, REML, z"
    assert not any("method profile" in p for p in view.appendix.methods)


def test_outcomes_at_different_levels_say_so_in_the_brief(write_config, minimal_config):
    second = """\
  - id: remission
    label: Remission
    plain_label: went into remission
    role: benefit
    type: proportion
    level: 99
    data:
      - {study: s1, events: 2, total: 20}
      - {study: s2, events: 3, total: 25}
      - {study: s3, events: 1, total: 30}
"""
    config = _with(minimal_config, "  level: 90\n") + second
    view = prepare_report(write_config(config)).view
    assert view.brief.ci_label == "90% or 99% CI"
    assert [row.detail for row in view.brief.rows] == ["90% CI", "99% CI"]
    summary = " ".join(str(value) for value in vars(view.summary).values())
    assert "(the 90% and 99% confidence interval)" in summary, summary
