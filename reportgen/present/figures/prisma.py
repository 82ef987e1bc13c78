"""The PRISMA 2020 flow diagram: the boxes of the PRISMA 2020 statement's figure 1 (new reviews
that searched databases and registers; Page MJ et al. BMJ 2021;372:n71), in reading order, and
the diagram as an accessible SVG (real text, a title and a description that lists every box).

The HTML page and the PDF lay the boxes out as HTML text (``templates/prisma.html.j2``: SVG text
is expensive for WeasyPrint to print, letter by letter); the SVG is the picture the Word file
shows, where CSS boxes cannot be laid out.

Layout: the main boxes run down the left (identified, screened, sought, assessed, included),
each exclusion box sits to the right of its main box with an arrow to it, and the stages
(Identification, Screening, Included) are bands at the far left with their names turned, as in
the statement's template. Drawn as text (no matplotlib): the same input gives the same bytes,
and long reasons wrap inside their box.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from reportgen.config.prisma import Prisma

WIDTH = 520  # narrow enough to stay legible on a 390 px phone screen (shown at 3/4 size)
BAND_WIDTH = 26  # the stage bands at the left
MAIN_X, MAIN_WIDTH = 34, 220
SIDE_X, SIDE_WIDTH = 280, 238
FONT_SIZE = 13
LINE_HEIGHT = 17
PADDING = 8
ROW_GAP = 30  # room for the arrow between two main boxes
CHAR_WIDTH = 0.57 * FONT_SIZE  # a generous average advance of DejaVu Sans, for wrapping
BAND_FONT_SIZE = 12
NO_BREAK = {"(n = ": "(n\u00a0=\u00a0"}  # a count stays with its "(n =" on one line
INK = "#1a1a1a"
BAND_FILL = "#d6e4f2"  # light blue: the text on it keeps a contrast above 12:1
FONT = "DejaVu Sans, Verdana, sans-serif"


@dataclass(frozen=True)
class Box:
    """One box of the diagram: its stage (``identification``, ``screening``, ``included``), its
    lines of text, and whether it is an exclusion box (to the right of the main flow)."""

    stage: str
    lines: tuple[str, ...]
    side: bool = False


Words = Callable[..., str]  # phrase key (without "prisma.") and slots -> text


def flow_boxes(prisma: Prisma, words: Words, count: Callable[[int], str]) -> tuple[Box, ...]:
    """The diagram's boxes in reading order: each main box followed by its exclusion box.
    Zero counts of the optional removals (automation, other) and registers are left out, as
    the statement's template allows."""
    identified: list[str | tuple[str, int]] = [
        "identified",
        ("databases", prisma.identified.databases),
    ]
    if prisma.identified.registers:
        identified.append(("registers", prisma.identified.registers))
    removed: list[str | tuple[str, int]] = ["removed", ("duplicates", prisma.duplicates)]
    removed += [
        (key, value)
        for key, value in (
            ("automation", prisma.removed_by_automation),
            ("other", prisma.removed_other),
        )
        if value
    ]

    def lines(parts: list[str | tuple[str, int]]) -> tuple[str, ...]:
        return tuple(
            words(part) if isinstance(part, str) else words(part[0], n=count(part[1]))
            for part in parts
        )

    reasons = [words("reason", reason=item.reason, n=count(item.n)) for item in prisma.excluded]
    included: list[str | tuple[str, int]] = [("included_studies", prisma.included_studies)]
    if prisma.included_reports is not None:
        included.append(("included_reports", prisma.included_reports))
    return (
        Box("identification", lines(identified)),
        Box("identification", lines(removed), side=True),
        Box("screening", lines([("screened", prisma.screened)])),
        Box("screening", lines([("excluded_screening", prisma.excluded_screening)]), side=True),
        Box("screening", lines([("sought", prisma.sought)])),
        Box("screening", lines([("not_retrieved", prisma.not_retrieved)]), side=True),
        Box("screening", lines([("assessed", prisma.assessed)])),
        Box("screening", (words("excluded"), *reasons), side=True),
        Box("included", lines(included)),
    )


def box_text(box: Box) -> str:
    """A box's lines as one line of text: 'Records identified from: Databases (n = 1,184);
    Registers (n = 37)' (the lines after a heading line ending in ':' joined by '; ')."""
    first, *rest = box.lines
    if first.endswith(":") and rest:
        return f"{first} {'; '.join(rest)}"
    return "; ".join(box.lines)


def flow_rows(boxes: tuple[Box, ...]) -> list[tuple[Box, Box | None]]:
    """The boxes as rows of the flow: each main box with the exclusion box beside it (None
    when it has none), in reading order."""
    rows: list[tuple[Box, Box | None]] = []
    for box in boxes:
        if box.side and rows:
            rows[-1] = (rows[-1][0], box)
        else:
            rows.append((box, None))
    return rows


