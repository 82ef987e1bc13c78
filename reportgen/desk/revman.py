"""Reading a RevMan "Data and analyses" CSV export into comparisons, outcomes and study rows.

The layout read is RevMan 5's analysis-data export (File > Export > Data and analyses, all
fields; the layout of ``Fleiss93_CR.csv`` shipped with R's meta package): one header line, then
one row per comparison, per outcome, per subgroup and per study, told apart by their numbers and
by which cells are filled:

- comparison row: ``Outcome Number`` 0; ``Name`` is the comparison;
- outcome row: ``Outcome Number`` > 0 and a ``Data Type`` (``DIC`` dichotomous, ``CON``
  continuous), ``Effect Measure`` (OR, RR, RD, MD, SMD; "Peto OR"), ``Statistical Method``
  (MH, IV, Peto), ``Analysis Model`` (Fixed, Random), ``Group Label 1`` / ``2`` (experimental,
  control) and ``Left Graph Label`` / ``Right Graph Label`` (which side favours which group);
- subgroup row: ``Subgroup Number`` > 0 with the subgroup's test ``Z`` filled in; ``Name`` is the
  subgroup;
- study row: no ``Data Type`` and no ``Z``: ``Name`` (study), ``Year of study``, and the data:
  ``Events 1``, ``Total 1``, ``Events 2``, ``Total 2`` (dichotomous) or ``Mean 1``, ``SD 1``,
  ``Total 1``, ``Mean 2``, ``SD 2``, ``Total 2`` (continuous). Group 1 is the experimental arm.

RevMan's own results (``Effect Estimate``, ``SE``, ``CI Start``, ``CI End``, ``Weight``, ``Q``,
``P(Q)``, ``I²(Q)``, ``Tau²``, ``Z``, ``P(Z)``, ``Qint``, ``P(Qint)``, ``I²(Qint)``, ``df``) are
known and not read: reportgen computes its own. Any other column is reported as not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.desk.csvfile import CsvProblem, read_rows

# Columns read (contract: the RevMan export's own names).
READ = (
    "Comparison Number",
    "Outcome Number",
    "Subgroup Number",
    "Name",
    "Data Type",
    "Statistical Method",
    "Effect Measure",
    "Analysis Model",
    "Events 1",
    "Mean 1",
    "SD 1",
    "Total 1",
    "Events 2",
    "Mean 2",
    "SD 2",
    "Total 2",
    "Group Label 1",
    "Group Label 2",
    "Left Graph Label",
    "Right Graph Label",
    "Year of study",
    "Z",
)
# RevMan's results and layout columns: known, deliberately not read (reportgen recomputes).
KNOWN_UNREAD = (
    "Effect Estimate",
    "SE",
    "CI Start",
    "CI End",
    "Weight",
    "Q",
    "P(Q)",
    "I²(Q)",
    "Tau²",
    "P(Z)",
    "Qint",
    "P(Qint)",
    "I²(Qint)",
    "df",
    "User defined order",
)
REQUIRED = ("Comparison Number", "Outcome Number", "Subgroup Number", "Name", "Data Type")
DATA_TYPES = {"DIC": "binary", "CON": "continuous"}


class RevManError(ValueError):
    """The file is not a RevMan analysis-data export reportgen can read (with the line)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class RevManStudy:
    label: str
    year: str
    subgroup: str | None
    values: dict[str, str]
    line: int


@dataclass
class RevManOutcome:
    number: int
    name: str
    data_type: str
    measure: str
    method: str
    model: str
    group_labels: tuple[str, str]
    graph_labels: tuple[str, str]
    line: int
    studies: list[RevManStudy] = field(default_factory=list)


@dataclass
class RevManComparison:
    number: int
    name: str
    outcomes: list[RevManOutcome] = field(default_factory=list)


@dataclass
class RevManExport:
    comparisons: list[RevManComparison]
    unread_columns: list[str]


def _number(value: str, what: str, line: int) -> int:
    try:
        return int(value.strip() or "0")
    except ValueError:
        raise RevManError(f"{what}: expected a whole number, got {value!r}", line) from None


def read_revman(raw: bytes) -> RevManExport:
    """The comparisons, outcomes and study rows of a RevMan analysis-data CSV export."""
    try:
        header, lines = read_rows(raw)
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise RevManError(
                f"not a RevMan 'Data and analyses' export: no column {', '.join(missing)}", 1
            )
        rows = [(line, dict(zip(header, cells, strict=False))) for line, cells in lines]
    except CsvProblem as problem:
        raise RevManError(str(problem), problem.line) from None
    unread = [name for name in header if name and name not in READ + KNOWN_UNREAD]
    comparisons: dict[int, RevManComparison] = {}
    outcome: RevManOutcome | None = None
    subgroup: str | None = None
    for line, row in rows:
        cell = {name: row.get(name, "") for name in header if name}
        number = _number(cell["Comparison Number"], "Comparison Number", line)
        outcome_no = _number(cell["Outcome Number"], "Outcome Number", line)
        subgroup_no = _number(cell["Subgroup Number"], "Subgroup Number", line)
        comparison = comparisons.setdefault(number, RevManComparison(number, f"{number}"))
        if outcome_no == 0:
            comparison.name = cell["Name"] or comparison.name
            continue
        if cell["Data Type"]:
            outcome = _outcome(cell, outcome_no, line)
            comparison.outcomes.append(outcome)
            subgroup = None
        elif outcome is None or outcome.number != outcome_no:
            raise RevManError(f"a row of outcome {outcome_no} before that outcome's row", line)
        elif subgroup_no and cell.get("Z"):
            subgroup = cell["Name"]
        else:
            study = RevManStudy(
                cell["Name"],
                cell.get("Year of study", ""),
                subgroup if subgroup_no else None,
                cell,
                line,
            )
            outcome.studies.append(study)
    return RevManExport(list(comparisons.values()), unread)


def _outcome(cell: dict[str, str], number: int, line: int) -> RevManOutcome:
    return RevManOutcome(
        number=number,
        name=cell["Name"],
        data_type=cell["Data Type"],
        measure=cell.get("Effect Measure", ""),
        method=cell.get("Statistical Method", ""),
        model=cell.get("Analysis Model", ""),
        group_labels=(cell.get("Group Label 1", ""), cell.get("Group Label 2", "")),
        graph_labels=(cell.get("Left Graph Label", ""), cell.get("Right Graph Label", "")),
        line=line,
    )
