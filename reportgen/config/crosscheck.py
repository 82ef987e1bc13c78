"""Cross-checks the schema cannot express, on the positioned YAML document: unique ids, rows
naming known studies, events not above totals, ratios above zero, and the (type, measure,
method, test) combinations the measure registry allows, for the main analysis and every
sensitivity analysis. Each problem is located at its key."""

from __future__ import annotations

import difflib
from typing import Any, TypeGuard

from reportgen.config.limits import excerpt
from reportgen.config.prisma import prisma_problems
from reportgen.config.regression import check_regressions
from reportgen.config.three_level import check_three_level, is_three_level
from reportgen.config.yamlpos import KeyPath, PositionedDocument
from reportgen.errors import Problem
from reportgen.paths import data_dir
from reportgen.stats.measures import (
    MEASURES,
    METHODS,
    OUTCOME_TYPES,
    TESTS,
    Mismatch,
    OutcomeType,
    combination_problems,
)

# Why a method needs particular measures, for messages (others: "needs measure X").
METHOD_REASONS = {"PETO": "gives odds ratios", "GLMM": "models logits"}
# What a method is called in "Knapp-Hartung is not available for ..." (others: "method X").
METHOD_SUBJECTS = {"GLMM": "the GLMM", "MH": "Mantel-Haenszel", "PETO": "the Peto method"}
TEST_SUBJECTS = {"knha": "Knapp-Hartung", "z": "the z-test"}
DEFAULT_TEST = "z"
STUDY_FIELDS = ("id", "label", "design", "citation", "risk_of_bias")  # not study attributes


def cross_check(document: PositionedDocument) -> list[Problem]:
    """Checks across keys that the schema cannot express, made on the raw parsed YAML.

    Tolerant of malformed parts (the schema reports those): a check runs only where the values
    it needs have the right types.
    """
    data = document.data
    problems: list[Problem] = []

    def add(path: KeyPath, message: str) -> None:
        problems.append(Problem(*document.locate(path), message))

    _check_language(data, add)
    prisma_problems(data, add)
    studies = data.get("studies") if isinstance(data.get("studies"), list) else []
    study_ids: set[str] = set()
    for index, study in enumerate(studies):
        if not isinstance(study, dict):
            continue
        study_id = study.get("id")
        if isinstance(study_id, str):
            if study_id in study_ids:
                add(("studies", index, "id"), f"duplicate study id '{study_id}'")
            study_ids.add(study_id)
        for key, value in study.items():
            if key not in STUDY_FIELDS and not _is_scalar(value):
                add(
                    ("studies", index, key),
                    "study attribute must be text, a number or true/false, got "
                    + describe_value(value),
                )

    outcomes = data.get("outcomes") if isinstance(data.get("outcomes"), list) else []
    outcome_ids: set[str] = set()
    for o_index, outcome in enumerate(outcomes):
        if not isinstance(outcome, dict):
            continue
        outcome_id = outcome.get("id")
        if isinstance(outcome_id, str):
            if outcome_id in outcome_ids:
                add(("outcomes", o_index, "id"), f"duplicate outcome id '{outcome_id}'")
            outcome_ids.add(outcome_id)
        _check_outcome_options(outcome, ("outcomes", o_index), add, study_ids, studies)
        check_three_level(outcome, ("outcomes", o_index), add)
        rows = outcome.get("data")
        if not isinstance(rows, list):
            rows = []
        seen: set[str] = set()
        for r_index, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            here = ("outcomes", o_index, "data", r_index)
            study_ref = row.get("study")
            if isinstance(study_ref, str):
                if study_ids and study_ref not in study_ids:
                    hint = difflib.get_close_matches(study_ref, sorted(study_ids), n=1)
                    add(
                        (*here, "study"),
                        f"unknown study '{study_ref}'"
                        + (
                            f" (did you mean '{hint[0]}'?)"
                            if hint
                            else "; it must be listed under studies"
                        ),
                    )
                if study_ref in seen and not is_three_level(outcome):
                    add(
                        (*here, "study"),
                        f"study '{study_ref}' has more than one row in this outcome",
                    )
                seen.add(study_ref)
            _check_counts(row, here, add)
            for arm in ("intervention", "control"):
                if isinstance(row.get(arm), dict):
                    _check_counts(row[arm], (*here, arm), add)
            if outcome.get("type") == "generic":
                _check_generic_row(row, here, outcome.get("measure"), add)
    return problems


def _check_counts(row: dict, here: KeyPath, add) -> None:
    events, total = row.get("events"), row.get("total")
    # Counts over the max_count limit are reported by ``bounds`` (and not printed whole here).
    if not (_is_int(events) and _is_int(total) and max(events, total) <= 10**15):
        return
    if events > total >= 1:
        add((*here, "events"), f"events ({events}) cannot be more than total ({total})")


