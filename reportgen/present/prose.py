"""Prose: one piece of running text in the report view, with where it came from.

Templates display a ``Prose`` as they would a string (it escapes itself through ``__html__``);
the checks read its ``text`` and ``source``; the glossary adds plain explanations to it as data
(``glosses``), never by editing finished HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from html import escape
from typing import Any, TypeVar

GENERATED = "generated"  # written by reportgen from computed values
EDITORIAL = "editorial"  # free text an editor wrote in the config's `text:` section
STRUCTURED = "structured"  # a structured config field (labels, definitions, designs)


@dataclass(frozen=True)
class Prose:
    """A sentence or paragraph.

    ``path`` is the config key path of editorial text (for located messages); ``explains``
    names glossary terms the text explains itself; ``glossable`` is False for headings and
    labels; ``glosses`` are (offset, explanation) pairs added by the glossary, offsets into
    ``text`` where the explanation follows the term.
    """

    text: str
    source: str = GENERATED
    path: tuple[str | int, ...] = ()
    explains: frozenset[str] = frozenset()
    glossable: bool = True
    prose: bool = True  # running text (counted by readability), not a heading or label
    glosses: tuple[tuple[int, str], ...] = ()

    def __html__(self) -> str:
        parts, start = [], 0
        for offset, explanation in self.glosses:
            parts.append(escape(self.text[start:offset], quote=False))
            parts.append(f' <span class="gloss">({escape(explanation, quote=False)})</span>')
            start = offset
        parts.append(escape(self.text[start:], quote=False))
        return "".join(parts)

    @property
    def read(self) -> str:
        """The text as a reader reads it, explanations included."""
        parts, start = [], 0
        for offset, explanation in self.glosses:
            parts += [self.text[start:offset], f" ({explanation})"]
            start = offset
        parts.append(self.text[start:])
        return "".join(parts)

    def __str__(self) -> str:
        return self.read

    def __bool__(self) -> bool:
        return bool(self.text)


T = TypeVar("T")


def walk_prose(node: Any) -> Iterator[Prose]:
    """Every Prose inside a view of frozen dataclasses and tuples, in field order (which is
    reading order: views declare their fields in the order the page shows them)."""
    if isinstance(node, Prose):
        yield node
    elif is_dataclass(node) and not isinstance(node, type):
        for item in fields(node):
            yield from walk_prose(getattr(node, item.name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from walk_prose(item)


def map_prose(node: T, change: Callable[[Prose], Prose]) -> T:
    """A copy of ``node`` with ``change`` applied to every Prose, in reading order."""
    if isinstance(node, Prose):
        return change(node)  # type: ignore[return-value]
    if is_dataclass(node) and not isinstance(node, type):
        updates = {
            item.name: map_prose(getattr(node, item.name), change)
            for item in fields(node)
            if _holds_prose(getattr(node, item.name))
        }
        return replace(node, **updates) if updates else node  # type: ignore[type-var]
    if isinstance(node, tuple):
        return type(node)(map_prose(item, change) for item in node)  # type: ignore[return-value]
    return node


def _holds_prose(value: Any) -> bool:
    return next(walk_prose(value), None) is not None
