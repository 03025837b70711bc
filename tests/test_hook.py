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


def _content_repo(tmp_path: Path, with_environment: bool = True) -> Path:
    repo = tmp_path / "content"
    repo.mkdir()
    for name in ("mkdocs.yml", "hooks"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, repo / name)
    shutil.copytree(ROOT / "site_src", repo / "site_src")
    shutil.copytree(SAMPLE, repo / "stories")
    if with_environment:
        venv = repo / ".venv" / "bin"
        venv.mkdir(parents=True)
        (venv / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', "utf-8")
        (venv / "python").chmod(0o755)
    assert git(repo, "init", "-q").returncode == 0
    git(repo, "config", "core.hooksPath", "hooks")
    (repo / ".gitignore").write_text(".venv/\n", "utf-8")
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "good stories", "--no-verify").returncode == 0
    return repo


BAD = (
    "---\ntitle: 坏文章\ndate: 2020-03-01\nclaim: 网传？\nverdict: 假的\nsources:\n"
    "  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n"
)


def test_the_hook_checks_what_is_staged_not_the_working_tree(tmp_path: Path) -> None:
    repo = _content_repo(tmp_path)
    story = repo / "stories" / "rumours" / "2020-03-01-fixed-later.md"
    story.write_text(BAD, "utf-8")
    git(repo, "add", "-A")
    story.write_text(BAD.replace("假的", "false"), "utf-8")  # fixed in the file, but not staged
    staged_bad = git(repo, "commit", "-qm", "bad staged version")
    assert staged_bad.returncode != 0
    assert "stories/rumours/2020-03-01-fixed-later.md:5: 错误：" in staged_bad.stdout + staged_bad.stderr
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "fixed").returncode == 0


def test_an_untracked_draft_does_not_block_a_commit(tmp_path: Path) -> None:
    repo = _content_repo(tmp_path)
    (repo / "stories" / "rumours" / "2020-03-02-half-written.md").write_text(BAD, "utf-8")  # not added
    good = repo / "stories" / "rumours" / "2020-02-07-pets.md"
    good.write_text(good.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    git(repo, "add", str(good))
    result = git(repo, "commit", "-qm", "edit one story")
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_the_environment_the_hook_says_what_to_run(tmp_path: Path) -> None:
    repo = _content_repo(tmp_path, with_environment=False)
    story = repo / "stories" / "rumours" / "2020-02-07-pets.md"
    story.write_text(story.read_text("utf-8") + "\n补充。\n", "utf-8")
    git(repo, "add", "-A")
    result = git(repo, "commit", "-qm", "edit")
    assert result.returncode != 0
    assert "请先运行 make site 准备环境" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
