"""What a change does to the site, for the reviewer of a merge request: `python -m generator review`.

The stories at the base (the main branch, where the merge request goes) are checked as
they were, the stories now are checked as they are, and the two are compared story by
story: added, changed (with what changed: verdict, status, address, text …), removed.
The text is Markdown, so the content CI can post it as a comment on the merge request.
"""

from __future__ import annotations

import dataclasses
import difflib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from generator import pipeline
from generator.content import editorial
from generator.content.problems import Problem
from generator.core.gitrepo import ReviewError as ReviewError
from generator.core.gitrepo import _changed_files, _git, default_base, stories_at
from generator.core.gitrepo import own_files as own_files  # the command line asks here
from generator.core.settings import Settings
from generator.core.story import Correction, Honour, Signoff, Source, Story
from generator.render.templating import environment

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".tif", ".tiff"}
# The common fields a reviewer wants named when they change, in the order the report lists
# them; each is named by its label in the table.
_WATCHED = ("title", "date", "summary", "district", "author", "draft", "superseded_by")


@dataclass
class Change:
    """One story's change between the base and now."""

    kind: str  # "added", "changed" or "removed"
    old: Story | None
    new: Story | None
    details: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)  # what the reviewer must not miss
    authors: list[str] = field(default_factory=list)

    @property
    def story(self) -> Story:
        """The story as it is now, or as it was when removed."""
        found = self.new or self.old
        assert found is not None
        return found


@dataclass
class Review:
    """The whole comparison: story changes, pictures, and the problems of the changed files."""

    base: str
    changes: list[Change]
    pictures: list[str]
    picture_notes: list[str]
    problems: list[Problem]
    other_problems: int

    @property
    def ok(self) -> bool:
        """Whether the change passes the content check."""
        return not any(p.is_error for p in self.problems)


def review(settings: Settings, base: str | None = None) -> Review:
    """Compare the stories at the merge base with `base` and the stories in the work tree now."""
    root = settings.root
    _git(root, "rev-parse", "--show-toplevel")
    target = base or default_base(root)
    commit = _git(root, "merge-base", target, "HEAD").strip()
    folder = settings.display(settings.stories_dir)
    now = pipeline.check(settings, reserved=pipeline.hand_written_addresses(settings.docs_dir))
    with tempfile.TemporaryDirectory(prefix="federation-review-") as scratch:
        stories_at(root, commit, folder, Path(scratch))
        then_settings = dataclasses.replace(settings, root=Path(scratch), stories_dir=Path(scratch) / folder)
        then = pipeline.check(then_settings, reserved=pipeline.hand_written_addresses(settings.docs_dir))
    renames, touched = _changed_files(root, commit, folder)
    changes = compare(then.stories, now.stories, renames, touched)
    for change in changes:
        change.authors = _authors(root, commit, change)
    pictures = sorted(path for path in touched if Path(path).suffix.lower() in PICTURE_SUFFIXES)
    notes = [note for path in pictures for note in picture_notes(root / path, path)]
    changed_paths = touched | {c.story.path for c in changes}
    own = sorted((p for p in now.problems if p.path in changed_paths), key=lambda p: (not p.is_error, p.path, p.line))
    return Review(target, changes, pictures, notes, own, len(now.problems) - len(own))


def text(result: Review) -> str:
    """The review as Markdown, in Chinese: what a reviewer reads in the merge request."""
    template = environment().get_template("review.md")
    return template.render(review=result).strip() + "\n"


def compare(
    then: Sequence[Story], now: Sequence[Story], renames: dict[str, str], touched: Iterable[str] = ()
) -> list[Change]:
    """Story by story: matched by file (following renames), else by address."""
    by_path = {s.path: s for s in now}
    by_url = {s.url: s for s in now}
    touched_paths = set(touched)
    matched: set[int] = set()
    changes: list[Change] = []
    for old in then:
        new = by_path.get(renames.get(old.path, old.path)) or by_url.get(old.url)
        if new is None:
            changes.append(_removed(old, now))
            continue
        matched.add(id(new))
        if old.path in touched_paths or new.path in touched_paths or old.path != new.path:
            change = _changed(old, new)
            if change.details or change.alarms:
                changes.append(change)
    changes = _pair_moves(changes, [s for s in now if id(s) not in matched])
    order = {"removed": 0, "changed": 1, "added": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.story.url))


def _pair_moves(changes: list[Change], unmatched: list[Story]) -> list[Change]:
    """A removed and an added story of one section with the same title or text are one story moved."""
    removed = {id(c.old): c for c in changes if c.kind == "removed"}
    kept = [c for c in changes if c.kind != "removed"]
    for new in unmatched:
        old_change = next(
            (
                c
                for c in removed.values()
                if c.old is not None
                and c.old.section.key == new.section.key
                and (c.old.title == new.title or difflib.SequenceMatcher(None, c.old.body, new.body).ratio() > 0.8)
            ),
            None,
        )
        if old_change is None or old_change.old is None:
            kept.append(_added(new))
        else:
            del removed[id(old_change.old)]
            kept.append(_changed(old_change.old, new))
    return kept + list(removed.values())


