"""Small pieces of the core, each checked on its own."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.content.body import sanitise
from generator.content.checks import first_paragraph
from generator.content.frontmatter import Mapping, Scalar, parse
from generator.core import vocab
from generator.core.addresses import relative
from generator.core.slugs import from_file_name, from_title
from generator.render.pages import listing_pages
from generator.render.templating import zh_date
from tests.conftest import SAMPLE, sample_settings


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("2020-02-03-baijiu", "baijiu"),
        ("2020-02-03-Wear_Masks", "wear-masks"),
        ("baijiu", "baijiu"),
        ("2020-02-03-戴口罩", None),
        ("戴口罩", None),
        ("2020-02-03-", None),
    ],
)
def test_slug_from_file_name(stem: str, slug: str | None) -> None:
    assert from_file_name(stem) == slug


def test_slug_from_title_is_short_ascii_pinyin() -> None:
    assert from_title("喝高度白酒不能预防新冠肺炎") == "he-gao-du-bai-jiu-bu-neng-yu"
    assert from_title("7步洗手法 WHO 指南") == "7-bu-xi-shou-fa-who-zhi-nan"
    assert from_title("！？") == "story"


@pytest.mark.parametrize(
    ("source", "target", "link"),
    [
        ("/rumours/baijiu/", "/rumours/", "../"),
        ("/rumours/baijiu/", "/knowledge/wear-masks/", "../../knowledge/wear-masks/"),
        ("/", "/rumours/baijiu/", "rumours/baijiu/"),
        ("/rumours/", "/rumours/", "./"),
        ("/rumours/page/2/", "/", "../../../"),
        ("/knowledge/a/", "/knowledge/a/photo.jpg", "photo.jpg"),
        ("/knowledge/a/", "https://www.who.int/", "https://www.who.int/"),
    ],
)
def test_relative_links(source: str, target: str, link: str) -> None:
    assert relative(source, target) == link


def test_dates_in_chinese() -> None:
    assert zh_date(date(2020, 2, 1)) == "2020年2月1日"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("渝中", "渝中区"),
        ("石柱", "石柱土家族自治县"),
        ("石柱县", "石柱土家族自治县"),
        ("两江新", "两江新区"),
        ("北京", None),
    ],
)
def test_district_suggestions(typed: str, suggested: str | None) -> None:
    assert vocab.districts().suggest(typed) == suggested


def test_verdicts_accept_code_or_chinese_label() -> None:
    verdicts = vocab.verdicts()
    assert verdicts.find("false") is verdicts.find("谣言")
    assert verdicts.find("假的") is None
    assert verdicts.suggest("部分正确") == "部分属实"


def test_front_matter_keeps_lines_and_raw_text() -> None:
    raw = "\ufeff---\r\ntitle: 标题\r\nverdict: false\r\ntags:\r\n  - 口罩\r\n---\r\n\r\n正文\r\n".encode()
    parsed = parse("x.md", raw)
    assert parsed.problems == []
    assert isinstance(parsed.front, Mapping)
    entries = {k.text: v for k, v in parsed.front.entries}
    assert entries["title"] == Scalar("标题", 2)
    # YAML would read `false` as a boolean; the raw text keeps the verdict's code.
    assert entries["verdict"] == Scalar("false", 3)
    assert entries["tags"].line == 5
    assert parsed.body == "\n正文\n"
    assert parsed.body_line == 7


def test_yaml_anchors_and_aliases_are_refused() -> None:
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b]\n---\n正文\n"
    )
    parsed = parse("bomb.md", bomb.encode())
    assert parsed.front is None
    assert [(p.line, p.rule) for p in parsed.problems] == [(2, "front.anchor-value")]
    # An anchor inside a flow list slips past the line scan; the tree walk refuses the alias.
    nested = parse("nested.md", "---\ntags: [&a [x, x], *a, *a]\n---\n正文\n".encode())
    assert nested.front is None
    assert [(p.line, p.rule) for p in nested.problems] == [(2, "front.alias")]


def test_first_paragraph_is_plain_text() -> None:
    body = "## 小标题\n\n![图](a.png)\n\n**注意**：请[勤洗手](https://x.org/)。\n第二行\n\n第二段"
    assert first_paragraph(body) == "注意：请勤洗手。 第二行"
    assert first_paragraph("一" * 200).endswith("…")
    assert len(first_paragraph("一" * 200)) == 120


def test_listings_paginate_newest_first() -> None:
    outcome = pipeline.check(sample_settings())
    # The three rumours of 2020-02-03 … 07 (the sample's long-title and long-claim ones are for the browser).
    stories = [
        s
        for s in outcome.stories
        if s.section.key == "rumours" and not s.draft and s.slug not in ("long-title", "long-claim")
    ]
    pages = listing_pages(stories, "/rumours/", "辟谣", "", "rumours", page_size=2)
    assert [p.url for p in pages] == ["/rumours/", "/rumours/page/2/"]
    assert [p.src_uri for p in pages] == ["rumours/index.md", "rumours/page/2/index.md"]
    assert 'rel="next" href="page/2/"' in pages[0].html
    assert 'rel="prev" href="../../"' in pages[1].html
    assert "第 2 页，共 2 页" in pages[1].html
    assert pages[0].html.index("宠物") < pages[0].html.index("双黄连")


def test_bodies_are_sanitised_after_rendering() -> None:
    # The check refuses these; the sanitiser is the second line for markup it could miss.
    html = sanitise(
        '<p>a<img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a></p><svg onload=alert(1)></svg>'
    )
    assert "onerror" not in html and "javascript" not in html and "svg" not in html
    kept = '<h2 id="怎样戴">怎样戴</h2>\n<p><a href="https://www.who.int/" rel="noopener noreferrer">世卫</a></p>'
    assert sanitise(kept) == kept


def test_a_preview_shows_the_good_stories_and_a_page_of_problems(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    (stories / "rumours" / "2020-03-01-bad.md").write_text("---\ntitle: 坏\ndate: 2020-13-01\n---\n正文\n", "utf-8")
    settings = sample_settings(stories_dir=stories, root=tmp_path)
    outcome, site = pipeline.build(settings)
    assert site is None and not outcome.ok
    outcome, site = pipeline.build(settings, preview=True)
    assert site is not None
    urls = {page.url: page for page in site.pages}
    assert "/rumours/baijiu/" in urls
    problems = urls["/check/"].html
    assert "stories/rumours/2020-03-01-bad.md:3" in problems and "不是有效日期" in problems
