"""Analysis errors located in the config: which outcome failed, and on which line it starts.

The statistics raise ``AnalysisError`` with a bare message ("every sampling variance must be
positive"); they know numbers, not files. Here the failing outcome is found and the error is
raised again as ``configs/x.yaml:42: outcomes[1] (id 'mortality'): every sampling variance must
be positive``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.errors import AnalysisError, Problem

if TYPE_CHECKING:
    from reportgen.config.load import LoadedConfig
    from reportgen.stats.analysis import ReportResults


def analyse_located(loaded: LoadedConfig) -> ReportResults:
    """``analyse(loaded.config)``, with any ``AnalysisError`` located at its outcome."""
    from reportgen.stats.analysis import analyse

    try:
        return analyse(loaded.config)
    except AnalysisError as error:
        if error.problem is not None:
            raise
        raise locate(loaded, error) from error


def locate(loaded: LoadedConfig, error: AnalysisError) -> AnalysisError:
    """The same error, located at the first outcome whose analysis fails (outcomes are analysed
    in order, so that is the one that raised it); at the config as a whole if none does."""
    from reportgen.stats.analysis import analyse_outcome

    file = str(loaded.path)
    for index, outcome in enumerate(loaded.config.outcomes):
        try:
            analyse_outcome(loaded.config, outcome)
        except AnalysisError as again:
            return _at_outcome(loaded, index, outcome.id, again.message)
    return AnalysisError(error.message, problem=Problem(file, 0, "", error.message))


def _at_outcome(loaded: LoadedConfig, index: int, outcome_id: str, message: str) -> AnalysisError:
    # Some messages already name the outcome ("outcome 'x': ..."); say it once.
    message = message.removeprefix(f"outcome '{outcome_id}': ")
    path = ("outcomes", index)
    if loaded.document is not None:
        file, line, key_path = loaded.document.locate(path)
    else:
        file, line, key_path = str(loaded.path), 0, f"outcomes[{index}]"
    return AnalysisError(
        message, outcome_id=outcome_id, problem=Problem(file, line, key_path, message)
    )
