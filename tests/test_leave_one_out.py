"""Leave-one-out reuses the full fit: each row equals refitting the table without that study,
and the per-study work is one pooling of k - 1 numbers (no effect sizes recomputed, no table
filtered per study)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from reportgen.config.schema import ReportConfig
from reportgen.stats import fitting
from reportgen.stats import leave_one_out as loo_module
from reportgen.stats.data import OutcomeTable, outcome_table
from reportgen.stats.fitting import fit_table
from reportgen.stats.leave_one_out import leave_one_out, without
from reportgen.stats.subanalyses import fit_options


def _config(k: int, kind: str, measure: str, method: str) -> ReportConfig:
    rng = random.Random(k)
    studies = [{"id": f"s{i}", "label": f"Study {i}"} for i in range(k)]
    rows = []
    for i in range(k):
        if kind == "proportion":
            n = rng.randint(20, 300)
            rows.append({"study": f"s{i}", "events": rng.randint(0, n // 2), "total": n})
        else:
            n1, n2 = rng.randint(30, 300), rng.randint(30, 300)
            rows.append(
                {
                    "study": f"s{i}",
                    "intervention": {"events": rng.randint(0, n1 // 3), "total": n1},
                    "control": {"events": rng.randint(1, n2 // 3), "total": n2},
                }
            )
    outcome = {
        "id": "o",
        "label": "Outcome",
        "plain_label": "had the outcome",
        "role": "harm",
        "type": kind,
        "measure": measure,
        "method": method,
        "data": rows,
    }
    report = {"id": "loo", "title": "Leave one out"}
    return ReportConfig.model_validate(
        {"report": report, "studies": studies, "outcomes": [outcome]}
    )


CASES = [
    ("binary", "RR", "REML"),
    ("binary", "OR", "DL"),
    ("binary", "RR", "MH"),
    ("proportion", "PFT", "REML"),
    ("proportion", "PLO", "FE"),
]


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-10, abs_tol=1e-12)


@pytest.mark.parametrize(("kind", "measure", "method"), CASES)
def test_each_row_is_the_fit_without_that_study(kind, measure, method):
    config = _config(12, kind, measure, method)
    outcome = config.outcomes[0]
    table = outcome_table(config, outcome)
    options = fit_options(outcome)
    full = fit_table(table, measure, method, outcome.test, options)
    rows = leave_one_out(outcome, table, full)
    assert [row.label for row in rows] == list(table.study_ids)
    for i, row in enumerate(rows):
        keep = np.arange(table.k) != i
        refit = fit_table(table.subset(keep), measure, method, outcome.test, options)
        assert row.k == table.k - 1 and row.estimable
        for name in ("estimate", "se", "ci_lower", "ci_upper", "pi_lower", "pi_upper", "q"):
            assert _same(getattr(row.model, name), getattr(refit.model, name)), (i, name)
        assert _same(row.model.tau2 or 0.0, refit.model.tau2 or 0.0)
        for name in ("estimate", "ci_lower", "ci_upper", "pi_lower", "pi_upper"):
            assert _same(getattr(row.pooled, name), getattr(refit.pooled, name)), (i, name)
        # No per-study arrays are kept (k rows take O(k) memory), but the Q-profile bounds,
        # computed from the outcome's shared arrays without study i, are the refit's.
        assert row.model.weights.size == 0
        for name in ("tau2_ci_lower", "tau2_ci_upper", "i2_ci_lower", "i2_ci_upper"):
            ours, theirs = getattr(row.model, name), getattr(refit.model, name)
            assert (ours is None and theirs is None) or _same(ours, theirs), (i, name)


def test_inverse_variance_rows_recompute_no_effect_sizes_and_filter_no_table(monkeypatch):
    config = _config(30, "binary", "RR", "REML")
    outcome = config.outcomes[0]
    table = outcome_table(config, outcome)
    full = fit_table(table, "RR", "REML", outcome.test)
    calls = {"effects": 0, "subset": 0, "without": 0}

    def counting(name, original):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(fitting, "effect_sizes", counting("effects", fitting.effect_sizes))
    monkeypatch.setattr(OutcomeTable, "subset", counting("subset", OutcomeTable.subset))
    monkeypatch.setattr(loo_module, "without", counting("without", without))
    assert len(leave_one_out(outcome, table, full)) == 30
    assert calls == {"effects": 0, "subset": 0, "without": 0}


def test_without_drops_one_study_and_keeps_the_order():
    config = _config(5, "binary", "RR", "MH")
    table = outcome_table(config, config.outcomes[0])
    rest = without(table, 2)
    assert rest.study_ids == ("s0", "s1", "s3", "s4")
    assert rest.labels == tuple(table.labels[i] for i in (0, 1, 3, 4))
    assert rest.rows == tuple(table.rows[i] for i in (0, 1, 3, 4))
    for name, values in table.columns.items():
        np.testing.assert_array_equal(rest[name], values[[0, 1, 3, 4]])


def test_too_few_studies_give_no_rows():
    config = _config(2, "binary", "RR", "REML")
    outcome = config.outcomes[0]
    table = outcome_table(config, outcome)
    assert leave_one_out(outcome, table, fit_table(table, "RR", "REML", outcome.test)) == ()


@pytest.mark.parametrize(("measure", "method"), [("RR", "REML"), ("RR", "MH")])
def test_rows_take_memory_linear_in_k(measure, method):
    """k rows keep no per-study arrays of their own (the inverse-variance rows share the
    outcome's arrays for their Q-profile bounds): pickled, twice the studies take about twice
    the bytes, not four times (at k = 5,000 the rows took 600 MB before)."""
    import pickle

    def size(k: int) -> int:
        config = _config(k, "binary", measure, method)
        outcome = config.outcomes[0]
        table = outcome_table(config, outcome)
        full = fit_table(table, measure, method, outcome.test, fit_options(outcome))
        rows = leave_one_out(outcome, table, full)
        assert all(row.model.weights.size == 0 for row in rows)
        return len(pickle.dumps(rows))

    assert size(400) < 2.5 * size(200)
