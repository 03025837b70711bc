"""The page writer: generated pages go to disk on every core, each checked and compressed
as it is written, and the sitemap lists them.

A build hands over its story pages as jobs (`Site.stories`): each is made, framed by the
theme (`render`, from the MkDocs glue), written, scanned for loads from other hosts and
pre-compressed in one worker, so no page travels between processes and the pages are
never all in memory. Only a small record of each comes back.

A full build reuses the files of the one before (`Earlier`, kept in `.cache/`): a file whose
bytes come out the same as the earlier build's file of that path (compared by a digest of
the bytes) is hard-linked from the earlier site, with its `.gz`, instead of written, scanned
and compressed again; only if that file and its `.gz` are still the very files that build
wrote (same inode, size and time), else it is written as usual. A page filled into a frame
is compared before it is filled: by a digest of its frame and of every value that goes into
it (`Rendered.made_from`, kept with the file), so an unchanged page is linked unmade.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from generator.core import addresses, workers
from generator.core.outputs import Asset, Page, Site, StoryJob
from generator.core.settings import Settings
from generator.publish import compress, hosts


@dataclass(frozen=True)
class Rendered:
    """A page as written: its path under site_dir, its HTML, and the parts of that HTML that
    can differ between pages of the same frame (None: any of it), which are what the check
    for loads from other hosts needs to read."""

    dest: str
    html: str
    varying: tuple[str, ...] | None = None
    url: str = ""  # the page's address as MkDocs gives it (`/a/b/index.html` without use_directory_urls)
    # A page filled into a frame: a digest of the frame and of every value filled into it
    # (equal digests, equal bytes), and the filling, left until the HTML is needed (`text`),
    # so that a page made from the same as the earlier build's file is linked unfilled.
    made_from: bytes | None = None
    fill: Callable[[], str] | None = None

    def text(self) -> str:
        """The page's HTML."""
        return self.html if self.fill is None else self.fill()


Render = Callable[[Page], Rendered]
SITEMAP = addresses.SITEMAP_NAME
# The sitemap protocol's limit of addresses per file; a bigger site gets a sitemap index.
SITEMAP_SIZE = 50_000


@dataclass(frozen=True)
class Kept:
    """A file as a full build wrote it, for the next build to reuse: a digest of its bytes, and
    the size, time and inode of it and of its `.gz` (None: none was written)."""

    digest: bytes
    stat: tuple[int, int, int]
    packed: tuple[int, int, int] | None
    made_from: bytes | None = None  # for a page filled into a frame: `Rendered.made_from`


@dataclass(frozen=True)
class Earlier:
    """The files an earlier full build wrote into `site_dir`, by path under it."""

    site_dir: Path
    files: dict[str, Kept]


@dataclass(frozen=True)
class Written:
    """What became of one page or file: where it went, what its sitemap entry says, what it loads."""

    url: str  # a page's address; "" for a file
    dest: str
    lastmod: date | None
    digest: int
    loads: tuple[hosts.ForeignLoad, ...] = ()
    kept: Kept | None = None  # in a full build, the file's record for the next one


@dataclass(frozen=True)
class Options:
    """How pages are written: into which folder, and what is done to each."""

    site_dir: Path
    render: Render | None
    settings: Settings
    check: bool  # scan for loads from other hosts, and pre-compress (not for a preview)
    previous: dict[str, int]  # path → digest of the file already on disk (a preview's last build)
    # A page's path and a digest of all it is made from (its frame included), known without
    # making it: a preview's rebuild then skips unchanged pages before any work on them.
    identify: Callable[[Page], tuple[str, int] | None] | None = None
    # Makes the page of a story job (pipeline.Cache.story_page); in a worker, with its copy of the cache.
    make_page: Callable[[StoryJob], Page] | None = None
    earlier: Earlier | None = None  # a full build's files the one before wrote, to link what is the same


