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


def _person(x: float, y: float) -> str:
    """One person as path data at (x, y): a round head and a body with rounded shoulders, both
    drawn clockwise so that where they touch stays filled."""
    return (
        f"M{x + 3.4:g} {y + 3.4:g}a2.6 2.6 0 1 1 5.2 0a2.6 2.6 0 1 1 -5.2 0Z"
        f"M{x + 1.6:g} {y + 16.5:g}V{y + 10:g}a4.4 4.4 0 0 1 8.8 0V{y + 16.5:g}Z"
    )


def icon_array_svg(count: int, total: int = 100, title: str = "") -> str:
    """An SVG of ``total`` people, the first ``count`` filled, in rows of ten.

    All filled people are one path and all outlined people another: two elements for
    WeasyPrint to draw instead of a group of two shapes per person (a 100-person array cost
    about 0.05 CPU s to print that way)."""
    rows = -(-total // COLUMNS)
    people = [
        _person((i % COLUMNS) * ICON_WIDTH, (i // COLUMNS) * ICON_HEIGHT) for i in range(total)
    ]
    filled, outlined = "".join(people[:count]), "".join(people[count:])
    width, height = COLUMNS * ICON_WIDTH, rows * ICON_HEIGHT
    paths = "".join(
        f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="0.9"/>'
        for d, fill, stroke in ((filled, FILLED, FILLED), (outlined, "#ffffff", OUTLINE))
        if d
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 {width + 2} {height + 2}" '
        f'width="{(width + 2) * 1.5:g}" height="{(height + 2) * 1.5:g}" role="img">'
        f"<title>{escape(title)}</title>{paths}</svg>"
    )
