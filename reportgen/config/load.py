"""Read a config file into a validated ``ReportConfig``, or report every problem at once.

Problems come from three places and are merged: YAML syntax, the pydantic schema (types, ranges,
unknown keys) and cross-checks the schema cannot express (ids unique, rows naming known studies,
events not above totals). Each is located as ``file:line: key.path: message``.
"""

from __future__ import annotations

import difflib
import hashlib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from reportgen.config.schema import ReportConfig
from reportgen.config.sources import attach_sources
from reportgen.config.yamlpos import KeyPath, PositionedDocument, load_yaml
from reportgen.errors import ConfigError, Problem
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


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config with where it came from, and the data files it read."""

    config: ReportConfig
    path: Path
    sha256: str
    sources: tuple[Path, ...] = ()
    document: PositionedDocument | None = None  # where each key is, for later error messages


def load_config(path: str | Path) -> LoadedConfig:
    """Read, parse and validate one config file; raise ``ConfigError`` listing every problem."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([Problem(shown, 0, "", f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(shown, 0, "", f"not UTF-8 text ({exc.reason})")]) from None
    document = load_yaml(text, shown)
    if not isinstance(document.data, dict):
        raise ConfigError(
            [Problem(shown, 1, "", "expected a mapping with report, studies and outcomes")]
        )
    document, sources, problems, unreadable = attach_sources(document, path)
    problems += cross_check(document)
    try:
        config = ReportConfig.model_validate(document.data)
    except ValidationError as exc:
        schema_problems = [_problem_from_pydantic(error, document) for error in exc.errors()]
        problems += [p for p in schema_problems if p.key_path not in unreadable]
        config = None
    if problems or config is None:
        raise ConfigError(_unique(problems))
    return LoadedConfig(config, path, hashlib.sha256(raw).hexdigest(), sources, document)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _problem_from_pydantic(error: Any, document: PositionedDocument) -> Problem:
    schema_path: KeyPath = tuple(error["loc"])
    # Outcomes are a union keyed by `type`; pydantic puts the type in the location.
    path = tuple(
        part
        for index, part in enumerate(schema_path)
        if not (index == 2 and schema_path[0] == "outcomes" and part in OUTCOME_TYPES)
    )
    kind = error["type"]
    given = error.get("input")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        path = (*path, "type")
        tag = error.get("ctx", {}).get("tag")
        expected = ", ".join(f"'{t}'" for t in OUTCOME_TYPES)
        message = (
            "required key is missing"
            if kind == "union_tag_not_found"
            else f"expected one of {expected}, got {tag!r}"
        )
    elif kind == "extra_forbidden":
        key = str(path[-1])
        message = f"unknown key '{key}'"
        suggestion = difflib.get_close_matches(key, _allowed_keys(schema_path[:-1]), n=1)
        if suggestion:
            message += f" (did you mean '{suggestion[0]}'?)"
        else:
            message += "; allowed keys: " + ", ".join(_allowed_keys(schema_path[:-1]))
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"expected one of {expected}, got {given!r}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number, got {given!r}"
    elif kind == "greater_than_equal":
        message = f"must be at least {error['ctx']['ge']}, got {given!r}"
    elif kind == "greater_than":
        message = f"must be greater than {error['ctx']['gt']:g}, got {given!r}"
    elif kind in ("float_type", "float_parsing"):
        message = f"expected a number, got {given!r}"
    elif kind == "string_pattern_mismatch":
        message = (
            f"{given!r} is not a valid id: use lower-case letters, digits and hyphens"
            if _field_is_slug(path)
            else f"{given!r} is not a valid id: use letters, digits, '-', '_' or '.'"
        )
    elif kind == "too_short":
        message = "must not be empty"
    elif kind in (
        "string_type",
        "bool_type",
        "bool_parsing",
        "list_type",
        "model_type",
        "dict_type",
    ):
        expected = {
            "string_type": "text",
            "bool_type": "true or false",
            "bool_parsing": "true or false",
            "list_type": "a list",
            "model_type": "a mapping of keys",
            "dict_type": "a mapping of keys",
        }[kind]
        message = f"expected {expected}, got {_describe(given)}"
    else:
        message = error["msg"]
    return Problem(*document.locate(path), message)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _model_at(path: KeyPath) -> type[BaseModel] | None:
    """The schema model that describes the mapping at ``path`` (None if not a model).

    ``path`` is pydantic's location, in which a union member appears by its tag."""
    model: Any = ReportConfig
    for part in path:
        if isinstance(part, int):
            continue
        if isinstance(model, tuple):  # a tagged union: the tag picks the member
            model = next((m for m in model if _tag_of(m) == part), None)
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X] -> X, X | None -> X, Annotated[X, ...] -> X; a union of models -> a tuple."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is list or origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) > 1:
                return tuple(options)
            annotation = options[0]
        else:
            return annotation


def _tag_of(model: Any) -> Any:
    field = getattr(model, "model_fields", {}).get("type")
    return typing.get_args(field.annotation)[0] if field is not None else None


def _allowed_keys(path: KeyPath) -> list[str]:
    model = _model_at(path)
    return list(model.model_fields) if model else []


def _field_is_slug(path: KeyPath) -> bool:
    return path[-1] == "id" and path[0] in ("report", "outcomes")


def cross_check(document: PositionedDocument) -> list[Problem]:
    """Checks across keys that the schema cannot express, made on the raw parsed YAML.

    Tolerant of malformed parts (the schema reports those): a check runs only where the values
    it needs have the right types.
    """
    data = document.data
    problems: list[Problem] = []

    def add(path: KeyPath, message: str) -> None:
        problems.append(Problem(*document.locate(path), message))

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
            if key not in ("id", "label", "design", "citation") and not _is_scalar(value):
                add(
                    ("studies", index, key),
                    f"study attribute must be text, a number or true/false, got {_describe(value)}",
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
        rows = outcome.get("data") if isinstance(outcome.get("data"), list) else []
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
                if study_ref in seen:
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
    if _is_int(events) and _is_int(total) and events > total and total >= 1:
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
    if measure in MEASURES and MEASURES[measure].scale == "ratio":
        for key, value in numbers.items():
            if value <= 0:
                add((*here, key), f"a {measure} must be greater than 0, got {value!r}")
    if len(numbers) == 3 and not lower <= estimate <= upper:
        add(
            (*here, "estimate"),
            f"the confidence interval {lower!r} to {upper!r} does not contain the estimate "
            f"{estimate!r}",
        )


def _check_outcome_options(
    outcome: dict, here: KeyPath, add, study_ids: set[str], studies: list
) -> None:
    kind = OUTCOME_TYPES.get(outcome.get("type"))  # type: ignore[arg-type]
    if kind is not None:
        _check_combinations(outcome, kind, here, add)
    subgroup = outcome.get("subgroup")
    if isinstance(subgroup, str):
        attributes = {key for s in studies if isinstance(s, dict) for key in s}
        if subgroup not in attributes:
            add((*here, "subgroup"), f"no study has an attribute '{subgroup}'")
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
        if used_method not in METHODS or used_test not in TESTS:
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


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
