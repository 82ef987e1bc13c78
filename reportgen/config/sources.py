"""Study data from CSV or XLSX files named in a config (``data: data/orr.csv``).

Columns are the keys of an inline row; nested keys are flattened with an underscore
(``intervention_events``, ``control_total``). Numbers are read as numbers, empty cells as
absent. Each value remembers its file, line and column so that validation can point at it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NESTED_PREFIXES = ("intervention", "control")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


class SourceError(Exception):
    """A data file that cannot be read at all; ``line`` (1-based) when the fault is on one."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def decode_utf8(raw: bytes) -> str:
    """``raw`` as UTF-8 text (a leading byte-order mark dropped), or a ``SourceError`` naming
    the line and column of the first byte that is not UTF-8 (Latin-1 or Windows-1252 files
    saved by Excel, for example)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise SourceError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} in column {column}): "
            "save the file as UTF-8",
            line,
        ) from None


@dataclass(frozen=True)
class SourceRow:
    """One data row: its values (nested like an inline row), its line in the file and, for
    each key path inside the row, the column it came from."""

    values: dict[str, Any]
    line: int
    columns: dict[tuple[str, ...], str]


def read_rows(path: Path) -> list[SourceRow]:
    """Rows of a CSV (UTF-8, header line first) or XLSX (first sheet, header row first) file."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            header, records = _read_csv(path)
        elif suffix in (".xlsx", ".xlsm"):
            header, records = _read_xlsx(path)
        else:
            raise SourceError(f"unsupported data file type '{suffix}': use .csv or .xlsx")
    except OSError as exc:
        raise SourceError(f"cannot read data file: {exc.strerror or exc}") from None
    rows = []
    for line, cells in records:
        values: dict[str, Any] = {}
        columns: dict[tuple[str, ...], str] = {}
        for column, cell in zip(header, cells, strict=False):
            value = _convert(cell)
            if value is None or not column:
                continue
            key = _key_path(column)
            target = values
            for part in key[:-1]:
                target = target.setdefault(part, {})
            target[key[-1]] = value
            columns[key] = column
        if values:
            rows.append(SourceRow(values, line, columns))
    return rows


def _key_path(column: str) -> tuple[str, ...]:
    column = column.strip()
    for prefix in NESTED_PREFIXES:
        if column.startswith(prefix + "_"):
            return (prefix, column[len(prefix) + 1 :])
    return (column,)


def _convert(cell: Any) -> Any:
    if cell is None:
        return None
    if isinstance(cell, bool | int | float):
        return cell
    text = str(cell).strip()
    if not text:
        return None
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text)
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return text


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(decode_utf8(path.read_bytes()), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
        return header, [(reader.line_num, row) for row in reader]
    except StopIteration:
        raise SourceError("the file is empty: expected a header line of column names") from None
    except csv.Error as exc:
        raise SourceError(f"not readable as CSV: {exc}", reader.line_num or 1) from None


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        # not a workbook: a CSV renamed .xlsx, a damaged download, an old .xls
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        raise SourceError("the first sheet is empty: expected a header row of column names")
    header = ["" if name is None else str(name).strip() for name in rows[0]]
    return header, [(index + 2, list(row)) for index, row in enumerate(rows[1:])]


def attach_sources(document, config_path: Path):
    """Replace every ``studies: FILE`` and ``outcomes[i].data: FILE`` in a parsed config by the
    rows of that file. Returns the new document, the files read, any problems, and the key
    paths of files that could not be read (so that the schema's complaints about the empty
    list left there are not reported twice)."""
    from dataclasses import replace

    from reportgen.config.yamlpos import format_key_path
    from reportgen.errors import Problem

    data = document.data
    external = dict(document.external)
    files: list[Path] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    base = config_path.parent

    def load(value: Any, path: tuple) -> Any:
        if not isinstance(value, str):
            return value
        file = base / value
        shown = str(file)
        try:
            rows = read_rows(file)
        except SourceError as error:
            problems.append(
                Problem(shown, error.line, "", str(error))
                if error.line  # located inside the data file
                else Problem(
                    document.file,
                    document.line_of(path),
                    format_key_path(path),
                    f"{shown}: {error}",
                )
            )
            unreadable.add(format_key_path(path))
            return []
        files.append(file)
        for index, row in enumerate(rows):
            external[(*path, index)] = (shown, row.line, row.columns)
        if not rows:
            problems.append(Problem(shown, 1, "", "the file has a header but no data rows"))
        return [row.values for row in rows]

    if isinstance(data, dict):
        data = dict(data)
        if "studies" in data:
            data["studies"] = load(data["studies"], ("studies",))
        outcomes = data.get("outcomes")
        if isinstance(outcomes, list):
            data["outcomes"] = [
                {**outcome, "data": load(outcome.get("data"), ("outcomes", i, "data"))}
                if isinstance(outcome, dict) and "data" in outcome
                else outcome
                for i, outcome in enumerate(outcomes)
            ]
    return replace(document, data=data, external=external), tuple(files), problems, unreadable