def _check_generic_row(row: dict, here: KeyPath, measure: Any, add) -> None:
    estimate, lower, upper = row.get("estimate"), row.get("ci_lower"), row.get("ci_upper")
    has_se = row.get("se") is not None
    if not has_se and (lower is None or upper is None):
        add(here, "give either se, or both ci_lower and ci_upper")
    if has_se and (lower is not None or upper is not None):
        add(here, "give either se or a confidence interval, not both")
    numbers = {
        k: v
        for k, v in (("estimate", estimate), ("ci_lower", lower), ("ci_upper", upper))
        if _is_number(v)
    }
    if isinstance(measure, str) and measure in MEASURES and MEASURES[measure].scale == "ratio":
        for key, value in numbers.items():
            if value <= 0:
                add((*here, key), f"a {measure} must be greater than 0, got {value!r}")
    # All three are numbers here (``numbers`` holds them): compare them as such.
    if len(numbers) == 3 and not numbers["ci_lower"] <= numbers["estimate"] <= numbers["ci_upper"]:
        add(
            (*here, "estimate"),
            f"the confidence interval {lower!r} to {upper!r} does not contain the estimate "
            f"{estimate!r}",
        )


def _check_outcome_options(
    outcome: dict, here: KeyPath, add, study_ids: set[str], studies: list
) -> None:
    code = outcome.get("type")
    kind = OUTCOME_TYPES.get(code) if isinstance(code, str) else None
    if kind is not None:
        _check_combinations(outcome, kind, here, add)
        _check_meaning(outcome, kind, here, add)
    subgroup = outcome.get("subgroup")
    if isinstance(subgroup, str):
        attributes = {key for s in studies if isinstance(s, dict) for key in s}
        if subgroup not in attributes:
            add((*here, "subgroup"), f"no study has an attribute '{subgroup}'")
    check_regressions(outcome, here, add, studies)
    sensitivity = outcome.get("sensitivity")
    for s_index, analysis in enumerate(sensitivity if isinstance(sensitivity, list) else []):
        excluded = analysis.get("exclude_studies") if isinstance(analysis, dict) else None
        for e_index, study_id in enumerate(excluded if isinstance(excluded, list) else []):
            if isinstance(study_id, str) and study_ids and study_id not in study_ids:
                add(
                    (*here, "sensitivity", s_index, "exclude_studies", e_index),
                    f"unknown study '{study_id}'",
                )


def _check_combinations(outcome: dict, kind: OutcomeType, here: KeyPath, add) -> None:
    """Refuse the (measure, method, test) combinations that the measure registry does not allow,
    for the main analysis (which subgroups and leave-one-out re-use) and for every sensitivity
    analysis (its own method and test, or the outcome's where it gives none).

    Values the schema already refuses (unknown codes, a method of another outcome type in the
    main analysis) are left to it, so each mistake is reported once; a sensitivity analysis
    that sets neither method nor test repeats the main analysis and adds nothing.
    """
    measure = outcome.get("measure", kind.default_measure)
    method = outcome.get("method", kind.default_method)
    test = outcome.get("test", DEFAULT_TEST)
    if not isinstance(measure, str) or measure not in kind.measures:
        return
    if isinstance(method, str) and method in kind.methods and test in TESTS:
        for mismatch in combination_problems(kind.code, measure, method, test):
            if mismatch.key == "method":
                add((*here, "method"), _main_method_message(method, mismatch))
            elif mismatch.key == "test":
                add((*here, "test"), _test_message(method, test, mismatch))
    sensitivity = outcome.get("sensitivity")
    for s_index, analysis in enumerate(sensitivity if isinstance(sensitivity, list) else []):
        if not isinstance(analysis, dict):
            continue
        own_method, own_test = analysis.get("method"), analysis.get("test")
        if own_method is None and own_test is None:
            continue
        used_method = method if own_method is None else own_method
        used_test = test if own_test is None else own_test
        if not isinstance(used_method, str) or used_method not in METHODS or used_test not in TESTS:
            continue  # an unknown code: the schema reports it
        at = (*here, "sensitivity", s_index)
        mismatches = combination_problems(kind.code, measure, used_method, used_test)
        method_refused = any(m.key == "method" for m in mismatches)
        for mismatch in mismatches:
            if mismatch.key == "method" and own_method is not None:
                add(
                    (*at, "method"),
                    _sensitivity_method_message(kind, measure, mismatch, own_method),
                )
            elif mismatch.key == "test" and own_test is not None:
                add((*at, "test"), _test_message(used_method, used_test, mismatch))
            elif mismatch.key == "test" and own_method is not None and not method_refused:
                add(
                    (*at, "method"),
                    f"{TEST_SUBJECTS.get(used_test, used_test)} (the outcome's test: "
                    f"{used_test}) is not available for "
                    f"{METHOD_SUBJECTS.get(used_method, f'method {used_method}')}: add "
                    f"test: {_either(mismatch.needs)} to this analysis",
                )


