"""Placeholders in editorial text: computed values in, hostile input refused with file and line."""

from __future__ import annotations

import pytest

from reportgen.errors import ConfigError
from reportgen.publish.build import build_report


def build_with_takeaway(write_config, minimal_config, tmp_path, takeaway: str):
    text = minimal_config + f'text:\n  key_takeaway: "{takeaway}"\n'
    return build_report(write_config(text), tmp_path / "out", formats=("html",))


def test_placeholders_show_computed_values(write_config, minimal_config, tmp_path):
    built = build_with_takeaway(
        write_config,
        minimal_config,
        tmp_path,
        "About {{ outcomes.response.pooled.estimate | percent }} of people responded "
        "in {{ outcomes.response.k }} studies.",
    )
    html = (built.folder / "report.html").read_text()
    assert "of people responded in 3 studies." in html
    assert "{{" not in html


@pytest.mark.parametrize(
    ("takeaway", "message"),
    [
        ("{{ outcomes.nothing.pooled.estimate }}", "'dict object' has no attribute 'nothing'"),
        ("{{ ''.__class__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'call' is not allowed here"),
        ("{{ outcomes.response.pooled.estimate | attr('__class__') }}", "No filter named 'attr'"),
        ("{{ lipsum.__globals__ }}", "'lipsum' is undefined"),
        ("{{ outcomes.response.pooled.estimate ", "unexpected end of template"),
    ],
)
def test_hostile_or_wrong_placeholders_are_config_errors(
    write_config, minimal_config, tmp_path, takeaway, message
):
    with pytest.raises(ConfigError) as caught:
        build_with_takeaway(write_config, minimal_config, tmp_path, takeaway)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key_path) == (
        "config.yaml",
        19,
        "text.key_takeaway",
    )
    assert message in problem.message
    assert not (tmp_path / "out" / "minimal").exists()
