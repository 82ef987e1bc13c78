"""The appendix's reference list and the studies' in-text citations, formatted by citeproc-py
in a bundled CSL style (``data/csl/<style>.csl``: Vancouver, numbered; APA, author-date).

The list starts with the source review (when the config names one), then the formatted
references, then the editor's ``extra`` texts. In a numbered style the references are numbered
in order of first citation (the studies' order), then the uncited ones in the order given, and
a study's mark is its reference's number in this list ("[3]"), so the marks and the printed list
agree. Without a reference file or entries (``references:`` as a plain list of texts, the older
form), nothing is formatted and a study's ``citation:`` is a text listed after the source
review, as before.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reportgen.config.schema import ReportConfig
from reportgen.paths import data_dir


@dataclass(frozen=True)
class ReferenceList:
    """The references as the appendix prints them, and each cited study's in-text mark."""

    entries: tuple[str, ...]
    marks: dict[str, str] = field(default_factory=dict)  # study id -> "[2]" or "(Smith, 2020)"


@lru_cache(maxsize=4)
def _style(name: str) -> tuple[Any, bool]:
    """The parsed CSL style and whether its citations are numbers."""
    from citeproc import CitationStylesStyle

    path = data_dir() / "csl" / f"{name}.csl"
    numeric = 'citation-format="numeric"' in path.read_text(encoding="utf-8")
    return CitationStylesStyle(str(path), validate=False), numeric


def reference_list(config: ReportConfig) -> ReferenceList:
    """The reference list of ``config`` and the marks of the studies that cite one."""
    source = [config.report.source] if config.report.source else []
    references = config.references
    if not references.formatted:
        cited = [f"{study.label}. {study.citation}" for study in config.studies if study.citation]
        return ReferenceList((*source, *cited, *references.extra))
    entries, marks = format_references(
        references.items(),
        [study.citation for study in config.studies if study.citation],
        references.style,
        offset=len(source),
    )
    studies = {study.id: marks[study.citation] for study in config.studies if study.citation}
    return ReferenceList((*source, *entries, *references.extra), studies)


def format_references(
    items: list[dict[str, Any]], cited: list[str], style: str, offset: int = 0
) -> tuple[list[str], dict[str, str]]:
    """The formatted bibliography of CSL-JSON ``items`` in ``style`` and the in-text citation
    of each key in ``cited`` (numbers start after ``offset`` entries printed before the list).
    Every item is listed, cited or not; the items are not changed."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    csl, numeric = _style(style)
    keys = {str(item["id"]) for item in items}
    order = list(dict.fromkeys([key for key in cited if key in keys] + [i["id"] for i in items]))
    source = CiteProcJSON(copy.deepcopy(items))
    bibliography = CitationStylesBibliography(csl, source, formatter.plain)
    citations = {key: Citation([CitationItem(key)]) for key in order}
    for citation in citations.values():
        bibliography.register(citation)
    if not numeric:  # author-date: the style's sort order (a numbered list keeps citation order)
        bibliography.sort()
    entries = [_plain(entry) for entry in bibliography.bibliography()]
    if numeric:
        position = {key.lower(): index for index, key in enumerate(bibliography.keys)}
        marks = {key: f"[{offset + position[key.lower()] + 1}]" for key in cited if key in keys}
    else:
        marks = {
            key: _plain(bibliography.cite(citations[key], lambda item: None))
            for key in cited
            if key in keys
        }
    return entries, marks


def _plain(value: Any) -> str:
    """citeproc's (possibly nested) output as one line of text."""
    return re.sub(r"\s+", " ", _joined(value)).strip()


def _joined(value: Any) -> str:
    if isinstance(value, list):
        return "".join(_joined(part) for part in value)
    return str(value)
