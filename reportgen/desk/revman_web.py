"""Reading RevMan Web's study-centric CSV files: study information, arms, results, risk of bias.

RevMan Web (Cochrane's current RevMan) keeps study data per study ("study-centric data") and
imports and exports it as CSV files, one row per study, per arm or per result (RevMan knowledge
base: "Populate study data", "Data extraction templates", "Data package specification");
Covidence's Extraction 1 "Export to RevMan Web" writes the same four files. The columns read
here are those shown in public files:

- Study information (one row per study): ``Study``, ``Year``, ``Data source`` and one
  ``Char: <field>`` column per study characteristic (``Char: Methods``, ``Char: Participants``,
  ...; Covidence adds ``Char: Identification``). Source: the ``*-study-information.csv`` of the
  RevMan Web data package shipped with R's meta package (``inst/extdata/Fleiss1993.zip``).
- Study arms (one row per arm): ``Study``, ``Arm``, ``Description``, ``Intervention`` (which of
  the review's interventions the arm received).
- Study results (one row per arm per outcome, or per contrast): ``Study``, ``Outcome``,
  ``Data type`` (``Dichotomous``, ``Continuous``), ``Effect measure``, ``Arm``, ``Reference arm``
  (filled on contrast-level rows), ``Sample size``, ``Cases``, ``Mean``, ``SD``, ``SE``,
  ``Variance``, ``CI level``, ``CI start``, ``CI end``, ``Exp mean``, ``Exp CI start``, ``Exp CI
  end`` and RevMan's other calculator inputs (``t-test``, ``z-test``, ``P value``, covariance
  and correlation columns, ``Other ...``), then ``Footnotes``. Source for these two files: a
  public pipeline that writes ``<review>-study-arms.csv`` and ``<review>-study-results.csv`` for
  RevMan Web, next to the ``*-study-data`` folder of a 2026 Cochrane data package.
- Risk of bias (RoB 1: one row per study): ``Study``, then ``Domain (judgement): <domain>`` and
  ``Domain (support): <domain>`` per domain (the same data package; R meta's ``read.cdir``).

Files are told apart by their header, not their names. Numbers stay text here, with the file
and line of each row, so the import can locate every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.desk.csvfile import CsvProblem, by_column, read_rows

INFORMATION = ("Study", "Year", "Data source")
CHARACTERISTIC = "Char: "
ARMS = ("Study", "Arm", "Description", "Intervention")
RESULTS = (
    "Study",
    "Outcome",
    "Data type",
    "Effect measure",
    "Arm",
    "Reference arm",
    "Sample size",
    "Cases",
    "Mean",
    "SD",
    "SE",
    "Variance",
    "CI level",
    "CI start",
    "CI end",
    "Exp mean",
    "Exp CI start",
    "Exp CI end",
    "t-test",
    "z-test",
    "P value",
    "Covariance method",
    "Covariance",
    "Other arm 1",
    "Other arm 2",
    "Correlation arm 1",
    "Correlation arm 2",
    "Correlation",
    "Other mean",
    "Other SE",
    "Other variance",
    "Other CI level",
    "Other CI start",
    "Other CI end",
    "Other exp mean",
    "Other exp CI start",
    "Other exp CI end",
    "Other t-test",
    "Other z-test",
    "Other P value",
    "Footnotes",
)
JUDGEMENT, SUPPORT = "Domain (judgement): ", "Domain (support): "
KINDS = {
    "information": "Study information",
    "arms": "Study arms",
    "results": "Study results",
    "rob": "Risk of bias",
}


class RevManWebError(ValueError):
    """A file that cannot be read as RevMan Web study data (file, line, column)."""

    def __init__(self, message: str, file: str, line: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.file, self.line, self.column = file, line, column

    def located(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}:{f' {self.column}:' if self.column else ''} {self}"


@dataclass(frozen=True)
class Row:
    """One line of a file: the file's name, its first line number and its cells."""

    file: str
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class StudyData:
    """The rows of each kind of file (``KINDS``), and what was not read."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {k: [] for k in KINDS})
    unknown: list[str] = field(default_factory=list)  # "file: column" not in the layout
    characteristics: list[str] = field(default_factory=list)  # Char: columns (not read)
    rob_domains: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # CSVs of a folder that are not study data


def kind_of(header: list[str]) -> str | None:
    """Which file a header belongs to (``KINDS``), or None."""
    names = set(header)
    if "Study" not in names:
        return None
    if {"Outcome", "Arm"} <= names:
        return "results"
    if {"Arm", "Intervention"} <= names:
        return "arms"
    if any(name.startswith((JUDGEMENT, SUPPORT)) for name in header):
        return "rob"
    if "Year" in names or any(name.startswith(CHARACTERISTIC) for name in header):
        return "information"
    return None


def _read(raw: bytes, name: str) -> tuple[list[str], list[Row]]:
    rows: list[Row] = []
    try:
        header, lines = read_rows(raw)
        for start, cells in lines:
            row = by_column(header, cells, start)
            if "Study" in row and not row["Study"]:
                raise RevManWebError("empty (every row names its study)", name, start, "Study")
            rows.append(Row(name, start, row))
    except CsvProblem as problem:
        raise RevManWebError(str(problem), name, problem.line) from None
    return header, rows


def _files(paths: list[Path]) -> list[tuple[Path, bool]]:
    """The CSV files to read (a folder's ``*.csv``), each with whether it was named."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found += [(p, False) for p in sorted(path.glob("*.csv")) if p.is_file()]
        else:
            found.append((path, True))
    if not found:
        raise RevManWebError("no CSV files in the folder", str(paths[0]))
    return found


def read_study_data(paths: list[Path]) -> StudyData:
    """The rows of RevMan Web's study data CSVs given as files or folders."""
    data = StudyData()
    for path, named in _files(paths):
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise RevManWebError(f"cannot be read ({error.strerror})", str(path)) from None
        header, rows = _read(raw, path.name)
        kind = kind_of(header)
        if kind is None:
            if named:
                wanted = "; ".join(
                    f"{KINDS[k]}: {', '.join(c)}"
                    for k, c in (("information", INFORMATION), ("arms", ARMS))
                )
                message = (
                    "not a RevMan Web study data file: its header has none of the known "
                    f"layouts ({wanted}; Study results: Study, Outcome, Arm, ...; Risk of "
                    f"bias: Study, {JUDGEMENT}...)"
                )
                raise RevManWebError(message, path.name, 1)
            data.skipped.append(path.name)
            continue
        data.files.append(path.name)
        data.rows[kind] += rows
        _columns(kind, header, path.name, data)
    if not data.rows["results"]:
        raise RevManWebError(
            "no Study results rows (the file with columns Study, Outcome, Arm, ...)",
            ", ".join(data.files) or str(paths[0]),
        )
    return data


def _columns(kind: str, header: list[str], name: str, data: StudyData) -> None:
    """Record the file's columns that are not read (characteristics) or not known."""
    known = {"information": INFORMATION, "arms": ARMS, "results": RESULTS, "rob": ("Study",)}
    for column in header:
        if not column or column in known[kind]:
            continue
        if kind == "information" and column.startswith(CHARACTERISTIC):
            data.characteristics.append(column)
        elif kind == "rob" and column.startswith((JUDGEMENT, SUPPORT)):
            domain = column.split(": ", 1)[1]
            if column.startswith(JUDGEMENT) and domain not in data.rob_domains:
                data.rob_domains.append(domain)
        else:
            data.unknown.append(f"{name}: {column}")
