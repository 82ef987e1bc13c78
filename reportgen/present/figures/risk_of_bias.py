"""Risk-of-bias figures, after robvis (McGuinness LA, Higgins JPT. Res Synth Methods 2021;12:55-61):
a traffic-light plot (one row per study, one circle per domain and overall) and a weighted
summary (per domain, the share of an analysis's weight at each judgement).

Written as SVG by hand, not with matplotlib: a few dozen circles and words that WeasyPrint lays
out cheaply and a screen reader can read (real text, a title and a description). Colours are
the Okabe-Ito colour-blind-safe palette, and every judgement also has its own symbol, so the
figure reads in black and white and without colour vision.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportgen.present.figures.style import FONT, INK
from reportgen.present.format import percent

# Fill, symbol and symbol colour per judgement code (see config.rob_tools.SEVERITY).
MARKS = {
    "low": ("#009E73", "+", "#ffffff"),
    "some_concerns": ("#F0E442", "\u2212", INK),
    "moderate": ("#F0E442", "\u2212", INK),
    "unclear": ("#F0E442", "?", INK),
    "high": ("#D55E00", "\u00d7", "#ffffff"),
    "serious": ("#D55E00", "\u00d7", "#ffffff"),
    "critical": ("#7A2048", "!", "#ffffff"),
    "no_information": ("#56B4E9", "?", INK),
}
ROW = 22  # px per study row
RADIUS = 8
COLUMN = 30  # px per domain column
OVERALL_COLUMN = 64  # px: room for the word "Overall" (or its translation)


@dataclass(frozen=True)
class RobFigureWords:
    """The words a risk-of-bias figure shows, from the locale file."""

    title: str
    domains: tuple[str, ...]  # full names, D1 first
    overall: str
    judgements: dict[str, str]  # code -> word


def _svg(width: float, height: float, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" font-family="{FONT}" font-size="11">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(body)
        + "</svg>\n"
    )


def _text(x: float, y: float, words: str, anchor: str = "start", **attributes: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{extra}>{escape(words)}</text>'


def _mark(x: float, y: float, judgement: str) -> str:
    fill, symbol, ink = MARKS[judgement]
    return (
        f'<circle cx="{x:g}" cy="{y:g}" r="{RADIUS}" fill="{fill}" stroke="{INK}" '
        f'stroke-width="0.6"/>'
        + _text(x, y + 4, symbol, "middle", fill=ink, font_weight="bold", font_size="12")
    )


def _legend(top: float, words: RobFigureWords, used: list[str]) -> tuple[list[str], float]:
    """Domain names, then one mark per judgement used; returns the elements and the height."""
    body = [
        _text(4, top + 14 * (i + 1), f"D{i + 1}: {name}") for i, name in enumerate(words.domains)
    ]
    y = top + 14 * len(words.domains) + 22
    x = 4.0
    for judgement in used:
        body.append(_mark(x + RADIUS, y - 4, judgement))
        body.append(_text(x + 2 * RADIUS + 4, y, words.judgements[judgement]))
        x += 2 * RADIUS + 14 + 7 * len(words.judgements[judgement])
    return body, y + 8 - top


def traffic_light_svg(
    labels: list[str], rows: list[tuple[tuple[str, ...], str]], words: RobFigureWords
) -> str:
    """One row per study (``labels``), one circle per domain and overall (``rows``: the domain
    judgements and the overall judgement of each study)."""
    label_width = max(90, 6.4 * max(len(label) for label in labels) + 12)
    columns = len(words.domains) + 1
    width = label_width + COLUMN * (columns - 1) + OVERALL_COLUMN + 8
    body = [
        _text(label_width + COLUMN * (i + 0.5), 14, f"D{i + 1}", "middle", font_weight="bold")
        for i in range(columns - 1)
    ]
    overall_x = label_width + COLUMN * (columns - 1) + OVERALL_COLUMN / 2
    body.append(_text(overall_x, 14, words.overall, "middle", font_weight="bold"))
    for r, (label, (domains, overall)) in enumerate(zip(labels, rows, strict=True)):
        y = 20 + ROW * (r + 0.5)
        body.append(_text(label_width - 8, y + 4, label, "end"))
        for c, judgement in enumerate(domains):
            body.append(_mark(label_width + COLUMN * (c + 0.5), y, judgement))
        body.append(_mark(overall_x, y, overall))
    used = [j for j in MARKS if any(j in (*d, o) for d, o in rows)]
    top = 20 + ROW * len(rows) + 6
    legend, legend_height = _legend(top, words, used)
    width = max(width, 6.2 * max(len(f"D1: {name}") for name in words.domains) + 12)
    description = "; ".join(
        f"{label}: "
        + ", ".join(f"D{i + 1} {words.judgements[j]}" for i, j in enumerate(domains))
        + f", {words.overall} {words.judgements[overall]}"
        for label, (domains, overall) in zip(labels, rows, strict=True)
    )
    return _svg(width, top + legend_height, words.title, description, body + legend)


def summary_bars_svg(shares: list[dict[str, float]], words: RobFigureWords) -> str:
    """One horizontal bar per domain and overall, split by the percent of the analysis weight
    at each judgement (``shares``: judgement -> percent, D1 first, overall last)."""
    names = [f"D{i + 1}" for i in range(len(words.domains))] + [words.overall]
    bar_left, bar_width = 70.0, 300.0
    body = []
    for r, (name, share) in enumerate(zip(names, shares, strict=True)):
        y = 8 + ROW * r
        body.append(_text(bar_left - 8, y + 13, name, "end"))
        x = bar_left
        for judgement in MARKS:  # least concern first, as robvis stacks them
            share_percent = share.get(judgement, 0.0)
            if share_percent <= 0:
                continue
            fill, _symbol, ink = MARKS[judgement]
            part = bar_width * share_percent / 100
            body.append(
                f'<rect x="{x:g}" y="{y:g}" width="{part:.2f}" height="{ROW - 6}" fill="{fill}" '
                f'stroke="{INK}" stroke-width="0.5"/>'
            )
            if part >= 30:
                body.append(
                    _text(x + part / 2, y + 13, percent(share_percent / 100), "middle", fill=ink)
                )
            x += part
    used = [j for j in MARKS if any(s.get(j, 0) > 0 for s in shares)]
    top = 8 + ROW * len(names)
    legend, legend_height = _legend(top, words, used)
    width = max(bar_left + bar_width + 8, 6.2 * max(len(f"D1: {n}") for n in words.domains) + 12)
    description = "; ".join(
        f"{name}: "
        + ", ".join(f"{words.judgements[j]} {percent(p / 100)}" for j, p in s.items() if p > 0)
        for name, s in zip(names, shares, strict=True)
    )
    return _svg(width, top + legend_height, words.title, description, body + legend)
