"""The render stage: stories become pages (story, section listings, home, redirects) and files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup

from generator.content import corrections, fact
from generator.content.body import BodyRenderer
from generator.content.problems import Problem, report
from generator.core import addresses, workers
from generator.core.outputs import Asset, Page, Site, StoryJob
from generator.core.sections import SECTIONS
from generator.core.settings import Settings
from generator.core.story import Correction, Signoff, Story
from generator.render import notice, readaloud, share
from generator.render.templating import environment, render_at


def story_page(
    story: Story,
    renderer: BodyRenderer,
    by_url: dict[str, Story],
    settings: Settings,
    codes: share.QrCodes | None = None,
) -> Page:
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
        share=share.card(story, settings, codes),
        conclusion=fact.shortened(fact.conclusion(story), fact.CONCLUSION_LIMIT),
        lead_first=fact.banner_first(story),
        listen=readaloud.control(story),
        corrections=correction_log(story),
        signoffs=signoffs(story, settings),
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
        lastmod=story.modified,
    )


def correction_log(story: Story) -> list[tuple[str, Correction]]:
    """The story's corrections newest first, each with its anchor on the page (`correction-2` for the second written)."""
    anchors = {id(c): correction_anchor(n) for n, c in enumerate(story.corrections, start=1)}
    return [(anchors[id(c)], c) for c in corrections.newest_first(story.corrections)]


def correction_anchor(number: int) -> str:
    """The id of a story's `number`-th correction entry (in the order written): links from /corrections/ and its feed."""
    return f"correction-{number}"


def signoffs(story: Story, settings: Settings) -> list[Signoff]:
    """Who did each review level, in the site's order of levels; none on a site without levels."""
    by_level = {s.level: s for s in story.signoffs}
    return [by_level[level] for level in settings.review_levels if level in by_level]


# A story appears in many listings (its section, district, tags, month …): its card is
# rendered once with this mark where the way back to the site's root goes, then placed.
_ROOT = "\x00root\x00"


@dataclass
class Cards:
    """Each story's listing card, rendered once for all its listings; kept across `serve`
    rebuilds in pipeline.Cache while its story is the same object."""

    html: dict[int, tuple[Story, str]] = field(default_factory=dict)

    def get(self, story: Story) -> str:
        """The story's listing card, its links starting from the mark of the site's root."""
        found = self.html.get(id(story))
        if found is not None and found[0] is story:
            return found[1]
        html = environment().get_template("card.html").render(story=story, link=lambda url: _ROOT + url.lstrip("/"))
        self.html[id(story)] = (story, html)  # holding the story keeps its id from being reused
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
    cards: Cards | None = None,
) -> list[Page]:
    """A listing, newest first, split into pages at `base_url`, `base_url/page/2/` …"""
    cards = cards if cards is not None else Cards()
    ordered = sorted(stories, key=lambda s: s.sort_key, reverse=True)
    count = max(1, -(-len(ordered) // page_size))
    urls = [addresses.listing_page_address(base_url, n) for n in range(1, count + 1)]
    pages = []
    for number, url in enumerate(urls, start=1):
        chunk = ordered[(number - 1) * page_size : number * page_size]
        title = heading if number == 1 else f"{heading}（第 {number} 页）"
        root = addresses.relative(url, "/").removeprefix("./")
        shown = [Markup(cards.get(story).replace(_ROOT, root)) for story in chunk]
        html = render_at(
            "listing.html",
            url,
            heading=title,
            lede=lede,
            cards=shown,
            pages=urls,
            current=number,
            kind=kind,
            roundups=roundups,
            posters=posters,
        )
        src_uri = addresses.page_source(url)
        lastmod = max((s.modified for s in chunk), default=None)
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
        src_uri=addresses.page_source(addresses.HOME_URL),
        url=addresses.HOME_URL,
        title="首页",  # the first tab's label; the page's <title> is the site's name (main.html)
        html=html,
        description=description,
        meta=share.home_meta(description, settings),
        lastmod=max((s.modified for s in stories), default=None),
    )


def problems_page(problems: Sequence[Problem]) -> Page:
    """The preview's page of problems: what `check` prints, for an editor looking at the browser."""
    ordered = sorted(problems, key=lambda p: (not p.is_error, p.path, p.line))
    html = render_at(
        "problems.html", addresses.PROBLEMS_URL, problems=ordered, summary=report(problems).splitlines()[-1]
    )
    return Page(
        src_uri=addresses.page_source(addresses.PROBLEMS_URL), url=addresses.PROBLEMS_URL, title="检查结果", html=html
    )


def redirect_assets(story: Story, settings: Settings) -> list[Asset]:
    """A small page at each old address that sends the reader on to the story."""
    assets = []
    for alias in story.aliases:
        target = settings.absolute(story.url) if settings.site_url else addresses.relative(alias, story.url)
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


def make_story_page(
    job: StoryJob, settings: Settings, renderer: BodyRenderer, codes: share.QrCodes | None = None
) -> Page:
    """The page of a story job (in a worker: with its own copy of the renderer)."""
    story, successor = job
    return story_page(story, renderer, {story.superseded_by: successor} if successor else {}, settings, codes)


def render(
    stories: Sequence[Story],
    settings: Settings,
    renderer: BodyRenderer,
    memo: PageMemo | None = None,
    defer: bool = False,
    codes: share.QrCodes | None = None,
    cards: Cards | None = None,
) -> Site:
    """Every page and file the stories make; story pages on every core, unchanged ones reused.

    With `defer`, story pages are left as jobs (`Site.stories`) for the writer to make.
    """
    site = Site()
    memo = memo if memo is not None else PageMemo()
    cards = cards if cards is not None else Cards()
    by_url = {s.url: s for s in stories}
    jobs = [(story, by_url.get(story.superseded_by)) for story in stories]
    todo = [] if defer else [job for job in jobs if memo.get(job[0], job[1], settings) is None]
    if len(todo) < workers.PARALLEL_FROM:
        made = [story_page(story, renderer, by_url, settings, codes) for story, _ in todo]
    else:
        made = workers.map_all(partial(make_story_page, settings=settings, renderer=renderer, codes=codes), todo)
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
    for gone in cards.html.keys() - memo.pages.keys():
        del cards.html[gone]
    for section in SECTIONS:
        own = [s for s in stories if s.section is section]
        listings = listing_pages(
            own,
            addresses.section_address(section.key),
            section.label,
            section.description,
            section.key,
            settings.page_size,
            roundups=addresses.roundups_address(section.key),
            posters=addresses.poster_listing_address(section.key),
            cards=cards,
        )
        for listing in listings:
            listing.meta.update(share.listing_meta(section, listing.title, listing.url, settings))
        site.pages.extend(listings)
    site.pages.append(home_page(stories, settings))
    return site