def keep_counts(line: str) -> str:
    """The line with each count held to its "(n =" by no-break spaces, so that neither the
    SVG's wrapping nor a browser's breaks "(n = 1,184)" across lines."""
    for old, new in NO_BREAK.items():
        line = line.replace(old, new)
    return line


def _wrap(lines: tuple[str, ...], width: int) -> list[str]:
    columns = max(10, int((width - 2 * PADDING) / CHAR_WIDTH))
    wrapped: list[str] = []
    for line in lines:
        # textwrap breaks only at ASCII spaces, so the no-break spaces hold
        wrapped += textwrap.wrap(keep_counts(line), columns, break_on_hyphens=False) or [""]
    return wrapped


def _text_box(x: float, y: float, width: float, height: float, lines: list[str]) -> str:
    rows = "".join(
        f'<text x="{x + PADDING:g}" y="{y + PADDING + (i + 0.8) * LINE_HEIGHT:g}">'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}" fill="#ffffff" '
        f'stroke="{INK}" stroke-width="1.2"/>{rows}'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    """A line with a filled head at (x2, y2); only straight down or straight right."""
    if x1 == x2:
        head = f"{x2 - 5:g},{y2 - 8:g} {x2 + 5:g},{y2 - 8:g} {x2:g},{y2:g}"
        end = (x2, y2 - 8)
    else:
        head = f"{x2 - 8:g},{y2 - 5:g} {x2 - 8:g},{y2 + 5:g} {x2:g},{y2:g}"
        end = (x2 - 8, y2)
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{end[0]:g}" y2="{end[1]:g}" stroke="{INK}" '
        f'stroke-width="1.2"/><polygon points="{head}" fill="{INK}"/>'
    )


def prisma_svg(boxes: tuple[Box, ...], title: str, stages: dict[str, str]) -> str:
    """The diagram as an SVG document. ``stages`` names the bands; the description lists every
    box's text in reading order."""
    rows = flow_rows(boxes)
    parts: list[str] = []
    spans: dict[str, list[float]] = {}
    rows_per_stage = {stage: sum(main.stage == stage for main, _ in rows) for stage in stages}
    y = 0.0
    for index, (main, side) in enumerate(rows):
        main_lines = _wrap(main.lines, MAIN_WIDTH)
        side_lines = _wrap(side.lines, SIDE_WIDTH) if side else []
        height: float = max(len(main_lines), len(side_lines)) * LINE_HEIGHT + 2 * PADDING
        if rows_per_stage.get(main.stage) == 1:  # the band's turned name must fit beside it
            name = len(stages[main.stage]) * CHAR_WIDTH * BAND_FONT_SIZE / FONT_SIZE * 1.15
            height = max(height, name + 2 * PADDING)
        parts.append(_text_box(MAIN_X, y, MAIN_WIDTH, height, main_lines))
        if side is not None:
            parts.append(_text_box(SIDE_X, y, SIDE_WIDTH, height, side_lines))
            middle = y + height / 2
            parts.append(_arrow(MAIN_X + MAIN_WIDTH, middle, SIDE_X, middle))
        if index + 1 < len(rows):
            centre = MAIN_X + MAIN_WIDTH / 2
            parts.append(_arrow(centre, y + height, centre, y + height + ROW_GAP))
        span = spans.setdefault(main.stage, [y, y + height])
        span[1] = y + height
        y += height + ROW_GAP
    height = y - ROW_GAP
    bands = "".join(_band(stages[stage], top, bottom) for stage, (top, bottom) in spans.items())
    description = " ".join(box_text(box) + "." for box in boxes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 {WIDTH + 2} {height + 2:g}" '
        f'width="{WIDTH + 2}" height="{height + 2:g}" role="img" aria-labelledby="prisma-title '
        f'prisma-desc" font-family="{FONT}" font-size="{FONT_SIZE}" fill="{INK}">'
        f'<title id="prisma-title">{escape(title)}</title>'
        f'<desc id="prisma-desc">{escape(description)}</desc>'
        f"{bands}{''.join(parts)}</svg>"
    )


def _band(name: str, top: float, bottom: float) -> str:
    """A stage band with its name turned to read upwards, centred on the band."""
    x, y = BAND_WIDTH / 2, (top + bottom) / 2
    return (
        f'<rect x="0" y="{top:g}" width="{BAND_WIDTH}" height="{bottom - top:g}" rx="4" '
        f'fill="{BAND_FILL}"/><text x="{x:g}" y="{y:g}" dy="0.35em" text-anchor="middle" '
        f'font-size="{BAND_FONT_SIZE}" font-weight="bold" '
        f'transform="rotate(-90 {x:g} {y:g})">{escape(name)}</text>'
    )
