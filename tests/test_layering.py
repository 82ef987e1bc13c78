"""The package's architecture as tests: stage packages import only downwards, no modules import
each other in a cycle, statistics know nothing of presentation, and modules and functions stay
small enough to review.

Every module under reportgen/ is parsed with ``ast`` (nothing is imported), so the checks see every
import: at module level, inside functions (marked ``[lazy]`` in messages) and under
``if TYPE_CHECKING:`` (counted like any other import, marked ``[TYPE_CHECKING]``). Each failure
lists every offending edge as ``reportgen/x/a.py -> reportgen.y.b (line N)``.

Checks that fail today because of work pending in other branches are marked xfail through
``PENDING`` below, one entry per check; delete an entry once that work is merged, and the check
runs strictly again.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "reportgen"

# The stage packages, lowest first. A module may import from its own layer or a lower one only;
# every layering check derives from this one table. A prefix names a module and its submodules,
# except the bare package name, which names reportgen/__init__.py alone.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("reportgen.errors", "reportgen.paths", "reportgen.provenance", "reportgen.version")),
    # What a measure is (scale, null, transforms, allowed methods): the one registry that config
    # validation, statistics, interpretation and presentation all derive from.
    (
        "registry",
        (
            "reportgen.stats.measures",
            "reportgen.stats.measure_list",
            "reportgen.stats.registry_types",
            "reportgen.stats.transforms",
        ),
    ),
    ("config", ("reportgen.config",)),
    ("stats", ("reportgen.stats",)),
    ("interpret", ("reportgen.interpret",)),
    ("present", ("reportgen.present",)),
    ("checks", ("reportgen.checks",)),
    ("render", ("reportgen.render",)),
    ("publish", ("reportgen.publish",)),
    # The editor's desk: schema, init, import and preview use every stage below them.
    ("desk", ("reportgen.desk",)),
    ("top", ("reportgen", "reportgen.cli", "reportgen.__main__")),
)
LAYER_NAMES = tuple(name for name, _ in LAYERS)
# Statistics return numbers; words, templates, figures and documents are built above them.
PRESENTATION_LIBRARIES = frozenset({"jinja2", "matplotlib", "weasyprint"})
# Beyond these a module or function is hard to review in one sitting (STYLE.md: small modules).
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80

# Checks failing today because of modules outside this check's branch, left to the restructuring
# pending in other branches, with the violations found when this list was written. Remove an
# entry once its check passes; new violations in a check listed here are masked until then.
PENDING: dict[str, str] = {}


def pending(check: str) -> list[pytest.MarkDecorator]:
    """The xfail marker of a check listed in ``PENDING``, or none."""
    if check not in PENDING:
        return []
    reason = f"fixed by pending restructuring: {PENDING[check]}"
    return [pytest.mark.xfail(strict=False, reason=reason)]


@dataclass(frozen=True)
class Import:
    """One imported module: ``source`` (a module of the package) imports ``target``."""

    source: str
    path: str
    target: str
    line: int
    lazy: bool
    type_checking: bool

    def __str__(self) -> str:
        where = " [TYPE_CHECKING]" if self.type_checking else ""
        where += " [lazy]" if self.lazy else ""  # imported inside a function
        return f"{self.path} -> {self.target} (line {self.line}){where}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package is its ``__init__``)."""
    return {module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


class _ImportCollector(ast.NodeVisitor):
    def __init__(self, source: str, path: str, is_package: bool) -> None:
        self.source, self.path, self.is_package = source, path, is_package
        self.imports: list[Import] = []
        self.function_depth = 0
        self.type_checking = 0

    def _add(self, target: str, line: int) -> None:
        edge = Import(
            self.source,
            self.path,
            target,
            line,
            self.function_depth > 0,
            self.type_checking > 0,
        )
        if edge not in self.imports:
            self.imports.append(edge)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.function_depth += 1
        self.generic_visit(node)
        self.function_depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.type_checking += 1
        for child in node.body:
            self.visit(child)
        self.type_checking -= 1
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.source if self.is_package else self.source.rsplit(".", 1)[0]
            anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            base = f"{anchor}.{base}" if base else anchor
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in modules() else base, node.lineno)


@cache
def imports() -> tuple[Import, ...]:
    """Every import of every module of the package, in file and line order."""
    found: list[Import] = []
    for name, path in modules().items():
        relative = path.relative_to(ROOT).as_posix()
        collector = _ImportCollector(name, relative, path.name == "__init__.py")
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=relative))
        found += sorted(collector.imports, key=lambda i: (i.line, i.target))
    return tuple(found)


def layer_of(module: str) -> str | None:
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            if module == prefix or (prefix != PACKAGE and module.startswith(prefix + ".")):
                return layer
    return None


