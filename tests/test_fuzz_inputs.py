"""Fuzzing the input side: generated and mutated configs and CSV data files either load or are
refused with a ``UserError`` (located, printed without a traceback); never another exception.

Examples are kept few (this runs in the normal suite); raise ``max_examples`` locally to search
harder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.config.load import load_config
from reportgen.errors import UserError

BASE = {
    "report": {"id": "fuzz", "title": "A fuzzed report"},
    "studies": [{"id": "s1", "label": "Alpha 2020"}, {"id": "s2", "label": "Beta 2021"}],
    "outcomes": [
        {
            "id": "response",
            "label": "Response",
            "plain_label": "responded",
            "role": "benefit",
            "type": "proportion",
            "data": [
                {"study": "s1", "events": 10, "total": 20},
                {"study": "s2", "events": 15, "total": 25},
            ],
        }
    ],
}
KEYS = [
    "id", "title", "label", "study", "events", "total", "mean", "sd", "n", "estimate", "se",
    "ci_lower", "ci_upper", "type", "measure", "method", "test", "data", "studies", "outcomes",
    "intervention", "control", "sensitivity", "exclude", "subgroup", "text", "glossary",
]  # fmt: skip
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["PLO", "REML", "binary", "continuous", "generic", "MH", "GLMM", "d.csv"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=4
        ),
    ),
    max_leaves=20,
)


def set_at(document: dict, path: list, value: object) -> None:
    """Replace the value at ``path`` (indices taken modulo each list's length)."""
    target = document
    for part in path[:-1]:
        if isinstance(target, dict):
            keys = list(target)
            target = target[keys[part % len(keys)]] if keys else target
        elif isinstance(target, list) and target:
            target = target[part % len(target)]
        if not isinstance(target, dict | list):
            return
    if isinstance(target, dict):
        keys = list(target)
        target[keys[path[-1] % len(keys)] if keys else "x"] = value
    elif isinstance(target, list) and target:
        target[path[-1] % len(target)] = value


def load(text: bytes, csv: bytes | None = None) -> None:
    """load_config on ``text`` (and ``d.csv``): it must succeed or raise a UserError."""
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "c.yaml"
        config.write_bytes(text)
        if csv is not None:
            (Path(folder) / "d.csv").write_bytes(csv)
        try:
            load_config(config)
        except UserError as error:
            assert str(error)


@SETTINGS
@given(path=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=6), value=values)
def test_a_value_anywhere_loads_or_is_a_user_error(path, value):
    import copy

    document = copy.deepcopy(BASE)
    set_at(document, path, value)
    load(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


@SETTINGS
@given(data=st.binary(max_size=400), position=st.integers(min_value=0))
def test_mutated_config_bytes_load_or_are_a_user_error(data, position):
    text = yaml.safe_dump(BASE).encode("utf-8")
    cut = position % (len(text) + 1)
    load(text[:cut] + data + text[cut + len(data) :])


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_yaml_text_loads_or_is_a_user_error(text):
    load(text.encode("utf-8"))


CSV_HEADERS = ["study", "events", "total", "intervention", "intervention_events", "", "mean"]
cells = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats().map(repr),
    st.sampled_from(["s1", "s2", "nan", "inf", "1e999", "true", '"', "\r", "\x00"]),
)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(CSV_HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(cells, max_size=7), max_size=6),
    noise=st.binary(max_size=40),
)
def test_csv_data_files_load_or_are_a_user_error(header, rows, noise):
    document = {**BASE, "outcomes": [{**BASE["outcomes"][0], "data": "d.csv"}]}
    lines = [",".join(header)] + [",".join(row) for row in rows]
    csv = "\n".join(lines).encode("utf-8", errors="surrogatepass") + noise
    load(yaml.safe_dump(document).encode("utf-8"), csv)
