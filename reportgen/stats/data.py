"""Study data as per-outcome tables, in the order the config lists the rows.

This is the one place that knows where rows come from (inline in the config today); later
sources (CSV, XLSX) produce the same tables. A table holds one numpy column per number in a row
(arms flattened as ``events_1`` for the intervention and ``events_2`` for the control arm).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reportgen.config.schema import Outcome, ReportConfig

# The columns of each outcome type, and where each comes from in a data row.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "proportion": {"events": ("events",), "total": ("total",)},
    "binary": {
        "events_1": ("intervention", "events"),
        "total_1": ("intervention", "total"),
        "events_2": ("control", "events"),
        "total_2": ("control", "total"),
    },
    "continuous": {
        "mean_1": ("intervention", "mean"),
        "sd_1": ("intervention", "sd"),
        "n_1": ("intervention", "n"),
        "mean_2": ("control", "mean"),
        "sd_2": ("control", "sd"),
        "n_2": ("control", "n"),
    },
    "rate": {"events": ("events",), "time": ("time",)},
    "rate_comparison": {
        "events_1": ("intervention", "events"),
        "time_1": ("intervention", "time"),
        "events_2": ("control", "events"),
        "time_2": ("control", "time"),
    },
    "generic": {
        "estimate": ("estimate",),
        "se": ("se",),
        "ci_lower": ("ci_lower",),
        "ci_upper": ("ci_upper",),
    },
}


@dataclass(frozen=True, eq=False)
class OutcomeTable:
    """One outcome's data: study ``i`` has ``columns[name][i]`` and the row as given in
    ``rows[i]`` (without its study id)."""

    type: str
    study_ids: tuple[str, ...]
    labels: tuple[str, ...]
    columns: dict[str, np.ndarray]
    rows: tuple[dict[str, Any], ...] = field(default=())

    @property
    def k(self) -> int:
        return len(self.study_ids)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def subset(self, keep: np.ndarray) -> OutcomeTable:
        """The studies where ``keep`` is True, in the same order."""
        keep = np.asarray(keep, dtype=bool)
        index = np.flatnonzero(keep)
        return OutcomeTable(
            self.type,
            tuple(self.study_ids[i] for i in index),
            tuple(self.labels[i] for i in index),
            {name: values[keep] for name, values in self.columns.items()},
            tuple(self.rows[i] for i in index),
        )

    def participants(self) -> int | None:
        """People in the analysis (both arms), or None for generic data and rates (whose data
        are person-time, not people)."""
        if self.type == "proportion":
            return int(self["total"].sum())
        if self.type == "binary":
            return int(self["total_1"].sum() + self["total_2"].sum())
        if self.type == "continuous":
            return int(self["n_1"].sum() + self["n_2"].sum())
        return None


def _value(row: Any, path: tuple[str, ...]) -> float:
    for key in path:
        row = getattr(row, key)
    return np.nan if row is None else float(row)


def outcome_table(config: ReportConfig, outcome: Outcome) -> OutcomeTable:
    """Collect an outcome's rows into columns, with each study's label from ``studies:``."""
    labels = {study.id: study.label for study in config.studies}
    rows = outcome.data
    columns = {
        name: np.array([_value(row, path) for row in rows], dtype=float)
        for name, path in COLUMNS[outcome.type].items()
    }
    return OutcomeTable(
        type=outcome.type,
        study_ids=tuple(row.study for row in rows),
        labels=tuple(labels[row.study] for row in rows),
        columns=columns,
        rows=tuple(row.model_dump(exclude={"study"}, exclude_none=True) for row in rows),
    )


# What a three-level outcome leaves out, for its notes (analyses that assume one independent
# effect per study).
THREE_LEVEL_NOTES = (
    "Three-level model: leave-one-out and small-study analyses (Egger, Begg, trim and fill) "
    "were not run; they assume one independent effect per study.",
)


def grouped_by_study(table: OutcomeTable) -> OutcomeTable:
    """The rows of a three-level outcome grouped by study (studies in order of first
    appearance, effects in data order within each), each labelled 'study label (effect)' with
    the row's ``effect`` id, or its position within the study when it has none."""
    first = {study: i for i, study in reversed(list(enumerate(table.study_ids)))}
    order = sorted(range(table.k), key=lambda i: (first[table.study_ids[i]], i))
    counts: dict[str, int] = {}
    labels = []
    for i in order:
        study = table.study_ids[i]
        counts[study] = counts.get(study, 0) + 1
        effect = table.rows[i].get("effect", counts[study])
        labels.append(f"{table.labels[i]} ({effect})")
    index = np.array(order, dtype=np.intp)
    return OutcomeTable(
        table.type,
        tuple(table.study_ids[i] for i in order),
        tuple(labels),
        {name: values[index] for name, values in table.columns.items()},
        tuple(table.rows[i] for i in order),
    )


def participants_per_study(config: ReportConfig) -> dict[str, int]:
    """Participants in each study: its ``participants`` attribute if given, otherwise the
    largest number it reports for any outcome (a lower bound when outcomes were assessed in
    subsets)."""
    counts: dict[str, int] = {}
    for outcome in config.outcomes:
        table = outcome_table(config, outcome)
        per_study = {
            "proportion": lambda t: t["total"],
            "binary": lambda t: t["total_1"] + t["total_2"],
            "continuous": lambda t: t["n_1"] + t["n_2"],
        }.get(outcome.type)
        if per_study is None:
            continue
        for study_id, n in zip(table.study_ids, per_study(table), strict=True):
            counts[study_id] = max(counts.get(study_id, 0), int(n))
    for study in config.studies:
        given = (study.model_extra or {}).get("participants")
        if isinstance(given, int) and not isinstance(given, bool):
            counts[study.id] = given
    return counts
