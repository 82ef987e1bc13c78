"""Method profiles: named, versioned sets of analysis options (`profile: NAME` on `report` or an
outcome), and the confidence `level` of a report or outcome.

A profile makes a review follow its publisher's methods with one line: the random-effects tau2
estimator, the test (z or Knapp-Hartung), the confidence level, escalc's zero-cell options and
the Mantel-Haenszel continuity correction. It fills only the keys the config leaves out (an
explicit key always wins), and a released profile never changes: a new set of methods gets a
new name, so a config written today reproduces its numbers later.

Precedence for each key of an outcome: the outcome's own key, then its ``profile``, then (for
``level`` only) the report's ``level``, then the report's ``profile``, then reportgen's default.
The estimator and test are filled only for inverse-variance random-effects fits: a method the
config names (FE, MH, PETO, GLMM) is kept with its own test.

The profiles are applied to the parsed YAML before validation, so the schema and the
cross-checks see the options that will be used, and problems stay located.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportgen.config.yamlpos import KeyPath, PositionedDocument
from reportgen.errors import Problem
from reportgen.stats.measures import ESTIMATORS, MEASURES, OUTCOME_TYPES

# What a config may ask for: narrower than 50% is no confidence interval anyone reports.
LOWEST_LEVEL = 50.0
# Two-arm ratios (OR, RR), whose double-zero studies carry no information.
TWO_ARM_RATIOS = tuple(
    code for code in OUTCOME_TYPES["binary"].measures if MEASURES[code].scale == "ratio"
)
RANDOM_EFFECTS = tuple(code for code in ESTIMATORS if code != "FE")


@dataclass(frozen=True)
class Profile:
    """One released profile. ``drop00_measures``: the measures whose double-zero studies are
    left out (escalc's ``drop00``); ``source``: what it follows, for the documentation."""

    name: str
    title: str
    source: str
    estimator: str
    test: str
    level: float = 95.0
    add: float | None = None  # None: the measure's default (0.5; 0 for PAS and PFT)
    to: str = "only0"
    drop00_measures: tuple[str, ...] = ()
    correct: bool = True

    def row(self) -> dict[str, str]:
        """The profile as a row of the documented table (docs/profiles.md)."""
        drop00 = ", ".join(self.drop00_measures) if self.drop00_measures else "none"
        return {
            "profile": f"`{self.name}`",
            "follows": self.title,
            "tau2 estimator": self.estimator,
            "test": self.test,
            "level": f"{self.level:g}%",
            "zero cells": f"add {'the default' if self.add is None else f'{self.add:g}'} "
            f"to {self.to}",
            "double zeros left out": drop00,
            "MH correction": "yes" if self.correct else "no",
        }


# Released profiles: never edit one; add a new name instead.
PROFILE_LIST = (
    Profile(
        name="cochrane-2025",
        title="Cochrane RevMan random-effects methods (2025)",
        source="Cochrane Statistical Methods Group recommendation implemented in RevMan in "
        "January 2025 (Cochrane Handbook chapter 10): REML, Hartung-Knapp-Sidik-Jonkman, "
        "Q-profile CI for tau2; studies with no events in either arm excluded from OR and RR.",
        estimator="REML",
        test="knha",
        drop00_measures=TWO_ARM_RATIOS,
    ),
    Profile(
        name="revman5",
        title="Review Manager 5 (as R meta's settings.meta('RevMan5'))",
        source="RevMan 5: DerSimonian-Laird with a normal (Wald) CI; 0.5 added to zero cells; "
        "studies with no events in either arm excluded from OR and RR.",
        estimator="DL",
        test="z",
        drop00_measures=TWO_ARM_RATIOS,
    ),
    Profile(
        name="reportgen-2026",
        title="reportgen's defaults in 2026 (metafor's rma defaults)",
        source="metafor rma: REML with a z-test; escalc: 0.5 added to studies with a zero "
        "cell, double zeros kept.",
        estimator="REML",
        test="z",
    ),
)
PROFILES = {profile.name: profile for profile in PROFILE_LIST}


def profile_table() -> str:
    """The documented table of every profile, as Markdown (docs/profiles.md is tested to
    contain it)."""
    rows = [profile.row() for profile in PROFILE_LIST]
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row[key] for key in header) + " |" for row in rows]
    return "\n".join(lines)


