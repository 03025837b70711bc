"""The sample pre-commit hook stops a commit that adds a bad story, and lets a good one through."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.requires("git")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_AUTHOR_NAME="编辑", GIT_AUTHOR_EMAIL="e@example.org")
    env.update(GIT_COMMITTER_NAME="编辑", GIT_COMMITTER_EMAIL="e@example.org")
    env.pop("FEDERATION_STORIES_DIR", None)
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)


def test_the_hook_refuses_a_bad_story(tmp_path: Path) -> None:
    repo = tmp_path / "content"
    repo.mkdir()
    for name in ("mkdocs.yml", "hooks"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, repo / name)
    shutil.copytree(ROOT / "site_src", repo / "site_src")
    shutil.copytree(SAMPLE, repo / "stories")
    # The hook runs `python -m generator` from the repository; point it at this environment.
    venv = repo / ".venv" / "bin"
    venv.mkdir(parents=True)
    wrapper = venv / "python"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', "utf-8")
    wrapper.chmod(0o755)
    assert git(repo, "init", "-q").returncode == 0
    git(repo, "config", "core.hooksPath", "hooks")
    git(repo, "add", "-A")
    good = git(repo, "commit", "-qm", "good stories")
    assert good.returncode == 0, good.stdout + good.stderr

    (repo / "stories" / "rumours" / "2020-03-01-bad.md").write_text(
        "---\ntitle: 坏文章\ndate: 2020-03-01\nclaim: 网传？\nverdict: 假的\nsources:\n"
        "  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    git(repo, "add", "-A")
    bad = git(repo, "commit", "-qm", "bad story")
    assert bad.returncode != 0
    assert "2020-03-01-bad.md:5: 错误：verdict（查证结论）「假的」无效" in bad.stdout + bad.stderr
    assert "提交已取消" in bad.stdout + bad.stderr
    assert git(repo, "log", "--oneline").stdout.count("\n") == 1