def start(
    pages: Sequence[Page], stories: Sequence[StoryJob], assets: Sequence[Asset], options: Options
) -> workers.Running[Written]:
    """Make (for story jobs), frame and write every page, and write the files, on every core.

    Returns at once while workers write; `.results()` waits for them."""
    items: list[Page | StoryJob | Asset] = [*stories, *pages, *assets]
    return workers.start(partial(_write, options=options), items)


def write_later(later: Sequence[Callable[[], Site]], options: Options, wait: Callable[[], object]) -> list[Written]:
    """Make the files of `later` (in a background process), then, once `wait` returns (the
    site's folder is ready), write, check and compress them."""
    assets = [asset for make in later for asset in make().assets]
    wait()
    return [_write(asset, options) for asset in assets]


def _write(item: Page | StoryJob | Asset, options: Options) -> Written:
    if isinstance(item, Asset) and item.source is not None:
        return _link(item.source, item.src_uri, options)
    if isinstance(item, Asset):
        assert item.content is not None
        data = item.content.encode("utf-8") if isinstance(item.content, str) else item.content
        return _put(item.src_uri, "", None, data, None, options)
    if isinstance(item, Page):
        page = item
    else:
        assert options.make_page is not None  # story jobs come with the function that makes them
        page = options.make_page(item)
    known = options.identify(page) if options.identify is not None else None
    if known is not None:
        dest, digest = known
        if options.previous.get(dest) == digest and (options.site_dir / dest).exists():
            return Written(page.url, dest, page.lastmod, digest)
    assert options.render is not None  # only files are written without a frame
    rendered = options.render(page)
    url = rendered.url or page.url
    kept = _unchanged(rendered, options)
    if kept is not None:  # made from the same frame and values as the earlier build's file
        return Written(url, rendered.dest, page.lastmod, int.from_bytes(kept.digest[:8], "little"), (), kept)
    html = rendered.text()
    data = html.encode("utf-8", errors="xmlcharrefreplace")
    return _put(rendered.dest, url, page.lastmod, data, rendered, options, known[1] if known else None, html)


def _unchanged(rendered: Rendered, options: Options) -> Kept | None:
    """The earlier build's record of this page, hard-linked to it here, if that file was made
    from the very frame and values this page is (so its bytes are this page's); else None."""
    if rendered.made_from is None or not options.check or options.earlier is None:
        return None
    earlier = options.earlier.files.get(rendered.dest)
    if earlier is None or earlier.made_from != rendered.made_from:
        return None
    target = addresses.confine(options.site_dir, rendered.dest)
    return earlier if _relink(options.earlier.site_dir / rendered.dest, target, earlier) else None


def _put(
    dest: str,
    url: str,
    lastmod: date | None,
    data: bytes,
    rendered: Rendered | None,
    options: Options,
    digest: int | None = None,
    html: str = "",
) -> Written:
    """Write one file unless it is already there as it is; check and compress it as it goes.
    `digest`: of what the file is made from, when known; else of its bytes. `html`: a
    rendered page's HTML (`data` decoded)."""
    target = addresses.confine(options.site_dir, dest)  # the last guard: every file stays inside
    if digest is None:  # (a page's digest, of its inputs, was compared before it was made)
        digest = zlib.crc32(data) ^ (len(data) << 32)
        if options.previous.get(dest) == digest and target.exists():
            return Written(url, dest, lastmod, digest)
    if not options.check:
        compress.write_file(target, data)
        return Written(url, dest, lastmod, digest)
    content = hashlib.blake2b(data, digest_size=16).digest()
    earlier = options.earlier.files.get(dest) if options.earlier is not None else None
    if earlier is not None and earlier.digest == content:
        assert options.earlier is not None
        if _relink(options.earlier.site_dir / dest, target, earlier):
            if rendered is not None:  # the same bytes, now made from this page's frame and values
                earlier = dataclasses.replace(earlier, made_from=rendered.made_from)
            return Written(url, dest, lastmod, digest, (), earlier)  # scanned when it was written
    stat = compress.write_file(target, data)
    loads: tuple[hosts.ForeignLoad, ...] = ()
    own = hosts.own_host(options.settings.site_url)
    if rendered is None:
        if hosts.scans(dest):
            loads = tuple(hosts.loads_in_text(data.decode("utf-8", errors="replace"), dest, own))
    elif any(hosts.loads_in_text(text, dest, own) for text in rendered.varying or (html,)):
        loads = tuple(hosts.loads_in_text(html, dest, own))  # again on the whole page, for its lines
    packed = None
    if compress.compress_data(target, data, stat, fresh=True):
        packed = _stamp(os.lstat(target.with_name(target.name + ".gz")))
    made_from = rendered.made_from if rendered is not None else None
    return Written(url, dest, lastmod, digest, loads, Kept(content, _stamp(stat), packed, made_from))


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _relink(source: Path, target: Path, kept: Kept) -> bool:
    """Hard-link an earlier build's file (and its `.gz`) to `target`, if they are still the
    files that build wrote; False (and nothing linked) when not."""
    packed = source.with_name(source.name + ".gz")
    try:
        if _stamp(os.lstat(source)) != kept.stat:
            return False
        if kept.packed is not None and _stamp(os.lstat(packed)) != kept.packed:
            return False
        _linked(source, target)
        if kept.packed is not None:
            os.link(packed, target.with_name(target.name + ".gz"))
    except OSError:
        # Never left half done: a write over a link would change the earlier site's file.
        for path in (target, target.with_name(target.name + ".gz")):
            with contextlib.suppress(OSError):
                path.unlink()
        return False
    return True


