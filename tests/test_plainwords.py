"""Glossary explanations at first use, and hype words flagged in editorial text."""

from __future__ import annotations

from reportgen.present.glossary import explain_terms, glossary, hype_in
from reportgen.publish.build import build_report


def test_terms_are_explained_once_at_first_use():
    page = (
        '<section id="summary"><h3>Complete remission</h3><p>Had composite complete '
        "remission. Then complete remission. Then complete remission again.</p>"
        "<p>Non-randomised studies.</p></section>"
    )
    out = explain_terms(page, glossary())
    assert out.count("(no signs of the disease left)") == 1
    assert "composite complete remission <span" in out
    assert "Then complete remission <span" in out
    assert "<h3>Complete remission</h3>" in out  # headings are left alone
    assert "Non-randomised studies." in out  # "randomised" inside a hyphenated word is not it


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
    assert built.warnings == (
        "config.yaml:19: text.key_takeaway: 'breakthrough' oversells: say what was found, in "
        "measured words",
        "config.yaml:19: text.key_takeaway: 'cure' oversells: say what was found, in measured "
        "words",
    )
