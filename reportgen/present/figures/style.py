"""What every figure shares: colours for black-and-white printing and the font, and the data
URL a figure's SVG is shown by.

The figures import their colours from here, so none imports another for its style. Every
figure is written as SVG text (``svgwriter``): nothing here, nor in any figure, imports
matplotlib.
"""

from __future__ import annotations

import base64

INK = "#1a1a1a"
SQUARE_COLOUR = "#3d4f63"
DIAMOND_COLOUR = "#1f3a5f"
GRID_COLOUR = "#b0b0b0"
FONT = "DejaVu Sans, sans-serif"  # matplotlib's bundled copy is the one resvg draws with


def svg_data_url(svg: str | None) -> str:
    """An SVG document as a data URL for an <img> of the self-contained page; empty when no
    figure was drawn (a build whose formats show none)."""
    if svg is None:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
