"""The patient summary's words come from its locale file alone: a pseudo-locale (every phrase of
the English file wrapped in ⟦ ⟧) must leave no English of reportgen's own in the summary."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.errors import ConfigError
from reportgen.paths import data_dir
from reportgen.present import locale as locale_module
from reportgen.publish.build import build_report
from reportgen.stats.measures import MEASURES

ROOT = Path(__file__).resolve().parent.parent
SLOT = re.compile(r"(\{[a-z_]+\})")


def pseudo(node: Any) -> Any:
    """Wrap every text between slots in ⟦ ⟧, keeping the slots, keys and symbols."""
    if isinstance(node, dict):
        return {key: pseudo(value) for key, value in node.items()}
    if isinstance(node, list):
        return [pseudo(item) for item in node]
    if isinstance(node, str) and re.search("[A-Za-z]", node):
        parts = SLOT.split(node)
        return "".join(p if SLOT.fullmatch(p) or not p.strip() else f"⟦{p}⟧" for p in parts)
    return node


@pytest.fixture
def pseudo_locale(tmp_path, monkeypatch):
    english = yaml.safe_load((data_dir() / "locale" / "en.yaml").read_text(encoding="utf-8"))
    words = pseudo(english)
    words["language"] = "qps"
    # Keys the code matches against config text stay as they are (design words, glossary terms).
    words["designs"] = {key: f"⟦{value}⟧" for key, value in english["designs"].items()}
    words["glossary"]["terms"] = {
        key: f"⟦{value}⟧" for key, value in english["glossary"]["terms"].items()
    }
    folder = tmp_path / "data" / "locale"
    folder.mkdir(parents=True)
    (folder / "en.yaml").write_text(yaml.safe_dump(english, allow_unicode=True), "utf-8")
    (folder / "qps.yaml").write_text(yaml.safe_dump(words, allow_unicode=True), "utf-8")
    monkeypatch.setattr(locale_module, "data_dir", lambda: tmp_path / "data")
    monkeypatch.setattr("reportgen.config.crosscheck.data_dir", lambda: tmp_path / "data")
    locale_module.locale.cache_clear()
    yield
    locale_module.locale.cache_clear()


@pytest.mark.parametrize(
    "example", ["venetoclax-rr-aml", "bcg-vaccine-tuberculosis", "hyperdynamic-therapy-vasospasm"]
)
def test_no_english_of_our_own_in_a_translated_summary(pseudo_locale, example, tmp_path):
    text = (ROOT / "configs" / f"{example}.yaml").read_text(encoding="utf-8")
    config_yaml = yaml.safe_load(text)
    config_yaml["report"]["language"] = "qps"
    config_yaml["text"] = {}  # the editor's prose is theirs, in any language
    config = tmp_path / f"{example}.yaml"
    config.write_text(yaml.safe_dump(config_yaml, allow_unicode=True), encoding="utf-8")
    built = build_report(config, tmp_path / "out", formats=("html",), allow_untraced_numbers=True)
    page = (built.folder / "report.html").read_text(encoding="utf-8")
    summary = re.search(r'<section id="summary".*?</section>', page, re.S).group(0)
    assert 'lang="qps"' in summary
    glosses = re.findall(r'<span class="gloss">([^<]*)</span>', summary)
    assert all(g.startswith("(⟦") for g in glosses)  # explanations come from the locale too
    visible = re.sub(r'\s*<span class="gloss">[^<]*</span>', "", summary)
    visible = re.sub(r'alt="[^"]*"', " ", visible)
    visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", visible)).split())
    visible = re.sub(r"⟦[^⟧]*⟧", " ", visible)
    # Designs are the config's words, said with the locale's plural nouns ("randomised ⟦trials⟧").
    design_words = [
        word for study in config_yaml["studies"] for word in (study.get("design") or "").split()
    ]
    for value in sorted(_config_strings(config_yaml) + design_words, key=len, reverse=True):
        value = " ".join(value.split())
        for form in (value, value.lower(), value[:1].upper() + value[1:]):
            visible = visible.replace(form, " ")
    leftover = re.findall(r"[A-Za-z]{2,}", visible)
    assert leftover == [], f"English not from the locale: {sorted(set(leftover))}"


def _config_strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in _config_strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _config_strings(value)]
    return [node] if isinstance(node, str) else []


def test_every_locale_names_every_measure():
    for path in (data_dir() / "locale").glob("*.yaml"):
        words = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(words["numbers"]["measures"]) == set(MEASURES), path.name


def test_a_language_without_words_is_a_located_config_error(write_config, minimal_config):
    text = minimal_config.replace("  title: A minimal report\n", "  title: T\n  language: xx\n")
    with pytest.raises(ConfigError, match=r"config.yaml:4: report.language: no summary words"):
        from reportgen.config.load import load_config

        load_config(write_config(text))


def test_a_regional_tag_uses_its_language(write_config, minimal_config, tmp_path):
    text = minimal_config.replace("  title: A minimal report\n", "  title: T\n  language: en-GB\n")
    built = build_report(write_config(text), tmp_path / "out", formats=("html",))
    assert 'id="summary" lang="en"' in (built.folder / "report.html").read_text(encoding="utf-8")


def test_dates_read_as_a_reader_says_them():
    words = locale_module.locale("en")
    assert words.date("2026-12-07") == "7 December 2026"
    assert words.date("2025-01-31") == "31 January 2025"
    for not_a_date in ("2026-13-01", "2026-00-10", "2026-02-30", "December 2026", "", "2026-12"):
        assert words.date(not_a_date) == not_a_date