def upward_imports(layer: str) -> list[Import]:
    rank = LAYER_NAMES.index(layer)
    return [
        i
        for i in imports()
        if layer_of(i.source) == layer
        and layer_of(i.target) is not None
        and LAYER_NAMES.index(layer_of(i.target)) > rank
    ]


def strongly_connected(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Tarjan's strongly connected components of a directed graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                yield from visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            yield sorted(component)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def import_cycles() -> list[list[Import]]:
    """The imports inside each group of modules that import each other, directly or not."""
    internal = [i for i in imports() if i.target in modules() and i.target != i.source]
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for edge in internal:
        graph[edge.source].add(edge.target)
    cycles = []
    for component in strongly_connected(graph):
        if len(component) > 1:
            members = set(component)
            cycles.append([i for i in internal if i.source in members and i.target in members])
    return cycles


def listing(title: str, items: list) -> str:
    return f"{title} ({len(items)}):\n" + "\n".join(f"  {item}" for item in items)


def test_every_module_belongs_to_a_layer():
    unplaced = [name for name in modules() if layer_of(name) is None]
    assert not unplaced, listing("modules missing from LAYERS in tests/test_layering.py", unplaced)


def test_the_import_parser_sees_every_kind_of_import():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import format\n"
        "import reportgen.stats.fitting\n"
        "if TYPE_CHECKING:\n"
        "    from reportgen.publish.build import build\n"
        "def f():\n"
        "    from ..stats.effects import common, to_natural\n"
    )
    collector = _ImportCollector("reportgen.present.view", "reportgen/present/view.py", False)
    collector.visit(ast.parse(source))
    assert [(i.target, i.line, i.lazy, i.type_checking) for i in collector.imports] == [
        ("typing", 1, False, False),
        ("reportgen.present.format", 2, False, False),
        ("reportgen.stats.fitting", 3, False, False),
        ("reportgen.publish.build", 5, False, True),
        ("reportgen.stats.effects.common", 7, True, False),
        ("reportgen.stats.effects", 7, True, False),
    ]


@pytest.mark.parametrize(
    "check", [pytest.param("missing modules", marks=pending("missing modules"))]
)
def test_every_import_of_the_package_names_a_module(check):
    """A mistyped module path fails only when it runs: under ``if TYPE_CHECKING:``, never."""
    found = [
        i for i in imports() if i.target.split(".")[0] == PACKAGE and i.target not in modules()
    ]
    assert not found, listing(f"{check}: imports of modules that do not exist", found)


@pytest.mark.parametrize(
    "layer",
    [pytest.param(name, marks=pending(f"upward imports from {name}")) for name in LAYER_NAMES],
)
def test_no_upward_imports(layer):
    """A module imports only from its own layer or lower ones (order: ``LAYERS``)."""
    found = upward_imports(layer)
    assert not found, listing(f"imports from {layer} into a higher layer", found)


@pytest.mark.parametrize("check", [pytest.param("import cycles", marks=pending("import cycles"))])
def test_no_import_cycles(check):
    """No modules import each other, directly or through others, even lazily inside functions."""
    cycles = import_cycles()
    message = "\n".join(listing(f"cycle {n}, edges", c) for n, c in enumerate(cycles, 1))
    assert not cycles, f"{check}:\n{message}"


@pytest.mark.parametrize(
    "check",
    [pytest.param("statistics", marks=pending("statistics import presentation"))],
)
def test_statistics_import_nothing_of_presentation(check):
    """stats/ imports no higher stage (interpret and up) and no template, figure or PDF library."""
    above = set(LAYER_NAMES[LAYER_NAMES.index("stats") + 1 :])
    found = [
        i
        for i in imports()
        if layer_of(i.source) == "stats"
        and (layer_of(i.target) in above or i.target.split(".")[0] in PRESENTATION_LIBRARIES)
    ]
    assert not found, listing(f"{check} modules importing presentation", found)


def long_modules(layer: str) -> list[str]:
    found = []
    for name, path in modules().items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if layer_of(name) == layer and lines > MAX_MODULE_LINES:
            found.append(f"{path.relative_to(ROOT).as_posix()}: {lines} lines")
    return found


def long_functions(layer: str) -> list[str]:
    found = []
    for name, path in modules().items():
        if layer_of(name) != layer:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                    found.append(f"{where} {node.name}(): {lines} lines")
    return found


@pytest.mark.parametrize(
    "layer",
    [pytest.param(name, marks=pending(f"long modules in {name}")) for name in LAYER_NAMES],
)
def test_modules_are_short(layer):
    found = long_modules(layer)
    assert not found, listing(f"modules in {layer} over {MAX_MODULE_LINES} lines", found)


@pytest.mark.parametrize(
    "layer",
    [pytest.param(name, marks=pending(f"long functions in {name}")) for name in LAYER_NAMES],
)
def test_functions_are_short(layer):
    found = long_functions(layer)
    assert not found, listing(f"functions in {layer} over {MAX_FUNCTION_LINES} lines", found)