def _added(story: Story) -> Change:
    change = Change("added", None, story)
    if story.draft:
        change.details.append("草稿，合并后不会发布")
    return change


def _removed(old: Story, now: Sequence[Story]) -> Change:
    change = Change("removed", old, None)
    keeper = next((s for s in now if old.url in s.aliases), None)
    if keeper is not None:
        change.details.append(f"旧地址由 {keeper.url}（{keeper.title}）的 aliases 接管")
    elif not old.draft:
        change.alarms.append(
            f"已发布的文章被删除：分享出去的链接 {old.url} 将打不开；"
            "应保留文件并设 status: withdrawn（或 outdated 加 superseded_by），而不是删除"
        )
    return change


def _changed(old: Story, new: Story) -> Change:
    change = Change("changed", old, new)
    if old.path != new.path:
        change.details.append(f"文件改名：{old.path} → {new.path}")
    if old.url != new.url:
        if old.url in new.aliases:
            change.details.append(f"地址改为 {new.url}（旧地址 {old.url} 已写入 aliases，会跳转）")
        elif not old.draft:
            change.alarms.append(f"地址从 {old.url} 改为 {new.url}，旧地址没有写入 aliases：已分享的链接将打不开")
    for key in _WATCHED:
        before, after = _shown(getattr(old, key)), _shown(getattr(new, key))
        watched = new.section.field(key)
        if before != after and watched is not None:
            change.details.append(f"{watched.label}：{before or '（无）'} → {after or '（无）'}")
    before_status, after_status = _shown(old.status), _shown(new.status)
    if before_status != after_status:
        change.alarms.append(f"状态：{before_status or '现行'} → {after_status or '现行'}")
    for key in sorted(set(old.fields) | set(new.fields)):
        before, after = _shown(old.fields.get(key)), _shown(new.fields.get(key))
        if before == after:
            continue
        spec = new.section.field(key)
        line = f"{spec.label if spec else key}：{before or '（无）'} → {after or '（无）'}"
        (change.alarms if spec is not None and spec.alarm else change.details).append(line)
    if old.body != new.body:
        diff = list(difflib.unified_diff(old.body.splitlines(), new.body.splitlines(), lineterm="", n=0))
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        change.details.append(f"正文：增加 {added} 行，删除 {removed} 行")
    if old.image != new.image and (old.image is None or new.image is None or old.image.ref != new.image.ref):
        change.details.append(
            f"题图：{old.image.ref if old.image else '（无）'} → {new.image.ref if new.image else '（无）'}"
        )
    return change


def _shown(value: object) -> str:
    """A front-matter value as a reviewer reads it."""
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    if isinstance(value, tuple | list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, Source):
        return f"{value.title}（{value.url}）"
    if isinstance(value, Honour):
        return value.term.label + (f"（{value.year}年）" if value.year else "")
    if isinstance(value, Correction):
        return f"{value.date.isoformat()} {value.kind.label}：{value.note}"
    if isinstance(value, Signoff):
        return f"{value.level} {value.name}"
    return str(value)


def _authors(root: Path, commit: str, change: Change) -> list[str]:
    paths = sorted({s.path for s in (change.old, change.new) if s is not None})
    names = _git(root, "log", "--format=%an", f"{commit}..HEAD", "--", *paths).split("\n")
    found = list(dict.fromkeys(name for name in names if name))
    status = _git(root, "status", "--porcelain", "--", *paths)
    if status.strip():
        found.append("（尚未提交的修改）")
    return found


def picture_notes(file: Path, shown: str) -> list[str]:
    """What a picture in the repository gives away: GPS position, the camera owner's name (editorial.py reads it)."""
    if not file.is_file():
        return []
    try:
        with Image.open(file):
            pass
    except (OSError, ValueError, Image.DecompressionBombError):
        return [f"{shown}：无法读取这张图片"]
    kinds = editorial.personal_metadata(file)
    notes = []
    if any("GPS" in kind for kind in kinds):
        notes.append(
            f"{shown}：原图带有 GPS 位置信息。网站上的图片已去除位置，但仓库里保存的是原图；"
            "涉及住址等隐私时，请换成去除位置信息的图片再提交"
        )
    owners = [kind for kind in kinds if "GPS" not in kind]
    if owners:
        notes.append(f"{shown}：原图带有{'、'.join(owners)}信息（网站上的图片已去除）")
    return notes
