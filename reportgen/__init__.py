"""reportgen: evidence summaries people can trust, from a YAML description of a systematic review.

Public API (kept light to import: heavy modules load on first use):

- ``reportgen.pool(yi, vi, method="REML", test="z")``: pool effect sizes as metafor's ``rma``.
- ``reportgen.build_report(config_path, out_dir)``: build one report's HTML, PDF and JSON.
- ``reportgen.load_config(path)``: validate a config; raises ``ConfigError`` listing problems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.version import __version__

__all__ = [
    "ConfigError",
    "PoolResult",
    "UserError",
    "__version__",
    "build_report",
    "load_config",
    "pool",
]

if TYPE_CHECKING:
    from reportgen.config.load import load_config
    from reportgen.errors import ConfigError, UserError
    from reportgen.publish.build import build_report
    from reportgen.stats.pooling import PoolResult, pool

_LAZY = {
    "pool": "stats.pooling",
    "PoolResult": "stats.pooling",
    "build_report": "publish.build",
    "load_config": "config.load",
    "ConfigError": "errors",
    "UserError": "errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
