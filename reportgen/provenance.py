"""Versions of reportgen and the libraries that computed and rendered a report."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from reportgen.version import __version__

_LIBRARIES = ("numpy", "scipy", "matplotlib", "jinja2", "weasyprint")


@dataclass(frozen=True)
class Provenance:
    reportgen_version: str
    python_version: str
    libraries: tuple[tuple[str, str], ...]

    @property
    def software_line(self) -> str:
        parts = [f"reportgen {self.reportgen_version}", f"Python {self.python_version}"]
        parts += [f"{name} {version}" for name, version in self.libraries]
        return ", ".join(parts)

    def as_dict(self) -> dict[str, str]:
        return {
            "reportgen": self.reportgen_version,
            "python": self.python_version,
            **dict(self.libraries),
        }


def current_provenance() -> Provenance:
    """The versions installed in this environment."""
    libraries = []
    for name in _LIBRARIES:
        try:
            libraries.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            libraries.append((name, "not installed"))
    return Provenance(__version__, platform.python_version(), tuple(libraries))
