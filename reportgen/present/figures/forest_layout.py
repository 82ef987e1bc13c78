"""Where everything in a forest plot goes, as data: the rows (``ForestLayout``, which tests check
instead of pixels), the data columns left of the plot and the x axis. No matplotlib here:
``forest`` draws what this module places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reportgen.present.figures.plot_axes import round_ticks
from reportgen.present.format import MEASURES, RATE_PER, as_entered, effect_value
from reportgen.stats.analysis import OutcomeResult, StudyResult
from reportgen.stats.measures import method_info
from reportgen.stats.subanalyses import SubResult

FOREST_LINEAR_TICKS = 5  # the forest plot's narrow panel: labels stay apart
MAX_MARKER_AREA = 160.0  # points^2 for the heaviest study
MIN_MARKER_AREA = 10.0
# Rows of plot (studies, subgroup headers and diamonds, in row units) that fit on an A4 page
# below the repeated column titles and above the repeated axis: at 0.24 in a row and 7 in wide
# (the printed width), 32 rows leave room for the heading above and the caption below.
PAGE_ROWS = 32.0
GROUP_GAP = 1.4  # a subgroup's diamond row and the space after it
POOLED_ROWS = 2.5  # the overall diamond and the prediction interval below the last study


@dataclass(frozen=True)
class Block:
    """Consecutive rows of one part of a plot: every study, or (some of) one subgroup's
    studies (``group`` indexes ``result.subgroups.groups``). ``continued``: the group began in
    an earlier part; ``closes``: the group's diamond follows its last member here."""

    members: tuple[int, ...]
    group: int | None = None
    continued: bool = False
    closes: bool = True

    @property
    def rows(self) -> float:
        if self.group is None:
            return float(len(self.members))
        return 1 + len(self.members) + (GROUP_GAP if self.closes else 0.0)


@dataclass(frozen=True)
class ForestPart:
    """One page-sized piece of a forest plot; the overall rows are on the last piece only."""

    blocks: tuple[Block, ...]
    pooled: bool


@dataclass(frozen=True)
class ForestLayout:
    """Row positions of a forest plot, exposed so tests can check structure, not pixels.

    ``study_rows`` follow the order of ``result.studies`` (for a part: of the studies in it,
    ``study_index``); with subgroups, studies are grouped under a header row and each group
    ends with its own diamond (``subgroup_rows``). A part without the overall rows has no
    ``pooled_row``."""

    study_rows: tuple[float, ...]
    pooled_row: float | None
    prediction_row: float | None
    marker_areas: tuple[float, ...]
    header_rows: tuple[float, ...] = ()
    subgroup_rows: tuple[float, ...] = ()
    study_index: tuple[int, ...] = ()
    header_groups: tuple[tuple[int, bool], ...] = ()  # (group, continued) per header row
    subgroup_groups: tuple[int, ...] = ()  # the group of each diamond row

    @property
    def bottom(self) -> float:
        """The lowest row drawn."""
        lowest = [r for r in (self.prediction_row, self.pooled_row) if r is not None]
        return min(lowest or [*self.study_rows, *self.subgroup_rows])

    @property
    def top(self) -> float:
        return max(self.study_rows + self.header_rows)


def whole_plot(result: OutcomeResult) -> ForestPart:
    """The plot as one part: every study (grouped under subgroups) and the overall rows."""
    if result.subgroups is None:
        return ForestPart((Block(tuple(range(result.k))),), True)
    blocks = tuple(
        Block(tuple(members), index) for index, (_g, members) in enumerate(subgroup_members(result))
    )
    return ForestPart(blocks, True)


def forest_parts(result: OutcomeResult, page_rows: float = PAGE_ROWS) -> tuple[ForestPart, ...]:
    """The plot cut into parts that each fit a printed page: subgroups are kept whole in a
    part where they fit (a longer one is cut into even pieces, its header repeated), studies
    without subgroups are cut into even pieces, and the overall rows come last. One part when
    the whole plot fits."""
    whole = whole_plot(result)
    blocks = list(whole.blocks)
    if sum(b.rows for b in blocks) + POOLED_ROWS <= page_rows:
        return (whole,)
    parts: list[list[Block]] = [[]]
    for position, block in enumerate(blocks):
        tail = POOLED_ROWS if position == len(blocks) - 1 else 0.0
        used = sum(b.rows for b in parts[-1])
        if parts[-1] and used + block.rows + tail > page_rows:
            parts.append([])
            used = 0.0
        if block.rows + tail <= page_rows - used:
            parts[-1].append(block)
            continue
        pieces = _cut(block, page_rows, tail)
        if parts[-1]:
            parts.append([])
        for piece_number, piece in enumerate(pieces):
            if piece_number:
                parts.append([])
            parts[-1].append(piece)
    return tuple(
        ForestPart(tuple(blocks), number == len(parts) - 1) for number, blocks in enumerate(parts)
    )


