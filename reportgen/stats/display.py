"""How results show themselves in a console or a notebook: a short one-line ``repr``, a small
HTML table (``_repr_html_``) and a pandas DataFrame (``summary()``).

Numbers only: row and column labels are field names, and values are shown with a few significant
digits. The report's own rounding and wording live in ``reportgen.present`` and
``reportgen.interpret``. pandas is imported only when a DataFrame is asked for.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

REPR_DIGITS = 3  # significant digits in a one-line repr
TABLE_DIGITS = 4  # significant digits in a notebook's HTML table


def short(value: float | None, digits: int = REPR_DIGITS) -> str:
    """``value`` with ``digits`` significant digits; ``None`` for a missing value."""
    if value is None:
        return "None"
    return f"{value:.{digits}g}"


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return short(value, TABLE_DIGITS)
    return str(value)


@dataclass(frozen=True)
class Table:
    """Rows of values under named columns, with a named index: what ``summary()`` returns as a
    DataFrame and ``_repr_html_`` shows as HTML."""

    index_name: str
    columns: tuple[str, ...]
    index: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [[math.nan if value is None else value for value in row] for row in self.rows],
            columns=list(self.columns),
            index=pd.Index(list(self.index), name=self.index_name),
        )

    def html(self, caption: str) -> str:
        head = "".join(f"<th>{html.escape(name)}</th>" for name in (self.index_name, *self.columns))
        body = "".join(
            f'<tr><th scope="row">{html.escape(label)}</th>'
            + "".join(f"<td>{html.escape(_cell(value))}</td>" for value in row)
            + "</tr>"
            for label, row in zip(self.index, self.rows, strict=True)
        )
        return (
            f"<table><caption>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


def table(
    index_name: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Any]]],
) -> Table:
    """A ``Table`` from ``(label, values)`` pairs."""
    return Table(
        index_name,
        tuple(columns),
        tuple(label for label, _ in rows),
        tuple(tuple(values) for _, values in rows),
    )
