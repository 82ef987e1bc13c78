"""``reportgen init KIND [DIR]``: a commented config and data-file templates to start a review.

Each kind is a folder of ``data/init/`` (``KINDS``): a skeleton ``config.yaml``, its CSV files
(an outcome's data, the studies, their risk-of-bias judgements) and ``references.bib``. The
config is written as ``review.yaml`` with every key commented from the schema's descriptions
(``desk.commented``), a ``$schema`` line for editors' completion and the schema itself beside
it; the CSVs and the BibTeX file are copied as they are. The example rows, judgements, PRISMA
counts and references are invented and the config says ``illustrative: true`` (a banner on
every page) until the editor replaces them.

Nothing is overwritten: if any file to be written exists, nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from reportgen.desk.commented import commented_yaml
from reportgen.desk.kinds import KIND_HELP, KINDS, SKELETONS
from reportgen.desk.schema import config_schema, schema_text
from reportgen.errors import UserError

CONFIG_NAME = "review.yaml"
SCHEMA_NAME = "reportgen.schema.json"
# Files of a skeleton copied as they are: data templates and the example reference file.
TEMPLATE_SUFFIXES = (".csv", ".bib")


def _header(kind: str) -> str:
    return (
        f"# yaml-language-server: $schema={SCHEMA_NAME}\n"
        f"# A reportgen config for a review of {KIND_HELP.get(kind, kind)}.\n"
        "# Replace the example values and the rows of the CSV files in data/ with your review's;\n"
        "# set illustrative: false once the data are real. Check with: reportgen validate "
        f"{CONFIG_NAME}\n"
        "# Examples too, at the end: risk_of_bias (judgements in data/risk-of-bias.csv), the\n"
        "# prisma counts of your search and screening, and references (references.bib, cited by\n"
        "# the citation column of data/studies.csv). Replace them, or delete a part you lack.\n\n"
    )


def init_files(kind: str) -> dict[str, str]:
    """The files ``init`` writes for ``kind`` (path relative to the folder -> text)."""
    if kind not in KINDS:
        raise UserError(f"reportgen init: unknown kind {kind!r}; choose from {', '.join(KINDS)}")
    folder = SKELETONS / kind
    skeleton = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    files = {CONFIG_NAME: _header(kind) + commented_yaml(skeleton, config_schema())}
    for path in sorted(p for p in folder.rglob("*") if p.suffix in TEMPLATE_SUFFIXES):
        files[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    files[SCHEMA_NAME] = schema_text()
    return files


def init(kind: str, folder: Path) -> list[Path]:
    """Write the files of ``kind`` into ``folder`` (made if missing); the paths written.

    Raises ``UserError`` naming every file that already exists, before writing anything."""
    files = init_files(kind)
    existing = [folder / name for name in files if (folder / name).exists()]
    if existing:
        names = ", ".join(str(path) for path in existing)
        raise UserError(f"reportgen init: not overwriting existing files: {names}")
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file
            handle.write(text)
        written.append(path)
    return written
