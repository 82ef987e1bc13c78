"""A tiny SVG writer: elements as text, every value escaped, numbers written the same way on
every machine (so identical inputs give identical bytes).

The forest plot is written with it directly, not drawn by a plotting library: a few hundred
elements WeasyPrint can print cheaply (no ``<use>``, no glyph definitions, no clip paths, no
transforms) and that read as text (``<text>``, selectable and searchable in the PDF).

Escaping: text and attribute values go through ``xml_text``: ``&``, ``<``, ``>`` and quotes
become entities, and the characters XML 1.0 cannot hold (C0 controls other than tab and line
breaks, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, so any label an editor writes stays
text inside its element and the document always parses.
"""

from __future__ import annotations

import re

SVG_NS = "http://www.w3.org/2000/svg"
DECLARATION = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
_ROOT = re.compile(r'<svg [^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)"[^>]*>')


def xml_text(value: str) -> str:
    """``value`` safe as XML character data and as a quoted attribute value."""
    return _NOT_XML.sub("\ufffd", value).translate(_ENTITIES)


def num(value: float) -> str:
    """A coordinate to 0.01 (a hundredth of a point: finer than any printer), without trailing
    zeros or a negative zero."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attributes(**values: str | float) -> str:
    """`` name="value"`` pairs; ``font_weight`` is written ``font-weight``; numbers by ``num``."""
    return "".join(
        f' {name.replace("_", "-")}="'
        + (num(value) if isinstance(value, float | int) else xml_text(value))
        + '"'
        for name, value in values.items()
    )


def text(x: float, y: float, words: str, **extra: str | float) -> str:
    """One ``<text>`` at (``x``, ``y``): ``y`` is the baseline."""
    return f'<text x="{num(x)}" y="{num(y)}"{attributes(**extra)}>{xml_text(words)}</text>'


def group(children: list[str], **extra: str | float) -> str:
    """``children`` in a ``<g>`` that gives them ``extra`` (fill, font, anchor); nothing when
    there are no children."""
    if not children:
        return ""
    return f"<g{attributes(**extra)}>" + "".join(children) + "</g>"


def rect(x: float, y: float, width: float, height: float, **extra: str | float) -> str:
    return (
        f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{num(height)}"'
        f"{attributes(**extra)}/>"
    )


def circle(x: float, y: float, radius: float, **extra: str | float) -> str:
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(radius)}"{attributes(**extra)}/>'


def path(commands: list[str], **extra: str | float) -> str:
    """One ``<path>`` of many subpaths (``commands``: "M x y H x" and the like); nothing when
    there are none."""
    if not commands:
        return ""
    return f'<path d="{" ".join(commands)}"{attributes(**extra)}/>'


def document(width: float, height: float, title: str, body: list[str]) -> str:
    """An SVG document in points: ``width`` x ``height``, an accessible name (``title``,
    ``role="img"``) and ``body``."""
    w, h = num(width), num(height)
    return (
        f'{DECLARATION}<svg xmlns="{SVG_NS}" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" '
        f'version="1.1" role="img"><title>{xml_text(title)}</title>' + "".join(body) + "</svg>"
    )


def stack(documents: tuple[str, ...] | list[str], title: str) -> str:
    """Documents from ``document`` (or any SVG in points with a viewBox at 0 0) stacked top to
    bottom in one: each keeps its own viewport as a nested ``<svg>`` at its offset."""
    placed, width, offset = [], 0.0, 0.0
    for svg in documents:
        body = svg.removeprefix(DECLARATION)
        root = _ROOT.match(body)
        if root is None:
            raise ValueError("not an SVG document with a viewBox at 0 0")
        w, h = float(root.group(1)), float(root.group(2))
        viewport = f'<svg x="0" y="{num(offset)}" width="{num(w)}" height="{num(h)}" '
        placed.append(viewport + f'viewBox="0 0 {num(w)} {num(h)}">' + body[root.end() :])
        width, offset = max(width, w), offset + h
    return document(width, offset, title, placed)