def _level_problem(value: Any) -> str | None:
    """Why a `level` value is refused (None if it is a valid percentage)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # the schema reports the wrong type
    if 0 < value <= 1:
        return (
            f"a level is a percentage: write {value * 100:g} for a {value * 100:g}% interval, "
            f"not {value:g}"
        )
    if not LOWEST_LEVEL <= value < 100:
        return (
            f"must be a percentage from {LOWEST_LEVEL:g} up to (not including) 100, got {value:g}"
        )
    return None


def _valid_level(value: Any) -> Any:
    """The report's level if it can be handed down to the outcomes (a wrong one is reported once,
    at `report.level`, not again at every outcome)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if _level_problem(value) is None else None


def _profile_of(
    mapping: dict, here: KeyPath, document: PositionedDocument, problems: list[Problem]
) -> Profile | None:
    name = mapping.get("profile")
    if name is None:
        return None
    profile = PROFILES.get(name) if isinstance(name, str) else None
    if profile is None:
        known = ", ".join(PROFILES)
        problems.append(
            Problem(
                *document.locate((*here, "profile")),
                f"unknown profile {name!r}; known profiles: {known}",
            )
        )
    return profile


def _check_levels(
    mapping: dict, here: KeyPath, document: PositionedDocument, problems: list[Problem]
) -> None:
    for key in ("level", "entered_level"):
        message = _level_problem(mapping.get(key))
        if message is not None:
            problems.append(Problem(*document.locate((*here, key)), message))


def apply_profiles(document: PositionedDocument) -> tuple[PositionedDocument, list[Problem]]:
    """The document with every outcome's missing options filled from the profiles and the
    report's ``level``; problems for unknown profile names and levels out of range."""
    data = document.data
    problems: list[Problem] = []
    report = data.get("report") if isinstance(data.get("report"), dict) else {}
    report_profile = _profile_of(report, ("report",), document, problems)
    _check_levels(report, ("report",), document, problems)
    outcomes = data.get("outcomes")
    if not isinstance(outcomes, list):
        return document, problems
    filled = []
    for index, outcome in enumerate(outcomes):
        if not isinstance(outcome, dict):
            filled.append(outcome)
            continue
        here: KeyPath = ("outcomes", index)
        _check_levels(outcome, here, document, problems)
        own = _profile_of(outcome, here, document, problems)
        filled.append(_filled(outcome, own, _valid_level(report.get("level")), report_profile))
    if problems:
        return document, problems
    return _with_data(document, {**data, "outcomes": filled}), problems


def _filled(
    outcome: dict, own: Profile | None, report_level: Any, report_profile: Profile | None
) -> dict:
    """One outcome with the keys it leaves out taken from its profile or the report's."""
    result = dict(outcome)
    if "level" not in result:
        level = own.level if own else report_level
        if level is None and report_profile is not None:
            level = report_profile.level
        if level is not None:
            result["level"] = level
    profile = own or report_profile
    if profile is None:
        return result
    result["profile"] = profile.name  # the profile applied, also when it is the report's
    kind = OUTCOME_TYPES.get(outcome.get("type"))  # type: ignore[arg-type]
    if kind is None:
        return result
    if "method" not in result and kind.default_method in RANDOM_EFFECTS:
        result["method"] = profile.estimator
    if "test" not in result and result.get("method", kind.default_method) in RANDOM_EFFECTS:
        result["test"] = profile.test
    if outcome.get("type") == "binary" and "correct" not in result:
        result["correct"] = profile.correct
    if outcome.get("type") in ("binary", "proportion"):
        result["zero_cells"] = _zero_cells(result, kind.default_measure, profile)
    return result


def _zero_cells(outcome: dict, default_measure: str | None, profile: Profile) -> Any:
    given = outcome.get("zero_cells", {})
    if not isinstance(given, dict):
        return given  # the schema reports it
    options = {"to": profile.to, **given}
    if profile.add is not None:
        options.setdefault("add", profile.add)
    measure = outcome.get("measure", default_measure)
    if outcome.get("type") == "binary" and measure in profile.drop00_measures:
        options.setdefault("drop00", True)
    return options


def _with_data(document: PositionedDocument, data: dict) -> PositionedDocument:
    from dataclasses import replace

    return replace(document, data=data)
