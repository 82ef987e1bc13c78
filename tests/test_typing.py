"""Type checks with mypy, configured in pyproject.toml: reportgen.stats strictly, the rest with
mypy's defaults. Skipped where mypy is not installed (it is in the ``test`` extras)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for this module's runs, outside the source tree."""
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(cache_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_stats_is_clean_under_strict(cache_dir: Path) -> None:
    # --follow-imports=silent: modules stats imports (config/) are read but not reported here.
    result = mypy(cache_dir, "--strict", "--follow-imports=silent", "-p", "reportgen.stats")
    assert result.returncode == 0, result.stdout + result.stderr


def test_whole_package_is_clean(cache_dir: Path) -> None:
    result = mypy(cache_dir, "-p", "reportgen")
    assert result.returncode == 0, result.stdout + result.stderr