# Keys that describe a measured (continuous) quantity: mean differences only.
MEASURED_KEYS = ("unit", "scale", "mid")


def _check_meaning(outcome: dict, kind: OutcomeType, here: KeyPath, add) -> None:
    """What the outcome's statement needs to be said correctly (``good``, ``event``, ``unit``,
    ``mid``): a comparative outcome whose sentence would have to guess is refused, naming the
    key to add. Counted events (binary) default ``good`` from ``role`` and ``event`` from
    ``plain_label``; continuous and generic outcomes have no safe default."""
    measure = outcome.get("measure", kind.default_measure)
    if not isinstance(measure, str) or measure not in kind.measures:
        return
    label = outcome.get("label") if isinstance(outcome.get("label"), str) else "this outcome"
    if kind.code in ("continuous", "generic") and outcome.get("good") is None:
        add(
            (*here, "good"),
            f"say which direction of {label} is better: add good: higher or good: lower "
            f"({kind.code} outcomes have no default)",
        )
    counts_events = MEASURES[measure].scale == "ratio" or MEASURES[measure].absolute is not None
    if kind.code == "generic" and counts_events and outcome.get("event") is None:
        add(
            (*here, "event"),
            f"say what the {measure} counts, finishing 'fewer people ...': add event, e.g. "
            "event: died or event: had a fall",
        )
    counted = kind.code in ("proportion", "rate", "rate_comparison")  # data count events
    if outcome.get("event") is not None and not counts_events and not counted:
        add((*here, "event"), f"event applies to counted events, not to measure {measure}")
    if measure != "SMD" and outcome.get("familiar_scale") is not None:
        add(
            (*here, "familiar_scale"),
            "familiar_scale applies to standardised mean differences (measure SMD) only",
        )
    if measure != "MD":
        for key in MEASURED_KEYS:
            if outcome.get(key) is not None:
                add((*here, key), f"{key} applies to mean differences (measure MD) only")
        return
    if outcome.get("unit") is None:
        add((*here, "unit"), "add unit: the unit of the mean difference, e.g. unit: points")
    if outcome.get("mid") is None and outcome.get("thresholds") is None:
        add(
            (*here, "mid"),
            "add mid: the smallest change that matters to people, in the outcome's unit "
            "(or thresholds: small, moderate and large)",
        )


def _either(codes: tuple[str, ...]) -> str:
    return " or ".join(codes)


def _main_method_message(method: str, mismatch: Mismatch) -> str:
    reason = METHOD_REASONS.get(method, f"needs measure {_either(mismatch.needs)}")
    return f"method {method} {reason}: set measure: {_either(mismatch.needs)}"


def _test_message(method: str, test: str, mismatch: Mismatch) -> str:
    return (
        f"{TEST_SUBJECTS.get(test, test)} is not available for "
        f"{METHOD_SUBJECTS.get(method, f'method {method}')}: use test: {_either(mismatch.needs)}"
    )


def _sensitivity_method_message(
    kind: OutcomeType, measure: str, mismatch: Mismatch, method: str
) -> str:
    allowed = ", ".join(mismatch.allowed)
    if not mismatch.needs:
        return f"{method} is not available for {kind.code} outcomes; allowed here: {allowed}"
    return (
        f"{method} needs measure {_either(mismatch.needs)} and this outcome uses {measure}; "
        f"allowed here: {allowed}"
    )


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def describe_value(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    return excerpt(value)


def summary_languages() -> list[str]:
    """The languages with a locale file (``data/locale/<language>.yaml``)."""
    return sorted(path.stem for path in (data_dir() / "locale").glob("*.yaml"))


def summary_language_exists(tag: str) -> bool:
    """An IETF tag has words if its full tag or its primary language has a locale file."""
    languages = summary_languages()
    return tag in languages or tag.split("-")[0].lower() in languages


def _check_language(data: dict, add) -> None:
    """``report.language`` must have summary words (a locale file)."""
    report = data.get("report")
    if not isinstance(report, dict):
        report = {}
    language = report.get("language")
    if isinstance(language, str) and not summary_language_exists(language):
        add(
            ("report", "language"),
            f"no summary words for language '{language}'; available: "
            + ", ".join(summary_languages()),
        )
