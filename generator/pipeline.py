"""The pipeline: discover → parse → check → render. `check` and the build share this path."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import errno
import os
import pickle
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from generator.content import checks, frontmatter
from generator.content.body import BodyRenderer
from generator.content.frontmatter import ParsedFile
from generator.content.problems import Problem, error, warning
from generator.content.wording import problems as wording_problems
from generator.core import addresses, gitrepo, workers
from generator.core.outputs import Asset, Page, Site, StoryJob
from generator.core.sections import SECTIONS, section
from generator.core.settings import Settings
from generator.core.story import Story
from generator.publish import compress, hosts, themejs
from generator.publish.validity import invalid_outputs
from generator.render import (
    browse,
    corrections,
    feeds,
    manifest,
    photos,
    previewpages,
    roundups,
    search,
    share,
    shareimage,
    speech,
    stored,
    storyimage,
    todo,
    wechat,
)
from generator.render.pages import Cards, PageMemo, make_story_page, problems_page, render

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
    """What survives between rebuilds under `serve` (the plugin owns one): checked files by
    stat, the Markdown renderer, story pages, listing cards, QR codes, drawn images. The one
    place a build's results are kept: no module keeps any of its own (tests/test_layers.py)."""

    checked: dict[Path, CheckedFile] = field(default_factory=dict)
    renderer: BodyRenderer = field(default_factory=BodyRenderer)
    pages: PageMemo = field(default_factory=PageMemo)
    cards: Cards = field(default_factory=Cards)
    qr_codes: share.QrCodes = field(default_factory=share.QrCodes)
    story_images: storyimage.Drawn = field(default_factory=storyimage.Drawn)
    share_images: shareimage.Drawn = field(default_factory=shareimage.Drawn)
    # A full build's story pages kept between builds (render/stored.py): each story's key,
    # by the story's id, worked out before the writers fork.
    page_keys: dict[int, str] = field(default_factory=dict)
    # Each story's first commit (the district report), with the commit it was read at: a
    # preview's rebuild reads the history again only after a commit.
    first_added: tuple[tuple[str, Path], dict[str, date]] = field(default_factory=lambda: (("", Path()), {}))

    def sent(self, settings: Settings) -> dict[str, date]:
        """When each story file was first committed (core/gitrepo.first_added), read once per commit."""
        if not settings.report_by_commit:
            return {}
        commit = gitrepo.head(settings)
        if not commit:
            return {}
        key = (commit, settings.stories_dir)
        if self.first_added[0] != key:
            self.first_added = (key, gitrepo.first_added(settings))
        return self.first_added[1]

    def story_page(self, job: StoryJob, settings: Settings) -> Page:
        """The page of a story job, with this cache's renderer and QR codes (a worker's own
        copies); in a full build, the page kept from an earlier build of the same inputs."""
        name = self.page_keys.get(id(job[0]))
        if name is not None:
            kept = stored.get(settings, name)
            if isinstance(kept, Page):
                return kept
        page = make_story_page(job, settings, self.renderer, self.qr_codes)
        if name is not None:
            stored.put(settings, name, page)
        return page


@dataclass(frozen=True)
class CheckedFile:
    """One file's check result, with what it depended on: the file and its pictures, unchanged."""

    stamps: tuple[tuple[Path, int, int], ...]
    settings: Settings | None  # None until the result is kept; results travel between processes
    story: Story | None
    problems: tuple[Problem, ...]
    # Between processes (the table of checked stories, render/stored.py): the name the result
    # is kept under, a digest of the file, its place, the settings and the code; and a digest
    # of each picture it read.
    key: str = ""
    pictures: tuple[tuple[Path, str], ...] = ()

    def still_valid(self, settings: Settings) -> bool:
        """Whether nothing this result was made from has changed."""
        return self.settings == settings and all(_stamp(path) == (path, *rest) for path, *rest in self.stamps)

    def pictures_unchanged(self) -> bool:
        """Whether every picture this result read still holds the same bytes."""
        return all(stored.file_digest(path) == digest for path, digest in self.pictures)


