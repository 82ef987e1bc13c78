"""Computed values inside editorial text: ``{{ outcomes.orr.pooled.estimate | percent }}``.

Editorial text is rendered in Jinja's immutable sandbox with only the results (as in
results.json, outcomes keyed by id) and the formatting filters in reach. An unknown name, a
syntax error or an attempt to reach Python internals (``{{ ''.__class__ }}``) is a config error
with the file and line of the text, never a crash or a leak.
"""

from __future__ import annotations

from typing import Any

from reportgen.config.yamlpos import format_key_path
from reportgen.errors import ConfigError, Problem
from reportgen.present.format import natural_frequency, number, percent

TEXT_FIELDS = ("headline", "key_takeaway", "context", "what_it_means", "earlier_evidence")


def _environment():
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters.clear()  # nothing but ours: no attr, map, format or other reflective helpers
    env.filters.update({"percent": percent, "number": number, "frequency": natural_frequency})
    env.globals.clear()
    return env


def render_editorial_text(loaded, document: dict[str, Any]):
    """The config's ``text`` with every placeholder replaced; ``ConfigError`` lists problems."""
    text = loaded.config.text
    if "{" not in repr(text.model_dump()):
        return text
    import jinja2

    env = _environment()
    values = {"outcomes": {o["id"]: o for o in document["outcomes"]}, "report": document["report"]}
    problems: list[Problem] = []

    def render(value: str, path: tuple) -> str:
        if "{" not in value:
            return value
        try:
            return env.from_string(value).render(values)
        except jinja2.TemplateError as error:
            file, line, key = _locate(loaded, path)
            problems.append(Problem(file, line, key, f"cannot fill in {{{{ ... }}}}: {error}"))
            return value
        except (ArithmeticError, TypeError, ValueError) as error:
            file, line, key = _locate(loaded, path)
            problems.append(Problem(file, line, key, f"cannot fill in {{{{ ... }}}}: {error}"))
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


def editorial_fields(text) -> list[tuple[tuple, str]]:
    """Every piece of the editor's prose with its key path, in reading order."""
    fields = [(("text", name), getattr(text, name)) for name in TEXT_FIELDS]
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
