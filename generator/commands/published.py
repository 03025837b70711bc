"""Published addresses, protected: the build records them, `check` refuses one that disappears.

An address once shared in WeChat, printed on a noticeboard as a QR code or pulled by an
aggregator must keep working. Every build writes `published.json` into the site (every
address a story answers at: its own and its `aliases`, with title and file); `check` compares
the stories now with what was published, read from

- the main branch (`git:REF`, the default: `origin/main`, else `main`): the stories as they
  were where this branch left it; only files that differ are read again, so it is quick and
  needs no network (the content CI has the history);
- a manifest file (`site/published.json` of the last build, or one downloaded), or
- its address on the live site (`https://…/published.json`).

A published address no story answers at any more is an error naming the address and the
fix: keep the file with `status: withdrawn` (or `outdated` with `superseded_by`), or put the
old address under the new story's `aliases`. Drafts were never published.

The same comparison keeps the correction log honest (content/corrections.py): a published
rumour's verdict changes only with a new entry, and a published entry is never deleted.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import pipeline
from generator.content import corrections
from generator.content.problems import Problem, error
from generator.core import addresses, gitrepo
from generator.core.sections import Role
from generator.core.settings import Settings
from generator.core.story import Story
from generator.core.vocab import Term
from generator.render.manifest import VERDICT_KEY, VERSION
from generator.render.manifest import manifest as manifest  # the build's own, read here too

GIT_PREFIX = "git:"


class PublishedError(Exception):
    """The published addresses cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class Address:
    """An address the site published, and the story that answered at it."""

    url: str
    title: str
    path: str  # the story's file, as `check` names it
    verdict: str = ""  # a rumour's verdict code as published; "" in manifests written before it was kept
    corrections: int = 0  # how many correction entries the story had then


