"""The study-flow figure (PRISMA 2020) as display values: the SVG as an inline image, its
alternative text, and every box in reading order for the text alternative under the figure.

Shown in the clinician brief and the technical appendix (English, like them: the words come
from the ``prisma`` table of the English locale whatever the summary's language).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config.prisma import Prisma
from reportgen.present.figures.prisma import box_text, flow_boxes, prisma_svg
from reportgen.present.figures.style import svg_data_url
from reportgen.present.format import count
from reportgen.present.locale import DEFAULT_LANGUAGE, locale


@dataclass(frozen=True)
class PrismaView:
    """What the templates show of the study flow."""

    heading: str
    caption: str
    src: str  # the SVG as a data: URL (the HTML and the PDF stay self-contained)
    alt: str
    data_heading: str  # what the list of boxes under the figure is called
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
        src=svg_data_url(svg),
        alt=alt,
        data_heading=phrase("data"),
        boxes=tuple((stages[box.stage], box_text(box)) for box in boxes),
        svg=svg,
    )
