"""Browsing pages: by district (with the report and its CSV), tag, honour, audience, month,
and sections filtered by verdict and status; read from a real build of the sample stories."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import posixpath
import re
from html import unescape
from pathlib import Path

import pytest

from generator import pipeline
from generator.core import addresses, gitrepo, vocab
from generator.core.outputs import Page
from generator.core.story import Story
from generator.render import browse, search
from tests.conftest import ROOT, sample_settings
from tests.test_site import content, page


def stories() -> list[Story]:
    """The sample stories that are published."""
    outcome = pipeline.check(sample_settings())
    assert outcome.ok
    return outcome.published(False)


def listed(html: str) -> list[str]:
    """The story titles a listing shows, in order."""
    return re.findall(r'<a class="fed-card__title" href="[^"]*">([^<]*)</a>', html)


def links(html: str) -> list[str]:
    """Every href of a page's content area."""
    return re.findall(r'href="([^"]*)"', content(html))


def resolves(site: Path, address: str, href: str) -> bool:
    """Whether a relative link from the page at `address` reaches a file of the built site."""
    target = posixpath.normpath(posixpath.join(address, href.split("#")[0]))
    path = site / target.lstrip("/")
    return (path / "index.html").is_file() if href.endswith("/") or path.is_dir() else path.is_file()


BROWSE_PAGES = [
    "/districts/",
    "/districts/yuzhong/",
    "/tags/",
    "/tags/kou-zhao/",
    "/honours/",
    "/honours/sanba-hongqishou/",
    "/audiences/",
    "/audiences/lao-nian-ren/",
    "/archive/",
    "/archive/2020/02/",
    "/rumours/verdict/",
    "/rumours/verdict/false/",
    "/knowledge/status/outdated/",
    "/rumours/status/withdrawn/",
    "/search/",
]


@pytest.mark.parametrize("address", BROWSE_PAGES)
def test_browsing_pages_link_relatively_to_pages_that_exist(built_site: Path, address: str) -> None:
    hrefs = links(page(built_site, address))
    assert hrefs
    for href in hrefs:
        assert not href.startswith(("/", "http")), f"{address}: {href} is not relative"
        assert resolves(built_site, address, href), f"{address}: {href} leads nowhere"


def test_each_value_lists_its_stories_newest_first(built_site: Path) -> None:
    for story in stories():
        for tag in story.tags:
            assert story.title in listed(page(built_site, addresses.tag_address(tag)))
        if story.district:
            assert story.title in listed(page(built_site, f"/districts/{story.district.slug}/"))
    yuzhong = [s for s in stories() if s.district and s.district.label == "渝中区"]
    titles = listed(page(built_site, "/districts/yuzhong/"))
    assert titles == [s.title for s in sorted(yuzhong, key=lambda s: s.sort_key, reverse=True)]
    assert "张某" in page(built_site, "/honours/sanba-hongqishou/")
    assert listed(page(built_site, "/audiences/lao-nian-ren/")) == ["科学佩戴口罩"]
    february = listed(page(built_site, "/archive/2020/02/"))
    assert february and all(t in {s.title for s in stories() if s.date.month == 2} for t in february)


def test_drafts_stay_off_the_browsing_pages(built_site: Path) -> None:
    for address in ("/archive/2020/02/", "/rumours/verdict/", "/districts/"):
        assert "草稿" not in content(page(built_site, address))


def test_story_pages_link_their_tags_and_district(built_site: Path) -> None:
    html = page(built_site, "/knowledge/wear-masks/")
    assert '<a class="fed-tag" href="../../tags/kou-zhao/">口罩</a>' in html
    for href in re.findall(r'<a class="fed-tag" href="([^"]*)"', html):
        assert resolves(built_site, "/knowledge/wear-masks/", href)


def test_sections_filter_by_verdict_and_status(built_site: Path) -> None:
    false = page(built_site, "/rumours/verdict/false/")
    assert 'aria-current="page"' in false and "查证结论" in false
    assert all(
        "谣言" in re.sub(r"<[^>]+>", "", card) for card in re.findall(r'<p class="fed-card__meta">.*?</p>', false, re.S)
    )
    assert listed(page(built_site, "/rumours/status/withdrawn/")) == ["宠物会传播新冠病毒吗"]
    assert listed(page(built_site, "/knowledge/status/outdated/")) == ["口罩使用早期提示"]
    index = content(page(built_site, "/rumours/verdict/"))
    assert "谣言" in index and "误导" in index


