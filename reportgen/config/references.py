"""`references:` the review's reference list, two ways.

A list of texts (as before) is printed as typed. A mapping is formatted in a citation style:

    references:
      file: references.bib     # CSL-JSON (.json), BibTeX (.bib) or RIS (.ris), next to the config
      style: vancouver         # or apa (bundled styles, reportgen/data/csl/)
      entries:                 # references typed here, e.g. a DOI or PMID with its metadata
        - {id: smith2020, authors: [Smith J, Doe A], title: ..., journal: BMJ, year: 2020,
           volume: "370", pages: m123, doi: 10.1136/bmj.m123}
      extra: [A text printed as typed]

With a file or entries, a study's ``citation:`` is the key of one of these references (an
unknown key is a located error; without them it is a text, as with the list form); the appendix
numbers the citations and lists the formatted references. No reference is looked up on the
network: what is not in the file or the config is not shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from reportgen.config.bibfiles import read_references
from reportgen.config.datafiles import SourceError, read_data_bytes, resolve_data_path
from reportgen.config.parts import Identifier, Strict, Text
from reportgen.config.yamlpos import PositionedDocument
from reportgen.errors import Problem

STYLES = ("vancouver", "apa")
KINDS = {
    "article": "article-journal",
    "book": "book",
    "chapter": "chapter",
    "report": "report",
    "webpage": "webpage",
}


class Reference(Strict):
    """One reference typed in the config (what a DOI or PMID stands for, given in full)."""

    id: Identifier = Field(description="Key that studies' `citation:` use, e.g. 'smith2020'.")
    type: Literal["article", "book", "chapter", "report", "webpage"] = Field(
        "article", description="Kind of work (default article)."
    )
    authors: list[Text] = Field(
        default_factory=list, description="Authors as 'Family Initials', e.g. 'Smith JA'."
    )
    title: Text = Field(description="Title of the work.")
    journal: Text | None = Field(None, description="Journal (or book, for a chapter).")
    year: int | None = Field(None, ge=1000, le=9999, description="Year of publication.")
    volume: Text | None = Field(None, description="Volume.")
    issue: Text | None = Field(None, description="Issue.")
    pages: Text | None = Field(None, description="Pages, e.g. '45-67'.")
    publisher: Text | None = Field(None, description="Publisher (books and reports).")
    doi: Text | None = Field(None, description="DOI, e.g. '10.1136/bmj.m123' (not looked up).")
    pmid: Text | None = Field(None, description="PubMed id (not looked up).")
    url: Text | None = Field(None, description="Web address (printed, not fetched).")

    def csl(self) -> dict[str, Any]:
        """This reference as a CSL-JSON item."""
        item: dict[str, Any] = {"id": self.id, "type": KINDS[self.type], "title": self.title}
        if self.authors:
            item["author"] = [_name(author) for author in self.authors]
        if self.year is not None:
            item["issued"] = {"date-parts": [[self.year]]}
        for key, target in (
            ("journal", "container-title"),
            ("volume", "volume"),
            ("issue", "issue"),
            ("pages", "page"),
            ("publisher", "publisher"),
            ("doi", "DOI"),
            ("pmid", "PMID"),
            ("url", "URL"),
        ):
            value = getattr(self, key)
            if value is not None:
                item[target] = value.replace("-", "\u2013") if key == "pages" else value
        return item


def _also_a_list(schema: dict[str, Any]) -> None:
    """The JSON Schema of ``references``: the mapping, or the older list of texts (which the
    model reads as ``{extra: [...]}``), so that editors' schema checks accept both."""
    mapping = dict(schema)
    schema.clear()
    schema.update(
        title=mapping.get("title", "References"),
        description=mapping.get("description", ""),
        anyOf=[
            {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "References printed as typed.",
            },
            mapping,
        ],
    )


