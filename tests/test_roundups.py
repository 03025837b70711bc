"""Roundups (周报和月报): periods across week, month and year boundaries, pages, feeds, 公众号 export."""

from __future__ import annotations

import dataclasses
import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given, settings, strategies
from lxml import html as lxml_html

from generator import pipeline
from generator.core.story import Story
from generator.render import roundups, wechat
from tests.conftest import sample_settings
from tests.test_wechat import assert_pasteable


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    outcome = pipeline.check(sample_settings())
    assert outcome.ok
    return outcome.published(include_drafts=False)


def _on(story: Story, day: datetime.date) -> Story:
    return dataclasses.replace(story, date=day, updated=None)


@pytest.mark.parametrize(
    ("day", "week", "month"),
    [
        (datetime.date(2020, 2, 9), "2020-w06", "2020-02"),  # a Sunday ends its week
        (datetime.date(2020, 2, 10), "2020-w07", "2020-02"),  # a Monday starts the next
        (datetime.date(2020, 1, 31), "2020-w05", "2020-01"),  # one week, two months
        (datetime.date(2020, 2, 1), "2020-w05", "2020-02"),
        (datetime.date(2019, 12, 30), "2020-w01", "2019-12"),  # ISO week 1 of 2020 starts in 2019
        (datetime.date(2021, 1, 3), "2020-w53", "2021-01"),  # … and 2020 had 53 weeks
        (datetime.date(2020, 2, 29), "2020-w09", "2020-02"),  # a leap day
    ],
)
def test_a_day_belongs_to_one_week_and_one_month(day: datetime.date, week: str, month: str) -> None:
    assert roundups.Period.of("week", day).slug == week
    assert roundups.Period.of("month", day).slug == month
    assert roundups.Period.of("week", day).start.weekday() == 0
    assert roundups.Period.of("week", day).holds(day) and roundups.Period.of("month", day).holds(day)


@settings(max_examples=300)
@given(days=strategies.lists(strategies.dates(datetime.date(2019, 1, 1), datetime.date(2023, 12, 31)), max_size=12))
def test_every_story_is_in_exactly_one_roundup_of_each_kind_and_scope(stories: list[Story], days: list) -> None:
    moved = [_on(stories[i % len(stories)], day) for i, day in enumerate(days)]
    found = roundups.roundups(moved)
    for story in moved:
        for scope in (story.section.key, roundups.ALL):
            for kind in roundups.KINDS:
                holding = [r for r in found if r.scope.key == scope and r.period.kind == kind and story in r.stories]
                assert len(holding) == 1
                assert holding[0].period.holds(story.date)
    assert all(r.stories for r in found)  # empty periods make no roundup
    for r in found:
        assert list(r.stories) == sorted(r.stories, key=lambda s: s.sort_key, reverse=True)


def test_pages_feeds_and_index(stories: list[Story]) -> None:
    site = roundups.render(stories, sample_settings())
    by_url = {p.url: p for p in site.pages}
    week = by_url["/roundups/rumours/week/2020-w06/"]
    assert week.title == "辟谣周报 · 2020年第6周（2月3日—2月9日）"
    text = lxml_html.fromstring(week.html).text_content()
    for story in (
        s for s in stories if s.section.key == "rumours" and roundups.Period.of("week", s.date).slug == "2020-w06"
    ):
        assert story.title in text
        assert story.fields["verdict"].label in text  # type: ignore[attr-defined]
    assert "/roundups/rumours/week/2020-w05/" not in by_url  # no rumours that week: no page
    assert "/roundups/" in by_url and "/roundups/all/" in by_url
    feeds = {a.src_uri: a.content for a in site.assets}
    atom = ElementTree.fromstring(feeds["roundups/rumours/feed.xml"])
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=namespace) for e in atom.findall("a:entry", namespace)]
    assert "辟谣周报 · 2020年第6周（2月3日—2月9日）" in titles and "辟谣月报 · 2020年2月" in titles


def test_a_past_period_does_not_change_when_later_stories_come(stories: list[Story]) -> None:
    before = {p.url: p.html for p in roundups.render(stories, sample_settings()).pages}
    later = _on(stories[0], datetime.date(2020, 5, 6))
    after = {p.url: p.html for p in roundups.render([*stories, later], sample_settings()).pages}
    for url, html in before.items():
        if "/week/" in url or "/month/" in url:
            assert after[url] == html, url


def test_a_roundup_pastes_into_the_official_account_truth_first(stories: list[Story]) -> None:
    found = roundups.roundups(stories)
    roundup = roundups.find(found, "rumours/week/2020-w06")
    assert roundup is not None
    made = wechat.roundup_article(roundup, sample_settings())
    assert_pasteable(made)
    text = lxml_html.fragment_fromstring(made.content, create_parent="div").text_content()
    for story in roundup.stories:
        if story.status and story.status.code == "withdrawn":
            assert story.title not in text  # not sent around again
            continue
        verdict = story.fields["verdict"].label  # type: ignore[attr-defined]
        assert text.index(f"【{verdict}】{story.title}") < text.index(str(story.fields["claim"]))
    assert made.source_url == "https://fangyi.cqwomen.example/roundups/rumours/week/2020-w06/"
