"""``results.xlsx``: the results table (``present.results_table``) as a workbook, one row per
outcome and analysis, numbers stored as numbers (openpyxl writes 16 significant digits; Excel
keeps 15; results.csv and results.json have every digit).

One sheet, ``results``: a bold, frozen header row with a filter, then the rows. Identical
inputs give identical bytes: openpyxl stamps the document's created and modified times and every
zip entry with the time of saving, so all are fixed here (the report's date where it has one,
otherwise 1980-01-01, the earliest time a zip entry can hold) and the archive is written again
with fixed entry times, in openpyxl's order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from reportgen.present.results_table import ResultsRow
from reportgen.present.view import ReportView

SHEET = "results"
EPOCH = dt.datetime(1980, 1, 1)
CORE = "docProps/core.xml"
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
WIDEST = 40  # characters: wider columns are cut (the cell keeps its text)


def _stamp(view: ReportView) -> dt.datetime:
    """The report's date (``updated``, YYYY-MM-DD) at midnight, or ``EPOCH``."""
    updated = (view.version or {}).get("updated")
    try:
        return dt.datetime.strptime(str(updated), "%Y-%m-%d")
    except ValueError:
        return EPOCH


def _workbook(view: ReportView) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    columns = ResultsRow.columns()
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in columns]
    for row in view.results_table:
        values = row.values()
        sheet.append(list(values))
        widths = [
            max(w, len(str(v)) if v is not None else 0) for w, v in zip(widths, values, strict=True)
        ]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, WIDEST) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    stamp = _stamp(view)
    book.properties.created = book.properties.modified = stamp
    book.properties.title = view.title
    book.properties.creator = "reportgen"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fixed_times(archive: bytes, stamp: dt.datetime) -> bytes:
    """``archive`` written again with every entry's time set to ``stamp``, and the document's
    modified time too (openpyxl's ``save`` sets it to the time of saving)."""
    modified = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            data = source.read(entry.filename)
            if entry.filename == CORE:
                data = MODIFIED.sub(rb"\g<1>" + modified + rb"\g<2>", data)
            target.writestr(info, data)
    return out.getvalue()


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    return _fixed_times(_workbook(view), _stamp(view))
