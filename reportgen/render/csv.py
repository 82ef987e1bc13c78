"""``results.csv``: the results table (``present.results_table``), one row per outcome and
analysis, for spreadsheets and scripts.

UTF-8 without a byte-order mark, comma-separated, ``\\r\\n`` line ends (RFC 4180), a header row of
the column names; numbers at full precision (Python's shortest round-trip form), empty cells for
values that do not apply or could not be computed. Identical inputs give identical bytes.
"""

from __future__ import annotations

import csv
import io

from reportgen.present.results_table import ResultsRow
from reportgen.present.view import ReportView


def _cell(value: object) -> object:
    return "" if value is None else repr(value) if isinstance(value, float) else value


def render(view: ReportView, rendered: dict[str, bytes]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ResultsRow.columns())
    for row in view.results_table:
        writer.writerow([_cell(value) for value in row.values()])
    return buffer.getvalue().encode("utf-8")