def test_district_index_counts_by_month_and_the_csv_agrees(built_site: Path) -> None:
    index = content(page(built_site, "/districts/"))
    published = stories()
    assert f"共 {len(published)} 篇" in index
    assert 'download="各区县开展情况.csv"' in index
    raw = (built_site / "districts" / "report.csv").read_text("utf-8")
    # The build counts by each story's first commit (the sample is in this repository's history).
    sent = gitrepo.first_added(sample_settings())
    months = sorted({(d.year, d.month) for d in (browse.sent_on(s, sent) for s in published)})
    header = ",".join(f"{y}-{m:02d}" for y, m in months)
    assert raw.startswith(f"\ufeff区县,合计,防控知识,辟谣,巾帼风采,{header},文章（报送日期 标题）\n"), raw[:200]
    rows = {row[0]: row for row in csv.reader(io.StringIO(raw.lstrip("\ufeff")))}
    without = 1 if any(s.district is None for s in published) else 0
    # The header, every district (those that sent nothing too), stories without one, the total.
    assert len(rows) == 1 + len(vocab.districts().terms) + without + 1
    yuzhong = [s for s in published if s.district and s.district.label == "渝中区"]
    assert int(rows["渝中区"][1]) == len(yuzhong)
    assert rows["涪陵区"][1] == "0"  # a district that sent nothing is listed, for the report
    assert int(rows["合计"][1]) == len(published)
    columns = rows["区县"]
    year, number = months[-1]
    month = columns.index(f"{year}-{number:02d}")
    newest = [s for s in published if (browse.sent_on(s, sent).year, browse.sent_on(s, sent).month) == (year, number)]
    assert int(rows["合计"][month]) == len(newest)
    assert all(s.title in index for s in newest)  # the newest month lists its stories by title
    assert sum(int(r[1]) for name, r in rows.items() if name not in ("区县", "合计")) == len(published)


def test_the_search_page_works_without_javascript(built_site: Path) -> None:
    html = page(built_site, "/search/")
    assert "搜索需要浏览器启用 JavaScript" in html
    for address in ("districts/", "tags/", "archive/"):
        assert f'href="../{address}"' in content(html)
    form = re.search(
        r'<form class="fed-search" role="search" aria-label="全站搜索" action="([^"]*)" method="get"',
        page(built_site, "/"),
    )
    assert form and form.group(1) == "search/"
    assert '<input class="fed-search__input" type="search" name="q"' in html


def test_the_header_search_form_carries_the_browsing_pages_from_python(built_site: Path) -> None:
    """search.js offers them after an empty or failed answer; the build, not the script, names them."""
    for address in ("/", "/search/", "/rumours/"):
        form = re.search(r'<form class="fed-search" [^>]*>', page(built_site, address))
        assert form, address
        written = re.search(r"data-browse='([^']*)'", form.group(0))
        assert written and json.loads(unescape(written.group(1))) == search.browse_links(), address
    offered = [url for _, url in search.browse_links()]
    assert addresses.facet_address("districts") in offered and addresses.ARCHIVE_URL in offered
    script = (ROOT / "site_src" / "assets" / "javascripts" / "search.js").read_text("utf-8")
    assert not [url for url in offered if f'"{url}"' in script], "search.js names a browsing page itself"


def test_the_404_page_offers_search_and_home(built_site: Path) -> None:
    html = (built_site / "404.html").read_text("utf-8")
    assert "找不到这个页面" in html
    assert (
        '<form class="fed-notfound__search" role="search" aria-label="搜索文章" action="/search/" method="get">' in html
    )
    assert '<a class="fed-tag" href="/">返回首页</a>' in html


def paginated(pages: list[Page], base: str) -> list[Page]:
    return [p for p in pages if p.url == base or p.url.startswith(base + "page/")]


def test_listings_are_paginated_and_no_page_grows_with_the_stories() -> None:
    base = stories()
    # Forty copies of the sample: a tag, a district and a month then need several pages.
    many = [dataclasses.replace(s, slug=f"{s.slug}-{n}", title=f"{s.title}（{n}）") for n in range(40) for s in base]
    site = browse.render(many, sample_settings(page_size=5))
    pages = {p.url: p for p in site.pages}
    masks = paginated(site.pages, "/tags/kou-zhao/")
    holding = [s for s in many if "口罩" in s.tags]
    assert len(masks) == -(-len(holding) // 5)
    assert "/tags/kou-zhao/page/2/" in pages
    assert 'rel="next" href="page/2/"' in pages["/tags/kou-zhao/"].html
    for listing in site.pages:
        assert len(listed(listing.html)) <= 5
    # The index pages hold one line per value, whatever the number of stories.
    small = {p.url: p for p in browse.render(base, sample_settings(page_size=5)).pages}
    for address in ("/tags/", "/honours/", "/audiences/", "/archive/", "/rumours/verdict/"):
        assert pages[address].html.count("<li>") == small[address].html.count("<li>")


def test_homophone_tags_share_a_page_and_odd_tags_get_an_address() -> None:
    assert addresses.text_slug("儿童") == addresses.text_slug("儿童 ") == "er-tong"
    assert addresses.tag_address("N95") == "/tags/n95/"
    odd = addresses.text_slug("？！")
    assert re.fullmatch(r"t-[0-9a-f]{8}", odd) and odd == addresses.text_slug("？！")
    story = stories()[0]
    twins = [dataclasses.replace(story, tags=("口罩",)), dataclasses.replace(story, slug="other", tags=("扣罩",))]
    site = browse.render(twins, sample_settings())
    shared = next(p for p in site.pages if p.url == "/tags/kou-zhao/")
    assert shared.title == "口罩、扣罩" and len(listed(shared.html)) == 2
