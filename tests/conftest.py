"""Shared fixtures: the sample stories, and one real `mkdocs build --strict` of them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from generator.settings import Settings

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


# Tools some tests need beyond Python. A test declares them with `@pytest.mark.requires("node")`
# (or a module with `pytestmark = pytest.mark.requires(...)`); a missing tool skips it on a
# developer's machine, with the reason in the summary, and fails it in CI (`CI=true`).
CI = os.environ.get("CI", "").lower() in ("true", "1")


def _has_cjk_font() -> bool:
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _tool_checks() -> dict[str, tuple[object, str]]:
    import shutil

    from tests.browser.server import nginx_binary

    return {
        "node": (lambda: shutil.which("node") is not None, "apt-get install nodejs npm"),
        "chromium": (lambda: Path("/usr/bin/chromium").exists(), "apt-get install chromium"),
        "nginx": (lambda: nginx_binary() is not None, "apt-get install nginx"),
        "cjk-font": (lambda: shutil.which("fc-list") is not None and _has_cjk_font(), "apt-get install fonts-noto-cjk"),
        "axe": (lambda: (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists(), "npm ci"),
    }


_TOOL_STATE: dict[str, bool] = {}


def tool_ready(name: str) -> bool:
    """Whether the named tool (see `_tool_checks`) is here; checked once per run."""
    if name not in _TOOL_STATE:
        checks = _tool_checks()
        if name not in checks:
            raise ValueError(f"unknown tool {name!r}; known: {sorted(checks)}")
        probe = checks[name][0]
        _TOOL_STATE[name] = bool(probe())  # type: ignore[operator]
    return _TOOL_STATE[name]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires(*tools): tools beyond Python this test needs (node, chromium, …)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("requires"):
        for name in marker.args:
            if tool_ready(name):
                continue
            install = _tool_checks()[name][1]
            if CI:
                pytest.fail(f"{name} is missing in CI ({install}); .ci/run must install it", pytrace=False)
            pytest.skip(f"{name} is missing: run `{install}` (CI fails without it)")
