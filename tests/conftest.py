"""Shared fixtures: the sample stories, and one real `mkdocs build --strict` of them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample" / "stories"
FIXED_TODAY = date(2026, 1, 1)


def sample_settings(**overrides: object) -> Settings:
    """Settings over the sample stories with a fixed date, so outputs do not depend on the day."""
    values: dict[str, object] = {
        "root": ROOT,
        "stories_dir": SAMPLE,
        "docs_dir": ROOT / "site_src",
        "site_name": "重庆妇联·科学防疫",
        "site_url": "https://fangyi.cqwomen.example/",
        "today": FIXED_TODAY,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def run_generator(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator …` as an editor would, capturing its output."""
    env = dict(os.environ)
    env.pop("FEDERATION_STORIES_DIR", None)
    command = [sys.executable, "-m", "generator", "--config", str(ROOT / "mkdocs.yml"), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample stories built by a real `mkdocs build --strict` with the project's mkdocs.yml."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, FEDERATION_STORIES_DIR=str(SAMPLE))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return site
