"""The render stage: stories become pages (story, section listings, home, redirects) and files."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.content import fact
from generator.content.body import BodyRenderer
from generator.content.problems import Problem, report
from generator.core import addresses, workers
from generator.core.sections import SECTIONS
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render import notice, share


@dataclass(frozen=True)
class Page:
    """A page of the site: its address, title and the HTML of its content area."""

    src_uri: str
    url: str
    title: str
    html: str
    description: str = ""
    toc: list[dict[str, Any]] = field(default_factory=list)
    edit_path: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    lastmod: date | None = None  # for the sitemap: when what the page shows last changed


# A story page not made yet: the story and the story superseding it. A build makes these
# pages where they are written (emit.py), on every core, so they are never all in memory.
StoryJob = tuple[Story, Story | None]


@dataclass(frozen=True)
class Asset:
    """A file copied to the site as it is: a picture, or a redirect page."""

    src_uri: str
    content: bytes | str | None = None
    source: Path | None = None
    origin: str = ""  # the story it comes from, for a message when two files would clash


@dataclass
class Site:
    """Everything the render stage made, for the emit stage to hand to MkDocs."""

    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    stories: list[StoryJob] = field(default_factory=list)  # story pages to make as they are written
    # Files to make in a background process while the pages are written (search index, share images).
    later: list[Callable[[], Site]] = field(default_factory=list)

    def extend(self, other: Site) -> None:
        """Add another output's pages and files to this site."""
        self.pages.extend(other.pages)
        self.assets.extend(other.assets)
        self.stories.extend(other.stories)
        self.later.extend(other.later)


def poster_listing_address(section_key: str) -> str:
    """The address of a section's 海报 listing."""
    return f"/{section_key}/posters/"


def zh_date(value: date) -> str:
    """A date as Chinese readers write it: 2020年2月1日."""
    return f"{value.year}年{value.month}月{value.day}日"


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


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the generated pages' templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
        # The templates are the program's, not content: no stat of every template at every use.
        auto_reload=False,
    )
    env.filters["zh_date"] = zh_date
    # Late import: the browsing pages build on this module; story pages link into them.
    from generator.render import browse

    env.filters["tag_address"] = browse.tag_address
    env.filters["audience_address"] = browse.audience_address
    env.filters["honour_address"] = browse.honour_address
    return env


@cache
def compiled_templates(root: Path) -> jinja2.BytecodeCache:
    """Compiled templates kept in `.cache/templates` of the project, as Python keeps __pycache__:
    each build, worker and preview rebuild loads them instead of compiling them again. Jinja
    checks each against its source, so an edited template is compiled afresh."""
    folder = root / ".cache" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def render_at(template: str, url: str, **context: Any) -> str:
    """A template rendered for the page at `url`: its `link(address)` makes addresses relative to it."""
    link: Callable[[str], str] = partial(relative, url)
    return environment().get_template(template).render(link=link, **context)


def story_page(story: Story, renderer: BodyRenderer, by_url: dict[str, Story], settings: Settings) -> Page:
    """The page of one story: its section's header, the body, sources and tags."""
    pictures = {p.ref: p.name for p in story.pictures}
    body = renderer.render(story.body, pictures)
    printed = notice.split(body.html, story, settings.today)
    html = render_at(
        "story.html",
        story.url,
        story=story,
        section=story.section,
        body=printed.shown,
        omitted=printed.omitted,
        cut_note=notice.CUT_NOTE,
        successor=by_url.get(story.superseded_by),
        overdue=story.overdue(settings.today),
        share=share.card(story, settings),
        conclusion=fact.shortened(fact.conclusion(story), fact.CONCLUSION_LIMIT),
        lead_first=fact.banner_first(story),
    )
    return Page(
        src_uri=story.src_uri,
        url=story.url,
        title=story.title,
        html=html,
        description=fact.description(story),
        toc=body.toc,
        edit_path=story.path,
        meta=share.story_meta(story, settings),
        lastmod=story.updated or story.date,
    )


# A story appears in many listings (its section, district, tags, month …): its card is
# rendered once with this mark where the way back to the site's root goes, then placed.
_ROOT = "\x00root\x00"
_CARDS: dict[int, tuple[Story, str]] = {}


def card_html(story: Story) -> str:
    """The story's listing card, its links starting from the mark of the site's root."""
    found = _CARDS.get(id(story))
    if found is not None and found[0] is story:
        return found[1]
    html = environment().get_template("card.html").render(story=story, link=lambda url: _ROOT + url.lstrip("/"))
    _CARDS[id(story)] = (story, html)  # holding the story keeps its id from being reused
    return html


