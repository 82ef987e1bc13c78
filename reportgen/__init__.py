"""reportgen: evidence summaries people can trust, from a YAML description of a systematic review.

Public API (kept light to import: each name loads its module on first use, so ``import
reportgen`` imports neither numpy nor Jinja):

- ``reportgen.pool(yi, vi, method="REML", test="z")``: pool effect sizes as metafor's ``rma``;
  returns a frozen ``PoolResult`` (``to_dict()``, ``summary()``).
- ``reportgen.proportion_effects``, ``binary_effects``, ``continuous_effects``,
  ``generic_effects``: per-study effect sizes (``EffectSizes``: yi, vi) as metafor's ``escalc``.
- ``reportgen.egger_test``, ``begg_test``, ``trim_and_fill``: small-study tests.
- ``reportgen.meta_regression(yi, vi, {"ablat": [...]}, method="REML", test="z")``:
  meta-regression as metafor's ``rma(yi, vi, mods = ...)``; a frozen ``RegressionModel``
  (coefficients, QM, QE, R2, ``predict({"ablat": 40})``).
- ``reportgen.load_config(path)``: validate a config; raises ``ConfigError`` listing problems.
- ``reportgen.analyse(config)``: every analysis of a validated config (``load_config(path).config``)
  as a frozen ``ReportResults`` of ``OutcomeResult``.
- ``reportgen.build_report(config_path, out_dir)``: build one report's HTML, PDF and JSON.
- Errors: ``ReportgenError`` > ``UserError`` > ``ConfigError``, ``AnalysisError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.version import __version__

if TYPE_CHECKING:
    from reportgen.config.load import load_config
    from reportgen.errors import AnalysisError, ConfigError, ReportgenError, UserError
    from reportgen.publish.build import build_report
    from reportgen.stats.analysis import OutcomeResult, ReportResults, analyse
    from reportgen.stats.effects import (
        EffectSizes,
        binary_effects,
        continuous_effects,
        generic_effects,
        proportion_effects,
    )
    from reportgen.stats.pooling import PoolResult, pool
    from reportgen.stats.regression import RegressionModel, meta_regression
    from reportgen.stats.small_study import begg_test, egger_test, trim_and_fill

# Each public name and the module (relative to this package) that defines it.
_LAZY = {
    "pool": "stats.pooling",
    "PoolResult": "stats.pooling",
    "EffectSizes": "stats.effects",
    "binary_effects": "stats.effects",
    "continuous_effects": "stats.effects",
    "generic_effects": "stats.effects",
    "proportion_effects": "stats.effects",
    "begg_test": "stats.small_study",
    "egger_test": "stats.small_study",
    "trim_and_fill": "stats.small_study",
    "meta_regression": "stats.regression",
    "RegressionModel": "stats.regression",
    "analyse": "stats.analysis",
    "OutcomeResult": "stats.analysis",
    "ReportResults": "stats.analysis",
    "load_config": "config.load",
    "build_report": "publish.build",
    "ReportgenError": "errors",
    "UserError": "errors",
    "ConfigError": "errors",
    "AnalysisError": "errors",
}

# A literal list, so that type checkers see the re-exports.
__all__ = [
    "AnalysisError",
    "ConfigError",
    "EffectSizes",
    "OutcomeResult",
    "PoolResult",
    "RegressionModel",
    "ReportResults",
    "ReportgenError",
    "UserError",
    "__version__",
    "analyse",
    "begg_test",
    "binary_effects",
    "build_report",
    "continuous_effects",
    "egger_test",
    "generic_effects",
    "load_config",
    "meta_regression",
    "pool",
    "proportion_effects",
    "trim_and_fill",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # later look-ups skip __getattr__
        return value
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (``__all__``) and the module's attributes, without importing anything."""
    return sorted(set(__all__) | set(globals()))
