"""What every figure shares: colours for black-and-white printing and the font; for the
matplotlib figures (funnel and bubble plots), the rc settings that keep text as SVG text and the
deterministic SVG writer (fixed hash salt, no date in metadata).

Forest, funnel and bubble plots all import from here, so none imports another for its style.
Nothing here imports matplotlib.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from reportgen.present.figures.svgclean import lean_svg

INK = "#1a1a1a"
SQUARE_COLOUR = "#3d4f63"
DIAMOND_COLOUR = "#1f3a5f"
GRID_COLOUR = "#b0b0b0"
FONT = "DejaVu Sans, sans-serif"  # matplotlib's bundled copy is the one resvg draws with
# Keys are rc names. Typed dict[Any, Any], not dict[str, Any]: matplotlib 3.11's stubs type
# rc_context's argument as dict[RcKeyType, Any] (a Literal of every rc name, which older
# matplotlib does not have), and a dict's key type must match exactly.
RC_PARAMS: dict[Any, Any] = {
    "svg.hashsalt": "reportgen",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.linewidth": 0.8,
    # Labels are the editors' plain text: "Cost $5 vs $10" is shown as typed, never as TeX
    # (and "$\\foo{$" is not a mathtext error).
    "text.parse_math": False,
    "text.usetex": False,
}


def svg_text(figure) -> str:
    """The figure as an SVG document (text), with no date or creator in its metadata and
    without the nodes that draw nothing (``svgclean.lean_svg``: cheaper for WeasyPrint)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return lean_svg(buffer.getvalue())


def svg_data_url(svg: str | None) -> str:
    """An SVG document as a data URL for an <img> of the self-contained page; empty when no
    figure was drawn (a build whose formats show none)."""
    if svg is None:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
