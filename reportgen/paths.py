"""Where reportgen's own files are (kept free of heavy imports: the no-op build path uses it)."""

from __future__ import annotations

from pathlib import Path


def templates_dir() -> Path:
    """The templates folder: inside the installed package, or beside it in a source checkout."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def data_dir() -> Path:
    """reportgen's own data files: phrase tables and the glossary."""
    return Path(__file__).parent / "data"
