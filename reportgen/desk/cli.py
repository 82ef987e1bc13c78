"""The editor's-desk subcommands of ``reportgen`` (``schema``, ``init``, ...): their arguments
and what each runs. ``reportgen.cli`` adds them to its parser and hands them their arguments;
kept free of heavy imports (each command imports its module when it runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the desk's subcommands to the ``reportgen`` parser's subcommands."""
    from reportgen.desk.init import KIND_HELP, KINDS

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
        "templates with example rows and reportgen.schema.json into DIR. Existing files are "
        "never overwritten. Kinds: "
        + "; ".join(f"{kind}: {KIND_HELP.get(kind, kind)}" for kind in KINDS),
    )
    init.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of {', '.join(KINDS)}")
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="folder (default: .)")


DESK_COMMANDS = ("schema", "init")


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
    raise ValueError(f"not a desk command: {args.command}")
