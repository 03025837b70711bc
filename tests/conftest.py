"""Shared fixtures: the sample stories, and one real `mkdocs build --strict` of them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from generator.core.settings import Settings
from tests.tools import TOOLS

# Property tests run a small number of examples by default; `HYPOTHESIS_PROFILE=fuzz` runs
# 20,000 per property (issue "Nothing escapes"). Tests that set max_examples themselves
# keep theirs.
hypothesis_settings.register_profile(
    "small", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "small"))

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
        # By `date`, not by first commit: the expected output must not depend on the repository's history.
        "report_by_commit": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def preview_site(tmp_path: Path) -> Path:
    """The sample plus a broken story, built as `serve` builds it (drafts, problems, preview pages)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    (stories / "rumours" / "2020-03-01-broken.md").write_text(
        "---\ntitle: 坏文章\ndate: 2020-03-01\nclaim: 网传？\nverdict: 假的\nsources:\n"
        "  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    config_file = tmp_path / "mkdocs.yml"
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "site_src"),
        "theme": {"custom_dir": str(ROOT / "site_src" / "overrides")},
    }
    config_file.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    site = tmp_path / "site"
    os.environ["FEDERATION_STORIES_DIR"] = str(stories)
    os.environ["FEDERATION_READ_ALOUD"] = "false"
    try:
        loaded = load_config(str(config_file), site_dir=str(site))
        loaded.plugins.on_startup(command="serve", dirty=False)
        build(loaded)
    finally:
        os.environ.pop("FEDERATION_STORIES_DIR", None)
        os.environ.pop("FEDERATION_READ_ALOUD", None)
    return site


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


# Tools some tests need beyond Python (the table is tests/tools.py). A test declares them with
# `@pytest.mark.requires("node")` (or a module with `pytestmark = pytest.mark.requires(...)`); a
# missing tool skips it on a developer's machine, with the command that installs it in the
# summary, and fails it in CI (`CI=true`). `make test` installs them all first.
CI = os.environ.get("CI", "").lower() in ("true", "1")
_TOOL_STATE: dict[str, bool] = {}


def tool_ready(name: str) -> bool:
    """Whether the named tool (see `tests.tools.TOOLS`) is here; checked once per run."""
    if name not in TOOLS:
        raise ValueError(f"unknown tool {name!r}; known: {sorted(TOOLS)}")
    if name not in _TOOL_STATE:
        _TOOL_STATE[name] = TOOLS[name].ready()
    return _TOOL_STATE[name]


# Fixtures that hand a test a tool: a test using one must declare the tool too, so that no
# test depends on a tool it does not check for.
FIXTURE_TOOLS = {"browser": "chromium", "axe_script": "axe", "nginx": "nginx"}


def _declared(item: pytest.Item) -> set[str]:
    return {name for marker in item.iter_markers("requires") for name in marker.args}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires(*tools): tools beyond Python this test needs (node, chromium, …)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    declared = _declared(item)
    for fixture in sorted(set(getattr(item, "fixturenames", ())) & FIXTURE_TOOLS.keys()):
        if FIXTURE_TOOLS[fixture] not in declared:
            pytest.fail(
                f"uses the {fixture} fixture: declare @pytest.mark.requires({FIXTURE_TOOLS[fixture]!r})", pytrace=False
            )
    for marker in item.iter_markers("requires"):
        for name in marker.args:
            if tool_ready(name):
                continue
            install = TOOLS[name].install()
            if CI:
                pytest.fail(f"{name} is missing in CI: `{install}` (`make test` installs it)", pytrace=False)
            pytest.skip(f"{name} is missing: run `{install}`, or `make test`, which installs it (CI fails without it)")
