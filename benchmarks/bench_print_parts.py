"""What each part of the printed page costs WeasyPrint, for the venetoclax example.

Run from the repository root:

    python benchmarks/bench_print_parts.py [--repeat N] [--config FILE]

The warm build of a report is almost all WeasyPrint printing its page (``bench_build.py``).
This prints that page as reportgen does (``render_pdf``: tagged PDF/UA-1, the report
stylesheet) and again without one part at a time (the forest tables, the brief, the summary,
...), the variants taking turns so that a drifting machine slows them alike, and reports the
median CPU seconds (user + sys of this process) of each and what the part costs: the full
print's CPU less the print without it, and its share of the full print. A part's cost is what
leaving it out saves, page breaks included.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
from pathlib import Path

from lxml import html as lxml_html

import reportgen.render.pdf as pdf
from reportgen.publish.build import build_report

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "venetoclax-rr-aml.yaml"

# Parts of the print page, by XPath: each is left out alone.
PARTS = {
    "forest tables (one per outcome)": "//figure[contains(@class, 'forest-print')]",
    "plot column marks of the forest tables": "//div[@class='fp-track']/*",
    "clinician brief (section #brief)": "//section[@id='brief']",
    "plain-language summary (#summary)": "//section[@id='summary']",
    "technical appendix (#appendix)": "//section[@id='appendix']",
    "summary-of-findings table": "//table[contains(@class, 'sof')]",
    "pooled result tables": "//table[contains(@class, 'stats')]",
    "leave-one-out tables": "//div[@class='table-block'][.//caption[contains(., 'left out')]]",
    "icon arrays": "//figure[contains(@class, 'icon-array')]",
    "PRISMA diagrams": "//figure[contains(@class, 'prisma')]",
}


def printed_page(config: Path) -> str:
    """The page reportgen prints for ``config`` (its "print" medium), kept from a real build."""
    kept: list[str] = []
    original = pdf.render_pdf

    def keep(html: str) -> bytes:
        kept.append(html)
        return original(html)

    pdf.render_pdf = keep
    try:
        with tempfile.TemporaryDirectory() as out:
            build_report(config, out, formats=["pdf"])
    finally:
        pdf.render_pdf = original
    return kept[0]


def without(page: str, xpath: str) -> str:
    """``page`` with every element ``xpath`` finds removed."""
    document = lxml_html.document_fromstring(page)
    for element in document.xpath(xpath):
        element.getparent().remove(element)
    return lxml_html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="prints of each (default 5)")
    parser.add_argument("--config", type=Path, default=CONFIG, help="config to print")
    args = parser.parse_args()

    page = printed_page(args.config)
    variants = {"full page": page} | {label: without(page, x) for label, x in PARTS.items()}
    samples: dict[str, list[float]] = {label: [] for label in variants}
    for html in variants.values():  # the first print of each pays one-off costs: not counted
        pdf.render_pdf(html)
    for _ in range(args.repeat):
        for label, html in variants.items():
            start = cpu()
            pdf.render_pdf(html)
            samples[label].append(cpu() - start)
    full = statistics.median(samples["full page"])
    print(f"WeasyPrint printing the page of {args.config.name}: CPU s, medians of {args.repeat}\n")
    print(f"{'left out':<44}{'print CPU s':>12}{'part costs':>12}{'share':>8}")
    for label, values in samples.items():
        median = statistics.median(values)
        if label == "full page":
            print(f"{'(nothing: the full page)':<44}{median:>12.3f}")
            continue
        print(f"{label:<44}{median:>12.3f}{full - median:>12.3f}{(full - median) / full:>8.0%}")


if __name__ == "__main__":
    main()
