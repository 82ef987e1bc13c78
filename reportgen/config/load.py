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

from reportgen.config.bounds import check_limits
from reportgen.config.crosscheck import cross_check, describe_value
from reportgen.config.datafiles import SourceError, read_regular_file
from reportgen.config.limits import current_limits, excerpt
from reportgen.config.profiles import apply_profiles
from reportgen.config.references import attach_references
from reportgen.config.risk_of_bias import check_risk_of_bias
from reportgen.config.schema import ReportConfig
from reportgen.config.sources import attach_sources, decode_utf8
from reportgen.config.yamlpos import KeyPath, PositionedDocument, load_yaml
from reportgen.errors import ConfigError, Problem
from reportgen.stats.measures import OUTCOME_TYPES


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config with where it came from, and the data files it read."""

    config: ReportConfig
    path: Path
    sha256: str
    sources: tuple[Path, ...] = ()
    document: PositionedDocument | None = None  # where each key is, for later error messages


def load_config(path: str | Path, data_root: str | Path | None = None) -> LoadedConfig:
    """Read, parse and validate one config file; raise ``ConfigError`` listing every problem.

    Data files it names are read only from inside ``data_root`` (default: the
    ``REPORTGEN_DATA_ROOT`` environment variable, else the config's own folder); every input is
    bounded by ``config.limits`` (too much is a located problem, never a hang or a crash).
    """
    path = Path(path)
    shown = str(path)
    limits = current_limits()
    try:
        raw = read_regular_file(path, limits.config_bytes, "config_bytes", follow=True)
        text = decode_utf8(raw)
    except SourceError as exc:
        raise ConfigError([Problem(shown, exc.line, "", str(exc))]) from None
    document = load_yaml(text, shown, limits)
    if not isinstance(document.data, dict):
        raise ConfigError(
            [Problem(shown, 1, "", "expected a mapping with report, studies and outcomes")]
        )
    root = Path(data_root) if data_root is not None else None
    document, sources, problems, unreadable = attach_sources(document, path, limits, root)
    document, profile_problems = apply_profiles(document)  # fills what the config leaves out
    problems += profile_problems
    document, reference_files, reference_problems = attach_references(document, path, limits)
    sources, problems = sources + reference_files, problems + reference_problems
    problems += cross_check(document) + check_risk_of_bias(document)
    problems += check_limits(document, limits)
    try:
        config = ReportConfig.model_validate(document.data)
    except ValidationError as exc:
        schema_problems = [_problem_from_pydantic(error, document) for error in exc.errors()]
        problems += [p for p in schema_problems if p.key_path not in unreadable]
        config = None
    if problems or config is None:
        raise ConfigError(_at_most_per_file(_unique(problems), shown, limits.row_errors))
    return LoadedConfig(config, path, hashlib.sha256(raw).hexdigest(), sources, document)


def _at_most_per_file(problems: list[Problem], config_file: str, most: int) -> list[Problem]:
    """The problems, with at most ``most`` per data file followed by "and N more" (a data file
    of two million bad rows must not print two million lines)."""
    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=lambda p: (p.file, p.line, p.key_path, p.message)):
        by_file.setdefault(problem.file, []).append(problem)
    kept: list[Problem] = []
    for file, found in by_file.items():
        if file == config_file or len(found) <= most:
            kept += found
            continue
        cut_line = found[most].line  # whole lines are kept, so "and N more" comes last
        shown = [p for p in found if p.line < cut_line] or found[:most]
        rest = len(found) - len(shown)
        more = f"and {rest:,} more problem{'s' if rest != 1 else ''} from this line on"
        kept += [*shown, Problem(file, cut_line, "", more)]
    return kept


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
        message = f"expected one of {expected}, got {excerpt(given)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number, got {excerpt(given)}"
    elif kind == "greater_than_equal":
        message = f"must be at least {error['ctx']['ge']}, got {excerpt(given)}"
    elif kind == "greater_than":
        message = f"must be greater than {error['ctx']['gt']:g}, got {excerpt(given)}"
    elif kind in ("float_type", "float_parsing") and type(given) in (int, float):
        message = f"the number {excerpt(given)} is too large"
    elif kind in ("float_type", "float_parsing"):
        message = f"expected a number, got {describe_value(given)}"
    elif kind == "finite_number":
        message = f"expected a finite number, got {excerpt(given)}"
    elif kind == "string_pattern_mismatch":
        message = (
            f"{excerpt(given)} is not a valid id: use lower-case letters, digits and hyphens"
            if _field_is_slug(path)
            else f"{excerpt(given)} is not a valid id: use letters, digits, '-', '_' or '.'"
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
        message = f"expected {expected}, got {describe_value(given)}"
    else:
        message = error["msg"]
    return Problem(*document.locate(path), message)


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
