"""Study data as per-outcome tables, in the order the config lists the rows.

This is the one place that knows where rows come from (inline in the config today); later
sources (CSV, XLSX) produce the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Outcome, ReportConfig


@dataclass(frozen=True)
class ProportionTable:
    """Single-arm counts for one outcome: study ``i`` had ``events[i]`` among ``totals[i]``."""

    study_ids: tuple[str, ...]
    labels: tuple[str, ...]
    events: np.ndarray
    totals: np.ndarray

    @property
    def k(self) -> int:
        return len(self.study_ids)


def proportion_table(config: ReportConfig, outcome: Outcome) -> ProportionTable:
    """Collect an outcome's rows into arrays, with each study's label from ``studies:``."""
    labels = {study.id: study.label for study in config.studies}
    rows = outcome.data
    return ProportionTable(
        study_ids=tuple(row.study for row in rows),
        labels=tuple(labels[row.study] for row in rows),
        events=np.array([row.events for row in rows], dtype=np.int64),
        totals=np.array([row.total for row in rows], dtype=np.int64),
    )


def participants_per_study(config: ReportConfig) -> dict[str, int]:
    """Participants in each study: its ``participants`` attribute if given, otherwise the
    largest total it reports for any outcome (a lower bound when outcomes were assessed in
    subsets)."""
    counts: dict[str, int] = {}
    for outcome in config.outcomes:
        for row in outcome.data:
            counts[row.study] = max(counts.get(row.study, 0), row.total)
    for study in config.studies:
        given = (study.model_extra or {}).get("participants")
        if isinstance(given, int) and not isinstance(given, bool):
            counts[study.id] = given
    return counts
