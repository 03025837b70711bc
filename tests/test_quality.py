"""The code itself: ruff's rules and format, and mypy --strict on generator/, run as part of the tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

COMMANDS = {
    "ruff-check": [sys.executable, "-m", "ruff", "check", "generator", "tests", "benchmarks"],
    "ruff-format": [sys.executable, "-m", "ruff", "format", "--check", "generator", "tests", "benchmarks"],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_code_quality(name: str) -> None:
    result = subprocess.run(COMMANDS[name], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