class References(Strict):
    """`references:` as a mapping: a reference file and/or entries, formatted in a style."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_also_a_list)

    file: Text | None = Field(
        None, description="CSL-JSON (.json), BibTeX (.bib) or RIS (.ris) file next to the config."
    )
    style: Literal["vancouver", "apa"] = Field(
        "vancouver", description="Citation style: vancouver (numbered) or apa (author-date)."
    )
    entries: list[Reference] = Field(
        default_factory=list, description="References typed in the config."
    )
    extra: list[Text] = Field(
        default_factory=list, description="Further references, printed as typed after the list."
    )
    library: list[dict[str, Any]] = Field(
        default_factory=list,
        description="CSL-JSON items; filled by reportgen from `file` (may also be given here).",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        """The older form, a list of texts, is the same as ``{extra: [...]}``."""
        return {"extra": value} if isinstance(value, list) else value

    @model_validator(mode="after")
    def _keys(self) -> References:
        """Every reference has a text key, and no key names two references."""
        keys = [str(item.get("id")) for item in self.library if isinstance(item.get("id"), str)]
        if len(keys) < len(self.library):
            raise ValueError("every CSL-JSON item under library needs a text 'id'")
        keys += [entry.id for entry in self.entries]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise ValueError(f"the key '{twice[0]}' names two references")
        return self

    @property
    def formatted(self) -> bool:
        """Whether there are references to format and cite by key (a file or entries); without
        them a study's ``citation:`` is a text printed as typed."""
        return bool(self.file or self.entries or self.library)

    def items(self) -> list[dict[str, Any]]:
        """Every reference as a CSL-JSON item: the file's, then the config's entries."""
        return [*self.library, *(entry.csl() for entry in self.entries)]


def _name(text: str) -> dict[str, str]:
    """'Smith JA' -> {family: Smith, given: JA}; 'van der Berg A' keeps the particle."""
    family, _, given = text.strip().rpartition(" ")
    if not family or not given.replace(".", "").isupper():
        return {"family": text.strip(), "given": ""}
    return {"family": family, "given": given}


def attach_references(
    document: PositionedDocument, config_path: Path, limits: Any
) -> tuple[PositionedDocument, tuple[Path, ...], list[Problem]]:
    """Read ``references.file`` (from the config's folder only) into ``references.library``,
    and check that each study's ``citation:`` names a known reference when references is a
    mapping. Returns the new document, the file read and the problems, located."""
    from dataclasses import replace

    data = document.data
    references = data.get("references") if isinstance(data, dict) else None
    if not isinstance(references, dict):
        return document, (), []
    problems: list[Problem] = []
    files: tuple[Path, ...] = ()
    library = list(references.get("library") or [])
    name = references.get("file")
    if isinstance(name, str):
        base = config_path.parent
        try:
            real = resolve_data_path(name, base, base.resolve())
            library += read_references(read_data_bytes(real, limits), name)
            files = (base / name,)
        except SourceError as error:
            if error.line:  # located inside the reference file
                problems.append(Problem(str(base / name), error.line, "", str(error)))
            else:
                problems.append(
                    Problem(*document.locate(("references", "file")), f"{name}: {error}")
                )
    keys = {str(item.get("id")) for item in library if isinstance(item, dict)}
    entries = references.get("entries")
    if isinstance(entries, list):
        keys |= {str(entry.get("id")) for entry in entries if isinstance(entry, dict)}
    studies = data.get("studies") if name or library or entries else None
    for index, study in enumerate(studies if isinstance(studies, list) else []):
        citation = study.get("citation") if isinstance(study, dict) else None
        if isinstance(citation, str) and citation not in keys and not problems:
            path = ("studies", index, "citation")
            known = ", ".join(sorted(keys)[:8]) or "none"
            problems.append(
                Problem(
                    *document.locate(path),
                    f"no reference has the key '{citation}' (known: {known})",
                )
            )
    data = {**data, "references": {**references, "library": library}}
    return replace(document, data=data), files, problems
