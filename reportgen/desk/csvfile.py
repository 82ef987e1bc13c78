"""The CSV files the importers read (RevMan 5, RevMan Web, Covidence): decoded, named and split
into rows, each located by the line it starts on (a quoted cell may hold line breaks, so a row's
line is not its index), with every fault of the file a ``CsvProblem`` at that line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any


class CsvProblem(ValueError):
    """A CSV file that cannot be read at ``line``; each importer reports it as its own error."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def decode(raw: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), or Windows-1252, which RevMan on Windows writes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def column_names(header: list[str]) -> list[str]:
    """The header's names, stripped; a name's second and later occurrences get `` [2]``, ..."""
    seen: dict[str, int] = {}
    names = []
    for raw in header:
        name = raw.strip()
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return names


def read_rows(raw: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header's column names, and then each row that has a non-blank cell as (the line it
    starts on, its cells stripped), read as the caller iterates. Edge cases: an empty file has
    no columns and no rows; a line Python's csv cannot read (a cell over its 128 KiB limit, a
    NUL byte) raises ``CsvProblem`` at its line, from here or from the iteration."""
    reader = csv.reader(io.StringIO(decode(raw), newline=""))
    try:
        header = column_names(next(reader, []))
    except csv.Error as error:
        raise CsvProblem(f"not a CSV file ({error})", 1) from None
    return header, _rows(reader)


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:  # a csv.reader: next(), line_num
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise CsvProblem(f"not a CSV line ({error})", start) from None
        end = reader.line_num
        if cells is None:
            return
        if any(cell.strip() for cell in cells):
            yield start, [cell.strip() for cell in cells]


def by_column(columns: list[str], cells: list[str], line: int) -> dict[str, str]:
    """A row's cells by column name, missing cells empty; more cells than columns is a
    ``CsvProblem`` (a shifted row would put every value under the wrong name)."""
    if len(cells) > len(columns):
        raise CsvProblem(f"{len(cells)} cells, but the header has {len(columns)} columns", line)
    return dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True))
