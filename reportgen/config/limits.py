"""Every limit on what one config may make reportgen read or do, in one place.

Configs are written by many editors and built unattended, so each input that could make a build
read too much, run too long or use too much memory is bounded here, and going over a limit is a
located config error that names the limit. The defaults are far above what a real review needs.

An operator raises a limit with an environment variable ``REPORTGEN_LIMIT_<NAME>`` (the field
name in upper case), for example ``REPORTGEN_LIMIT_DATA_ROWS=50000 reportgen build``. Values are
read each time a config is loaded, so a test or a long-running ``watch`` sees the current ones.

``REPORTGEN_DATA_ROOT`` (or ``reportgen build --data-root DIR``) widens the folder that data files
may be read from; by default it is the config's own folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from reportgen.errors import UserError

ENV_PREFIX = "REPORTGEN_LIMIT_"
DATA_ROOT_ENV = "REPORTGEN_DATA_ROOT"


@dataclass(frozen=True)
class Limits:
    """The limits, with their defaults. Sizes are in bytes, lengths in characters."""

    config_bytes: int = 2_000_000  # size of a config file
    yaml_nodes: int = 100_000  # YAML nodes after aliases are expanded (an alias bomb)
    yaml_depth: int = 50  # nesting of lists and mappings
    data_file_bytes: int = 20_000_000  # size of one CSV or XLSX data file
    xlsx_uncompressed_bytes: int = 100_000_000  # an XLSX's contents once unzipped
    data_rows: int = 20_000  # rows in one data file
    data_columns: int = 200  # columns in one data file
    cell_chars: int = 10_000  # one CSV or XLSX cell
    row_errors: int = 20  # problems listed per data file, then "and N more"
    studies: int = 5_000  # studies in one config
    studies_per_outcome: int = 1_000  # data rows in one outcome (k = 2,000: 45 s, 0.5 GB)
    outcomes: int = 200  # outcomes in one config
    title_chars: int = 300  # report.title
    label_chars: int = 200  # labels of studies, outcomes and sensitivity analyses; ids
    text_chars: int = 20_000  # any other text: editorial prose, citations, glossary entries
    max_count: int = 1_000_000_000  # events, totals and arm sizes
    placeholder_chars: int = 20_000  # text made by filling in one field's {{ }} placeholders


DEFAULTS = Limits()


def current_limits() -> Limits:
    """The limits in force: the defaults, each raised or lowered by its environment variable.

    Raises ``UserError`` for a variable that is not a whole number of at least 1."""
    changes: dict[str, int] = {}
    for field in fields(Limits):
        name = ENV_PREFIX + field.name.upper()
        given = os.environ.get(name)
        if given is None:
            continue
        try:
            value = int(given.replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise UserError(f"{name}={given[:40]!r}: give a whole number of at least 1")
        changes[field.name] = value
    return replace(DEFAULTS, **changes) if changes else DEFAULTS


def data_root(config_folder: Path, given: str | Path | None = None) -> Path:
    """The folder data files must lie in (resolved): ``given``, else ``REPORTGEN_DATA_ROOT``,
    else the config's own folder."""
    chosen = given if given is not None else os.environ.get(DATA_ROOT_ENV) or config_folder
    return Path(os.path.realpath(chosen))


def env_name(limit: str) -> str:
    """The environment variable that sets ``limit``: ``REPORTGEN_LIMIT_DATA_ROWS``."""
    return ENV_PREFIX + limit.upper()


def excerpt(value: object, width: int = 40) -> str:
    """A short, escaped ``repr`` of ``value`` for messages: never more than ``width`` characters
    of what a file contains (a file's first line must not be published through an error)."""
    if isinstance(value, str | bytes) and len(value) > width:
        return repr(value[:width]) + f"... ({len(value):,} characters)"
    try:
        text = repr(value)
    except ValueError:  # an int too long to print (Python refuses over 4,300 digits)
        return "a number too long to show"
    return text if len(text) <= width + 2 else text[:width] + "..."
