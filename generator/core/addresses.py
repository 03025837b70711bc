"""Site addresses and the files they become: the one place that decides every output path.

An editor's address (an alias, `superseded_by`) is normalised here once (NFKC, percent
decoding until nothing changes) and refused unless every segment is a plain name, so no
spelling of `..`, of an absolute path, of a backslash or of a query can reach a file
name. Every file a build writes is confined to its site folder by `confine`; the
namespace the generated pages own is declared in `generated_owner`, which checks read so
that an alias never takes a generated page's address. Every page and file the build makes
has its address made here (below "The site's own addresses"); templates reach them as
filters and globals of the template environment (render/templating.py).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from generator.core import slugs
from generator.core.sections import FACETS, RESERVED_SLUGS, SECTIONS
from generator.core.vocab import Term

# A segment of an editor's address: ASCII letters, digits, `-`, `_`, `~` and inner dots;
# never starting with a dot, so no `.`, no `..` and no hidden file (`.git`, `.env`).
_SEGMENT = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*\Z")
_PAGE_FILE = re.compile(r"\.html?\Z", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# A file name segment the build writes: no separator, no control character, no NUL.
_UNSAFE_FILE_CHARACTER = re.compile(r"[\x00-\x1f\x7f/\\]")
_PICTURE_CHARACTER = re.compile(r"[^\w.-]")
MAX_ADDRESS_LENGTH = 200
_MAX_DECODING = 8

# Top-level names the generated site owns (pages, feeds, files of the theme), with what
# owns them, as the message says it.
_GENERATED_FOLDERS = {
    "assets": "网站主题的文件（assets）",
    "search": "搜索页面",
    "share": "分享图片",
    "tags": "标签页面",
    "districts": "区县页面",
    "honours": "荣誉页面",
    "audiences": "适用人群页面",
    "archive": "按月浏览页面",
    "check": "检查结果页面",
    "todo": "待办页面（本地预览）",
    "roundups": "周报和月报页面",
    "admin": "网页编辑器",
    "corrections": "更正与更新页面",
}
_GENERATED_FILES = {
    "index.html": "首页",
    "404.html": "404 错误页面",
    "feed.xml": "订阅源",
    "feed.json": "订阅源",
    "robots.txt": "robots.txt",
    "sitemap.xml": "网站地图 sitemap",
    "published.json": "已发布地址清单",
}
# Every address the site's stories answer at, written by each build (generator/published.py).
PUBLISHED_FILE = "published.json"
# Hand-written pages the generated ones link to (their files are under site_src/).
ASK_URL = "/about/ask/"  # 线索与求证, site_src/about/ask.md: 我要求证 on every rumour page
FEEDS_HELP_URL = "/about/feeds/"  # 订阅说明, site_src/about/feeds.md: linked from every Atom feed
CORRECTIONS_POLICY_URL = "/about/corrections/"  # 更正政策, site_src/about/corrections.md
# 更正与更新: every correction of every story, newest first, and its feed (render/corrections.py).
CORRECTIONS_URL = "/corrections/"
# A story's read-aloud audio, beside its page (generator/speech.py).
LISTEN_FILE = "listen.mp3"
_SITEMAP_PART = re.compile(r"^sitemap(?:-[0-9]+)?\.xml(?:\.gz)?\Z", re.IGNORECASE)


class AddressError(ValueError):
    """An editor's address that cannot be one of the site's; the message says why, in Chinese."""


def normalise(text: str) -> str:
    """An editor's address as the site's own form, `/a/b/` or `/a/b.html`; AddressError if it is none."""
    value = unicodedata.normalize("NFKC", text).strip()
    for _ in range(_MAX_DECODING):
        # `%252e%252e` is `%2e%2e` once decoded and `..` twice: decode until nothing changes.
        try:
            decoded = unicodedata.normalize("NFKC", unquote(value, errors="strict"))
        except UnicodeDecodeError:
            raise AddressError("百分号编码（%）不是有效的 UTF-8") from None
        if decoded == value:
            break
        value = decoded
    else:
        raise AddressError("百分号编码的层数太多")
    if len(value) > MAX_ADDRESS_LENGTH:
        raise AddressError(f"超过 {MAX_ADDRESS_LENGTH} 个字符")
    if "\\" in value:
        raise AddressError("不能含反斜杠 \\，路径请用 /")
    if "?" in value or "#" in value:
        raise AddressError("不能带 ? 或 # 及其后面的参数")
    if value.startswith("//") or _SCHEME.match(value):
        raise AddressError("应是本站地址（以 / 开头的路径），不能是完整网址")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp") for c in value):
        raise AddressError("不能含空格或控制字符")
    inner = value.strip("/") if value not in ("", "/") else ""
    folder = value.endswith("/") or not _PAGE_FILE.search(value)
    segments = inner.split("/") if inner else []
    if any(s in ("", ".", "..") for s in segments):
        raise AddressError("不能含 .、.. 或空的路径段（//）")
    if any(not _SEGMENT.match(s) for s in segments):
        raise AddressError("每一段只能含英文字母、数字和连字符，不能以点开头")
    if segments and not folder and segments[-1].lower() in ("index.html", "index.htm"):
        segments, folder = segments[:-1], True  # /a/index.html is the page at /a/
    path = "/".join(segments)
    if not path:
        return "/"
    return f"/{path}/" if folder else f"/{path}"


def output_file(address: str) -> str:
    """The file under the site folder that serves a page's address (`/a/b/` → `a/b/index.html`)."""
    if address.endswith("/"):
        relative = address.strip("/") + "/index.html" if address.strip("/") else "index.html"
    else:
        relative = address.lstrip("/")
    check_relative(relative)
    return relative


