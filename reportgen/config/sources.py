"""Study data from CSV or XLSX files named in a config (``data: data/orr.csv``).

Columns are the keys of an inline row; nested keys are flattened with an underscore
(``intervention_events``, ``control_total``). Numbers are read as numbers, empty cells as
absent. Each value remembers its file, line and column so that validation can point at it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.config.datafiles import (
    SourceError,
    limit_hint,
    open_xlsx_zip,
    read_data_bytes,
    resolve_data_path,
)
from reportgen.config.limits import Limits, current_limits, data_root, excerpt

NESTED_PREFIXES = ("intervention", "control")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


def decode_utf8(raw: bytes) -> str:
    """``raw`` as UTF-8 text (a leading byte-order mark dropped), or a ``SourceError`` naming
    the line and column of the first byte that is not UTF-8 (Latin-1 or Windows-1252 files
    saved by Excel, for example)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceError("UTF-16 text: save the file as UTF-8", 1)
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


def read_rows(path: Path, limits: Limits | None = None, name: str | None = None) -> list[SourceRow]:
    """Rows of a CSV (UTF-8, header line first) or XLSX (first sheet, header row first) file.

    ``path`` must already be checked (``datafiles.resolve_data_path``); it is read within the
    size, row, column and cell limits. ``name``: the file as the config names it, whose suffix
    says how to read it (``path`` may be where a symlink leads)."""
    limits = limits or current_limits()
    suffix = Path(name or path).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise SourceError(f"unsupported data file type {suffix[:20]!r}: use .csv or .xlsx")
    raw = read_data_bytes(path, limits)
    if suffix == ".csv":
        header, records = _read_csv(raw, limits)
    else:
        header, records = _read_xlsx(raw, limits)
    _check_header(header)
    rows = []
    for line, cells in records:
        values: dict[str, Any] = {}
        columns: dict[tuple[str, ...], str] = {}
        for column, cell in zip(header, cells, strict=False):
            value = _convert(cell)
            if value is None or not column:
                continue
            if isinstance(value, str) and len(value) > limits.cell_chars:
                raise SourceError(
                    f"column {column[:40]!r}: a cell longer than {limits.cell_chars:,} "
                    f"characters {limit_hint('cell_chars')}",
                    line,
                )
            key = _key_path(column)
            target = values
            for part in key[:-1]:
                target = target.setdefault(part, {})
            target[key[-1]] = value
            columns[key] = column
        if values:
            rows.append(SourceRow(values, line, columns))
    return rows


def _check_header(header: list[str]) -> None:
    """Refuse column names that would land on the same key: a name given twice, or
    ``intervention`` beside ``intervention_events`` (one cannot be both a value and an arm)."""
    seen: dict[tuple[str, ...], str] = {}
    for column in header:
        if not column:
            continue
        key = _key_path(column)
        for other_key, other in seen.items():
            if (
                key == other_key
                or key[: len(other_key)] == other_key
                or (other_key[: len(key)] == key)
            ):
                raise SourceError(
                    f"columns {other[:40]!r} and {column[:40]!r} give the same value: "
                    "keep one of them",
                    1,
                )
        seen[key] = column


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
    if len(text) <= 100 and _INTEGER.match(text):  # longer: left as text, refused as a number
        return int(text)
    if len(text) <= 100 and _DECIMAL.match(text):
        return float(text)
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return text


def _read_csv(raw: bytes, limits: Limits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if b"\0" in raw and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        raise SourceError("contains a NUL byte: this is not a CSV text file", line)
    reader = csv.reader(io.StringIO(decode_utf8(raw), newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        header = [name.strip() for name in next(reader)]
        _check_width(header, limits, 1)
        for row in reader:
            records.append((reader.line_num, row))
            _check_width(row, limits, reader.line_num)
            if len(records) > limits.data_rows:
                raise _too_many_rows(limits, reader.line_num)
    except StopIteration:
        raise SourceError("the file is empty: expected a header line of column names") from None
    except csv.Error as exc:
        reason = (
            f"a cell longer than {limits.cell_chars:,} characters {limit_hint('cell_chars')}"
            if "field larger" in str(exc)
            else str(exc)
        )
        raise SourceError(f"not readable as CSV: {reason}", reader.line_num or 1) from None
    return header, records


def _check_width(cells: list[Any], limits: Limits, line: int) -> None:
    if len(cells) > limits.data_columns:
        raise SourceError(
            f"more than {limits.data_columns} columns {limit_hint('data_columns')}", line
        )


def _too_many_rows(limits: Limits, line: int) -> SourceError:
    return SourceError(f"more than {limits.data_rows:,} data rows {limit_hint('data_rows')}", line)


def _read_xlsx(raw: bytes, limits: Limits) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    stream = open_xlsx_zip(raw, limits)
    rows: list[tuple[Any, ...]] = []
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Columns are read up to one past the limit, so that the sheet's own (possibly
            # false) dimensions never make every row millions of cells wide.
            for row in sheet.iter_rows(values_only=True, max_col=limits.data_columns + 1):
                if len(row) > limits.data_columns and row[-1] is not None:
                    _check_width(list(row), limits, len(rows) + 1)
                rows.append(tuple(row[: limits.data_columns]))
                if len(rows) > limits.data_rows + 1:
                    raise _too_many_rows(limits, len(rows))
        finally:
            workbook.close()
    except SourceError:
        raise
    except Exception as exc:  # openpyxl on a damaged or hostile workbook: many kinds
        raise SourceError(f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    if not rows:
        raise SourceError("the first sheet is empty: expected a header row of column names")
    header = ["" if name is None else str(name).strip() for name in rows[0]]
    return header, [(index + 2, list(row)) for index, row in enumerate(rows[1:])]


def attach_sources(
    document, config_path: Path, limits: Limits | None = None, root_given: Path | None = None
):
    """Replace every ``studies: FILE`` and ``outcomes[i].data: FILE`` in a parsed config by the
    rows of that file. Returns the new document, the files read, any problems, and the key
    paths of files that could not be read (so that the schema's complaints about the empty
    list left there are not reported twice)."""
    from dataclasses import replace

    from reportgen.config.peek import data_file_keys
    from reportgen.config.yamlpos import format_key_path
    from reportgen.errors import Problem

    limits = limits or current_limits()
    data = document.data
    external = dict(document.external)
    files: list[Path] = []
    problems: list[Problem] = []
    unreadable: set[str] = set()
    base = config_path.parent
    root = data_root(base, root_given)

    def load(value: Any, path: tuple) -> Any:
        if not isinstance(value, str):
            return value
        file = base / value
        shown = str(file) if value.strip() and len(value) <= 200 else excerpt(value)
        try:
            rows = read_rows(resolve_data_path(value, base, root), limits, value)
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
        outcomes = list(data["outcomes"]) if isinstance(data.get("outcomes"), list) else None
        for path, value in data_file_keys(data):
            if path == ("studies",):
                data["studies"] = load(value, path)
            elif path[0] == "risk_of_bias":
                data["risk_of_bias"] = {**data["risk_of_bias"], "judgements": load(value, path)}
            elif outcomes is not None and isinstance(index := path[1], int):
                outcomes[index] = {**outcomes[index], "data": load(value, path)}
        if outcomes is not None:
            data["outcomes"] = outcomes
    return replace(document, data=data, external=external), tuple(files), problems, unreadable
