"""Write reportgen/data/fonts/dejavu-sans-advances.json: DejaVu Sans advance widths for the
characters a forest plot mostly shows, read from matplotlib's bundled copy of the font (the very
file that resvg draws the Word file's figures with, and the font the SVG names).

Run from the repository root after a matplotlib upgrade that changes its DejaVu fonts:

    python benchmarks/make_text_widths.py

The forest plot (``reportgen/present/figures/textwidth.py``) estimates text widths from this
table to size its columns and its width; nothing is measured at build time, so a build needs
neither matplotlib nor fontTools. Characters not in the table fall back to an average width.
One table per face (regular, bold, italic, bold italic: the obliques differ from the upright
faces in a few letters such as "æ" and "ł").
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reportgen" / "data" / "fonts" / "dejavu-sans-advances.json"
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FACES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold-italic": "DejaVuSans-BoldOblique.ttf",
}
# ASCII, Latin-1, Latin Extended-A, general punctuation, superscripts, arrows, maths operators
# (minus, less-or-equal, greater-or-equal): labels, numbers, "I²", "τ²", "←", "×".
RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x17F),
    (0x391, 0x3C9),
    (0x2010, 0x2044),
    (0x2070, 0x209F),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x2260, 0x2265),
]


def advances(file: str) -> tuple[int, dict[str, int]]:
    font = TTFont(FONTS / file)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    table = {
        chr(code): metrics[cmap[code]][0]
        for low, high in RANGES
        for code in range(low, high + 1)
        if code in cmap
    }
    return font["head"].unitsPerEm, table


def main() -> None:
    faces: dict[str, dict[str, int]] = {}
    units = set()
    for face, file in FACES.items():
        face_units, faces[face] = advances(file)
        units.add(face_units)
    if len(units) != 1:
        raise SystemExit(f"the faces have different units per em: {sorted(units)}")
    document = {
        "source": f"matplotlib {matplotlib.__version__}, mpl-data/fonts/ttf (DejaVu Sans)",
        "units_per_em": units.pop(),
        "faces": faces,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {sum(map(len, faces.values()))} advances")


if __name__ == "__main__":
    main()