def parse_manifest(text: str, source: str) -> list[Address]:
    """The addresses of a manifest's text; PublishedError when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PublishedError(f"{source} 不是有效的已发布地址清单（JSON 格式有误）。") from None
    entries = data.get("addresses") if isinstance(data, dict) and data.get("version") == VERSION else None
    if not isinstance(entries, dict):
        raise PublishedError(f"{source} 不是本网站生成的已发布地址清单（{addresses.PUBLISHED_FILE}）。")
    found = []
    for url, about in entries.items():
        about = about if isinstance(about, dict) else {}
        count = about.get("corrections", 0)
        found.append(
            Address(
                str(url),
                str(about.get("title", "")),
                str(about.get("path", "")),
                str(about.get(VERDICT_KEY, "") or ""),
                count if isinstance(count, int) and not isinstance(count, bool) else 0,
            )
        )
    return found


def read(source: str, settings: Settings, repository: Path | None = None) -> list[Address]:
    """The published addresses from `source`: `git:REF`, a manifest file, or its http(s) address."""
    if source.startswith(GIT_PREFIX):
        if repository is None or _git(settings.root, "rev-parse", "--show-toplevel").returncode == 0:
            repository = settings.root  # the content repository itself (the hook checks a copy: its own folder)
        return at_git(settings, source.removeprefix(GIT_PREFIX) or None, repository)
    if source.startswith(("http://", "https://")):
        import requests

        try:
            response = requests.get(source, timeout=20)
        except requests.RequestException:
            raise PublishedError(
                f"无法下载已发布地址清单 {source}：请检查网络，或改用 --published git:origin/main。"
            ) from None
        if response.status_code != 200:
            raise PublishedError(f"下载已发布地址清单 {source} 失败（HTTP {response.status_code}）。")
        return parse_manifest(response.content.decode("utf-8", "replace"), source)
    file = Path(source)
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise PublishedError(
            f"找不到或无法读取已发布地址清单 {source}：请写生成的网站里的 {addresses.PUBLISHED_FILE}。"
        ) from None
    return parse_manifest(text, source)


def _git(repository: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=repository, capture_output=True, check=False)
    except FileNotFoundError:
        raise PublishedError("找不到 git：请先安装 git，或用 --published 指定已发布地址清单。") from None


def at_git(settings: Settings, base: str | None, repository: Path) -> list[Address]:
    """What the main branch publishes, from the stories where this work left it (the merge base).

    A file that is byte for byte the same now answers at the same address, so only the
    files that differ (or are gone) are read as they were.
    """
    if _git(repository, "rev-parse", "--show-toplevel").returncode != 0:
        raise PublishedError("这里不是 git 仓库：请在内容仓库里运行，或用 --published 指定已发布地址清单。")
    target = base or gitrepo.main_branch(repository)
    if target is None:
        raise PublishedError("找不到 main 分支：请用 --published git:分支名 指定已发布的分支。")
    merge_base = _git(repository, "merge-base", target, "HEAD")
    if merge_base.returncode != 0:
        raise PublishedError(f"找不到分支或提交「{target}」：请检查 --published 的写法，例如 git:origin/main。")
    commit = merge_base.stdout.decode().strip()
    try:  # the stories folder's place in the repository, as in the project (the hook checks a copy of it)
        folder = settings.stories_dir.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        raise PublishedError(
            "stories 文件夹不在项目文件夹里，无法与 main 分支比较：请用 --published 指定已发布地址清单。"
        ) from None
    with tempfile.TemporaryDirectory(prefix="federation-published-") as scratch:
        gitrepo.stories_at(repository, commit, folder, Path(scratch))  # empty: nothing published from it yet
        then = dataclasses.replace(settings, root=Path(scratch), stories_dir=Path(scratch) / folder)
        files, _ = pipeline.discover(then)
        found: list[Address] = []
        for story_file in files:
            relative = story_file.file.relative_to(then.stories_dir)
            now = settings.stories_dir / relative
            try:
                if now.is_file() and now.read_bytes() == story_file.file.read_bytes():
                    continue  # unchanged: it answers where it did
            except OSError:
                pass
            story = pipeline.check_one(story_file, then).story
            if story is None or story.draft:
                continue  # it could not have been published as it was
            shown = settings.display(settings.stories_dir / relative)
            verdict = story.get(Role.VERDICT, Term)
            code = verdict.code if verdict is not None else ""
            found += [
                Address(url, story.title, shown, code, len(story.corrections)) for url in (story.url, *story.aliases)
            ]
    return found


def lost(published: Iterable[Address], stories: Iterable[Story]) -> list[Address]:
    """The published addresses no story answers at now (drafts answer nowhere)."""
    live = [s for s in stories if not s.draft]
    answered = {s.url for s in live} | {alias for s in live for alias in s.aliases}
    seen: set[str] = set()
    gone = []
    for address in sorted(published, key=lambda a: (a.path, a.url)):
        if address.url not in answered and address.url not in seen:
            seen.add(address.url)
            gone.append(address)
    return gone


def problems(published: Iterable[Address], stories: Iterable[Story], unreadable: Collection[str] = ()) -> list[Problem]:
    """An error for each file whose published addresses disappeared, on that file, with the fix.

    `unreadable`: files still there that could not be read this run (their own errors say why);
    their addresses are not called lost, since the file was neither deleted nor renamed. Once
    the file reads again, its addresses are compared as any other's.
    """
    story_list = list(stories)
    by_path = {s.path: s for s in story_list}
    grouped: dict[str, list[Address]] = {}
    for address in lost(published, story_list):
        if address.path in unreadable:
            continue
        grouped.setdefault(address.path, []).append(address)
    found = []
    for path, gone in grouped.items():
        urls = "、".join(a.url for a in gone)
        listed = ", ".join(a.url for a in gone)
        title = next((f"《{a.title}》" for a in gone if a.title), "")
        broken = "分享出去的链接和印出来的二维码会打不开"
        now = by_path.get(path)
        if now is not None and now.draft:
            message = (
                f"已发布的文章{title}改成了草稿（draft: true），它的地址 {urls} 会打不开，{broken}。"
                "已发布的文章不能改回草稿：要撤下，请删掉 draft: true，改写 status: withdrawn。"
            )
            found.append(error("address.published-now-draft", path, now.lines.get("draft", 1), message))
        elif now is not None:
            message = (
                f"这篇文章的地址从 {urls} 变成了 {now.url}：旧地址已经发布，{broken}。"
                f"请在本文的 front matter 中写 aliases: [{listed}]（旧地址会自动跳转到新地址），或改回原来的网址。"
            )
            found.append(error("address.published-moved", path, now.lines.get("slug", 1), message))
        else:
            message = (
                f"已发布的地址 {urls}{'（' + title + '）' if title else ''}现在没有文章使用：这个文件被删除或改名了，{broken}。"
                "文章不要删除：要撤下，请保留文件并写 status: withdrawn（撤回），或 status: outdated 加 superseded_by: "
                f"新文章的地址；文章换了网址，请把旧地址写进新文章的 aliases，例如 aliases: [{listed}]。"
            )
            found.append(error("address.published-gone", path or addresses.PUBLISHED_FILE, 0, message))
    return found + verdict_problems(published, story_list)


def verdict_problems(published: Iterable[Address], stories: Iterable[Story]) -> list[Problem]:
    """A published rumour whose verdict changed without a new correction entry, and a published
    correction entry deleted (content/corrections.py)."""
    by_url = {a.url: a for a in published}
    found = []
    for story in stories:
        then = next((by_url[url] for url in (story.url, *story.aliases) if url in by_url), None)
        if then is None:
            continue
        for problem in (
            corrections.verdict_change(story, then.verdict, then.corrections),
            corrections.entries_removed(story, then.corrections),
        ):
            if problem is not None:
                found.append(problem)
    return found