def listing_pages(
    stories: Sequence[Story],
    base_url: str,
    heading: str,
    lede: str,
    kind: str,
    page_size: int,
    posters: str = "",
    roundups: str = "",
) -> list[Page]:
    """A listing, newest first, split into pages at `base_url`, `base_url/page/2/` …"""
    ordered = sorted(stories, key=lambda s: s.sort_key, reverse=True)
    count = max(1, -(-len(ordered) // page_size))
    urls = [base_url if n == 1 else f"{base_url}page/{n}/" for n in range(1, count + 1)]
    pages = []
    for number, url in enumerate(urls, start=1):
        chunk = ordered[(number - 1) * page_size : number * page_size]
        title = heading if number == 1 else f"{heading}（第 {number} 页）"
        root = relative(url, "/").removeprefix("./")
        cards = [Markup(card_html(story).replace(_ROOT, root)) for story in chunk]
        html = render_at(
            "listing.html",
            url,
            heading=title,
            lede=lede,
            cards=cards,
            pages=urls,
            current=number,
            kind=kind,
            roundups=roundups,
            posters=posters,
        )
        src_uri = url.strip("/") + "/index.md" if url != "/" else "index.md"
        lastmod = max((s.updated or s.date for s in chunk), default=None)
        pages.append(Page(src_uri=src_uri, url=url, title=title, html=html, description=lede, lastmod=lastmod))
    return pages


def home_page(stories: Sequence[Story], settings: Settings) -> Page:
    """The home page: the hotline, then the latest stories of each section."""
    blocks = []
    for section in SECTIONS:
        own = sorted((s for s in stories if s.section is section), key=lambda s: s.sort_key, reverse=True)
        blocks.append({"section": section, "stories": own[: settings.home_latest], "total": len(own)})
    html = render_at("home.html", "/", blocks=blocks, site_name=settings.site_name)
    description = "科学防控知识、辟谣和巾帼风采。"
    return Page(
        src_uri="index.md",
        url="/",
        title=settings.site_name or "首页",
        html=html,
        description=description,
        meta=share.home_meta(description, settings),
        lastmod=max((s.updated or s.date for s in stories), default=None),
    )


PROBLEMS_URL = "/check/"


def problems_page(problems: Sequence[Problem]) -> Page:
    """The preview's page of problems: what `check` prints, for an editor looking at the browser."""
    ordered = sorted(problems, key=lambda p: (not p.is_error, p.path, p.line))
    html = render_at("problems.html", PROBLEMS_URL, problems=ordered, summary=report(problems).splitlines()[-1])
    return Page(src_uri="check/index.md", url=PROBLEMS_URL, title="检查结果", html=html)


def redirect_assets(story: Story, settings: Settings) -> list[Asset]:
    """A small page at each old address that sends the reader on to the story."""
    assets = []
    for alias in story.aliases:
        target = settings.absolute(story.url) if settings.site_url else relative(alias, story.url)
        html = environment().get_template("redirect.html").render(story=story, target=target)
        assets.append(Asset(src_uri=addresses.output_file(alias), content=html, origin=f"{story.path} 的 aliases"))
    return assets


@dataclass
class PageMemo:
    """Story pages of the last build, reused under `serve` while their story is the same object
    (the check stage hands back the same Story for an unchanged file)."""

    pages: dict[int, tuple[Story, Story | None, Settings, Page]] = field(default_factory=dict)

    def get(self, story: Story, successor: Story | None, settings: Settings) -> Page | None:
        """The page made last time from exactly these inputs, if any."""
        found = self.pages.get(id(story))
        if found and found[0] is story and found[1] is successor and found[2] == settings:
            return found[3]
        return None

    def keep(self, story: Story, successor: Story | None, settings: Settings, page: Page) -> None:
        """Remember a page; holding the story keeps its id from being reused."""
        self.pages[id(story)] = (story, successor, settings, page)


_worker_renderer: BodyRenderer | None = None


def make_story_page(job: StoryJob, settings: Settings) -> Page:
    """The page of a story job, with this process's own Markdown renderer."""
    global _worker_renderer
    if _worker_renderer is None:
        _worker_renderer = BodyRenderer()
    story, successor = job
    return story_page(story, _worker_renderer, {story.superseded_by: successor} if successor else {}, settings)


def render(
    stories: Sequence[Story],
    settings: Settings,
    renderer: BodyRenderer,
    memo: PageMemo | None = None,
    defer: bool = False,
) -> Site:
    """Every page and file the stories make; story pages on every core, unchanged ones reused.

    With `defer`, story pages are left as jobs (`Site.stories`) for the writer to make.
    """
    site = Site()
    memo = memo if memo is not None else PageMemo()
    by_url = {s.url: s for s in stories}
    jobs = [(story, by_url.get(story.superseded_by)) for story in stories]
    todo = [] if defer else [job for job in jobs if memo.get(job[0], job[1], settings) is None]
    if len(todo) < workers.PARALLEL_FROM:
        made = [story_page(story, renderer, by_url, settings) for story, _ in todo]
    else:
        made = workers.map_all(partial(make_story_page, settings=settings), todo)
    for (story, successor), fresh in zip(todo, made, strict=True):
        memo.keep(story, successor, settings, fresh)
    for story, successor in jobs:
        if defer:
            site.stories.append((story, successor))
        else:
            kept = memo.get(story, successor, settings)
            assert kept is not None  # made just above or kept from the last build
            site.pages.append(kept)
        site.assets.extend(redirect_assets(story, settings))
    # Forget stories that are gone (under `serve`, an edited story is a new object).
    memo.pages = {id(s): memo.pages[id(s)] for s in stories if id(s) in memo.pages}
    for gone in _CARDS.keys() - memo.pages.keys():
        del _CARDS[gone]
    for section in SECTIONS:
        own = [s for s in stories if s.section is section]
        # The section's roundups (roundups.py, which builds on this module) live under /roundups/<section>/.
        listings = listing_pages(
            own,
            f"/{section.key}/",
            section.label,
            section.description,
            section.key,
            settings.page_size,
            roundups=f"/roundups/{section.key}/",
            posters=poster_listing_address(section.key),
        )
        for listing in listings:
            listing.meta.update(share.listing_meta(section, listing.title, listing.url, settings))
        site.pages.extend(listings)
    site.pages.append(home_page(stories, settings))
    return site
