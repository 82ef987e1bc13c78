"""The exception tree of reportgen, in one place.

::

    ReportgenError              base of every error reportgen raises on purpose
    ├── UserError               a problem the user can fix in their input: printed without a
    │   │                       traceback, exit status 1
    │   ├── ConfigError         one or more located problems in a config or its data files;
    │   │                       raised by ``config.load.load_config`` (YAML syntax and encoding,
    │   │                       schema, cross-checks, unreadable or non-UTF-8 data files)
    │   ├── AnalysisError       valid data that no model can be fitted to; raised by ``stats``
    │   │                       with a bare message, then located at the outcome in the config
    │   │                       (``outcome_id``, ``problem``) by ``publish.locate``
    │   └── OutputError         the output folder cannot take the report: a folder reportgen did
    │                           not make, a reserved or duplicate report id, a read-only or full
    │                           disk; raised by ``publish``, nothing published is changed
    └── InternalError           a bug in reportgen met while building one config (any exception
                                that is not a ``UserError``); made by ``publish.batch`` so that
                                the other configs still build. Exit status 3.

Anything else that escapes (outside a single config's build) is a bug too: the CLI prints its
traceback and exits 3.
"""

from __future__ import annotations

import traceback
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
    """The data are valid but a model cannot be fitted to them (for example, all variances zero).

    The statistics raise it with the bare ``message``; ``publish.locate`` adds the outcome's id
    and its place in the config (``problem``), so that it prints as
    ``configs/x.yaml:42: outcomes[1] (id 'mortality'): every sampling variance must be positive``.
    """

    def __init__(
        self, message: str, *, outcome_id: str | None = None, problem: Problem | None = None
    ):
        self.message = message
        self.outcome_id = outcome_id
        self.problem = problem
        super().__init__(message)

    def __reduce__(self):  # keep the location when pickled (for example, across processes)
        return _rebuild_analysis_error, (self.message, self.outcome_id, self.problem)

    def __str__(self) -> str:
        if self.problem is None:
            return self.message
        key_path = self.problem.key_path
        if self.outcome_id is not None:
            key_path = f"{key_path} (id '{self.outcome_id}')" if key_path else self.outcome_id
        return str(Problem(self.problem.file, self.problem.line, key_path, self.message))


class OutputError(UserError):
    """The report cannot be published into the output folder; the folder is left as it was.

    The message is one line that names the folder or file concerned, for example
    ``site/assets: not made by reportgen (no valid manifest.json); refusing to replace it``.
    """


class InternalError(ReportgenError):
    """A bug in reportgen (an unexpected exception) met while building ``config``.

    Keeps the original exception's one-line summary and its formatted traceback as text, so it
    can cross a process boundary and be written to the error log.
    """

    def __init__(self, config: str, summary: str, details: str):
        self.config, self.summary, self.details = config, summary, details
        super().__init__(f"{config}: internal error: {summary}")

    def __reduce__(self):
        return type(self), (self.config, self.summary, self.details)

    @classmethod
    def wrap(cls, config: str, error: BaseException) -> InternalError:
        return cls(config, summarise(error), "".join(traceback.format_exception(error)))


def _rebuild_analysis_error(
    message: str, outcome_id: str | None, problem: Problem | None
) -> AnalysisError:
    return AnalysisError(message, outcome_id=outcome_id, problem=problem)


def summarise(error: BaseException) -> str:
    """``KeyError: 'foo'``: the exception's type and the first line of its message."""
    name = type(error).__name__
    text = str(error).strip().splitlines()
    return f"{name}: {text[0]}" if text else name
