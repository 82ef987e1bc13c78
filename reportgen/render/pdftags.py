"""Repairs to WeasyPrint's PDF structure tree, for PDF/UA-1 (ISO 14289-1).

WeasyPrint tags tables and lists from the HTML, with two gaps that checkers report (see the
README's list of known limits):

- header cells (``/TH``) carry no ``/Scope``, so the header-to-cell association is not
  machine-determinable (Matterhorn 15-003): we set ``/Column`` for cells in a table head and
  ``/Row`` for a header cell that starts a body or footer row, as the HTML's ``scope`` says;
- a list item whose content is several blocks gets them as direct children of ``/LI``, without
  the ``/LBody`` that ISO 32000 requires (Matterhorn 16): we wrap them in one.

The repairs touch only the structure tree; page content and its marked-content references are
unchanged.
"""

from __future__ import annotations

import io


def _kids(node):
    import pikepdf

    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _is_element(node) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def repair_structure(pdf_bytes: bytes) -> bytes:
    """The PDF with header-cell scopes and list bodies added to its structure tree."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return pdf_bytes
        stack = [kid for kid in _kids(root) if _is_element(kid)]
        while stack:
            node = stack.pop()
            tag = str(node.S)
            if tag == "/TR":
                _scope_header_cells(pdf, node)
            elif tag == "/LI":
                _wrap_list_body(pdf, node)
            stack.extend(kid for kid in _kids(node) if _is_element(kid))
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True)
        return output.getvalue()


def _scope_header_cells(pdf, row) -> None:
    import pikepdf

    section = str(row.get("/P").get("/S")) if row.get("/P") is not None else ""
    for index, cell in enumerate(kid for kid in _kids(row) if _is_element(kid)):
        if str(cell.S) != "/TH":
            continue
        scope = "/Column" if section == "/THead" or index > 0 else "/Row"
        attributes = cell.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
            cell.A = attributes
        attributes.Scope = pikepdf.Name(scope)


def _wrap_list_body(pdf, item) -> None:
    import pikepdf

    kids = _kids(item)
    if any(_is_element(kid) and str(kid.S) == "/LBody" for kid in kids):
        return
    labels = [kid for kid in kids if _is_element(kid) and str(kid.S) == "/Lbl"]
    content = [kid for kid in kids if not (_is_element(kid) and str(kid.S) == "/Lbl")]
    if not content or not all(_is_element(kid) for kid in content):
        return  # marked content directly in the item: leave it rather than rewire the tree
    body = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name("/StructElem"),
            S=pikepdf.Name("/LBody"),
            P=item,
            K=pikepdf.Array(content),
        )
    )
    for kid in content:
        kid.P = body
    item.K = pikepdf.Array([*labels, body])