def _cut(block: Block, page_rows: float, tail: float) -> list[Block]:
    """A block too long for a page, in even pieces that each fill at most one page (the last
    with room for ``tail`` rows after it)."""
    overhead = 0.0 if block.group is None else 1 + GROUP_GAP
    per_page = max(1, int(page_rows - overhead))
    count = -(-len(block.members) // per_page)
    while count < len(block.members) and -(-len(block.members) // count) + tail > per_page:
        count += 1  # the last piece needs room for the rows after it
    size = -(-len(block.members) // count)
    members = block.members
    pieces = [members[i : i + size] for i in range(0, len(members), size)]
    return [
        Block(piece, block.group, continued=n > 0, closes=n == len(pieces) - 1)
        for n, piece in enumerate(pieces)
    ]


def forest_layout(result: OutcomeResult, part: ForestPart | None = None) -> ForestLayout:
    """Rows top to bottom: the studies (grouped under subgroup headers, each group closed by its
    diamond), then the overall diamond, then the prediction interval. ``part``: one page-sized
    piece of the plot (``forest_parts``), by default the whole plot."""
    part = part or whole_plot(result)
    heaviest = max(s.weight for s in result.studies)
    rows: dict[int, float] = {}
    headers: list[tuple[int, bool, float]] = []
    diamonds: list[tuple[int, float]] = []
    y = 0.0
    for block in part.blocks:
        if block.group is not None:
            headers.append((block.group, block.continued, y))
            y -= 1
        for i in block.members:
            rows[i] = y
            y -= 1
        if block.group is not None and block.closes:
            diamonds.append((block.group, y))
            y -= GROUP_GAP
    shift = -y  # put the last row at 1, as a plain plot has it
    if not part.pooled:
        shift -= 1  # no overall rows below: the last row at 0
    has_prediction = part.pooled and (
        result.model.tau2 is not None and method_info(result.outcome.method).random_effects
    )
    index = tuple(sorted(rows))
    return ForestLayout(
        study_rows=tuple(rows[i] + shift for i in index),
        pooled_row=-0.5 if part.pooled else None,
        prediction_row=-1.5 if has_prediction else None,
        marker_areas=tuple(
            max(MIN_MARKER_AREA, MAX_MARKER_AREA * result.studies[i].weight / heaviest)
            for i in index
        ),
        header_rows=tuple(h[2] + shift for h in headers),
        subgroup_rows=tuple(d[1] + shift for d in diamonds),
        study_index=index,
        header_groups=tuple((h[0], h[1]) for h in headers),
        subgroup_groups=tuple(d[0] for d in diamonds),
    )


def subgroup_members(result: OutcomeResult) -> list[tuple[SubResult, list[int]]]:
    """Each subgroup with the indices of its studies, in the order of the subgroup results;
    none where no subgroups were fitted."""
    if result.subgroups is None:
        return []
    positions: dict[str, list[int]] = {g.label: [] for g in result.subgroups.groups}
    for i in range(result.k):
        positions.setdefault(result.study_groups[i], []).append(i)
    return [(group, positions[group.label]) for group in result.subgroups.groups]


def data_columns(result: OutcomeResult) -> tuple[list[str], list[list[str]], list[str]]:
    """Data columns left of the plot: headers, one row of cells per study, the pooled row."""
    kind = result.outcome.type
    studies = result.studies
    if kind == "proportion":
        cells = [[f"{s.data['events']:,} / {s.data['total']:,}"] for s in studies]
        return ["Events / total"], cells, [f"{result.events:,} / {result.participants:,}"]
    if kind == "binary":
        cells = [[_arm(s, "intervention"), _arm(s, "control")] for s in studies]
        totals = [
            f"{sum(s.data[arm]['events'] for s in studies):,} / "
            f"{sum(s.data[arm]['total'] for s in studies):,}"
            for arm in ("intervention", "control")
        ]
        return ["Intervention", "Control"], cells, totals
    if kind == "continuous":
        cells = [[f"{s.data[arm]['n']:,}" for arm in ("intervention", "control")] for s in studies]
        totals = [
            f"{sum(s.data[arm]['n'] for s in studies):,}" for arm in ("intervention", "control")
        ]
        return ["Intervention n", "Control n"], cells, totals
    if kind in ("rate", "rate_comparison"):
        return _rate_columns(result)
    return [], [[] for _ in studies], []


def _rate_columns(result: OutcomeResult) -> tuple[list[str], list[list[str]], list[str]]:
    """Events / person-time per arm (one arm for single-arm rates), as the data give them."""
    studies = result.studies

    def cell(data: dict) -> str:
        return f"{data['events']:,} / {as_entered(data['time'])}"

    def total(rows: list[dict]) -> str:
        return f"{sum(r['events'] for r in rows):,} / {as_entered(sum(r['time'] for r in rows))}"

    if result.outcome.type == "rate":
        rows = [s.data for s in studies]
        return ["Events / time"], [[cell(r)] for r in rows], [total(rows)]
    arms = ("intervention", "control")
    cells = [[cell(s.data[arm]) for arm in arms] for s in studies]
    totals = [total([s.data[arm] for s in studies]) for arm in arms]
    return ["Intervention", "Control"], cells, totals


def _arm(study: StudyResult, arm: str) -> str:
    return f"{study.data[arm]['events']:,} / {study.data[arm]['total']:,}"


def _round_ticks(high: float) -> list[float]:
    """Ticks from 0 past ``high`` at a round step (1, 2 or 5 times a power of ten), 3 to 6."""
    power = 10.0 ** np.floor(np.log10(high / 4))
    step = next(m * power for m in (1, 2, 5, 10) if high / (m * power) <= 5)
    return [float(i * step) for i in range(int(np.ceil(high / step - 1e-9)) + 1)]


def x_axis(result: OutcomeResult) -> tuple[float, float, list[float], list[str], bool]:
    """Axis limits, ticks and tick labels on the natural scale; True for a log axis."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "proportion":
        ticks = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        return 0.0, 1.0, ticks, ["0", "20", "40", "60", "80", "100"], False
    values = [v for s in result.studies for v in (s.ci_lower, s.ci_upper)]
    if display.scale == "rate":  # single-arm rates: a linear axis from 0
        values += [result.pooled.pi_lower, result.pooled.pi_upper]
        high = max([v for v in values if np.isfinite(v)] or [1.0]) or 1.0
        ticks = _round_ticks(high)
        high = max(high, ticks[-1])
        labels = [effect_value(t, result.outcome.measure) for t in ticks]
        return -0.05 * high, 1.05 * high, ticks, labels, False
    if display.null is None:  # only proportions, handled above, have no value of no effect
        raise ValueError(f"measure {result.outcome.measure} has no value of no effect to draw")
    values += [result.pooled.pi_lower, result.pooled.pi_upper, display.null]
    values = [v for v in values if np.isfinite(v)]
    if display.scale == "ratio":
        low = max(min(values), 0.01)
        high = min(max(values), 100.0)
        candidates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
        ticks = [t for t in candidates if low / 1.3 <= t <= high * 1.3]
        if len(ticks) > 5:  # keep labels apart in the narrow plot panel
            ticks = [t for t in ticks if t in (0.01, 0.1, 0.5, 1, 2, 10, 100)]
        low, high = min(low, ticks[0]), max(high, ticks[-1])
        return low / 1.1, high * 1.1, ticks, [f"{t:g}" for t in ticks], True
    # Differences: round ticks in the units the tables show (per RATE_PER person-time for
    # rate differences); the range always holds 0, the line of no effect, so 0 is a tick.
    low, high = min(values), max(values)
    pad = 0.05 * (high - low or 1.0)
    low, high = low - pad, high + pad
    unit = RATE_PER if display.per_time else 1
    shown = round_ticks(low * unit, high * unit, most=FOREST_LINEAR_TICKS)
    return low, high, [t / unit for t, _ in shown], [label for _, label in shown], False


def favours_labels(result: OutcomeResult) -> tuple[str, str] | None:
    """Words either side of the line of no effect on a two-arm plot: "Favours intervention" /
    "Favours control" from the outcome's `good` direction (issue 10 part 1: `good: higher |
    lower`); until an outcome says which way is good, a neutral "Lower with intervention" /
    "Higher with intervention". None for single-arm plots."""
    display = MEASURES[result.outcome.measure]
    if display.scale == "proportion" or display.null is None:
        return None
    good = getattr(result.outcome, "good", None)
    if good == "lower":
        return "\u2190 Favours\nintervention", "Favours \u2192\ncontrol"
    if good == "higher":
        return "\u2190 Favours\ncontrol", "Favours \u2192\nintervention"
    return "\u2190 Lower with\nintervention", "Higher with \u2192\nintervention"
