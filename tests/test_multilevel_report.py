"""Three-level outcomes through the config and the publishing path (issue 14 item 5): the
contract's ``structure: three_level`` and row ``effect`` ids, located refusals of what cannot
be fitted, results.json's per-level heterogeneity, and the forest plot's rows grouped by
study."""

from __future__ import annotations

import json

import pytest
from metafor_reference import ITERATIVE_RTOL, load_reference

from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report
from reportgen.stats.analysis import analyse

KONSTANTOPOULOS = next(
    c
    for c in load_reference("metafor_multilevel.json")["cases"]
    if c["dataset"] == "konstantopoulos2011" and c["method"] == "REML" and c["test"] == "z"
)


def _config(extra: str = "", rows: list[str] | None = None, structure: bool = True) -> str:
    case = KONSTANTOPOULOS
    districts = list(dict.fromkeys(case["study"]))
    studies = "".join(f"  - {{id: d{d}, label: District {d}, design: rct}}\n" for d in districts)
    if rows is None:
        rows = [
            f"{{study: d{s}, effect: {e}, estimate: {y!r}, se: {v**0.5!r}}}"
            for y, v, s, e in zip(
                case["yi"], case["vi"], case["study"], case["effect"], strict=True
            )
        ]
    return (
        "report:\n  id: school-calendar\n  title: Modified school calendars\n"
        "  intervention: a modified school calendar\n"
        f"studies:\n{studies}"
        "outcomes:\n  - id: achievement\n    label: Achievement\n    plain_label: achievement\n"
        "    role: benefit\n    type: generic\n    measure: SMD\n    good: higher\n"
        + ("    structure: three_level\n" if structure else "")
        + extra
        + "    data:\n"
        + "".join(f"      - {row}\n" for row in rows)
    )


def _problems(write_config, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(text))
    return [str(p) for p in caught.value.problems]


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_three_level_outcome_matches_rma_mv_and_publishes_both_levels(tmp_path, write_config):
    built = build_report(write_config(_config()), tmp_path / "out", formats=("json",))
    document = json.loads((built.folder / "results.json").read_text(encoding="utf-8"))
    (outcome,) = document["outcomes"]
    heterogeneity = outcome["heterogeneity"]
    for key in ("sigma2_between", "sigma2_within", "i2_between", "i2_within"):
        assert heterogeneity[key] == pytest.approx(KONSTANTOPOULOS[key], rel=ITERATIVE_RTOL), key
    assert heterogeneity["studies"] == 11
    assert outcome["model"]["estimate"] == pytest.approx(KONSTANTOPOULOS["estimate"], rel=1e-6)
    assert outcome["model"]["loglik"] == pytest.approx(KONSTANTOPOULOS["loglik"], rel=1e-6)


def test_rows_are_grouped_by_study_and_unsupported_analyses_noted(write_config):
    rows = [
        "{study: d11, effect: a, estimate: 0.1, se: 0.2}",
        "{study: d12, effect: a, estimate: 0.3, se: 0.2}",
        "{study: d11, effect: b, estimate: -0.1, se: 0.25}",
        "{study: d12, estimate: 0.2, se: 0.3}",
    ]
    loaded = load_config(write_config(_config(rows=rows)))
    (result,) = analyse(loaded.config).outcomes
    assert [s.label for s in result.studies] == [
        "District 11 (a)",
        "District 11 (b)",
        "District 12 (a)",
        "District 12 (2)",  # no effect id: its position within the study
    ]
    assert result.small_study is None and result.leave_one_out == ()
    assert any("were not run" in note for note in result.notes)
    assert result.model.components.studies == 2


@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        ("    method: DL\n", "method", "DL is not possible with structure: three_level"),
        ("    test: knha\n", "test", "knha is not possible with structure: three_level"),
        ("    subgroup: design\n", "subgroup", "subgroups are not available"),
    ],
)
def test_what_cannot_be_fitted_is_a_located_error(write_config, extra, key, message):
    text = _config(extra)
    found = _problems(write_config, text)
    assert found == [
        f"config.yaml:{_line(text, extra.strip())}: outcomes[0].{key}: "
        + next(p.split(": ", 2)[2] for p in found)
    ]
    assert message in found[0]


def test_duplicate_effect_ids_and_effects_without_structure_are_located(write_config):
    rows = [
        "{study: d11, effect: 1, estimate: 0.1, se: 0.2}",
        "{study: d11, effect: 1, estimate: 0.3, se: 0.2}",
    ]
    text = _config(rows=rows)
    (problem,) = _problems(write_config, text)
    assert problem.startswith(f"config.yaml:{len(text.splitlines())}: outcomes[0].data[1].effect")
    assert "effect '1' more than once" in problem
    text = _config(structure=False)
    found = _problems(write_config, text)
    assert any(
        p.startswith(f"config.yaml:{_line(text, 'effect: 1,')}: outcomes[0].data[0].effect")
        and "add structure: three_level" in p
        for p in found
    )


def test_three_level_rate_comparison_with_drop00(write_config):
    """Any outcome type can be three-level; escalc's drop00 applies to its effects."""
    text = (
        "report: {id: r, title: R}\n"
        "studies:\n  - {id: a, label: A}\n  - {id: b, label: B}\n  - {id: c, label: C}\n"
        "outcomes:\n  - id: infections\n    label: Infections\n    plain_label: had an infection\n"
        "    role: harm\n    type: rate_comparison\n    structure: three_level\n"
        "    zero_cells: {drop00: true}\n    time_unit: catheter-days\n    data:\n"
        + "".join(
            f"      - {{study: {s}, effect: {e}, intervention: {{events: {x1}, time: {t1}}}, "
            f"control: {{events: {x2}, time: {t2}}}}}\n"
            for s, e, x1, t1, x2, t2 in (
                ("a", 1, 7, 1344, 11, 1988),
                ("a", 2, 8, 1600, 8, 1461),
                ("b", 1, 3, 1201, 14, 1096),
                ("b", 2, 0, 300, 0, 310),
                ("c", 1, 6, 1536, 10, 1503),
                ("c", 2, 17, 6760, 15, 6840),
            )
        )
    )
    (result,) = analyse(load_config(write_config(text)).config).outcomes
    assert result.k == 5 and result.study_count == 3
    assert any("drop00" in note and "b" in note for note in result.notes)
    assert result.model.components is not None and result.model.method == "REML"


def test_effect_ids_read_from_csv(write_config):
    from pathlib import Path

    case = KONSTANTOPOULOS
    lines = "".join(
        f"d{s},{e},{y!r},{v**0.5!r}\n"
        for y, v, s, e in zip(case["yi"], case["vi"], case["study"], case["effect"], strict=True)
    )
    Path("effects.csv").write_text("study,effect,estimate,se\n" + lines, encoding="utf-8")
    text = _config(rows=[]).replace("    data:\n", "    data: effects.csv\n")
    (result,) = analyse(load_config(write_config(text)).config).outcomes
    assert result.k == 56 and result.model.components.studies == 11
    assert result.model.estimate == pytest.approx(case["estimate"], rel=1e-6)