def check_relative(relative: str) -> None:
    """Refuse a path under the site folder that could leave it or hide in it; ValueError says why."""
    if not relative or relative.startswith("/") or _UNSAFE_FILE_CHARACTER.search(relative.replace("/", "")):
        raise ValueError(f"output path {relative!r} is not a plain relative path")
    for segment in relative.split("/"):
        if segment in ("", ".", "..") or unicodedata.normalize("NFKC", segment).startswith("."):
            raise ValueError(f"output path {relative!r} has a bad segment {segment!r}")


def confine(site_dir: Path, relative: str) -> Path:
    """The file `relative` under `site_dir`, refused (ValueError) unless it stays inside."""
    check_relative(relative)
    return site_dir / relative


def file_name(name: str) -> str:
    """A picture's name on the site: NFKC, letters, digits, `.`, `-` and `_` only, no leading dot."""
    cleaned = _PICTURE_CHARACTER.sub("-", unicodedata.normalize("NFKC", name)).lstrip(".")
    stem, dot, suffix = cleaned.rpartition(".")
    return f"{stem or 'picture'}.{suffix}" if dot else cleaned or "picture"


def generated_owner(address: str) -> str | None:
    """What generated output owns a (normalised) address, in Chinese; None if no generated page does."""
    if address == "/":
        return "首页"
    parts = address.strip("/").split("/")
    first = parts[0].lower()
    if first in _GENERATED_FOLDERS:
        return _GENERATED_FOLDERS[first]
    facet = next((f for f in FACETS if f.folder == first), None)  # a facet the table adds later
    if facet is not None:
        return f"「{facet.heading}」页面"
    # A folder of the file's name (`/feed.xml/`) would clash with the file as much as the file.
    if len(parts) == 1:
        if first in _GENERATED_FILES:
            return _GENERATED_FILES[first]
        if _SITEMAP_PART.match(first):
            return "网站地图 sitemap"
    for section in SECTIONS:
        if first != section.key:
            continue
        if len(parts) == 1:
            return f"「{section.label}」栏目的列表页"
        second = parts[1].lower()
        if second in RESERVED_SLUGS or second.removesuffix(".xml").removesuffix(".json") == "feed":
            return f"「{section.label}」栏目的列表、筛选或订阅页面"
    return None


@dataclass(frozen=True)
class Source:
    """Where an output comes from: a file (a story, a page of site_src/, or the generator) and what of it."""

    path: str
    what: str = ""

    def __str__(self) -> str:
        return f"{self.path}{self.what}"


