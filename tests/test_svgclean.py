"""matplotlib SVG (funnel and bubble plots) made lean for WeasyPrint: the same drawing with fewer
nodes and transforms."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from test_forest_svg import two_arm

from reportgen.present.figures.funnel import funnel_plot_svg
from reportgen.present.figures.svgclean import lean_svg
from reportgen.stats.analysis import analyse

NS = "{http://www.w3.org/2000/svg}"

RAW = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" viewBox="0 0 10 10"
 xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata><title>x</title></metadata>
 <g id="figure_1">
  <g id="text_1">
   <text style="font-size: 8px" x="1" y="2" transform="rotate(-0 1 2)">A &amp; B</text>
  </g>
  <g id="text_2">
   <text style="font-size: 6px" transform="translate(3.5 4e-1)">two</text>
   <text style="font-size: 6px" transform="rotate(90 3 4)">turned</text>
  </g>
  <g id="axes_1" clip-path="url(#c)">
   <path d="M 0 0 L 1 1"/>
  </g>
 </g>
</svg>
"""


def _drawn(svg: str) -> list[tuple[str, str, str, str, str]]:
    """Every drawn element in order: tag, text, style, position (x, y or translate)."""
    root = ET.fromstring(svg)
    rows = []
    for node in root.iter():
        tag = node.tag.removeprefix(NS)
        if tag in ("text", "path", "use", "rect", "circle"):
            transform = node.get("transform", "")
            moved = re.fullmatch(r"translate\(([^ ]+) ([^ )]+)\)", transform)
            x, y = moved.groups() if moved else (node.get("x", ""), node.get("y", ""))
            rotation = "" if transform.startswith(("rotate(-0", "translate")) else transform
            rows.append((tag, node.text or "", node.get("style", "") + rotation, x, y))
    return rows


def test_lean_svg_drops_only_what_draws_nothing():
    lean = lean_svg(RAW)
    assert lean.startswith("<?xml") and "DOCTYPE" not in lean and "metadata" not in lean
    assert 'id="figure_1"' not in lean and 'id="text_1"' not in lean
    assert "rotate(-0" not in lean and "translate" not in lean
    assert 'transform="rotate(90 3 4)"' in lean  # a real rotation stays
    assert 'clip-path="url(#c)"' in lean  # a group that does something stays
    assert "A &amp; B" in lean
    assert _drawn(lean) == _drawn(RAW)


def test_funnel_plot_is_lean_and_keeps_its_text():
    result = analyse(two_arm([f"Study {i}" for i in range(12)])).outcomes[0]  # a funnel: k >= 10
    svg = funnel_plot_svg(result)
    assert not re.search(r'<g id="[^"]*">', svg)  # no group that only names itself
    assert "rotate(-0" not in svg and "<metadata" not in svg
    texts = [t.text for t in ET.fromstring(svg).iter(f"{NS}text")]
    assert "Risk ratio (log scale)" in texts
