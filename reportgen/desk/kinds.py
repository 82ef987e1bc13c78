"""The kinds of review ``reportgen init`` starts (the folders of ``data/init/``) and what each
holds: read by the command-line parser on every run, so kept apart from ``desk.init`` and its
imports of the config models (0.15 CPU s a run, no-op cron runs included)."""

from __future__ import annotations

from reportgen.paths import data_dir

SKELETONS = data_dir() / "init"
# What each kind holds, for --help (the folders of data/init/ are the kinds).
KIND_HELP = {
    "single-arm": "single-arm proportions (events out of a total, one group per study)",
    "binary": "two-arm counts (events and totals in a treatment and a control group)",
    "continuous": "two-arm means (mean, SD and size of each group)",
    "time-to-event": "hazard ratios with their 95% CIs, as papers report them",
}
KINDS = tuple(sorted(path.name for path in SKELETONS.iterdir() if path.is_dir()))
