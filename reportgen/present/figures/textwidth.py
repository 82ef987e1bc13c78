"""How wide a line of text is in DejaVu Sans, estimated without a font library.

The forest plot sizes its columns, and so its width, from these estimates; it anchors each
column at its left or right edge (``text-anchor``), so alignment never depends on them, only
the room between columns does. Advance widths come from ``data/fonts/dejavu-sans-advances.json``
(written by ``benchmarks/make_text_widths.py`` from matplotlib's bundled DejaVu Sans, the font the
SVG names and the Word file's rasteriser uses). The estimate is the sum of the advances, without
kerning (DejaVu's kerning moves a line of digits and letters by well under 1%):

- a character outside the table: 0 for combining marks and other zero-width characters, one em
  for wide East Asian characters (which another font draws), else ``FALLBACK_EM``;
- italic and bold italic have their own tables (the obliques differ in a few letters).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

FALLBACK_EM = 0.62  # about the mean advance of DejaVu Sans's letters and digits
FACES = ("regular", "bold", "italic", "bold-italic")


@cache
def _advances() -> dict[str, dict[str, float]]:
    """Advance widths in ems by face and character (read once per process)."""
    path = resources.files("reportgen") / "data" / "fonts" / "dejavu-sans-advances.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    units = float(document["units_per_em"])
    return {
        face: {char: width / units for char, width in table.items()}
        for face, table in document["faces"].items()
    }


def _fallback(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return FALLBACK_EM


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` in the units of ``size`` (points for a size in points)."""
    table = _advances()[FACES[bold + 2 * italic]]
    return size * sum(table[char] if char in table else _fallback(char) for char in text)


def shorten(text: str, room: float, size: float, bold: bool = False, italic: bool = False) -> str:
    """``text`` if it fits ``room``, else its longest beginning that fits with an ellipsis after
    it (cut at a character; linear in the length of ``text``)."""
    if text_width(text, size, bold, italic) <= room:
        return text
    table = _advances()[FACES[bold + 2 * italic]]
    room = room / size - table["\u2026"]
    used, kept = 0.0, 0
    for char in text:
        used += table[char] if char in table else _fallback(char)
        if used > room:
            break
        kept += 1
    return text[:kept].rstrip() + "\u2026"
