"""Citations: references from BibTeX, RIS and CSL-JSON files next to the config or typed in it,
formatted in the bundled Vancouver and APA styles; studies cite them by key (an unknown key is
a located error); the appendix lists them numbered and the study list carries the marks."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from reportgen.config.load import load_config
from reportgen.errors import ConfigError
from reportgen.present.citations_csl import reference_list
from tests.conftest import MINIMAL_CONFIG
from tests.test_cli import reportgen

BIB = r"""@comment{exported by a reference manager}
@article{alpha2020,
  author = {M{\"u}ller, Hans and Smith, John A.},
  title = {{Venetoclax} in relapsed {AML}: a cohort},
  journal = "Blood",
  year = 2020,
  volume = {136}, number = {4},
  pages = {1--10},
  doi = {10.1182/blood.2020}
}
@book{lee2019, author = {Lee, Kim}, title = {Methods}, publisher = {Sage}, year = {2019}}
"""
RIS = """TY  - JOUR
ID  - alpha2020
AU  - Müller, Hans
AU  - Smith, John A.
TI  - Venetoclax in relapsed AML: a cohort
JO  - Blood
PY  - 2020
VL  - 136
IS  - 4
SP  - 1
EP  - 10
DO  - 10.1182/blood.2020
ER  -
"""
CSL_JSON = [
    {
        "id": "alpha2020",
        "type": "article-journal",
        "author": [{"family": "Müller", "given": "Hans"}, {"family": "Smith", "given": "John A."}],
        "title": "Venetoclax in relapsed AML: a cohort",
        "container-title": "Blood",
        "issued": {"date-parts": [[2020]]},
        "volume": "136",
        "issue": "4",
        "page": "1\u201310",
        "DOI": "10.1182/blood.2020",
    }
]
ALPHA_VANCOUVER = (
    "Müller H, Smith JA. Venetoclax in relapsed AML: a cohort. Blood. 2020;136(4):1\u201310. "
    "doi:10.1182/blood.2020"
)
BETA_ENTRY = (
    "    - {id: beta2021, authors: [Beta B, Gamma G], title: A second cohort, journal: Lancet,\n"
    '       year: 2021, volume: "397", pages: 100-110, pmid: "33000000"}\n'
)


def config_text(file: str | None, style: str = "vancouver", citation: str = "alpha2020") -> str:
    text = MINIMAL_CONFIG.replace(
        "  - {id: s1, label: Alpha 2020}",
        f"  - {{id: s1, label: Alpha 2020, citation: {citation}}}",
    ).replace(
        "  - {id: s2, label: Beta 2021}", "  - {id: s2, label: Beta 2021, citation: beta2021}"
    )
    text += "references:\n"
    if file:
        text += f"  file: {file}\n"
    return text + f"  style: {style}\n  entries:\n{BETA_ENTRY}  extra: [A note typed as text.]\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [("refs.bib", BIB), ("refs.ris", RIS), ("refs.json", json.dumps(CSL_JSON))],
)
def test_each_file_format_gives_the_same_vancouver_reference(write_config, name, content):
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(content)
    loaded = load_config(write_config(config_text(name)))
    assert any(str(path).endswith(name) for path in loaded.sources)  # in the inputs digest
    references = reference_list(loaded.config)
    assert references.entries[0] == ALPHA_VANCOUVER
    assert references.entries[1] == (
        "Beta B, Gamma G. A second cohort. Lancet. 2021;397:100\u2013110. PMID: 33000000"
    )
    assert references.entries[-1] == "A note typed as text."
    assert references.marks == {"s1": "[1]", "s2": "[2]"}


def test_numbers_follow_the_printed_list_after_the_source_review(write_config):
    with open("refs.bib", "w", encoding="utf-8") as handle:
        handle.write(BIB)
    text = config_text("refs.bib").replace(
        "  title: A minimal report", "  title: A minimal report\n  source: The source review."
    )
    references = reference_list(load_config(write_config(text)).config)
    assert references.entries[0] == "The source review."
    assert references.marks == {"s1": "[2]", "s2": "[3]"}
    assert references.entries[3] == "Lee K. Methods. Sage; 2019."  # uncited, after the cited


def test_apa_is_author_date_and_sorted_by_author(write_config):
    with open("refs.bib", "w", encoding="utf-8") as handle:
        handle.write(BIB)
    references = reference_list(load_config(write_config(config_text("refs.bib", "apa"))).config)
    assert references.marks == {"s1": "(Müller & Smith, 2020)", "s2": "(Beta & Gamma, 2021)"}
    assert [entry.split(",")[0] for entry in references.entries[:3]] == ["Beta", "Lee", "Müller"]
    assert references.entries[2].endswith("https://doi.org/10.1182/blood.2020")


def problems_of(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [str(problem) for problem in caught.value.problems]


def test_an_unknown_citation_key_is_located(write_config):
    path = write_config(config_text(None, citation="nobody1999"))
    messages = problems_of(path)
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "nobody1999" in t)
    assert messages == [
        f"config.yaml:{line}: studies[0].citation: no reference has the key 'nobody1999' "
        "(known: beta2021)"
    ]


def test_a_file_outside_the_config_folder_is_refused(write_config, tmp_path):
    (tmp_path.parent / "outside.bib").write_text(BIB, encoding="utf-8")
    messages = problems_of(write_config(config_text("../outside.bib")))
    assert len(messages) == 1
    assert re.match(
        r"config\.yaml:\d+: references\.file: \.\./outside\.bib: .*outside", messages[0]
    )


def test_a_broken_file_is_located_inside_it(write_config):
    with open("refs.ris", "w", encoding="utf-8") as handle:
        handle.write(RIS.replace("ER  -\n", ""))
    assert problems_of(write_config(config_text("refs.ris"))) == [
        "refs.ris:1: the last record has no 'ER' line"
    ]


def test_an_unknown_style_is_a_schema_error(write_config):
    messages = problems_of(write_config(config_text(None, style="harvard")))
    assert any("references.style" in message for message in messages), messages


def test_the_list_of_texts_still_works(write_config):
    text = MINIMAL_CONFIG.replace(
        "  - {id: s1, label: Alpha 2020}", "  - {id: s1, label: Alpha 2020, citation: Alpha A. X.}"
    )
    text += "references:\n  - Further reading, as typed.\n"
    references = reference_list(load_config(write_config(text)).config)
    assert references.entries == ("Alpha 2020. Alpha A. X.", "Further reading, as typed.")
    assert references.marks == {}


def test_the_built_appendix_and_word_file_cite_the_studies(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "config.yaml").write_text(config_text("refs.bib"), encoding="utf-8")
    result = reportgen(
        "build", "config.yaml", "--format", "html,docx", "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "minimal" / "report.html")).getroot()
    appendix = page.get_element_by_id("appendix")
    listed = [item.text_content() for item in appendix.find_class("references")[-1].findall("li")]
    assert listed[0] == ALPHA_VANCOUVER
    studies = [
        row.findall("th")[0].text_content()
        for row in appendix.find_class("characteristics")[0].find("tbody")
    ]
    assert studies[:2] == ["Alpha 2020 [1]", "Beta 2021 [2]"]
    import docx

    document = docx.Document(str(tmp_path / "out" / "minimal" / "report.docx"))
    assert ALPHA_VANCOUVER in [paragraph.text for paragraph in document.paragraphs]


def test_the_reference_file_is_watched(write_config):
    from reportgen.config.peek import declared_data_files

    with open("refs.bib", "w", encoding="utf-8") as handle:
        handle.write(BIB)
    path = write_config(config_text("refs.bib"))
    assert [file.name for file in declared_data_files(path)] == ["refs.bib"]


def test_the_json_schema_accepts_both_forms_of_references():
    import jsonschema

    from reportgen.config.schema import ReportConfig

    schema = {**ReportConfig.model_json_schema(), "required": []}
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"references": ["A text."]})
    assert validator.is_valid({"references": {"file": "refs.bib", "style": "apa"}})
    assert not validator.is_valid({"references": {"style": "harvard"}})
    assert not validator.is_valid({"references": {"fiel": "refs.bib"}})
