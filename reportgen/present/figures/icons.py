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


# A quarter circle as a cubic Bezier curve: control points at this fraction of the radius.
KAPPA = 0.5522847498


def _person(x: float, y: float) -> str:
    """One person as path data at (x, y): a round head (radius 2.6) and a body with rounded
    shoulders (radius 4.4), both clockwise so that where they touch stays filled. Curves are
    cubic Beziers, not SVG arcs: WeasyPrint turns every arc into curves in Python, which made
    the arcs most of an icon array's printing cost (about a quarter less without them)."""
    hx, hy, r = x + 6, y + 3.4, 2.6
    h = KAPPA * r
    bx, by, big = x + 6, y + 10, 4.4
    b = KAPPA * big
    return (
        f"M{hx - r:g} {hy:g}"
        f"C{hx - r:g} {hy - h:g} {hx - h:g} {hy - r:g} {hx:g} {hy - r:g}"
        f"C{hx + h:g} {hy - r:g} {hx + r:g} {hy - h:g} {hx + r:g} {hy:g}"
        f"C{hx + r:g} {hy + h:g} {hx + h:g} {hy + r:g} {hx:g} {hy + r:g}"
        f"C{hx - h:g} {hy + r:g} {hx - r:g} {hy + h:g} {hx - r:g} {hy:g}Z"
        f"M{bx - big:g} {y + 16.5:g}V{by:g}"
        f"C{bx - big:g} {by - b:g} {bx - b:g} {by - big:g} {bx:g} {by - big:g}"
        f"C{bx + b:g} {by - big:g} {bx + big:g} {by - b:g} {bx + big:g} {by:g}V{y + 16.5:g}Z"
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
