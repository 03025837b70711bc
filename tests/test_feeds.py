"""Feeds (Atom and JSON Feed, whole site and each section), robots.txt and the sitemap,
read as aggregators and crawlers read them."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from generator import pipeline
from generator.core import addresses
from generator.core.sections import SECTIONS
from generator.core.story import Story
from generator.render import feeds
from tests.conftest import sample_settings

SITE_URL = "https://fangyi.cqwomen.example/"


def stories() -> list[Story]:
    """The sample stories that are published."""
    outcome = pipeline.check(sample_settings())
    assert outcome.ok
    return outcome.published(False)


def newest_first(chosen: list[Story]) -> list[str]:
    return [SITE_URL + s.url.lstrip("/") for s in sorted(chosen, key=lambda s: s.sort_key, reverse=True)]


FOLDERS = ["", *(f"{s.key}/" for s in SECTIONS)]


def own(folder: str) -> list[Story]:
    """The published stories a feed at `folder` covers, newest first."""
    chosen = [s for s in stories() if not folder or s.section.key == folder.rstrip("/")]
    return sorted(chosen, key=lambda s: s.sort_key, reverse=True)


@pytest.mark.parametrize("folder", FOLDERS)
def test_feedparser_reads_every_atom_feed_without_complaint(built_site: Path, folder: str) -> None:
    raw = (built_site / folder / addresses.ATOM_NAME).read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.link == SITE_URL + folder
    assert [e.link for e in parsed.entries] == newest_first(own(folder))
    for entry, story in zip(parsed.entries, own(folder), strict=True):
        assert entry.title == story.title
        assert entry.summary == story.summary
        # 00:00 in Beijing is 16:00 the day before in UTC, which feedparser gives.
        assert entry.published_parsed[:4] == (*(story.date - timedelta(days=1)).timetuple()[:3], 16)
    assert re.findall(r"<published>\d{4}-\d\d-\d\dT00:00:00\+08:00</published>", raw.decode("utf-8"))


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_json_feed_follows_json_feed_1_1(built_site: Path, folder: str) -> None:
    # feedparser's released versions (6.0) read no JSON Feed yet: the spec's rules, checked here.
    document = json.loads((built_site / folder / addresses.JSON_NAME).read_text("utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] and document["home_page_url"] == SITE_URL + folder
    assert document["feed_url"] == SITE_URL + folder + addresses.JSON_NAME
    assert [item["url"] for item in document["items"]] == newest_first(own(folder))
    for item, story in zip(document["items"], own(folder), strict=True):
        assert isinstance(item["id"], str) and item["id"]
        assert item["content_text"] == item["summary"] == story.summary
        published = datetime.fromisoformat(item["date_published"])
        assert published.utcoffset() == timedelta(hours=8) and published.date() == story.date
        assert datetime.fromisoformat(item["date_modified"]) >= published
        assert all(isinstance(tag, str) for tag in item["tags"])


def test_drafts_and_other_sections_stay_out_of_a_feed(built_site: Path) -> None:
    rumours = json.loads((built_site / "rumours" / addresses.JSON_NAME).read_text("utf-8"))
    assert rumours["version"] == feeds.JSON_FEED_VERSION
    assert all("/rumours/" in item["url"] for item in rumours["items"])
    assert not [item for item in rumours["items"] if "draft" in item["url"]]
    assert all(item["content_text"] and item["id"].startswith(SITE_URL) for item in rumours["items"])


def test_a_feed_holds_the_newest_stories_only() -> None:
    base = stories()
    many = [
        dataclasses.replace(s, slug=f"{s.slug}-{n}", date=s.date + timedelta(days=n)) for n in range(10) for s in base
    ]
    site = feeds.render(many, sample_settings())
    atom = next(a.content for a in site.assets if a.src_uri == addresses.ATOM_NAME)
    assert isinstance(atom, str)
    parsed = feedparser.parse(atom)
    assert len(parsed.entries) == feeds.FEED_SIZE < len(many)
    assert [e.link for e in parsed.entries] == newest_first(many)[: feeds.FEED_SIZE]


def test_without_a_site_address_there_are_no_feeds_but_robots_stays() -> None:
    site = feeds.render(stories(), sample_settings(site_url=""))
    assert [a.src_uri for a in site.assets] == ["robots.txt"]
    assert "Sitemap" not in str(site.assets[0].content)


def test_robots_names_the_sitemap_and_keeps_crawlers_off_the_index(built_site: Path) -> None:
    robots = (built_site / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in robots
    assert "Disallow: /assets/search/" in robots
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots


def test_the_sitemap_lists_every_page_a_reader_may_land_on(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    listed = set(re.findall(r"<loc>([^<]*)</loc>", sitemap))
    for story in stories():
        assert SITE_URL + story.url.lstrip("/") in listed
    for address in ("districts/", "tags/kou-zhao/", "archive/2020/02/", "rumours/verdict/false/", "honours/"):
        assert SITE_URL + address in listed
    assert SITE_URL + "rumours/drink-baijiu/" not in listed  # an old address only redirects


def test_the_sitemap_dates_each_story_by_its_last_change(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    dated = dict(re.findall(r"<loc>([^<]*)</loc><lastmod>([^<]*)</lastmod>", sitemap))

    def last_change(story: Story) -> date:  # `updated` or the newest correction entry (the sample's pets has two)
        return max([story.date, story.updated or story.date, *(c.date for c in story.corrections)])

    assert any(last_change(s) > (s.updated or s.date) for s in stories())
    for story in stories():
        assert dated[SITE_URL + story.url.lstrip("/")] == last_change(story).isoformat()
    newest = max(last_change(story) for story in stories())
    assert dated[SITE_URL] == newest.isoformat()  # the home page: its newest story


def test_a_sitemap_past_the_protocol_limit_becomes_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from generator.adapter import emit

    monkeypatch.setattr(emit, "SITEMAP_SIZE", 2)
    pages = [(f"/knowledge/story-{n}/", date(2020, 2, n + 1)) for n in range(5)]
    names = emit.write_sitemap(tmp_path, pages, sample_settings(), date(2026, 1, 1))
    assert names == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = (tmp_path / "sitemap.xml").read_text("utf-8")
    assert "<sitemapindex" in index and f"{SITE_URL}sitemap-3.xml" in index
    listed = [re.findall(r"<loc>([^<]*)</loc>", (tmp_path / name).read_text("utf-8")) for name in names[:3]]
    assert sum(len(part) for part in listed) == 5 and all(len(part) <= 2 for part in listed)
