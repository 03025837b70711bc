"""Family "story files are regular files inside stories/" (issue "Nothing escapes"):
links, linked folders, named pipes and device files are reported by name, never read,
never followed, and never make the check hang."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator import pipeline
from generator.content.problems import report
from tests.test_cases import FIXTURES, settings

KINDS = ["story", "link-inside", "link-outside", "dangling", "loop", "folder-link", "fifo", "socket", "device"]
NAMES = st.text(alphabet="abcxyz-_0123456789口罩", min_size=1, max_size=8)
ENTRY = st.tuples(st.sampled_from(KINDS), NAMES, st.sampled_from(["rumours", "knowledge", "images", "rumours/2020"]))
STORY = """---
title: 测试文章
date: 2020-02-01
claim: 网传？
verdict: false
sources:
  - title: 来源
    url: https://www.who.int/
---

正文。
"""


@contextlib.contextmanager
def bounded(seconds: int = 20) -> Iterator[None]:
    """Fail instead of hanging, should anything open a named pipe."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the check hung: it must never open a named pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make(kind: str, path: Path, outside: Path) -> bool:
    """Make one entry; whether it is one the check must refuse."""
    if kind == "story":
        path.with_suffix(".md").write_text(STORY, "utf-8")
        return False
    target = path.with_suffix(".md")
    if kind == "link-inside":
        (path.parent / "real.txt").write_text("x", "utf-8")
        os.symlink("real.txt", target)
    elif kind == "link-outside":
        os.symlink(outside / "secret.md", target)
    elif kind == "dangling":
        os.symlink(path.parent / "missing.md", target)
    elif kind == "loop":
        os.symlink(target.name, target)
    elif kind == "folder-link":
        os.symlink(outside, path)
        return True
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(target))
    elif kind == "device":
        os.mknod(target, 0o600 | 0o020000, os.makedev(1, 3))  # /dev/null's numbers
    return True


_BASE: dict[str, Path] = {}
_CACHE = pipeline.Cache()  # the fixtures' stories are checked once, as under `serve`


def base() -> Path:
    """One copy of the fixtures for every example (each adds its entries in a folder of its own)."""
    if "root" not in _BASE:
        root = Path(tempfile.mkdtemp(prefix="story-files-"))
        shutil.copytree(FIXTURES, root / "stories")
        outside = root / "outside"
        outside.mkdir()
        (outside / "secret.md").write_text(STORY.replace("测试文章", "机密"), "utf-8")
        _BASE["root"] = root
    return _BASE["root"]


@given(st.lists(ENTRY, min_size=1, max_size=6, unique_by=lambda e: (e[1], e[2])))
def test_a_story_folder_of_odd_files_is_reported_file_by_file_and_never_hangs(
    entries: list[tuple[str, str, str]],
) -> None:
    root = base()
    stories, outside = root / "stories", root / "outside"
    made: list[Path] = []
    try:
        refused = []
        for kind, name, folder in entries:
            path = stories / folder / "odd" / f"odd-{name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            made.append(stories / folder / "odd")
            if path.with_suffix(".md").exists() or path.is_symlink() or path.with_suffix(".md").is_symlink():
                continue
            if make(kind, path, outside):
                refused.append(path if kind == "folder-link" else path.with_suffix(".md"))
        with bounded():
            outcome = pipeline.check(settings(root), _CACHE, reserved=[])
        shown = report(outcome.problems)
        for path in refused:
            where = path.relative_to(root).as_posix()
            assert f"{where}: 错误：「{path.name}」" in shown, shown
        assert "机密" not in {s.title for s in outcome.stories}
        published = {s.path for s in outcome.stories}
        assert not published & {p.relative_to(root).as_posix() for p in refused}
    finally:
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)


def test_a_file_that_became_a_pipe_after_discovery_is_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "stories" / "rumours" / "late.md"
    pipe.parent.mkdir(parents=True)
    os.mkfifo(pipe)
    with bounded(10):
        parsed = pipeline.parse(pipeline.StoryFile(pipe, "stories/rumours/late.md", "rumours"))
    assert parsed.front is None and [p.rule for p in parsed.problems] == ["file.not-regular"]


def test_a_file_that_became_a_link_after_discovery_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(STORY, "utf-8")
    link = tmp_path / "stories" / "rumours" / "late.md"
    link.parent.mkdir(parents=True)
    os.symlink(secret, link)
    parsed = pipeline.parse(pipeline.StoryFile(link, "stories/rumours/late.md", "rumours"))
    assert parsed.front is None and [p.rule for p in parsed.problems] == ["file.not-regular"]
