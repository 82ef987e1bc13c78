"""The exception tree of reportgen, in one place.

``UserError`` and its subclasses describe problems with the user's input (a config or data file);
the CLI prints them without a traceback and exits non-zero. Any other exception is a bug in
reportgen and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an input file, located as precisely as we can.

    ``line`` is 1-based; 0 means the file as a whole. ``key_path`` is a dotted path such as
    ``outcomes[0].data[2].events`` (empty for the file as a whole).
    """

    file: str
    line: int
    key_path: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        if self.key_path:
            return f"{location}: {self.key_path}: {self.message}"
        return f"{location}: {self.message}"


class ReportgenError(Exception):
    """Base class of every error reportgen raises on purpose."""


class UserError(ReportgenError):
    """A problem the user can fix in their input; printed without a traceback."""


class ConfigError(UserError):
    """One or more problems in a config file or the data it names, all reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.key_path, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class AnalysisError(UserError):
    """The data are valid but a model cannot be fitted to them (for example, all variances zero)."""
