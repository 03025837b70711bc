"""Feeds for the media-matrix accounts and aggregators (Atom and JSON Feed, the whole site
and each section), and robots.txt for crawlers.

Feeds carry absolute links, so they need `site_url`; without it only robots.txt is
written. Each feed holds the newest FEED_SIZE stories, so it never grows with the site.
The sitemap is MkDocs' own (`sitemap.xml`, every page), which robots.txt names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from generator.core import addresses
from generator.core.outputs import Asset, Site
from generator.core.sections import SECTIONS
from generator.core.settings import CHINA, Settings
from generator.core.story import Story
from generator.render.templating import environment

FEED_SIZE = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# The stylesheet a browser shows an Atom feed with, as a Chinese list (site_src/assets/feeds/).
# CSS, not XSLT: Chromium overlays an XSLT page with an English banner saying XSLT is being removed.
STYLESHEET = "assets/feeds/feed.css"
# Machine files crawlers need not fetch: the search index and the no-JavaScript search page.
NOT_FOR_CRAWLERS = (addresses.SEARCH_INDEX_FOLDER + "/", addresses.SEARCH_URL.lstrip("/"))


def timestamp(day: date) -> str:
    """A date as the start of that day in Beijing time, RFC 3339: 2020-02-03T00:00:00+08:00."""
    return datetime.combine(day, time(0, 0), tzinfo=CHINA).isoformat()


@dataclass(frozen=True)
class Entry:
    """One story as a feed gives it."""

    url: str
    title: str
    summary: str
    published: str
    updated: str
    author: str
    tags: tuple[str, ...]
    section: str


@dataclass(frozen=True)
class Feed:
    """A feed's own facts: where it and its page are, its title, and its newest stories."""

    title: str
    description: str
    page_url: str
    atom_url: str
    json_url: str
    updated: str
    author: str
    entries: tuple[Entry, ...]
    stylesheet: str = ""  # the address of the feed's stylesheet, from the site's root path
    items: str = ""  # what the feed's entries are, in its browser view, when not stories (更正与更新: 更正和更新)

    @property
    def help_url(self) -> str:
        """The address of the page explaining the feeds (订阅说明), beside the stylesheet's root."""
        return self.stylesheet.removesuffix(STYLESHEET).rstrip("/") + addresses.FEEDS_HELP_URL


def stylesheet(settings: Settings) -> str:
    """The address of the feeds' stylesheet from the root of the site's host (same host: browsers
    apply no stylesheet of another), for a site served at site_url's path."""
    return urlsplit(settings.site_url).path.rstrip("/") + "/" + STYLESHEET


def entry(story: Story, absolute: str) -> Entry:
    """A story's feed entry."""
    return Entry(
        url=absolute + story.url.lstrip("/"),
        title=story.title,
        summary=story.summary,
        published=timestamp(story.date),
        updated=timestamp(story.modified),
        author=story.author or (story.district.label if story.district else ""),
        tags=(story.section.label, *story.tags),
        section=story.section.label,
    )


def feed(stories: Sequence[Story], folder: str, title: str, description: str, settings: Settings) -> Feed:
    """The feed of `stories` at `folder` ("" for the whole site)."""
    absolute = settings.absolute("/")
    newest = sorted(stories, key=lambda s: s.sort_key, reverse=True)[:FEED_SIZE]
    entries = tuple(entry(story, absolute) for story in newest)
    updated = max((e.updated for e in entries), default=timestamp(settings.today))
    return Feed(
        title=title,
        description=description,
        page_url=absolute + folder,
        atom_url=absolute + folder + addresses.ATOM_NAME,
        json_url=absolute + folder + addresses.JSON_NAME,
        updated=updated,
        author=settings.site_name or "重庆市妇女联合会",
        entries=entries,
        stylesheet=stylesheet(settings),
    )


def atom(feed: Feed) -> str:
    """The feed as Atom 1.0."""
    return environment().get_template("browse/atom.xml").render(feed=feed)


def json_feed(feed: Feed) -> str:
    """The feed as JSON Feed 1.1."""
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": feed.json_url,
        "description": feed.description,
        "language": "zh-CN",
        "authors": [{"name": feed.author}],
        "items": [
            {
                "id": e.url,
                "url": e.url,
                "title": e.title,
                "summary": e.summary,
                "content_text": e.summary,
                "date_published": e.published,
                "date_modified": e.updated,
                "authors": [{"name": e.author or feed.author}],
                "tags": list(e.tags),
            }
            for e in feed.entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def robots(settings: Settings) -> str:
    """robots.txt: crawl everything but the search machinery; the sitemap's address."""
    return (
        environment()
        .get_template("browse/robots.txt")
        .render(
            root=urlsplit(settings.site_url).path.rstrip("/") + "/" if settings.site_url else "/",
            hidden=NOT_FOR_CRAWLERS,
            sitemap=settings.absolute("/" + addresses.SITEMAP_NAME) if settings.site_url else "",
        )
    )


def render(stories: Sequence[Story], settings: Settings) -> Site:
    """The site's and each section's feeds, and robots.txt."""
    site = Site(assets=[Asset("robots.txt", robots(settings))])
    if not settings.site_url:
        return site
    name = settings.site_name or "重庆妇联·科学防疫"
    feeds = {"": feed(stories, "", name, "科学防控知识、辟谣和巾帼风采。", settings)}
    for section in SECTIONS:
        own = [s for s in stories if s.section is section]
        folder = addresses.section_address(section.key).lstrip("/")
        feeds[folder] = feed(own, folder, f"{name} · {section.label}", section.description, settings)
    for folder, one in feeds.items():
        site.assets.append(Asset(folder + addresses.ATOM_NAME, atom(one)))
        site.assets.append(Asset(folder + addresses.JSON_NAME, json_feed(one)))
    return site
