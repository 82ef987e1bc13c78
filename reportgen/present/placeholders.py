"""Computed values inside editorial text: ``{{ outcomes.orr.pooled.estimate | percent }}``.

Editorial text is rendered in Jinja's immutable sandbox with only the results (as in
results.json, outcomes keyed by id) and the formatting filters in reach. An unknown name, a
syntax error or an attempt to reach Python internals (``{{ ''.__class__ }}``) is a config error
with the file and line of the text, never a crash or a leak.

Placeholders are expressions, not programs: a text may hold ``{{ expression | filter }}`` and
``{% if %}``, and nothing else (no loops, macros, calls, ``set`` or includes), so the work a
text can ask for is bounded by its length. Within an expression, ``*``, ``**``, ``+`` and ``%``
are checked before they run (``{{ 'x' * 10**8 }}`` and ``{{ 2 ** 100000 }}`` are refused), the
filters' digit counts are bounded, and a field's filled-in text may be at most
``limits.placeholder_chars`` long.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from reportgen.config.limits import current_limits, env_name
from reportgen.config.yamlpos import format_key_path
from reportgen.errors import ConfigError, Problem
from reportgen.present.format import natural_frequency, number, percent

TEXT_FIELDS = ("headline", "key_takeaway", "context", "what_it_means", "earlier_evidence")
MAX_DIGITS = 10  # the most decimals a filter may be asked for
MAX_BITS = 4096  # the largest whole number ``**`` may make (Python's ints have no bound)


class PlaceholderRefused(ValueError):
    """A placeholder asks for more than editorial text may (a loop, a huge string, ...)."""


def _node_names() -> tuple[type, ...]:
    from jinja2 import nodes

    return (
        nodes.Template,
        nodes.Output,
        nodes.TemplateData,
        nodes.If,
        nodes.Const,
        nodes.Name,
        nodes.Getattr,
        nodes.Getitem,
        nodes.Slice,
        nodes.Filter,
        nodes.Test,
        nodes.Compare,
        nodes.Operand,
        nodes.CondExpr,
        nodes.BinExpr,  # + - * / // % ** and, or
        nodes.UnaryExpr,  # not, -, +
        nodes.Concat,
        nodes.Tuple,
        nodes.List,
        nodes.Dict,
        nodes.Pair,
        nodes.Keyword,
    )


def _bounded_filter(function: Callable[..., str]) -> Callable[..., str]:
    """``function`` refusing digit counts that would make huge text (``number(10**9)``)."""

    @functools.wraps(function)
    def bounded(value: Any, *args: Any, **kwargs: Any) -> str:
        for arg in (*args, *kwargs.values()):
            if not isinstance(arg, int) or isinstance(arg, bool) or not 0 <= arg <= MAX_DIGITS:
                raise PlaceholderRefused(f"digits must be a whole number from 0 to {MAX_DIGITS}")
        return function(value, *args, **kwargs)

    return bounded


def _environment(max_chars: int):
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        """Checks the operators that can make huge values before running them."""

        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def call_binop(self, context, operator, left, right):
            _check_binop(operator, left, right, max_chars)
            return super().call_binop(context, operator, left, right)

    env = Sandbox(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters.clear()  # nothing but ours: no attr, map, format or other reflective helpers
    env.filters.update(
        {
            "percent": _bounded_filter(percent),
            "number": _bounded_filter(number),
            "frequency": _bounded_filter(natural_frequency),
        }
    )
    env.globals.clear()
    return env


def _check_binop(operator: str, left: Any, right: Any, max_chars: int) -> None:
    sized = (str, list, tuple)
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, sized) and isinstance(times, int) and len(seq) * times > max_chars:
                raise PlaceholderRefused(f"the result would be longer than {max_chars:,}")
    elif operator == "+":
        if (
            isinstance(left, sized)
            and isinstance(right, sized)
            and len(left) + len(right) > (max_chars)
        ):
            raise PlaceholderRefused(f"the result would be longer than {max_chars:,}")
    elif operator == "**":
        whole = all(isinstance(x, int) and not isinstance(x, bool) for x in (left, right))
        if whole and right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_BITS:
            raise PlaceholderRefused("the result would be too large")
    elif operator == "%" and isinstance(left, str):
        raise PlaceholderRefused("'%' formatting is not allowed: use the filters")


def _refuse_statements(template_source: str, env) -> None:
    """Raise ``PlaceholderRefused`` if the text uses anything but expressions and ``if``."""
    allowed = _node_names()
    for node in env.parse(template_source).find_all(object):  # type: ignore[arg-type]
        if not isinstance(node, allowed):
            name = type(node).__name__.lower()
            raise PlaceholderRefused(
                f"'{name}' is not allowed here: use {{{{ value | filter }}}} and {{% if %}} only"
            )


def render_editorial_text(loaded, document: dict[str, Any]):
    """The config's ``text`` with every placeholder replaced; ``ConfigError`` lists problems."""
    text = loaded.config.text
    if "{" not in repr(text.model_dump()):
        return text
    import jinja2

    limits = current_limits()
    env = _environment(limits.placeholder_chars)
    values = {"outcomes": {o["id"]: o for o in document["outcomes"]}, "report": document["report"]}
    problems: list[Problem] = []

    def render(value: str, path: tuple) -> str:
        if "{" not in value:
            return value
        try:
            return _fill(env, value, values, limits.placeholder_chars)
        except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError) as error:
            reason = str(error)
        except (RecursionError, SyntaxError):  # Jinja's parser or Python's compiler
            reason = "the expression is nested too deeply"
        file, line, key = _locate(loaded, path)
        problems.append(Problem(file, line, key, f"cannot fill in {{{{ ... }}}}: {reason}"))
        return value

    update: dict[str, Any] = {
        name: render(getattr(text, name), ("text", name))
        for name in TEXT_FIELDS
        if getattr(text, name)
    }
    update["caveats"] = [render(c, ("text", "caveats", i)) for i, c in enumerate(text.caveats)]
    update["faq"] = [
        item.model_copy(
            update={
                "question": render(item.question, ("text", "faq", i, "question")),
                "answer": render(item.answer, ("text", "faq", i, "answer")),
            }
        )
        for i, item in enumerate(text.faq)
    ]
    if problems:
        raise ConfigError(problems)
    return text.model_copy(update=update)


def _fill(env, source: str, values: dict[str, Any], max_chars: int) -> str:
    """``source`` with its placeholders filled in, within the limits."""
    _refuse_statements(source, env)
    pieces: list[str] = []
    size = 0
    for piece in env.from_string(source).generate(values):
        size += len(piece)
        if size > max_chars:
            raise PlaceholderRefused(
                f"the text would be longer than {max_chars:,} characters (a limit; an "
                f"operator can raise it with {env_name('placeholder_chars')})"
            )
        pieces.append(piece)
    return "".join(pieces)


def editorial_fields(text) -> list[tuple[tuple, str]]:
    """Every piece of the editor's prose with its key path, in reading order."""
    fields: list[tuple[tuple[str | int, ...], Any]] = [
        (("text", name), getattr(text, name)) for name in TEXT_FIELDS
    ]
    fields += [(("text", "caveats", i), caveat) for i, caveat in enumerate(text.caveats)]
    for i, item in enumerate(text.faq):
        fields += [
            (("text", "faq", i, "question"), item.question),
            (("text", "faq", i, "answer"), item.answer),
        ]
    return [(path, value) for path, value in fields if value]


def _locate(loaded, path: tuple) -> tuple[str, int, str]:
    document = loaded.document
    if document is None:
        return str(loaded.path), 0, format_key_path(path)
    return document.locate(path)
