"""Icon arrays: 100 people in a 10 x 10 grid, those who had the outcome filled in.

Filled versus outlined figures carry the meaning (not colour alone), so the picture survives
black-and-white printing; every array comes with a text alternative that says the same thing.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

ICON_WIDTH = 12
ICON_HEIGHT = 18
COLUMNS = 10
FILLED = "#1f3a5f"
OUTLINE = "#4a4f55"


def _person(x: float, y: float, filled: bool) -> str:
    fill, stroke = (FILLED, FILLED) if filled else ("#ffffff", OUTLINE)
    return (
        f'<g transform="translate({x:g},{y:g})" fill="{fill}" stroke="{stroke}" stroke-width="0.9">'
        '<circle cx="6" cy="3.4" r="2.6"/>'
        '<path d="M1.6 16.5 V10 a4.4 4.4 0 0 1 8.8 0 V16.5 Z"/>'
        "</g>"
    )


def icon_array_svg(count: int, total: int = 100, title: str = "") -> str:
    """An SVG of ``total`` people, the first ``count`` filled, in rows of ten."""
    rows = -(-total // COLUMNS)
    people = [
        _person((i % COLUMNS) * ICON_WIDTH, (i // COLUMNS) * ICON_HEIGHT, i < count)
        for i in range(total)
    ]
    width, height = COLUMNS * ICON_WIDTH, rows * ICON_HEIGHT
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 {width + 2} {height + 2}" '
        f'width="{(width + 2) * 1.5:g}" height="{(height + 2) * 1.5:g}" role="img">'
        f"<title>{escape(title)}</title>{''.join(people)}</svg>"
    )
