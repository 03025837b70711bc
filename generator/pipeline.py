"""The pipeline: discover → parse → check → render. `check` and the build share this path."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator import checks, frontmatter, hosts, photos
from generator.body import BodyRenderer
from generator.frontmatter import ParsedFile
from generator.pages import Site, render
from generator.problems import Problem, error, warning
from generator.sections import SECTIONS, section
from generator.settings import Settings
from generator.story import Story

IMAGES_FOLDER = "images"
_STRAY_SUFFIXES = {".markdown", ".txt", ".docx", ".doc", ".wps", ".rtf", ".mdown"}


@dataclass(frozen=True)
class StoryFile:
    """A story file found under `stories/`: where it is and which section's folder holds it."""

    file: Path
    path: str
    section_key: str


@dataclass
class Outcome:
    """What the check stage found: the stories that may be published, and every problem."""

    stories: list[Story] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the site may be built: no errors (warnings allowed)."""
        return not any(p.is_error for p in self.problems)

    def published(self, include_drafts: bool) -> list[Story]:
        """The stories that go on the site; drafts only in a preview."""
        return [s for s in self.stories if include_drafts or not s.draft]


@dataclass
class Cache:
    """What survives between rebuilds under `serve`: parsed files by stat, rendered bodies."""

    parsed: dict[Path, tuple[tuple[int, int], ParsedFile]] = field(default_factory=dict)
    renderer: BodyRenderer = field(default_factory=BodyRenderer)


def discover(settings: Settings) -> tuple[list[StoryFile], list[Problem]]:
    """Every Markdown file under `stories/`, with its section; stray files are reported."""
    root = settings.stories_dir
    if not root.is_dir():
        return [], [
            error(
                settings.display(root),
                0,
                "找不到 stories 文件夹；请检查 --stories 参数或 mkdocs.yml 中的 stories_dir。",
            )
        ]
    files: list[StoryFile] = []
    problems: list[Problem] = []
    keys = [s.key for s in SECTIONS]
    for directory, subdirs, names in os.walk(root):
        # Hidden folders (.git …) are not content; every other .md must be a story.
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        here = Path(directory)
        parts = here.relative_to(root).parts
        for name in sorted(names):
            if name.startswith(".") or (not parts and name.lower() == "readme.md"):
                continue
            file = here / name
            shown = settings.display(file)
            suffix = file.suffix.lower()
            if suffix in _STRAY_SUFFIXES:
                problems.append(
                    warning(shown, 1, f"「{name}」不是 .md 文件，不会发布；如果是文章，请另存为 .md（Markdown）文件。")
                )
            if suffix != ".md":
                continue
            if not parts or parts[0] == IMAGES_FOLDER:
                problems.append(
                    error(shown, 1, f"文章必须放在栏目文件夹中：{'、'.join(f'stories/{k}/' for k in keys)}。")
                )
            elif section(parts[0]) is None:
                close = difflib.get_close_matches(parts[0], keys, n=1, cutoff=0.5)
                hint = f"你是不是想放在 stories/{close[0]}/？" if close else ""
                problems.append(
                    error(shown, 1, f"不认识的栏目文件夹「{parts[0]}」；{hint}可用的栏目：{'、'.join(keys)}。")
                )
            else:
                files.append(StoryFile(file, shown, parts[0]))
    return files, problems


def parse(story_file: StoryFile, cache: Cache) -> ParsedFile:
    """Read one file, reusing the last parse while the file is unchanged."""
    stat = story_file.file.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = cache.parsed.get(story_file.file)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    parsed = frontmatter.parse(story_file.path, story_file.file.read_bytes())
    cache.parsed[story_file.file] = (stamp, parsed)
    return parsed


def check(settings: Settings, cache: Cache | None = None, reserved: Iterable[str] = ()) -> Outcome:
    """Discover, parse and check every story; all problems of the run are collected."""
    cache = cache or Cache()
    files, problems = discover(settings)
    outcome = Outcome(problems=problems)
    for story_file in files:
        parsed = parse(story_file, cache)
        owner = section(story_file.section_key)
        assert owner is not None  # discover() only yields files in a section's folder
        story, found = checks.check_file(parsed, story_file.file, owner, settings)
        outcome.problems.extend(found)
        if story is not None:
            outcome.stories.append(story)
    outcome.problems.extend(checks.check_site(outcome.stories, settings, reserved))
    return outcome


def build(settings: Settings, cache: Cache | None = None, reserved: Iterable[str] = ()) -> tuple[Outcome, Site | None]:
    """Check, then render when there is no error; a site is never made from a partial set."""
    cache = cache or Cache()
    outcome = check(settings, cache, reserved)
    if not outcome.ok:
        return outcome, None
    stories = outcome.published(settings.include_drafts)
    site, problems = photos.render(stories, settings)
    if problems:
        outcome.problems.extend(problems)
        return outcome, None
    site.extend(render(stories, settings, cache.renderer))
    # Each further output (browsing pages, search index, feeds, share images …) adds one line here.
    return outcome, site


def after_build(site_dir: Path, settings: Settings) -> list[Problem]:
    """Steps on the written site (checks of what it loads, pre-compression); errors fail the build."""
    problems: list[Problem] = []
    for load in hosts.foreign_loads(site_dir, hosts.own_host(settings.site_url)):
        problems.append(
            error(
                f"{settings.display(site_dir)}/{load.file}",
                load.line,
                f"页面会从其他网站加载资源（{load.what}：{load.url}）。外部网站在中国大陆可能被屏蔽或很慢，"
                "会让页面打不开；请把文件下载后放进网站自己的文件夹再引用。",
            )
        )
    return problems


def hand_written_addresses(docs_dir: Path, skip_folders: Iterable[str] = ("overrides",)) -> list[str]:
    """Addresses of the hand-written pages in `site_src/`, which no story may take."""
    addresses = []
    skipped = set(skip_folders)
    for file in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        parts = file.relative_to(docs_dir).parts
        if parts[0] in skipped or any(p.startswith((".", "_")) for p in parts):
            continue
        stem = file.stem.lower()
        folder = "/".join(parts[:-1])
        if stem in ("index", "readme"):
            addresses.append(f"/{folder}/" if folder else "/")
        else:
            addresses.append(f"/{folder + '/' if folder else ''}{file.stem}/")
    return addresses
