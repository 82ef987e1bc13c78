from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def example_configs() -> list[Path]:
    return sorted(CONFIGS.glob("*.yaml"))


@pytest.fixture
def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write YAML text to a config file in a temporary working folder; return its relative path
    (as a user would type it, so messages read ``config.yaml:LINE: ...``)."""
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "config.yaml") -> Path:
        path = Path(name)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def minimal_config() -> str:
    """A valid config with three studies and one proportion outcome."""
    return MINIMAL_CONFIG


MINIMAL_CONFIG = """\
report:
  id: minimal
  title: A minimal report
studies:
  - {id: s1, label: Alpha 2020}
  - {id: s2, label: Beta 2021}
  - {id: s3, label: Gamma 2022}
outcomes:
  - id: response
    label: Response
    plain_label: responded
    role: benefit
    type: proportion
    data:
      - {study: s1, events: 10, total: 20}
      - {study: s2, events: 15, total: 25}
      - {study: s3, events: 8, total: 30}
"""
