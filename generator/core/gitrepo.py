"""Plumbing over git for the editors' tools: which story files a branch changed, the main
branch it will be merged into, and when each story was first committed (the district report). Messages are Chinese; ReviewError says what failed."""

from __future__ import annotations

import io
import subprocess
import tarfile
from datetime import date, datetime
from pathlib import Path

from generator.core.settings import CHINA, Settings


class ReviewError(Exception):
    """The comparison cannot be made (no git, unknown base); the message is Chinese."""


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise ReviewError("找不到 git：请先安装 git。") from exc
    if done.returncode != 0:
        raise ReviewError(f"git {' '.join(args)} 失败：{done.stderr.strip()}")
    return done.stdout


def main_branch(root: Path) -> str | None:
    """The branch a merge request goes to: origin/main when known, else main; None without one."""
    for candidate in ("origin/main", "main", "origin/master", "master"):
        verify = ["git", "rev-parse", "--verify", "-q", candidate + "^{commit}"]
        if subprocess.run(verify, cwd=root, capture_output=True).returncode == 0:
            return candidate
    return None


def default_base(root: Path) -> str:
    """The main branch (`main_branch`), or ReviewError saying how to name one."""
    found = main_branch(root)
    if found is None:
        raise ReviewError("找不到 main 分支：请用 --base 指定要比较的分支或提交，例如 --base origin/main。")
    return found


def stories_at(root: Path, commit: str, folder: str, into: Path) -> None:
    """The stories folder as it was at `commit`, written under `into` (empty if it did not exist yet)."""
    archive = subprocess.run(["git", "archive", "--format=tar", commit, "--", folder], cwd=root, capture_output=True)
    if archive.returncode == 0:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(into, filter="data")
    (into / folder).mkdir(parents=True, exist_ok=True)


def own_files(settings: Settings) -> set[str] | None:
    """The story files this editor changed: against the main branch, staged, unstaged or new; None without git."""
    root = settings.root
    folder = settings.display(settings.stories_dir)
    try:
        _git(root, "rev-parse", "--show-toplevel")
        commit = _git(root, "merge-base", default_base(root), "HEAD").strip()
        return _changed_files(root, commit, folder)[1]
    except ReviewError:
        return None  # no git, no main branch, or stories outside the repository: no "own" files


def _changed_files(root: Path, commit: str, folder: str) -> tuple[dict[str, str], set[str]]:
    """Renamed story files (old → new) and every file touched under the stories folder since `commit`."""
    renames: dict[str, str] = {}
    touched: set[str] = set()
    listing = _git(root, "diff", "--name-status", "-M", "-z", commit, "--", folder)
    fields = listing.split("\0")
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status.startswith(("R", "C")):
            old, new = fields[index + 1], fields[index + 2]
            renames[old] = new
            touched.update((old, new))
            index += 3
        else:
            touched.add(fields[index + 1])
            index += 2
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", folder)
    touched.update(path for path in untracked.split("\0") if path)
    return renames, touched


def head(settings: Settings) -> str:
    """The commit checked out in the project's repository; "" outside git."""
    try:
        return _git(settings.root, "rev-parse", "-q", "--verify", "HEAD").strip()
    except ReviewError:
        return ""


def first_added(settings: Settings) -> dict[str, date]:
    """When each story file was first committed (its author date, Beijing time), by its path as
    `check` names it, following renames; {} outside git. Files not committed yet are absent."""
    folder = settings.display(settings.stories_dir)
    try:
        _git(settings.root, "rev-parse", "--show-toplevel")
        listing = _git(
            settings.root,
            *("-c", "core.quotePath=false", "log", "--reverse", "--format=\x01%at", "--name-status", "-M"),
            *("--relative", "--", folder),
        )
    except ReviewError:
        return {}
    added: dict[str, date] = {}
    when = date.min
    for line in listing.splitlines():
        if line.startswith("\x01"):
            when = datetime.fromtimestamp(int(line[1:]), CHINA).date()
            continue
        fields = line.split("\t")
        status = fields[0][:1]
        if status == "A" and len(fields) == 2:
            added[fields[1]] = when
        elif status == "R" and len(fields) == 3:
            added[fields[2]] = added.pop(fields[1], when)
        elif status == "C" and len(fields) == 3:
            added[fields[2]] = when
        elif status == "D" and len(fields) == 2:
            added.pop(fields[1], None)
    return added