@dataclass
class Outputs:
    """Every file a build writes, by its path under the site folder, with the source it comes from."""

    files: dict[str, Source] = field(default_factory=dict)  # folded path → source
    folders: dict[str, Source] = field(default_factory=dict)  # folded folder path → first source inside
    clashes: list[tuple[str, Source, Source]] = field(default_factory=list)  # (path, first, second)
    outside: list[tuple[str, Source]] = field(default_factory=list)  # (path, source)

    def add(self, relative: str, source: Source) -> None:
        """Note one file; one at a path taken already (case-folded), or at a folder's path, or
        inside a file's, or leaving the site, is kept as a fault."""
        try:
            check_relative(relative)
        except ValueError:
            self.outside.append((relative, source))
            return
        # Case-folded: on a case-insensitive disk (a Mac, Windows) `A/` and `a/` are one folder.
        key = unicodedata.normalize("NFC", relative).casefold()
        segments = key.split("/")
        for depth in range(1, len(segments)):
            folder = "/".join(segments[:depth])
            if folder in self.files:
                self.clashes.append((relative, self.files[folder], source))
                return
            self.folders.setdefault(folder, source)
        if key in self.files:
            self.clashes.append((relative, self.files[key], source))
        elif key in self.folders:
            self.clashes.append((relative, self.folders[key], source))
        else:
            self.files[key] = source


