"""The binomial-normal GLMM against metafor's rma.glmm (lme4, nAGQ = 7), pinned in
tests/reference/metafor_glmm.json by tests/reference/make_metafor_reference.R."""

from __future__ import annotations

import pytest
from metafor_reference import FIELDS, GLMM_RTOL, assert_fields_match, load_reference

from reportgen.errors import AnalysisError
from reportgen.stats.glmm import fit_glmm

REFERENCE = load_reference("metafor_glmm.json")
# On the 0 boundary lme4 leaves tau2 and I2 a hair above zero.
BOUNDARY_FLOOR = 1e-6


# Pinned in test_edges_metafor.py: nearly flat two-study likelihoods (GLMM_FLAT_RTOL) and a
# fit with no finite maximum, which reportgen refuses.
EDGE_DATASETS = {"two_studies_one_full", "two_studies_full_and_half", "zero_and_full_only"}


@pytest.mark.parametrize(
    "case",
    [c for c in REFERENCE["cases"] if not c["failed"] and c["dataset"] not in EDGE_DATASETS],
    ids=lambda c: c["dataset"],
)
def test_glmm_matches_rma_glmm(case):
    result = fit_glmm(case["events"], case["totals"])
    assert_fields_match(result, case, FIELDS, GLMM_RTOL, floor=BOUNDARY_FLOOR)


def test_glmm_fits_zero_and_full_studies_and_small_k():
    result = fit_glmm([0, 5, 6], [10, 5, 12])
    assert result.k == 3 and result.tau2 >= 0 and result.ci_lower < result.ci_upper


def test_glmm_says_clearly_when_it_cannot_fit():
    with pytest.raises(AnalysisError, match="every study has 0%"):
        fit_glmm([0, 0, 0], [10, 12, 8])
    with pytest.raises(AnalysisError, match="at least two studies"):
        fit_glmm([3], [10])
