"""Glossary explanations at first use, and hype words flagged in editorial text."""

from __future__ import annotations

from reportgen.present.glossary import explain_terms, glossary, hype_in
from reportgen.present.prose import Prose
from reportgen.publish.build import build_report


def test_terms_are_explained_once_at_first_use():
    items = (
        Prose("Complete remission", glossable=False, prose=False),
        Prose("Had composite complete remission. Then complete remission."),
        Prose("Then complete remission again."),
        Prose("Non-randomised studies."),
    )
    out = explain_terms(items, glossary())
    assert [item.read for item in out] == [
        "Complete remission",  # headings and labels are left alone
        "Had composite complete remission (no leukaemia seen, whether or not blood counts had "
        "recovered). Then complete remission (no signs of the disease left).",
        "Then complete remission again.",
        "Non-randomised studies.",  # "randomised" inside a hyphenated word is not it
    ]


def test_explanations_are_never_nested_or_repeated():
    terms = {"confidence interval": "the range in which the true number probably lies"}
    items = (
        Prose("The range (the 95% confidence interval).", explains=frozenset(terms)),
        Prose("Its confidence interval was wide."),
    )
    # The first sentence explains the term itself; nothing is added, here or later.
    assert [item.read for item in explain_terms(items, terms)] == [item.text for item in items]


def test_explanations_are_escaped_and_never_split_entities():
    terms = {"amp": "a short word", "x": "a letter & more"}
    out = explain_terms((Prose("Tom & Jerry <b> amp x"),), terms)[0]
    assert out.__html__() == (
        'Tom &amp; Jerry &lt;b&gt; amp <span class="gloss">(a short word)</span> x '
        '<span class="gloss">(a letter &amp; more)</span>'
    )


def test_config_glossary_extends_the_built_in_one(write_config, minimal_config, tmp_path):
    text = minimal_config.replace(
        "    plain_label: responded", "    plain_label: responded to the widget"
    ) + ("glossary:\n  widget: a small tool\n")
    built = build_report(write_config(text), tmp_path / "out", formats=("html",))
    assert (
        'widget <span class="gloss">(a small tool)</span>'
        in (built.folder / "report.html").read_text()
    )


def test_hype_words_are_flagged(write_config, minimal_config, tmp_path):
    assert hype_in("A breakthrough that proves it; not significantly-different") == [
        "breakthrough",
        "proves",
    ]
    text = minimal_config + "text:\n  key_takeaway: This breakthrough is a cure.\n"
    built = build_report(write_config(text), tmp_path / "out", formats=("html",))
    assert tuple(w for w in built.warnings if "oversells" in w) == (
        "config.yaml:19: text.key_takeaway: 'breakthrough' oversells: say what was found, in "
        "measured words",
        "config.yaml:19: text.key_takeaway: 'cure' oversells: say what was found, in measured "
        "words",
    )