CHECKED_TABLE = "checked"


def _checked_key(story_file: StoryFile, settings: Settings) -> str:
    """The name a check result of this file as it is now is kept under ("" when it cannot be read)."""
    try:
        data = story_file.file.read_bytes()
    except OSError:
        return ""
    plain = dataclasses.replace(settings, cache_dir=None)  # where the caches are kept changes no result
    return stored.digest("checked", story_file, data, plain)


def _stamp(path: Path) -> tuple[Path, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (path, -1, -1)
    return (path, stat.st_mtime_ns, stat.st_size)


def discover(settings: Settings) -> tuple[list[StoryFile], list[Problem]]:
    """Every Markdown file under `stories/`, with its section; stray files are reported."""
    root = settings.stories_dir
    if not root.is_dir():
        return [], [
            error(
                "file.stories-missing",
                settings.display(root),
                0,
                "找不到 stories 文件夹；请检查 --stories 参数或 mkdocs.yml 中的 stories_dir。",
            )
        ]
    files: list[StoryFile] = []
    problems: list[Problem] = []
    keys = [s.key for s in SECTIONS]
    inside = root.resolve()
    for directory, subdirs, names in os.walk(root):
        # Hidden folders (.git …) are not content; every other .md must be a story.
        here = Path(directory)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in [d for d in subdirs if (here / d).is_symlink()]:
            subdirs.remove(name)  # never followed: it could lead out of stories/, or round in a loop
            problems.append(
                error("file.not-regular", settings.display(here / name), 0, f"「{name}」{_NOT_A_FILE['folder']}")
            )
        parts = here.relative_to(root).parts
        for name in sorted(names):
            if name.startswith(".") or (not parts and name.lower() == "readme.md"):
                continue
            file = here / name
            shown = settings.display(file)
            kind = _special_kind(file, inside)
            if kind:
                problems.append(error("file.not-regular", shown, 0, f"「{name}」{_NOT_A_FILE[kind]}"))
                continue
            suffix = file.suffix.lower()
            if suffix in _STRAY_SUFFIXES:
                problems.append(
                    warning(
                        "file.not-markdown",
                        shown,
                        1,
                        f"「{name}」不是 .md 文件，不会发布；如果是文章，请另存为 .md（Markdown）文件。",
                    )
                )
            if suffix != ".md":
                continue
            if not parts or parts[0] == IMAGES_FOLDER:
                problems.append(
                    error(
                        "file.outside-sections",
                        shown,
                        1,
                        f"文章必须放在栏目文件夹中：{'、'.join(f'stories/{k}/' for k in keys)}。",
                    )
                )
            elif section(parts[0]) is None:
                close = difflib.get_close_matches(parts[0], keys, n=1, cutoff=0.5)
                hint = f"你是不是想放在 stories/{close[0]}/？" if close else ""
                problems.append(
                    error(
                        "file.section-unknown",
                        shown,
                        1,
                        f"不认识的栏目文件夹「{parts[0]}」；{hint}可用的栏目：{'、'.join(keys)}。",
                    )
                )
            else:
                files.append(StoryFile(file, shown, parts[0]))
    return files, problems


_PLAIN = "文章和图片必须是 stories 文件夹里的普通文件"
_NOT_A_FILE = {
    "folder": "是指向文件夹的符号链接（快捷方式），不会读取：stories 里的子文件夹必须是普通文件夹；请把文件夹本身放在这里，再删除这个链接。",
    "outside": f"是指向 stories 文件夹之外的符号链接（快捷方式），不会读取：{_PLAIN}；请把文件本身复制到这里，再删除这个链接。",
    "dangling": f"是符号链接（快捷方式），但它指向的文件不存在，不会读取：{_PLAIN}；请删除这个链接，放入文件本身。",
    "loop": f"是循环的符号链接（快捷方式，最终指向自己），不会读取：{_PLAIN}；请删除这个链接，放入文件本身。",
    "link": f"是符号链接（快捷方式），不会读取：{_PLAIN}；请把文件本身放在这里，再删除这个链接。",
    "fifo": f"是命名管道，不是文件，不会读取：{_PLAIN}；请删除它。",
    "device": f"是设备文件，不是普通文件，不会读取：{_PLAIN}；请删除它。",
    "socket": f"是套接字，不是普通文件，不会读取：{_PLAIN}；请删除它。",
    "other": f"不是普通文件，不会读取：{_PLAIN}；请删除它。",
}


def _special_kind(file: Path, stories_dir: Path) -> str:
    """What `file` is when it is not a regular file (a key of `_NOT_A_FILE`), else ""; never opens it."""
    try:
        mode = os.lstat(file).st_mode
    except OSError:
        return "other"
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISLNK(mode):
        try:
            target = file.resolve(strict=True)
        except RuntimeError:  # Python before 3.13 says a loop this way
            return "loop"
        except OSError as exc:
            return "loop" if exc.errno == errno.ELOOP else "dangling"
        if target.is_dir():
            return "folder"
        return "link" if target.is_relative_to(stories_dir) else "outside"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


def parse(story_file: StoryFile) -> ParsedFile:
    """Read one file into front matter and body; only a regular file is read, and it cannot block."""
    refused = ParsedFile(
        story_file.path,
        None,
        "",
        1,
        [error("file.not-regular", story_file.path, 0, f"「{story_file.file.name}」{_NOT_A_FILE['other']}")],
    )
    try:
        # O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a named pipe since
        # `discover` saw it is refused at once, instead of read, or waited on forever.
        fd = os.open(story_file.file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return refused
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return refused
        return frontmatter.parse(story_file.path, handle.read())


def check_one(story_file: StoryFile, settings: Settings) -> CheckedFile:
    """Parse and check one file, noting the stamps of everything the result depends on."""
    stamp = _stamp(story_file.file)
    owner = section(story_file.section_key)
    assert owner is not None  # discover() only yields files in a section's folder
    story, problems = checks.check_file(parse(story_file), story_file.file, owner, settings)
    pictures = [] if story is None else [p.source for p in ((story.image,) if story.image else ()) + story.pictures]
    digests = tuple((p, stored.file_digest(p)) for p in pictures)
    return CheckedFile((stamp, *(_stamp(p) for p in pictures)), None, story, tuple(problems), pictures=digests)


def check(settings: Settings, cache: Cache | None = None, reserved: Iterable[str] = ()) -> Outcome:
    """Discover, parse and check every story; all problems of the run are collected."""
    cache = cache or Cache()
    files, problems = discover(settings)
    outcome = Outcome(problems=problems)
    results: dict[Path, CheckedFile] = {}
    for story_file in files:
        cached = cache.checked.get(story_file.file)
        if cached is not None and cached.still_valid(settings):
            results[story_file.file] = cached
    todo = [f for f in files if f.file not in results]
    # Then the results an earlier process kept, for files whose bytes and pictures are as they were.
    # A preview's own table (its settings differ), so that `serve` and `build` do not evict each other.
    table_name = CHECKED_TABLE + ("-preview" if settings.include_drafts else "")
    kept = stored.table(settings, table_name) if todo else {}
    missing: list[tuple[StoryFile, str]] = []
    for story_file in todo:
        name = _checked_key(story_file, settings)
        entry = kept.get(name) if name else None
        if isinstance(entry, CheckedFile) and entry.key == name and entry.pictures_unchanged():
            pictures = [path for path, _ in entry.pictures]
            stamps = (_stamp(story_file.file), *(_stamp(p) for p in pictures))
            results[story_file.file] = result = dataclasses.replace(entry, stamps=stamps)
            cache.checked[story_file.file] = dataclasses.replace(result, settings=settings)
        else:
            missing.append((story_file, name))
    made = workers.map_all(partial(check_one, settings=settings), [f for f, _ in missing])
    for (story_file, name), result in zip(missing, made, strict=True):
        # Through pickle once, as a worker's result or one from the table is: a story's pickle
        # names the pages kept for it (render/stored.py), and a story just made can pickle
        # otherwise (objects it shares), so its pages would be made again by the next build.
        result = pickle.loads(pickle.dumps(result, protocol=5))
        results[story_file.file] = result = dataclasses.replace(result, key=name)
        # A result with an error may depend on a file that does not exist yet: check it again.
        if not any(p.is_error for p in result.problems):
            cache.checked[story_file.file] = dataclasses.replace(result, settings=settings)
    for story_file in files:
        result = results[story_file.file]
        outcome.problems.extend(result.problems)
        if result.story is not None:
            outcome.stories.append(result.story)
    outcome.problems.extend(checks.check_site(outcome.stories, settings, reserved))
    outcome.problems.extend(wording_problems())  # the synonyms table editors extend
    # The table holds what this check used, and nothing else; kept only by a check that passed,
    # so that a refused run writes nothing anywhere (the next run checks the files again).
    if todo and outcome.ok:
        table = {r.key: dataclasses.replace(r, settings=None) for r in results.values() if r.key}
        if table.keys() != kept.keys():
            with contextlib.suppress(OSError):  # a cache that cannot be written costs time, not the check
                stored.keep_table(settings, table_name, table)
    return outcome


def build(
    settings: Settings,
    cache: Cache | None = None,
    reserved: Iterable[str] = (),
    preview: bool = False,
    defer: bool = False,
    taken: Iterable[tuple[str, addresses.Source]] = (),
) -> tuple[Outcome, Site | None]:
    """Check, then render when there is no error; a site is never made from a partial set.

    A `preview` (under `serve`) renders the good stories anyway and adds a page listing the
    problems, so an editor sees them in the browser instead of a preview that hangs. With
    `defer`, story pages are left for the writer to make (`Site.stories`). `taken`: files
    others write into the site (site_src/), which no output may land on.
    """
    cache = cache or Cache()
    outcome = check(settings, cache, reserved)
    outcome.problems.extend(shareimage.problems(settings))
    if not outcome.ok and not preview:
        return outcome, None
    stories = outcome.published(settings.include_drafts)
    site, problems = photos.render(stories, settings)
    outcome.problems.extend(problems)
    if problems and not preview:
        return outcome, None
    site.extend(storyimage.render(stories, settings, cache.story_images))  # each story's card and poster, on every core
    listen, notes = speech.render(stories, settings)  # each story read aloud, on every core (cached)
    site.extend(listen)
    outcome.problems.extend(notes)
    if not defer:
        cache.qr_codes.make(stories, settings)  # on every core, before the story pages take them
    site.extend(render(stories, settings, cache.renderer, cache.pages, defer, cache.qr_codes, cache.cards))
    copy_keys: dict[int, str] = {}
    if not preview:  # a full build keeps its story pages for the next (render/stored.py)
        by_url = {s.url: s for s in stories}
        cache.page_keys = {}
        for story in stories:
            successor = by_url.get(story.superseded_by) if story.superseded_by else None
            cache.page_keys[id(story)] = stored.key("page", story, successor, settings)
            copy_keys[id(story)] = stored.key("wechat", story, None, settings)
        site.cache_used[stored.KIND] = [
            stored.path(settings, n) for n in (*cache.page_keys.values(), *copy_keys.values())
        ]
    if preview and not outcome.ok:
        site.pages.append(problems_page(outcome.problems))
        files, _ = discover(settings)
        site.pages.extend(previewpages.broken_story_pages(outcome.problems, stories, files, parse))
    if preview:  # the 待办 page: git says which files are this editor's own
        site.pages.append(todo.todo_page(stories, outcome.problems, settings, gitrepo.own_files(settings)))
    if defer:
        # The search index and share images are files only: a background process makes them.
        site.pages.append(search.search_page())
        site.later += [
            partial(search.index, stories, settings),
            partial(shareimage.render, settings, cache.share_images),
        ]
        site.later.append(partial(wechat.copy_pages, stories, settings, copy_keys))
    else:
        site.extend(shareimage.render(settings, cache.share_images))
        site.extend(wechat.copy_pages(stories, settings, copy_keys))
        site.extend(search.render(stories, settings))
    site.extend(browse.render(stories, settings, cache.cards, cache.sent(settings)))  # the report by first commit
    site.extend(feeds.render(stories, settings))
    site.extend(corrections.render(stories, settings))
    site.extend(roundups.render(stories, settings))
    site.assets.append(Asset(addresses.PUBLISHED_FILE, manifest.manifest(stories)))
    # Each further output (browsing pages, search index, feeds, share images …) adds one line here.
    clashes = output_problems(site, taken)
    outcome.problems.extend(clashes)
    if clashes and not preview:
        return outcome, None
    return outcome, site


def output_problems(site: Site, taken: Iterable[tuple[str, addresses.Source]] = ()) -> list[Problem]:
    """Errors for outputs that would leave the site folder or land on one file, naming both sources.

    `taken`: files written by others (MkDocs: site_src/ and the theme), by path under the site."""
    outputs = addresses.Outputs()
    for relative, source in taken:
        outputs.add(relative, source)
    generated = "生成器"
    for story, _ in site.stories:
        outputs.add(_page_file(story.url), addresses.Source(story.path))
    for page in site.pages:
        source = addresses.Source(page.edit_path or generated, f"（{page.url}）")
        outputs.add(_page_file(page.url), source)
        try:
            addresses.check_relative(page.src_uri)  # MkDocs makes the file's path from it
        except ValueError:
            outputs.outside.append((page.src_uri, source))
    for asset in site.assets:
        outputs.add(
            asset.src_uri, addresses.Source(asset.origin or generated, "" if asset.origin else f"（{asset.src_uri}）")
        )
    problems = [
        error(
            "output.outside-site",
            source.path,
            0,
            f"输出文件「{relative}」会写到网站文件夹之外或隐藏文件中；来源：{source}。请修改这个地址或文件名。",
        )
        for relative, source in outputs.outside
    ]
    problems += [
        error(
            "output.clash",
            second.path,
            0,
            f"{second} 和 {first} 会写到网站的同一个文件「{relative}」，后写的会覆盖先写的；请修改其中一处的地址或文件名。",
        )
        for relative, first, second in outputs.clashes
    ]
    return problems


def _page_file(url: str) -> str:
    try:
        return addresses.output_file(url)
    except ValueError:
        return url  # reported as outside the site by Outputs.add


def after_build(site_dir: Path, settings: Settings, files: Iterable[Path] | None = None) -> list[Problem]:
    """Steps on the written site (checks of what it loads, pre-compression); errors fail the build.

    `files`: the files still to check and compress (the page writer does its own as it
    writes them); all of the site when not given.
    """
    themejs.localise(site_dir, settings.site_url)
    problems = [
        error(
            "output.invalid-feed",
            f"{settings.display(site_dir)}/{bad.file}",
            bad.line,
            f"生成的文件格式无效（{bad.reason}），订阅源或网站地图会无法读取；这是生成器的缺陷，请把这条消息转给技术人员。",
        )
        for bad in invalid_outputs(site_dir)
    ]
    if settings.include_drafts:
        return problems  # a preview under `serve` is never deployed; every build checks the same pages
    chosen = None if files is None else list(files)
    loads = hosts.foreign_loads(site_dir, hosts.own_host(settings.site_url), chosen)
    problems.extend(foreign_load_problems(loads, site_dir, settings))
    compress.write(site_dir, settings, chosen)
    return problems


def foreign_load_problems(loads: Iterable[hosts.ForeignLoad], site_dir: Path, settings: Settings) -> list[Problem]:
    """The build's errors for resources a written file would load from another host."""
    return [
        error(
            "output.foreign-load",
            f"{settings.display(site_dir)}/{load.file}",
            load.line,
            f"页面会从其他网站加载资源（{load.what}：{load.url}）。外部网站在中国大陆可能被屏蔽或很慢，"
            "会让页面打不开；请把文件下载后放进网站自己的文件夹再引用。",
        )
        for load in loads
    ]


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
