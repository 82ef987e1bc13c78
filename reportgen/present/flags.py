"""Short flags that the clinician brief and the technical appendix put beside a result a reader
might over-trust. Words come from the English locale's ``flags`` table (both are in English)."""

from __future__ import annotations

from reportgen.present.locale import locale
from reportgen.stats.analysis import OutcomeResult
from reportgen.stats.subanalyses import knha_in_chi_square, single_study_groups


def subgroup_test_flag(result: OutcomeResult) -> str | None:
    """Why the outcome's test for subgroup differences is anti-conservative, or None: a
    subgroup of one study (no between-study variance in its SE), or Knapp-Hartung SEs compared
    with a chi-square distribution (Cochrane Handbook 10.11.3.1; the issue's 10.35, p 0.001
    against a common-tau2 moderator test's p 0.07)."""
    groups = result.subgroups
    if groups is None:
        return None
    words = locale("en")
    reasons = []
    single = single_study_groups(groups)
    if single:
        names = words.join([f"\u2018{label}\u2019" for label in single])
        key = "flags.single_study" if len(single) == 1 else "flags.single_studies"
        reasons.append(words.text(key, groups=names))
    if knha_in_chi_square(groups, result.outcome.test):
        reasons.append(words.text("flags.knha"))
    if not reasons:
        return None
    return words.text("flags.subgroup_test", reasons="; ".join(reasons))
