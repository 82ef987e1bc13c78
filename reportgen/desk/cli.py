"""The editor's-desk subcommands of ``reportgen`` (``schema``, ``init``, ...): their arguments
and what each runs. ``reportgen.cli`` adds them to its parser and hands them their arguments;
kept free of heavy imports (each command imports its module when it runs)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK = 0
FORMATS = ("revman", "revman-web", "covidence")  # of reportgen import; desk.importer reads them


def add_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    formats: Callable[[str], tuple[str, ...]],
) -> None:
    """Add the desk's subcommands to the ``reportgen`` parser's subcommands; ``formats``
    parses a ``--format`` list as ``build`` does."""
    from reportgen.desk.kinds import KIND_HELP, KINDS

    schema = commands.add_parser(
        "schema",
        help="print the config's JSON Schema (for editors' completion and hover help)",
        description="Print the JSON Schema of a config file, generated from reportgen's config "
        "models, or write it to --out FILE. Configs name it on their first line: "
        "# yaml-language-server: $schema=PATH",
    )
    schema.add_argument("--out", type=Path, metavar="FILE", help="write the schema to FILE")
    init = commands.add_parser(
        "init",
        help="start a review: a commented config and data templates",
        description="Write review.yaml (every key explained in a comment), data/*.csv "
        "templates with example rows (the outcome's data, the studies, their risk-of-bias "
        "judgements), an example references.bib and reportgen.schema.json into DIR. Existing "
        "files are never overwritten. Kinds: "
        + "; ".join(f"{kind}: {KIND_HELP.get(kind, kind)}" for kind in KINDS),
    )
    init.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of {', '.join(KINDS)}")
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="folder (default: .)")

    preview = commands.add_parser(
        "preview",
        help="build, serve on 127.0.0.1 and reload the browser's page on every change",
        description="Build the configs, serve the output folder on 127.0.0.1 (a free port "
        "unless --port is given; the address is printed) and rebuild when a config, a data "
        "file or a template changes: the page in the browser reloads by itself. A failed "
        "build shows its messages over the last report that built. Stop with Ctrl-C.",
    )
    preview.add_argument(
        "configs", nargs="*", metavar="CONFIG", help="config files (default: every configs/*.yaml)"
    )
    preview.add_argument(
        "--out", default="output", metavar="DIR", help="output folder (default: output)"
    )
    preview.add_argument(
        "--port", type=int, default=0, metavar="N", help="port (default: a free one)"
    )
    preview.add_argument(
        "--format",
        dest="formats",
        type=formats,
        default=("html", "json"),
        metavar="LIST",
        help="formats to build (default: html,json)",
    )
    _add_import(commands)


def _add_import(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``reportgen import FORMAT FILE...``."""
    imports = commands.add_parser(
        "import",
        help="make configs and data CSVs from a RevMan, RevMan Web or Covidence export",
        description="Turn a RevMan 'Data and analyses' CSV export (FORMAT revman) into one "
        "config per comparison; RevMan Web's study data CSVs (FORMAT revman-web: Study "
        "information, Study arms, Study results, Risk of bias, as RevMan Web and Covidence's "
        "Extraction 1 'Export to RevMan Web' write them; give the files or their folder) into one "
        "config per intervention compared with the comparator; or a Covidence extraction CSV "
        "export (FORMAT covidence) into one config, with the data in data/*.csv, written into "
        "--out DIR. A Covidence export's columns are named by the review's template: without "
        "--map, covidence-map.yaml is written listing them, with the outcomes recognised by "
        "their names (Intervention events, Control total, ...); fill it in and import again with "
        "--map. Columns, studies and outcomes that cannot be imported, and every value to "
        "check, are printed and listed at the top of each config. Existing files are never "
        "overwritten.",
    )
    imports.add_argument("format", choices=FORMATS, metavar="FORMAT", help=", ".join(FORMATS))
    imports.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="the exported CSV file (revman-web: the CSV files, or the folder holding them)",
    )
    imports.add_argument("--out", type=Path, default=Path(), metavar="DIR", help="default: .")
    imports.add_argument(
        "--map",
        type=Path,
        metavar="FILE",
        help="covidence: which column holds what (default: write covidence-map.yaml)",
    )


DESK_COMMANDS = ("schema", "init", "preview", "import")


def run(args: argparse.Namespace) -> int:
    """Run the desk command ``args.command``; its exit status."""
    if args.command == "schema":
        from reportgen.desk.schema import write_schema

        text = write_schema(args.out)
        if args.out is None:
            sys.stdout.write(text)
        else:
            print(f"{args.out}: written")
        return EXIT_OK
    if args.command == "init":
        from reportgen.desk.init import CONFIG_NAME, init

        folder = Path(args.dir)
        for path in init(args.kind, folder):
            print(f"{path}: written")
        config = folder / CONFIG_NAME
        print(f"next: edit {config}, then reportgen validate {config}")
        return EXIT_OK
    if args.command == "preview":
        return _preview(args)
    if args.command == "import":
        from reportgen.desk.importer import import_export, write_import

        imported = import_export(args.format, args.files, args.map)
        for path in write_import(imported, args.out):
            print(f"{path}: written")
        for note in imported.notes:
            print(f"check: {note}", file=sys.stderr)
        return EXIT_OK
    raise ValueError(f"not a desk command: {args.command}")


def _preview(args: argparse.Namespace) -> int:
    from reportgen.desk.preview import preview

    configs = [Path(c) for c in args.configs] or sorted(Path().glob("configs/*.yaml"))
    if not configs:
        print("reportgen preview: no configs given and none in configs/", file=sys.stderr)
        return 1
    return preview(configs, Path(args.out), args.formats, args.port)