def _link(source: Path, dest: str, options: Options) -> Written:
    """Put a file made in a cache (a story's card or poster) into the site as a hard link: a
    warm build of thousands of pictures then writes no bytes. A copy where links cannot go."""
    target = options.site_dir / dest
    digest = zlib.crc32(str(source).encode())  # the cache names its files by their content
    if options.previous.get(dest) == digest and target.exists():
        return Written("", dest, None, digest)
    target.unlink(missing_ok=True)
    try:
        _linked(source, target)
    except OSError:
        shutil.copyfile(source, target)
    return Written("", dest, None, digest)


def _linked(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)


def remove_gone(site_dir: Path, before: Iterable[Written], now: Iterable[Written]) -> None:
    """Delete the files of an earlier build that this one no longer has (a preview's deleted
    story, an old search index), then the folders left empty."""
    kept = {w.dest for w in now}
    folders: set[Path] = set()
    for gone in {w.dest for w in before} - kept:
        target = site_dir / gone
        for path in (target, target.with_name(target.name + ".gz")):
            path.unlink(missing_ok=True)
        folder = target.parent
        while folder != site_dir and folder not in folders:
            folders.add(folder)
            folder = folder.parent
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):  # deepest first
        with contextlib.suppress(OSError):  # not empty: something else lives there
            folder.rmdir()


def write_sitemap(
    site_dir: Path, entries: Iterable[tuple[str, date | None]], settings: Settings, today: date
) -> list[str]:
    """`sitemap.xml` of every page (address, date of its newest content), split past 50,000;
    the names of the files written."""
    for old in site_dir.glob("sitemap*.xml*"):
        old.unlink()
    if not settings.site_url:
        return []  # a sitemap holds absolute addresses only
    ordered = sorted(dict(entries).items())
    chunks = [ordered[i : i + SITEMAP_SIZE] for i in range(0, len(ordered), SITEMAP_SIZE)] or [[]]
    names = [SITEMAP] if len(chunks) == 1 else [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks, strict=True):
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for url, lastmod in chunk:
            lines.append(
                f"  <url><loc>{escape(settings.absolute(quote(url)))}</loc><lastmod>{(lastmod or today).isoformat()}</lastmod></url>"
            )
        lines.append("</urlset>")
        (site_dir / name).write_text("\n".join(lines) + "\n", "utf-8")
    if len(names) > 1:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        lines += [f"  <sitemap><loc>{escape(settings.absolute('/' + name))}</loc></sitemap>" for name in names]
        lines.append("</sitemapindex>")
        (site_dir / SITEMAP).write_text("\n".join(lines) + "\n", "utf-8")
        names.append(SITEMAP)
    return names
