"""matplotlib's SVG with what no reader sees taken out, so WeasyPrint draws it with less work.

matplotlib wraps every text, line and tick in a ``<g id="...">`` of its own, writes an identity
``rotate(-0 x y)`` transform on each text, places multi-line text by ``translate(x y)`` and
adds RDF metadata. WeasyPrint walks every node and applies every transform while drawing the
SVG into the PDF (per node, in Python), so in a forest plot about half its nodes and all its
text transforms are work without effect. ``lean_svg`` removes exactly those: groups whose only
attribute is an ``id`` (their children take their place, in order), identity rotations, and
``translate`` on text (moved into ``x``/``y``), metadata and whitespace between elements. Nothing
drawn changes: a group with a style, clip path or transform is kept, and so is every text.

What it cannot remove: WeasyPrint (70) lays out and draws SVG text one letter at a time (a Pango
layout per character, ``weasyprint/svg/text.py``), so the text of a figure, not its shapes, is
most of its print cost, and that grows with the characters shown (a k = 1,000 forest plot:
about 60% of the time spent drawing its parts).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_IDENTITY = re.compile(rf"rotate\(\s*-?0(?:\.0*)?(?:[ ,]+{_NUMBER}[ ,]+{_NUMBER})?\s*\)")
_TRANSLATE = re.compile(rf"translate\(\s*({_NUMBER})[ ,]+({_NUMBER})\s*\)")
_TEXT = f"{{{SVG_NS}}}text"
_GROUP = f"{{{SVG_NS}}}g"
_METADATA = f"{{{SVG_NS}}}metadata"
DECLARATION = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'


def lean_svg(svg: str) -> str:
    """``svg`` (a matplotlib SVG document) without id-only groups, identity rotations, text
    translations, metadata or inter-element whitespace, under an XML declaration (the doctype
    is dropped). What it draws is unchanged."""
    root = ET.fromstring(svg)
    _lean_children(root)
    parts = [DECLARATION]
    _write(root, parts, root=True)
    return "".join(parts)


def _write(node: ET.Element, parts: list[str], root: bool = False) -> None:
    """Serialise with SVG as the default namespace and ``xlink:`` for links. Written here, not
    by ``ET.tostring``: its prefixes come from a process-wide table that other libraries change
    (WeasyPrint maps the empty prefix to no namespace), which turned ``<svg>`` into ``<ns0:svg>``.
    """
    tag = _local(node.tag)
    attributes = "".join(f" {_attribute_name(k)}={quoteattr(v)}" for k, v in node.attrib.items())
    if root:
        attributes = f' xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"' + attributes
    if len(node) == 0 and not node.text:
        parts.append(f"<{tag}{attributes}/>")
        return
    parts.append(f"<{tag}{attributes}>{escape(node.text or '')}")
    for child in node:
        _write(child, parts)
        if child.tail:
            parts.append(escape(child.tail))
    parts.append(f"</{tag}>")


def _local(name: str) -> str:
    if not name.startswith("{"):
        return name
    namespace, local = name[1:].split("}", 1)
    if namespace != SVG_NS:
        raise ValueError(f"unexpected element namespace in a figure: {namespace}")
    return local


def _attribute_name(name: str) -> str:
    if name.startswith(f"{{{XLINK_NS}}}"):
        return "xlink:" + name.split("}", 1)[1]
    if name.startswith("{"):
        raise ValueError(f"unexpected attribute namespace in a figure: {name}")
    return name


def _lean_children(node: ET.Element) -> None:
    kept: list[ET.Element] = []
    for child in list(node):
        if child.tag == _METADATA:
            continue
        _lean_children(child)
        child.tail = None
        if child.tag == _TEXT:
            _simplify_text_transform(child)
        if child.tag == _GROUP and set(child.attrib) <= {"id"}:
            kept.extend(child)
        else:
            kept.append(child)
    if (len(node) or kept) and node.text is not None and not node.text.strip():
        node.text = None
    node[:] = kept


def _simplify_text_transform(text: ET.Element) -> None:
    """An identity rotation is dropped; ``translate(x y)`` on a text without x or y becomes its
    ``x`` and ``y`` (the same position, one matrix less)."""
    transform = text.get("transform")
    if transform is None:
        return
    if _IDENTITY.fullmatch(transform.strip()):
        del text.attrib["transform"]
        return
    moved = _TRANSLATE.fullmatch(transform.strip())
    if moved and "x" not in text.attrib and "y" not in text.attrib:
        del text.attrib["transform"]
        text.set("x", moved.group(1))
        text.set("y", moved.group(2))
