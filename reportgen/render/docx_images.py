"""Figures for the Word file: the report's SVG figures rasterised to PNG.

Word shows PNG everywhere (SVG only from Word 2016 on, and then still with a PNG fallback), so
each figure is drawn from the very SVG the HTML shows, with resvg (a wheel with its renderer
inside: no system library to install). The figures keep their text as SVG text in DejaVu Sans
(``present/figures/style.py``); resvg is given matplotlib's own copy of that font and no system
fonts, so the pixels do not depend on the machine's fonts.
"""

from __future__ import annotations

import base64
import importlib.util
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SVG_DATA = "data:image/svg+xml;base64,"
PNG_DATA = "data:image/png;base64,"
ZOOM = 2.0  # pixels per CSS pixel: sharp on screen and in print at the size the HTML shows
CSS_PIXELS_PER_INCH = 96.0


@dataclass(frozen=True)
class Raster:
    """One figure as PNG, with its size on the page at the size the HTML shows it."""

    png: bytes
    width_inches: float
    height_inches: float


@lru_cache(maxsize=1)
def _font_dirs() -> tuple[str, ...]:
    """matplotlib's font folder (``mpl-data/fonts/ttf`` beside its package, where
    ``matplotlib.get_data_path()`` points), found without importing matplotlib: a report
    without funnel or bubble plots never loads it."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: its DejaVu fonts draw the figures")
    package = Path(next(iter(spec.submodule_search_locations)))
    return (str(package / "mpl-data" / "fonts" / "ttf"),)


def raster(src: str) -> Raster | None:
    """The PNG of an ``<img src>`` data URL (SVG rasterised at ``ZOOM``, PNG as it is); None for
    anything else (the report's HTML holds only inline data, never links to files)."""
    if src.startswith(SVG_DATA):
        return svg_to_png(base64.b64decode(src[len(SVG_DATA) :]).decode("utf-8"))
    if src.startswith(PNG_DATA):
        png = base64.b64decode(src[len(PNG_DATA) :])
        width, height = png_size(png)
        return Raster(png, width / CSS_PIXELS_PER_INCH, height / CSS_PIXELS_PER_INCH)
    return None


def svg_to_png(svg: str) -> Raster:
    """Rasterise ``svg`` on a white background at ``ZOOM``; the size on the page is the SVG's
    own size (its pixel size divided by the zoom)."""
    import resvg_py

    png = bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            background="#ffffff",
            skip_system_fonts=True,
            font_dirs=list(_font_dirs()),
            font_family="DejaVu Sans",
            sans_serif_family="DejaVu Sans",
            zoom=ZOOM,
            dpi=CSS_PIXELS_PER_INCH,  # units such as pt convert to CSS pixels (96 per inch)
        )
    )
    width, height = png_size(png)
    scale = ZOOM * CSS_PIXELS_PER_INCH
    return Raster(png, width / scale, height / scale)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk (bytes 16-24 of a valid PNG)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)