def within(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or inside it (both resolved)."""
    return path == folder or path.is_relative_to(folder)


def site_dir_trouble(site_dir: Path, root: Path, stories_dir: Path, docs_dir: Path) -> str:
    """Why the site may not be built into `site_dir` (whose contents a build replaces), or ""."""
    site = site_dir.resolve()
    guarded = [
        (stories_dir.resolve(), "stories 文件夹（文章）", True),
        (docs_dir.resolve(), "site_src 文件夹（手写页面）", True),
        ((root / ".cache").resolve(), ".cache 文件夹（缓存）", True),
        ((root / ".git").resolve(), ".git 文件夹", True),
        ((root / "generator").resolve(), "generator 文件夹（程序）", True),
        (root.resolve(), "项目根目录", False),  # site/ inside the root is the default
    ]
    for folder, what, inside_too in guarded:
        if site == folder:
            return f"网站输出文件夹 {site_dir} 就是 {what}"
        if folder.is_relative_to(site):
            return f"网站输出文件夹 {site_dir} 包含 {what}"
        if inside_too and site.is_relative_to(folder):
            return f"网站输出文件夹 {site_dir} 在 {what}里面"
    return ""


# The site's own addresses: every page and file the build makes, by kind.

HOME_URL = "/"
PROBLEMS_URL = "/check/"
TODO_URL = "/todo/"  # the preview's 待办 page (render/todo.py)
SEARCH_URL = "/search/"
SEARCH_INDEX_FOLDER = "assets/search"
ARCHIVE_URL = "/archive/"
ROUNDUPS_URL = "/roundups/"
ATOM_NAME = "feed.xml"
SITEMAP_NAME = "sitemap.xml"
JSON_NAME = "feed.json"
COPY_PAGE = "wechat.html"


def page_source(url: str) -> str:
    """The source name MkDocs knows a generated page by (`/a/b/` → `a/b/index.md`)."""
    return url.strip("/") + "/index.md" if url.strip("/") else "index.md"


def section_address(key: str) -> str:
    """The address of a section's listing (`/rumours/`)."""
    return f"/{key}/"


def story_address(section_key: str, slug: str) -> str:
    """The address of a story: its section's folder and its short name."""
    return f"/{section_key}/{slug}/"


def listing_page_address(base: str, number: int) -> str:
    """The address of page `number` of the listing at `base` (`base`, `base/page/2/` …)."""
    return base if number == 1 else f"{base}page/{number}/"


def poster_listing_address(section_key: str) -> str:
    """The address of a section's 海报 listing."""
    return f"/{section_key}/posters/"


def filter_address(section_key: str, field: str, slug: str = "") -> str:
    """The index of a section filtered by a vocabulary field (`/rumours/verdict/`), or one value's listing."""
    return f"/{section_key}/{field}/{slug}/" if slug else f"/{section_key}/{field}/"


def facet_address(folder: str, slug: str = "") -> str:
    """The index of a browsing facet (`/tags/`), or the listing of one of its values."""
    return f"/{folder}/{slug}/" if slug else f"/{folder}/"


@cache
def text_slug(text: str) -> str:
    """The address part of a free-text value: its pinyin, so equal-sounding values share a page."""
    slug = slugs.from_title(text)
    if slug == "story" and text.strip().lower() != "story":  # from_title's answer when nothing is left
        slug = "t-" + hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()
    return slug


def tag_address(tag: str) -> str:
    """The address of a tag's page; story pages link their tags with it."""
    return facet_address("tags", text_slug(tag))


def audience_address(audience: str) -> str:
    """The address of an audience's page (老年人 …); knowledge pages link their audiences with it."""
    return facet_address("audiences", text_slug(audience))


def honour_address(term: Term) -> str:
    """The address of an honour's page; exemplar pages link their honours with it."""
    return facet_address("honours", term.slug)


def district_address(term: Term) -> str:
    """The address of a district's page (区县动态); story pages link their district with it."""
    return facet_address("districts", term.slug)


def month_address(year: int, month: int) -> str:
    """The address of a month's listing (按月浏览)."""
    return f"{ARCHIVE_URL}{year}/{month:02d}/"


def roundups_address(scope_key: str = "") -> str:
    """The address of the roundups of a section (or of the whole site, `scope_key="site"`), or of all."""
    return f"{ROUNDUPS_URL}{scope_key}/" if scope_key else ROUNDUPS_URL


def roundup_address(scope_key: str, kind: str, period_slug: str) -> str:
    """The address of one roundup (`/roundups/rumours/week/2020-w06/`)."""
    return f"{roundups_address(scope_key)}{kind}/{period_slug}/"


def atom_feed_address(folder_url: str) -> str:
    """The Atom feed of the listing at `folder_url` (`/` for the whole site)."""
    return folder_url + ATOM_NAME


def json_feed_address(folder_url: str) -> str:
    """The JSON feed of the listing at `folder_url`."""
    return folder_url + JSON_NAME


def card_address(section_key: str, slug: str) -> str:
    """The site path of a story's own link card (storyimage.py draws it)."""
    return f"share/cards/{section_key}/{slug}.jpg"


def poster_address(section_key: str, slug: str) -> str:
    """The site path of a story's poster (storyimage.py draws it)."""
    return f"share/posters/{section_key}/{slug}.jpg"


def roundup_poster_address(scope_key: str, kind: str, period_slug: str) -> str:
    """The site path of a roundup's poster (roundupposter.py draws it)."""
    return f"share/roundups/{scope_key}/{kind}/{period_slug}.jpg"


def image_address(key: str) -> str:
    """The site path of the share image of a section (or of the site, `key="site"`)."""
    return f"share/{key}.png"


def copy_address(story_url: str) -> str:
    """The address of a story's 复制到公众号 page, beside the story."""
    return story_url + COPY_PAGE


def relative(from_url: str, to_url: str) -> str:
    """The link from the page at `from_url` to `to_url`; both are site addresses like `/a/b/`."""
    if to_url.startswith(("http://", "https://", "#", "mailto:", "tel:")):
        return to_url
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    target_dir, target_file = (to_url, "") if to_url.endswith("/") else posixpath.split(to_url)
    # posixpath.relpath, by folder names: it runs for every link of every page.
    here, there = base.strip("/").split("/"), (target_dir or "/").strip("/").split("/")
    here, there = [p for p in here if p], [p for p in there if p]
    common = 0
    while common < len(here) and common < len(there) and here[common] == there[common]:
        common += 1
    path = "/".join([".."] * (len(here) - common) + there[common:])
    path = path + "/" if path else ""
    return (path + target_file) or "./"
