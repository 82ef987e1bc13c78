"""The ``reportgen`` command line.

Exit status: 0 success; 1 user errors (bad config, bad data: ``file:line: key.path: message``
lines, no traceback); 2 usage errors (argparse); 3 an internal error, a bug in reportgen (its
traceback goes to the error log, or to the terminal with ``--debug``; in a batch the other
configs still build); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from reportgen.desk.cli import DESK_COMMANDS, add_commands
from reportgen.render import FORMATS
from reportgen.version import __version__

DEFAULT_CONFIG_GLOB = "configs/*.yaml"
EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE, EXIT_INTERNAL_ERROR = 0, 1, 2, 3
EXIT_INTERRUPTED = 130


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


def _shard(value: str) -> object:
    """``--shard I/N`` or ``auto`` (read from the environment now), or a usage error."""
    from reportgen.publish.shard import ShardError, parse_shard

    try:
        return parse_shard(value)
    except ShardError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


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
        description="Build each config into <out>/<report.id>/. A config that fails does not "
        "stop the others. Exit status: 0 all built or unchanged; 1 a config or its data has "
        "errors (printed as file:line: key: message); 3 an internal error (a bug in reportgen): "
        "one line per config on the terminal, the traceback appended to the error log "
        "(<out>/.reportgen-errors.log, or --log FILE) or, with --debug, printed.",
    )
    _build_options(build)
    _error_options(build)
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
    _error_options(watch)
    validate = commands.add_parser(
        "validate",
        help="run every check of build without rendering or writing",
        description="Check configs as build does (config and data, analysis, placeholders, "
        "the summary's numbers and reading grade) without rendering or writing: a config that "
        "validates builds.",
    )
    validate.add_argument("configs", nargs="+", metavar="CONFIG", help="config files to check")
    validate.add_argument(
        "--out",
        default="output",
        metavar="DIR",
        help="output folder holding previous versions (default: output); nothing is written",
    )
    validate.add_argument(
        "--strict", action="store_true", help="fail as build --strict would (reading grade)"
    )
    validate.add_argument(
        "--allow-untraced-numbers",
        action="store_true",
        help="as build --allow-untraced-numbers: untraced numbers are warnings",
    )
    index = commands.add_parser(
        "index",
        help="rebuild index.html from the reports' manifests",
        description="Rewrite <out>/index.html from the manifest.json of every report in the "
        "output folder (for example after sharded runs, or after a worker was killed).",
    )
    index.add_argument("out", nargs="?", default="output", metavar="OUT", help="output folder")
    add_commands(commands, _formats)
    for command in (build, watch, validate):
        command.add_argument(
            "--data-root",
            metavar="DIR",
            help="data files may be read from anywhere inside DIR (default: each config's folder)",
        )
    return parser


def _build_options(build: argparse.ArgumentParser) -> None:
    """The options of ``reportgen build``."""
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
        help=f"comma-separated formats: {','.join(FORMATS)} (default: all)",
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
    build.add_argument(
        "--max-reports-per-worker",
        type=_jobs,
        metavar="N",
        help="replace each worker process after N reports, to keep memory flat "
        "(default 100 with --jobs 2 or more)",
    )
    build.add_argument(
        "--shard",
        type=_shard,
        metavar="I/N|auto",
        help="build only shard I of N (counted from 0) of the configs, split by report id; "
        "auto: read a Kubernetes Indexed Job's or Slurm array's environment (docs/scaling.md)",
    )
    build.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: --jobs worker processes (default); dask: one task per config on the "
        "Dask cluster at --scheduler",
    )
    build.add_argument(
        "--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://HOST:8786"
    )


def _error_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="append the tracebacks of internal errors (bugs in reportgen) to FILE "
        "(default: <out>/.reportgen-errors.log)",
    )
    command.add_argument(
        "--debug",
        action="store_true",
        help="print the tracebacks of internal errors on the terminal instead of the log",
    )


def _config_paths(given: Sequence[str]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    return sorted(Path().glob(DEFAULT_CONFIG_GLOB))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from reportgen.errors import UserError

    try:
        return _run(args)
    except KeyboardInterrupt:
        print("reportgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UserError as error:
        print(error, file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception:  # a bug outside any one config's build: keep its traceback
        traceback.print_exc()
        print(
            "reportgen: internal error (a bug in reportgen); see the traceback above",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


def _run(args: argparse.Namespace) -> int:
    if args.command in DESK_COMMANDS:
        from reportgen.desk.cli import run

        return run(args)
    if args.command == "index":
        from reportgen.publish.index import rebuild_index

        count = rebuild_index(Path(args.out))
        print(f"{Path(args.out) / 'index.html'}: {count} report{'s' if count != 1 else ''}")
        return EXIT_OK
    if args.data_root:  # read by config.load (also in --jobs worker processes)
        os.environ["REPORTGEN_DATA_ROOT"] = os.path.realpath(args.data_root)
    paths = _config_paths(args.configs)
    if not paths:
        print(
            f"reportgen: no configs given and none found matching {DEFAULT_CONFIG_GLOB}",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    if args.command == "validate":
        return _validate(paths, Path(args.out), args.allow_untraced_numbers, args.strict)
    if args.command == "watch":
        return _watch(paths, Path(args.out), args.formats, args.log, args.debug)
    return _build(paths, Path(args.out), args.formats, args.force, args, args.log, args.debug)


def _validate(
    paths: list[Path], out: Path, allow_untraced: bool = False, strict: bool = False
) -> int:
    """Run every check ``build`` runs (``prepare_report``), short of rendering and writing."""
    from reportgen.errors import InternalError, UserError
    from reportgen.publish.build import prepare_report

    failed = internal = 0
    for path in paths:
        try:
            prepared = prepare_report(
                path, out, allow_untraced_numbers=allow_untraced, strict=strict
            )
        except UserError as error:
            failed += 1
            print(error, file=sys.stderr)
        except Exception as error:  # a bug: report it and go on with the next config
            internal += 1
            wrapped = InternalError.wrap(str(path), error)
            print(f"{wrapped.details.rstrip()}\n{wrapped}", file=sys.stderr)
        else:
            for warning in prepared.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            print(f"{path}: ok")
    if internal:
        return EXIT_INTERNAL_ERROR
    return EXIT_USER_ERROR if failed else EXIT_OK


def _build(
    paths: list[Path],
    out: Path,
    formats: tuple[str, ...],
    force: bool,
    args: argparse.Namespace,
    log: Path | None = None,
    debug: bool = False,
) -> int:
    from reportgen.publish.batch import FAILED, run
    from reportgen.publish.executors import DaskExecutor, ExecutorError, LocalExecutor

    if args.executor == "dask" and not args.scheduler:
        raise ExecutorError("--executor dask needs --scheduler tcp://HOST:PORT")
    executor = (
        DaskExecutor(args.scheduler)
        if args.executor == "dask"
        else LocalExecutor(args.jobs, args.max_reports_per_worker)
    )
    outcomes = run(
        paths,
        out,
        formats,
        force=force,
        allow_untraced=args.allow_untraced_numbers,
        strict=args.strict,
        log=log,
        debug=debug,
        shard=args.shard,
        executor=executor,
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
    if any(o.internal is not None for o in outcomes):
        return EXIT_INTERNAL_ERROR
    return EXIT_USER_ERROR if counts[FAILED] else EXIT_OK


def _watch(
    paths: list[Path], out: Path, formats: tuple[str, ...], log: Path | None, debug: bool
) -> int:
    from reportgen.publish.watch import watch

    return watch(paths, out, formats, log=log, debug=debug)
