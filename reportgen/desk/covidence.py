"""Reading a Covidence extraction export (CSV) into studies, each with one extraction to use.

The layout read is what Covidence writes for Extraction 2 (Export > Extraction > Data only,
CSV), as seen in public exports (PennLINC/sypres-docs ``analysis/master-db/data/
review_772559_*.csv``, cdsbasel/temp_riskperception ``Scoping_review/R data set/
review_281571_*.csv``) and in the R scripts that read them (a public IHME script that cleans
Covidence extractions for MR-BRT, with columns such as ``Model 1 number of cases exposed
group``; klsea/time_prefs_meta):

- one header line; the first four columns are Covidence's own: ``Covidence #`` (the record's
  number), ``Study ID`` ("Author Year"), ``Title`` and ``Reviewer Name``;
- then one column per field of the review's own template, named by the review team. A table of
  the template becomes one column per cell, named "<row> <column>" (``Model 1 number of cases
  exposed group``), with a column "<table name>:" before it that stays empty; the same name may
  occur twice (two tables with the same row and column names);
- one line per study per reviewer; the reviewers' agreed extraction is the line whose
  ``Reviewer Name`` is ``Consensus``. A study still being extracted has only its reviewers'
  lines (single-reviewer reviews never have a consensus line);
- empty cells are written ``""``; a value may start with a space; free text may hold line breaks.

Which template column holds which number is the editor's to say (``desk.covidence_map``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.desk.csvfile import CsvProblem, by_column, read_rows

LEADING = ("Covidence #", "Study ID", "Title", "Reviewer Name")
CONSENSUS = "consensus"


class CovidenceError(ValueError):
    """The file is not a Covidence extraction export reportgen can read (line, column)."""

    def __init__(self, message: str, line: int = 0, column: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class ExportRow:
    """One reviewer's (or the consensus) line: its first line number and its cells by column."""

    line: int
    reviewer: str
    cells: dict[str, str]


@dataclass(frozen=True)
class CovidenceStudy:
    number: str
    study_id: str
    title: str
    rows: tuple[ExportRow, ...]


@dataclass(frozen=True)
class Extraction:
    """The line to import for a study, or why none can be (``problem``); ``note`` says which
    line was chosen when it is not a consensus line."""

    row: ExportRow | None
    note: str = ""
    problem: str = ""


@dataclass(frozen=True)
class CovidenceExport:
    columns: tuple[str, ...]
    studies: tuple[CovidenceStudy, ...]


def read_covidence(raw: bytes) -> CovidenceExport:
    """The studies of a Covidence extraction CSV export, with every line of each."""
    try:
        columns, lines = read_rows(raw)
        if tuple(columns[:4]) != LEADING:
            raise CovidenceError(
                "not a Covidence extraction export: the first columns must be "
                + ", ".join(LEADING),
                1,
            )
        studies: dict[str, list[ExportRow]] = {}
        for start, cells in lines:
            row = by_column(columns, cells, start)
            if not row["Covidence #"]:
                message = "empty (every line names its Covidence record)"
                raise CovidenceError(message, start, LEADING[0])
            studies.setdefault(row["Covidence #"], []).append(
                ExportRow(start, row["Reviewer Name"], row)
            )
    except CsvProblem as problem:
        raise CovidenceError(str(problem), problem.line) from None
    return CovidenceExport(
        tuple(columns),
        tuple(
            CovidenceStudy(number, rows[0].cells["Study ID"], rows[0].cells["Title"], tuple(rows))
            for number, rows in studies.items()
        ),
    )


def extraction(study: CovidenceStudy, used: list[str], source: str) -> Extraction:
    """The study's consensus line; without one, its reviewers' lines if they agree on the
    ``used`` columns (else a ``problem`` naming each disagreement as ``source:line: column``)."""
    consensus = [r for r in study.rows if r.reviewer.lower() == CONSENSUS]
    candidates = consensus or list(study.rows)
    first = candidates[0]
    differ = [
        c for c in used if any(r.cells.get(c, "") != first.cells.get(c, "") for r in candidates)
    ]
    if differ:
        what = (
            "its consensus lines" if consensus else "its reviewers, and it has no consensus line,"
        )
        places = "; ".join(
            f"{column}: "
            + " vs ".join(
                f"{source}:{r.line}: {r.cells.get(column, '')!r} ({r.reviewer or 'no name'})"
                for r in candidates
            )
            for column in differ
        )
        return Extraction(None, problem=f"{what} disagree: {places}")
    if consensus:
        return Extraction(first)
    names = ", ".join(r.reviewer or "no name" for r in candidates)
    if len(candidates) == 1:
        return Extraction(
            first, note=f"no consensus line: {names}'s extraction (line {first.line})"
        )
    return Extraction(first, note=f"no consensus line: its reviewers ({names}) agree")
