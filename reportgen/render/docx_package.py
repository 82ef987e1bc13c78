"""The parts of the Word file around its body: core properties, the report's language, the page
number in the footer, and the package written with fixed timestamps so that identical inputs
give identical bytes.

python-docx stamps each zip member with the time of saving and the core properties with the
time of creating; both are replaced here by ``FIXED_TIME`` (the report's date is in its text).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: no clock in the file


def set_properties(document: Any, title: str, identifier: str, language: str) -> None:
    """Title, identifier and language of the file, and fixed dates (no clock in the output)."""
    properties = document.core_properties
    properties.title = title
    properties.identifier = identifier
    properties.language = language
    properties.author = "reportgen"
    properties.last_modified_by = "reportgen"
    properties.revision = 1
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.last_printed = FIXED_TIME


def set_language(document: Any, language: str) -> None:
    """The language of every run by default (``w:docDefaults``), so spelling and screen
    readers use the report's language; runs in another language carry their own."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_language(run_properties, language)


def set_run_language(run_properties: Any, language: str) -> None:
    """Set ``w:lang`` (text, East Asian and complex-script text) on a ``w:rPr`` element."""
    element = run_properties.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        run_properties.append(element)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        element.set(qn(attribute), language)


def add_page_number(paragraph: Any) -> None:
    """Append a PAGE field (Word's current page number) to ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def new_list(document: Any, style: str) -> int:
    """A new numbering instance of the list ``style`` that starts at 1, so that each numbered
    list counts from 1 (paragraphs of one Word list style otherwise share one count)."""
    numbering = document.part.numbering_part.element
    shared = document.styles[style].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(shared).abstractNumId.val
    instance = numbering.add_num(abstract)
    instance.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(instance.numId)


def set_list(paragraph: Any, number_id: int) -> None:
    """Make ``paragraph`` an item of the numbering instance ``number_id`` (first level)."""
    properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    properties.get_or_add_ilvl().val = 0
    properties.get_or_add_numId().val = number_id


def mark_header_row(row: Any) -> None:
    """Repeat a table's header row (a ``w:tr``) on every page and mark it as a header for screen
    readers."""
    properties = row.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_alt_text(inline_shape: Any, name: str, description: str) -> None:
    """The picture's alternative text (``wp:docPr/@descr``, what Word shows as Alt Text)."""
    properties = inline_shape._inline.docPr
    properties.set("name", name)
    properties.set("descr", description)


def saved(document: Any) -> bytes:
    """The document as bytes, with every zip member stamped ``ZIP_TIME`` and stored in a fixed
    order, compressed the same way each time."""
    buffer = io.BytesIO()
    document.save(buffer)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return output.getvalue()
