"""Reference files read into CSL-JSON items (the citation style language's data format): CSL-JSON
as it is, BibTeX and RIS converted by the small readers here.

The readers cover what reference managers (Zotero, EndNote, Mendeley, JabRef) export for the
kinds of works a review cites: BibTeX entries with braced or quoted values, ``#``-free strings
and the common LaTeX accents; RIS records from ``TY`` to ``ER``. A malformed entry is a
``SourceError`` with its line, so the editor sees where the file is wrong.

Formats: CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html), BibTeX
(Patashnik O. BibTeXing, 1988), RIS (Research Information Systems format specification).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from reportgen.config.datafiles import SourceError

BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "online": "webpage",
    "misc": "document",
}
RIS_TYPES = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "BOOK": "book",
    "CHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "RPRT": "report",
    "THES": "thesis",
    "ELEC": "webpage",
    "WEB": "webpage",
}
BIBTEX_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "publisher": "publisher",
    "institution": "publisher",
    "doi": "DOI",
    "pmid": "PMID",
    "url": "URL",
}
RIS_FIELDS = {
    "TI": "title",
    "T1": "title",
    "JO": "container-title",
    "JF": "container-title",
    "T2": "container-title",
    "VL": "volume",
    "IS": "issue",
    "PB": "publisher",
    "DO": "DOI",
    "UR": "URL",
}
ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "c": "\u0327"}


def read_references(raw: bytes, name: str) -> list[dict[str, Any]]:
    """CSL-JSON items from the bytes of a reference file, by its extension (``.json``,
    ``.bib``, ``.ris``); every item has a text ``id``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError("the file is not UTF-8 text") from None
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "json":
        items = _csl_json(text)
    elif suffix == "bib":
        items = _bibtex(text)
    elif suffix == "ris":
        items = _ris(text)
    else:
        raise SourceError("references are read from .json (CSL-JSON), .bib or .ris files")
    seen: set[str] = set()
    for item in items:
        if item["id"] in seen:
            raise SourceError(f"the key '{item['id']}' names two references")
        seen.add(item["id"])
    return items


def _csl_json(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(f"not valid JSON: {error.msg}", error.lineno) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceError("CSL-JSON must be a list of references (objects)")
    for index, item in enumerate(data):
        if not isinstance(item.get("id"), str | int) or isinstance(item.get("id"), bool):
            raise SourceError(f"reference {index + 1} has no 'id'")
        item["id"] = str(item["id"])
    return data


def _latex(value: str) -> str:
    """BibTeX text as plain text: accents (``{\\"o}`` -> ö), braces and ``~`` removed."""
    value = re.sub(
        r"\{?\\([\"'`^~c])\{?([A-Za-z])\}?\}?",
        lambda m: unicodedata.normalize("NFC", m.group(2) + ACCENTS[m.group(1)]),
        value,
    )
    value = value.replace("\\&", "&").replace("--", "\u2013").replace("~", "\u00a0")
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _names(value: str) -> list[dict[str, str]]:
    """'Smith, John and Ann Doe' -> [{family: Smith, given: John}, {family: Doe, given: Ann}]."""
    names = []
    for part in re.split(r"\s+and\s+", value.strip()):
        if not part:
            continue
        if part.lower() == "others":
            continue
        if "," in part:
            family, given = (piece.strip() for piece in part.split(",", 1))
        else:
            pieces = part.rsplit(" ", 1)
            given, family = (pieces[0], pieces[1]) if len(pieces) == 2 else ("", pieces[0])
        names.append({"family": _latex(family), "given": _latex(given)})
    return names


def _value(text: str, start: int, line: int) -> tuple[str, int]:
    """A BibTeX field value from ``start``: ``{...}`` (nested), ``"..."`` or a bare word."""
    if text[start] == "{":
        depth, index = 0, start
        while index < len(text):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                return text[start + 1 : index], index + 1
            index += 1
        raise SourceError("a '{' is never closed", line)
    if text[start] == '"':
        end = text.find('"', start + 1)
        if end < 0:
            raise SourceError("a '\"' is never closed", line)
        return text[start + 1 : end], end + 1
    match = re.compile(r"[\w.:/-]+").match(text, start)
    if not match:
        raise SourceError("expected a value in braces, quotes or a number", line)
    return match.group(0), match.end()


def _bibtex(text: str) -> list[dict[str, Any]]:
    items = []
    for entry in re.finditer(r"@(\w+)\s*[{(]\s*([^,\s]+)\s*,", text):
        kind = entry.group(1).lower()
        if kind in ("comment", "preamble", "string"):
            continue
        line = text.count("\n", 0, entry.start()) + 1
        fields: dict[str, str] = {}
        position = entry.end()
        field = re.compile(r"\s*(\w+)\s*=\s*")
        while True:
            match = field.match(text, position)
            if not match:
                break
            value, position = _value(text, match.end(), line)
            fields[match.group(1).lower()] = value
            position = re.compile(r"\s*,?").match(text, position).end()  # type: ignore[union-attr]
        items.append(_bibtex_item(entry.group(2), kind, fields))
    return items


def _bibtex_item(key: str, kind: str, fields: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key, "type": BIBTEX_TYPES.get(kind, "document")}
    for name, target in BIBTEX_FIELDS.items():
        if name in fields and target not in item:
            item[target] = _latex(fields[name])
    for role in ("author", "editor"):
        if role in fields:
            item[role] = _names(fields[role])
    year = re.search(r"\d{4}", fields.get("year", fields.get("date", "")))
    if year:
        item["issued"] = {"date-parts": [[int(year.group(0))]]}
    return item


def _ris(text: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    item: dict[str, Any] | None = None
    pages: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line.rstrip())
        if not match:
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag == "TY":
            item, pages = {"type": RIS_TYPES.get(value, "document"), "_line": number}, {}
        elif item is None:
            raise SourceError(f"'{tag}' before the record's 'TY' line", number)
        elif tag == "ER":
            if "SP" in pages:
                item["page"] = "\u2013".join(p for p in (pages["SP"], pages.get("EP")) if p)
            item.setdefault("id", f"ris{len(items) + 1}")
            item.pop("_line")
            items.append(item)
            item = None
        elif tag in ("AU", "A1", "A2", "ED"):
            role = "editor" if tag in ("A2", "ED") else "author"
            family, _, given = value.partition(",")
            item.setdefault(role, []).append({"family": family.strip(), "given": given.strip()})
        elif tag in ("PY", "Y1", "DA") and "issued" not in item:
            year = re.search(r"\d{4}", value)
            if year:
                item["issued"] = {"date-parts": [[int(year.group(0))]]}
        elif tag in ("SP", "EP"):
            pages[tag] = value
        elif tag in ("ID", "LB", "AN") and "id" not in item:
            item["id"] = value
        elif tag in RIS_FIELDS and RIS_FIELDS[tag] not in item:
            item[RIS_FIELDS[tag]] = value
    if item is not None:
        raise SourceError("the last record has no 'ER' line", item["_line"])
    return items
