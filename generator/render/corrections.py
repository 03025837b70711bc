"""更正与更新: every correction of every published story, newest first, with its own feeds.

The page links each entry to its place in the story's log (`#correction-N`); the feeds give
one entry per correction, so a reader or an aggregator that took the first version is told
it changed. Corrections are few (a handful a month), so the page is one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.core import addresses
from generator.core.outputs import Asset, Page, Site
from generator.core.settings import Settings
from generator.core.story import Correction, Story
from generator.render import feeds
from generator.render.pages import correction_anchor
from generator.render.templating import render_at

HEADING = "更正与更新"
LEDE = "本站文章发布后的每一次更正、更新和撤回，按日期排列，新的在前。"


@dataclass(frozen=True)
class Logged:
    """One correction on the page: the story, its anchor there, and the entry."""

    story: Story
    anchor: str
    correction: Correction

    @property
    def url(self) -> str:
        """The entry's place on the story's page."""
        return f"{self.story.url}#{self.anchor}"


def logged(stories: Sequence[Story]) -> list[Logged]:
    """Every story's corrections, newest first; one day's entries by story address, then as written, newest first."""
    found = [
        Logged(story, correction_anchor(number), correction)
        for story in stories
        for number, correction in enumerate(story.corrections, start=1)
    ]
    return sorted(found, key=lambda e: (e.correction.date, e.story.url, e.anchor), reverse=True)


def feed(entries: Sequence[Logged], settings: Settings) -> feeds.Feed:
    """The corrections' feed: one entry per correction, dated by it."""
    absolute = settings.absolute("/")
    folder = addresses.CORRECTIONS_URL.lstrip("/")
    items = tuple(
        feeds.Entry(
            url=absolute + e.url.lstrip("/"),
            title=f"【{e.correction.kind.label}】{e.story.title}",
            summary=e.correction.note,
            published=feeds.timestamp(e.correction.date),
            updated=feeds.timestamp(e.correction.date),
            author=e.story.author or (e.story.district.label if e.story.district else ""),
            tags=(e.correction.kind.label, e.story.section.label),
            section=e.story.section.label,
        )
        for e in entries[: feeds.FEED_SIZE]
    )
    name = settings.site_name or "重庆妇联·科学防疫"
    return feeds.Feed(
        title=f"{name} · {HEADING}",
        description=LEDE,
        page_url=absolute + folder,
        atom_url=absolute + folder + addresses.ATOM_NAME,
        json_url=absolute + folder + addresses.JSON_NAME,
        updated=items[0].updated if items else feeds.timestamp(settings.today),
        author=settings.site_name or "重庆市妇女联合会",
        entries=items,
        stylesheet=feeds.stylesheet(settings),
        items="更正和更新",
    )


def render(stories: Sequence[Story], settings: Settings) -> Site:
    """The 更正与更新 page and, with `site_url`, its Atom and JSON feeds."""
    entries = logged(stories)
    url = addresses.CORRECTIONS_URL
    html = render_at(
        "corrections.html",
        url,
        heading=HEADING,
        lede=LEDE,
        entries=entries,
        atom=addresses.atom_feed_address(url) if settings.site_url else "",
    )
    page = Page(
        src_uri=addresses.page_source(url),
        url=url,
        title=HEADING,
        html=html,
        description=LEDE,
        lastmod=entries[0].correction.date if entries else None,
    )
    site = Site(pages=[page])
    if settings.site_url:
        one = feed(entries, settings)
        folder = url.lstrip("/")
        site.assets.append(Asset(folder + addresses.ATOM_NAME, feeds.atom(one)))
        site.assets.append(Asset(folder + addresses.JSON_NAME, feeds.json_feed(one)))
    return site
