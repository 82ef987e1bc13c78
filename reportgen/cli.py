"""The ``reportgen`` command line.

User errors (bad config, bad data) print ``file:line: key.path: message`` lines and exit 1 with no
traceback; a bug in reportgen keeps its traceback. Usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reportgen.render import FORMATS
from reportgen.version import __version__

DEFAULT_CONFIG_GLOB = "configs/*.yaml"
EXIT_OK, EXIT_USER_ERROR = 0, 1


def _formats(value: str) -> tuple[str, ...]:

    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"invalid format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return chosen


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"invalid --jobs {value!r}: give a whole number >= 1")
    return jobs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportgen",
        description="Build evidence summaries (HTML, PDF, JSON) from systematic-review configs.",
    )
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="build reports from configs",
        description="Build each config into <out>/<report.id>/.",
    )
    build.add_argument(
        "configs",
        nargs="*",
        metavar="CONFIG",
        help=f"config files (default: every {DEFAULT_CONFIG_GLOB})",
    )
    build.add_argument(
        "--out", default="output", metavar="DIR", help="output folder (default: output)"
    )
    build.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        default=FORMATS,
        metavar="LIST",
        help="comma-separated formats: html,pdf,json (default: all)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="rebuild every report, even those whose inputs are unchanged",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail a report whose summary reads above its target grade (default: a warning)",
    )
    build.add_argument(
        "--allow-untraced-numbers",
        action="store_true",
        help="publish even if a number in the summary matches no computed value or config "
        "field (a warning instead of an error)",
    )
    build.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="build N reports at a time in separate processes (default 1)",
    )
    watch = commands.add_parser(
        "watch",
        help="rebuild reports when their config or data change",
        description="Build, then rebuild whenever a config, one of its "
        "data files or a template changes. Stop with Ctrl-C.",
    )
    watch.add_argument(
        "configs",
        nargs="*",
        metavar="CONFIG",
        help=f"config files (default: every {DEFAULT_CONFIG_GLOB})",
    )
    watch.add_argument("--out", default="output", metavar="DIR", help="output folder")
    watch.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        default=("html", "json"),
        metavar="LIST",
        help="formats to rebuild (default: html,json)",
    )
    validate = commands.add_parser("validate", help="check configs and data without building")
    validate.add_argument("configs", nargs="+", metavar="CONFIG", help="config files to check")
    return parser


def _config_paths(given: Sequence[str]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    return sorted(Path().glob(DEFAULT_CONFIG_GLOB))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    paths = _config_paths(args.configs)
    if not paths:
        print(
            f"reportgen: no configs given and none found matching {DEFAULT_CONFIG_GLOB}",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    if args.command == "validate":
        return _validate(paths)
    if args.command == "watch":
        return _watch(paths, Path(args.out), args.formats)
    return _build(
        paths,
        Path(args.out),
        args.formats,
        args.force,
        args.jobs,
        args.allow_untraced_numbers,
        args.strict,
    )


def _validate(paths: list[Path]) -> int:
    from reportgen.config.load import load_config
    from reportgen.errors import UserError

    failed = 0
    for path in paths:
        try:
            load_config(path)
        except UserError as error:
            failed += 1
            print(error, file=sys.stderr)
        else:
            print(f"{path}: ok")
    return EXIT_USER_ERROR if failed else EXIT_OK


def _build(
    paths: list[Path],
    out: Path,
    formats: tuple[str, ...],
    force: bool,
    jobs: int,
    allow_untraced: bool = False,
    strict: bool = False,
) -> int:
    from reportgen.publish.batch import FAILED, run

    outcomes = run(
        paths, out, formats, force=force, jobs=jobs, allow_untraced=allow_untraced, strict=strict
    )
    counts = {
        status: sum(o.status == status for o in outcomes)
        for status in ("built", "unchanged", FAILED)
    }
    total = len(outcomes)
    print(
        f"{total} report{'s' if total != 1 else ''}: {counts['built']} built, "
        f"{counts['unchanged']} unchanged, {counts[FAILED]} failed"
    )
    return EXIT_USER_ERROR if counts[FAILED] else EXIT_OK


def _watch(paths: list[Path], out: Path, formats: tuple[str, ...]) -> int:
    from reportgen.publish.watch import watch

    return watch(paths, out, formats)
