"""The study-flow figure (PRISMA 2020) as display values: the boxes by stage and row for the
HTML diagram (the page and the PDF), and the SVG with its alternative text and the boxes listed
as text for the Word file, which shows the diagram as a picture.

Shown in the clinician brief and the technical appendix (English, like them: the words come
from the ``prisma`` table of the English locale whatever the summary's language).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config.prisma import Prisma
from reportgen.present.figures.prisma import (
    Box,
    box_text,
    flow_boxes,
    flow_rows,
    keep_counts,
    prisma_svg,
)
from reportgen.present.figures.style import svg_data_url
from reportgen.present.format import count
from reportgen.present.locale import DEFAULT_LANGUAGE, locale


@dataclass(frozen=True)
class PrismaStep:
    """One row of the diagram: a main box and the exclusion box beside it, as lines of text
    (a count kept to its "(n =" by no-break spaces)."""

    main: tuple[str, ...]
    side: tuple[str, ...]  # empty when the main box has no exclusion box


@dataclass(frozen=True)
class PrismaStage:
    """A stage of the diagram (Identification, Screening, Included) and its rows, in order."""

    name: str
    steps: tuple[PrismaStep, ...]


@dataclass(frozen=True)
class PrismaView:
    """What the templates (the HTML diagram) and the Word file (the picture) show of the
    study flow."""

    heading: str
    caption: str
    stages: tuple[PrismaStage, ...]  # the HTML diagram: every box once, in reading order
    src: str  # the SVG as a data: URL: the Word file's picture
    alt: str  # the picture's alternative text
    data_heading: str  # what the list of boxes under the picture in Word is called
    boxes: tuple[tuple[str, str], ...]  # (stage, the box's text), in reading order
    svg: str


def prisma_view(prisma: Prisma | None) -> PrismaView | None:
    """The study-flow figure of ``prisma:``, or None when the config gives no counts."""
    if prisma is None:
        return None
    words = locale(DEFAULT_LANGUAGE)

    def phrase(key: str, **slots: str) -> str:
        return words.text(f"prisma.{key}", **slots)

    stages = {key: phrase(f"stages.{key}") for key in ("identification", "screening", "included")}
    boxes = flow_boxes(prisma, phrase, count)
    svg = prisma_svg(boxes, phrase("title"), stages)
    alt = phrase(
        "alt",
        identified=count(prisma.identified.databases + prisma.identified.registers),
        screened=count(prisma.screened),
        assessed=count(prisma.assessed),
        included=count(prisma.included_studies),
    )
    return PrismaView(
        heading=phrase("heading"),
        caption=phrase("caption"),
        stages=_stages(boxes, stages),
        src=svg_data_url(svg),
        alt=alt,
        data_heading=phrase("data"),
        boxes=tuple((stages[box.stage], box_text(box)) for box in boxes),
        svg=svg,
    )


def _stages(boxes: tuple[Box, ...], names: dict[str, str]) -> tuple[PrismaStage, ...]:
    """The rows of the flow grouped by the stage of their main box, in order."""
    steps: dict[str, list[PrismaStep]] = {}
    for main, side in flow_rows(boxes):
        step = PrismaStep(
            tuple(keep_counts(line) for line in main.lines),
            tuple(keep_counts(line) for line in side.lines) if side else (),
        )
        steps.setdefault(main.stage, []).append(step)
    return tuple(PrismaStage(names[stage], tuple(rows)) for stage, rows in steps.items())
