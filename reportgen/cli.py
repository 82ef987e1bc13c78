"""The ``reportgen`` command line.

User errors (bad config, bad data) print ``file:line: key.path: message`` lines and exit 1 with no
traceback; a bug in reportgen keeps its traceback. Usage errors exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__

DEFAULT_CONFIG_GLOB = "configs/*.yaml"
EXIT_OK, EXIT_USER_ERROR = 0, 1


def _formats(value: str) -> tuple[str, ...]:
    from .build import FORMATS

    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"invalid format {', '.join(unknown) or value!r}; choose from {', '.join(FORMATS)}"
        )
    return chosen


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
        default=("html", "pdf", "json"),
        metavar="LIST",
        help="comma-separated formats: html,pdf,json (default: all)",
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
    return _build(paths, Path(args.out), args.formats)


def _validate(paths: list[Path]) -> int:
    from .errors import UserError
    from .load import load_config

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


def _build(paths: list[Path], out: Path, formats: tuple[str, ...]) -> int:
    from .build import build_report
    from .errors import UserError

    failed = 0
    for path in paths:
        try:
            built = build_report(path, out, formats)
        except UserError as error:
            failed += 1
            print(error, file=sys.stderr)
            print(
                f"failed  {path}: nothing written; any earlier report is unchanged", file=sys.stderr
            )
        else:
            print(f"built   {path} -> {built.folder}/ ({', '.join(formats)})")
    total = len(paths)
    print(
        f"{total - failed} of {total} report{'s' if total != 1 else ''} built"
        + (f", {failed} failed" if failed else "")
    )
    return EXIT_USER_ERROR if failed else EXIT_OK
