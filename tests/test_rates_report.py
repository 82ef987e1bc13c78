"""Incidence-rate outcomes through the publishing path (issue 14 item 2): the contract's data
rows inline and from CSV, located validation, the words per 1,000 of the outcome's time unit in
the summary and the brief, and results.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from metafor_reference import load_reference

from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.publish.build import build_report
from reportgen.stats.analysis import analyse

# metadat::dat.hart1999 (warfarin against placebo or control in atrial fibrillation: strokes
# and patient-years per arm).
HART = (
    ("afasak", 9, 413, 19, 398),
    ("spaf", 8, 263, 19, 245),
    ("baataf", 3, 487, 13, 435),
    ("cafa", 6, 237, 9, 241),
    ("spinaf", 7, 489, 23, 483),
    ("eaft", 20, 507, 50, 405),
)
STUDIES = "".join(f"  - {{id: {s}, label: {s.upper()}, design: rct}}\n" for s, *_ in HART)
COMPARISON_ROWS = "".join(
    f"      - {{study: {s}, intervention: {{events: {x1}, time: {t1}}}, "
    f"control: {{events: {x2}, time: {t2}}}}}\n"
    for s, x1, t1, x2, t2 in HART
)
SINGLE_ROWS = "".join(
    f"      - {{study: {s}, events: {x1}, time: {t1}}}\n" for s, x1, t1, *_ in HART
)


def _config(comparison: str = "", single: str = "", rows: str | None = None) -> str:
    return (
        "report:\n  id: warfarin\n  title: Warfarin in atrial fibrillation\n"
        "  intervention: warfarin\n"
        f"studies:\n{STUDIES}"
        "outcomes:\n"
        "  - id: stroke\n    label: Stroke\n    plain_label: had a stroke\n    role: harm\n"
        f"    type: rate_comparison\n    time_unit: patient-years\n{comparison}"
        f"    data:\n{COMPARISON_ROWS if rows is None else rows}"
        "  - id: stroke-rate\n    label: Stroke rate with warfarin\n"
        "    plain_label: had a stroke\n    role: harm\n"
        f"    type: rate\n    time_unit: patient-years\n{single}"
        f"    data:\n{SINGLE_ROWS}"
    )


def test_rate_outcomes_fit_as_metafor(write_config):
    # rma.mh(x1i, x2i, t1i, t2i, measure = "IRR") on dat.hart1999 (tests/reference/
    # metafor_rates.json, kind mh): log IRR -1.0295745969374, CMH 43.0656382800767
    loaded = load_config(write_config(_config("    method: MH\n", "    measure: IRFT\n")))
    comparison, single = analyse(loaded.config).outcomes
    assert comparison.model.estimate == pytest.approx(-1.0295745969374, rel=1e-9)
    assert comparison.model.mh.cmh == pytest.approx(43.0656382800767, rel=1e-9)
    assert comparison.participants is None
    assert single.back_transform_n == pytest.approx(6 / sum(1 / t for *_, t, _, _ in HART))


def test_csv_rows_read_like_inline_rows(write_config):
    inline = analyse(load_config(write_config(_config())).config).outcomes[0]
    header = "study,intervention_events,intervention_time,control_events,control_time\n"
    lines = "".join(f"{s},{x1},{t1},{x2},{t2}\n" for s, x1, t1, x2, t2 in HART)
    Path("stroke.csv").write_text(header + lines, encoding="utf-8")
    text = _config(rows="").replace(
        "    data:\n  - id: stroke-rate", "    data: stroke.csv\n  - id: stroke-rate"
    )
    from_csv = analyse(load_config(write_config(text)).config).outcomes[0]
    assert from_csv.model.estimate == inline.model.estimate
    assert [s.data for s in from_csv.studies] == [s.data for s in inline.studies]


@pytest.mark.parametrize(
    ("row", "key", "message"),
    [
        ("{study: spaf, events: 8, time: -263}", "time", "greater than 0"),
        ("{study: spaf, events: 8, time: 0}", "time", "greater than 0"),
        ("{study: spaf, events: -1, time: 263}", "events", "must be at least 0, got -1"),
        ("{study: spaf, events: 8}", "time", "required"),
        (
            "{study: spaf, events: 8, time: 263, total: 20}",
            "total",
            "unknown key 'total'; allowed keys: study, effect, events, time",
        ),
    ],
)
def test_bad_rate_rows_are_located(write_config, row, key, message):
    text = _config().replace("      - {study: spaf, events: 8, time: 263}\n", f"      - {row}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(text))
    (problem,) = [str(p) for p in caught.value.problems]
    line = text.splitlines().index(f"      - {row}") + 1
    assert problem.startswith(f"config.yaml:{line}: outcomes[1].data[1]")
    assert key in problem and message in problem


def test_rate_comparison_refuses_mh_for_irsd(write_config):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(_config("    measure: IRSD\n    method: MH\n")))
    assert "outcomes[0].method" in str(caught.value.problems[0])


def test_words_per_thousand_units_of_time(tmp_path, write_config):
    path = write_config(_config())
    built = build_report(path, tmp_path / "out", formats=("html", "json"))
    page = (built.folder / "report.html").read_text(encoding="utf-8")
    # IRLN pooled rate of the warfarin arms, per 1,000 patient-years (REML: 22.2, 14.2 to 34.8)
    assert "People had a stroke about 22 times per 1,000 patient-years (between 14 and 35)." in page
    assert "compared with about 48 times without it" in page  # median control-arm rate 47.7
    assert "22 per 1,000 patient-years (14 to 35)" in page  # the brief's rate cell
    assert "48 per 1,000 patient-years" in page  # the brief's comparator
    assert "Rates are shown per 1,000 patient-years." in page
    document = json.loads((built.folder / "results.json").read_text(encoding="utf-8"))
    outcomes = {o["id"]: o for o in document["outcomes"]}
    assert outcomes["stroke-rate"]["pooled"]["estimate"] == pytest.approx(0.0222, abs=5e-5)


def test_drop00_leaves_out_double_zero_studies_of_inverse_variance_fits(write_config):
    rows = COMPARISON_ROWS.replace(
        "{study: cafa, intervention: {events: 6, time: 237}, control: {events: 9, time: 241}}",
        "{study: cafa, intervention: {events: 0, time: 237}, control: {events: 0, time: 241}}",
    )
    kept = analyse(load_config(write_config(_config(rows=rows))).config).outcomes[0]
    assert kept.k == 6  # escalc's default drop00 = FALSE: 1/2 added to both arms
    dropping = _config("    zero_cells: {drop00: true}\n", rows=rows)
    dropped = analyse(load_config(write_config(dropping)).config).outcomes[0]
    assert dropped.k == 5 and "cafa" not in [s.id for s in dropped.studies]
    assert any("drop00" in note and "cafa" in note for note in dropped.notes)


def test_mantel_haenszel_rate_ratio_tests_in_results_json(tmp_path, write_config):
    path = write_config(_config("    method: MH\n    correct: false\n"))
    built = build_report(path, tmp_path / "out", formats=("json",))
    document = json.loads((built.folder / "results.json").read_text(encoding="utf-8"))
    stroke = document["outcomes"][0]
    # rma.mh(..., measure = "IRR", correct = FALSE) on dat.hart1999 (metafor_rates.json)
    case = next(
        c
        for c in load_reference("metafor_rates.json")["cases"]
        if c["kind"] == "mh"
        and c["dataset"] == "hart1999"
        and c["measure"] == "IRR"
        and not c["correct"]
    )
    assert stroke["mh"]["cmh"] == pytest.approx(case["cmh"], rel=1e-9)
    assert stroke["mh"]["tarone"] is None  # Tarone's test exists for odds ratios only


def test_forest_plot_of_rates_draws_rates_per_thousand_from_zero(write_config):
    from reportgen.present.figures.forest_layout import data_columns, x_axis

    comparison, single = analyse(load_config(write_config(_config())).config).outcomes
    low, high, ticks, labels, log_axis = x_axis(single)
    assert not log_axis and ticks[0] == 0.0 and low < 0 < high
    assert labels[:3] == ["0.0", "20.0", "40.0"]  # rates per 1,000 patient-years
    assert high >= max(s.ci_upper for s in single.studies)
    headers, cells, totals = data_columns(single)
    assert headers == ["Events / time"] and cells[0] == ["9 / 413"] and totals == ["53 / 2396"]
    headers, cells, totals = data_columns(comparison)
    assert cells[0] == ["9 / 413", "19 / 398"] and totals == ["53 / 2396", "133 / 2207"]
    assert x_axis(comparison)[4]  # rate ratios on a log axis


def test_a_new_version_says_how_a_rate_moved_per_thousand(tmp_path, write_config):
    out = tmp_path / "out"
    build_report(write_config(_config()), out, formats=("json",))
    changed = _config().replace(
        "{study: spaf, events: 8, time: 263}", "{study: spaf, events: 12, time: 263}"
    )
    built = build_report(write_config(changed), out, formats=("json",))
    document = json.loads((built.folder / "results.json").read_text(encoding="utf-8"))
    changes = json.dumps(document, ensure_ascii=False)
    assert "Stroke rate with warfarin: pooled estimate moved from 22.2 to " in changes
    assert "per 1,000 (+" in changes


def test_event_may_name_what_a_rate_difference_counts(write_config):
    text = _config("    measure: IRD\n    event: had a stroke or systemic embolism\n")
    (comparison, _) = analyse(load_config(write_config(text)).config).outcomes
    assert comparison.outcome.counted_event() == "had a stroke or systemic embolism"


def test_single_arm_rate_review_headline_icons_and_totals(tmp_path, write_config):
    """A review of rates only: the headline is the rate per 1,000 units of time, no icon array
    of 100 people is drawn for it, and no '0 people' total is claimed."""
    text = (
        _config().split("  - id: stroke\n")[0]
        + "  - id: stroke-rate"
        + _config().split("  - id: stroke-rate")[1]
    )
    built = build_report(write_config(text), tmp_path / "out", formats=("html",))
    page = (built.folder / "report.html").read_text(encoding="utf-8")
    assert "Warfarin: people had a stroke about 22 times per 1,000 patient-years" in page
    assert "There were six studies." in page and "0 people" not in page
    assert "n = 0" not in page
    summary = page[page.index('id="summary"') : page.index('id="appendix"')]
    assert "in 100 people" not in summary
