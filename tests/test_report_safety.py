"""Editorial text cannot inject markup, and the PDF renderer fetches nothing from outside."""

from __future__ import annotations

import pytest

from reportgen.publish.build import build_report
from reportgen.render.pdf import RefusedResource, render_pdf

PAGE = '<html lang="en"><head><title>t</title></head><body><img src="{src}" alt="x"></body></html>'


def test_editorial_text_is_escaped(write_config, minimal_config, tmp_path):
    text = minimal_config + (
        "text:\n  key_takeaway: '<script>alert(1)</script><img src=x onerror=alert(2)>'\n"
    )
    built = build_report(
        write_config(text), tmp_path / "out", formats=("html",), allow_untraced_numbers=True
    )
    html = (built.folder / "report.html").read_text()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "url", ["http://example.org/logo.png", "file:///etc/passwd", "https://example.org/style.css"]
)
def test_pdf_renderer_refuses_anything_but_inline_data(url):
    html = PAGE.format(src=url)
    with pytest.raises(RefusedResource, match="tried to load an outside resource"):
        render_pdf(html)


def test_pdf_renderer_accepts_inline_images():
    pixel = (
        "data:image/svg+xml;base64,"
        "PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnIHdpZHRoPScxJyBoZWlnaHQ9JzEnLz4="
    )
    html = PAGE.format(src=pixel)
    assert render_pdf(html).startswith(b"%PDF-")
