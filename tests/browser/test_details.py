"""Details a careful designer would catch (issue "Every reader, round two", point 5), as a reader
sees them at 320, 360 and 1280 px in each text step: where lines break, what touches what, which
shape each mark has, the labels and headings a screen reader reads, and the space under the header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.server import Server

pytestmark = pytest.mark.requires("chromium", "cjk-font", "nginx")

WIDTHS = (320, 360, 1280)
STEPS = (0, 1, 2)
PAGES = ("/", "/rumours/baijiu/", "/rumours/shuanghuanglian/", "/knowledge/masks-early/", "/rumours/", "/districts/")


@pytest.fixture
def open_page(browser: Browser, server: Server) -> Iterator[object]:
    contexts = []

    def opener(address: str, width: int = 360, step: int = 0) -> Page:
        phone = width < 600
        context = browser.new_context(
            base_url=server.base_url,
            viewport={"width": width, "height": 740 if phone else 800},
            is_mobile=phone,
            has_touch=phone,
        )
        context.add_init_script(f"localStorage.setItem('fed-text-size', '{step}');")
        contexts.append(context)
        page = context.new_page()
        page.goto(address, wait_until="load")
        page.wait_for_load_state("networkidle")
        return page

    yield opener
    for context in contexts:
        context.close()


# Lines a piece of text is laid out in: boxes that overlap vertically share a line (an icon
# and its word may sit a little apart in height).
_LINES = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0.5).sort((a, b) => a.top - b.top);
  let lines = 0, bottom = -Infinity;
  for (const r of rects) {
    if (r.top >= bottom - 2) { lines += 1; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
  }
  return lines;
}"""

_BROKEN = """([selector, linesOf]) => {
  const lines = eval(linesOf);
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().width > 0)
    .filter((el) => lines(el) > 1).map((el) => el.textContent.trim());
}"""


def broken(page: Page, selector: str) -> list[str]:
    """Elements matching `selector` whose text runs over more than one line."""
    found: list[str] = page.evaluate(_BROKEN, [selector, _LINES])
    return found


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("width", WIDTHS)
def test_dates_badges_hashtags_and_counts_stay_whole(width: int, step: int, open_page: object) -> None:
    problems = []
    for address in PAGES:
        page = open_page(address, width, step)  # type: ignore[operator]
        problems += [f"{address}: date broken: {t}" for t in broken(page, "time")]
        problems += [f"{address}: badge broken: {t}" for t in broken(page, ".fed-badge")]
        problems += [f"{address}: hashtag broken: {t}" for t in broken(page, ".fed-share__text .fed-nowrap")]
        problems += [f"{address}: month count broken: {t}" for t in broken(page, ".fed-report .fed-nowrap")]
        # An address breaks only where the template allows it (after / and .).
        problems += [
            f"{address}: address split inside a word: {t}"
            for t in page.evaluate(
                """() => [...document.querySelectorAll('.fed-url')].flatMap((url) => {
                  const found = [];
                  const walker = document.createTreeWalker(url, NodeFilter.SHOW_TEXT);
                  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (!node.textContent) continue;
                    const range = document.createRange();
                    range.selectNodeContents(node);
                    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0.5).map((r) => Math.round(r.top)));
                    if (tops.size > 1) found.push(node.textContent);
                  }
                  return found;
                })"""
            )
        ]
        # A badge keeps a gap from the words beside it (✕谣言辟谣 reads as one word).
        problems += [
            f"{address}: badge touches its neighbour: {t}"
            for t in page.evaluate(
                """() => [...document.querySelectorAll('.fed-badge')].flatMap((badge) => {
                  const box = badge.getBoundingClientRect();
                  const next = badge.nextSibling;
                  if (!box.width || !next) return [];
                  const range = document.createRange();
                  range.selectNodeContents(next.nodeType === 3 ? next : next);
                  const first = [...range.getClientRects()].find((r) => r.width > 0.5 && Math.abs(r.top - box.top) < box.height);
                  if (!first) return [];
                  const gap = first.left - box.right;
                  const text = (next.textContent || '').trim();
                  return text && gap < 4 ? [`${badge.innerText.trim()}|${text.slice(0, 6)} (${gap.toFixed(1)}px)`] : [];
                })"""
            )
        ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("width", (320, 360))
def test_headings_and_short_lines_do_not_end_on_one_character(width: int, step: int, open_page: object) -> None:
    problems = []
    for address in PAGES:
        page = open_page(address, width, step)  # type: ignore[operator]
        problems += [
            f"{address}: {t}"
            for t in page.evaluate(
                """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3), .fed-card__title, .fed-hotline-card span')].flatMap((el) => {
                  if (!el.getBoundingClientRect().width) return [];
                  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                  const chars = [];
                  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    for (let i = 0; i < n.textContent.length; i++) {
                      if (!n.textContent[i].trim()) continue;
                      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                      const rect = r.getClientRects()[0];
                      if (rect) chars.push([n.textContent[i], Math.round(rect.top)]);
                    }
                  }
                  if (chars.length < 4) return [];
                  const last = chars[chars.length - 1][1];
                  const onLast = chars.filter((c) => c[1] === last).length;
                  return onLast === 1 && new Set(chars.map((c) => c[1])).size > 1 ? [`「${el.textContent.trim()}」 ends on one character`] : [];
                })"""
            )
        ]
    assert not problems, "\n".join(problems)


def test_each_verdict_and_status_has_its_own_shape(open_page: object) -> None:
    shapes: dict[str, str] = {}
    for address in ("/rumours/", "/knowledge/", "/knowledge/masks-early/"):
        page = open_page(address)  # type: ignore[operator]
        for mark, shape in page.evaluate(
            """() => [...document.querySelectorAll('.fed-badge')].map((b) =>
                 [b.innerText.trim(), b.querySelector('svg') ? b.querySelector('svg').innerHTML : ''])"""
        ):
            shapes.setdefault(mark, shape)
    assert {"谣言", "误导", "已过时"} <= set(shapes), sorted(shapes)
    assert shapes["误导"] != shapes["已过时"], "误导 and 已过时 share one icon"
    assert shapes["误导"] != shapes["谣言"]


def test_no_synthetic_italic_on_chinese(open_page: object) -> None:
    page = open_page("/rumours/baijiu/")  # type: ignore[operator]
    slanted = page.evaluate(
        """() => [...document.querySelectorAll('.md-content *')]
          .filter((el) => getComputedStyle(el).fontStyle !== 'normal' && /[\\u4e00-\\u9fff]/.test(el.textContent))
          .map((el) => el.tagName + ' ' + el.textContent.trim().slice(0, 20))"""
    )
    assert page.get_by_text("微信扫一扫").count() >= 1
    assert slanted == []


def test_the_district_table_reads_as_counts(open_page: object) -> None:
    page = open_page("/districts/", 320)  # type: ignore[operator]
    cells = page.locator(".fed-report td:nth-child(3)").all_inner_texts()
    months = [c for c in cells if "月" in c]
    assert months and all("篇" in c for c in months), months


@pytest.mark.parametrize("address", ["/rumours/baijiu/", "/", "/rumours/", "/no-such-page/", "/roundups/"])
def test_every_page_has_a_skip_link_to_its_content(address: str, open_page: object) -> None:
    page = open_page(address)  # type: ignore[operator]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "跳到正文"
    assert page.locator("#fed-main").count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "fed-main"


def test_labels_and_headings_a_screen_reader_reads(open_page: object) -> None:
    page = open_page("/rumours/baijiu/", 1280)  # type: ignore[operator]
    assert page.locator("nav.md-tabs").get_attribute("aria-label") == "栏目导航"
    headings = page.locator(".md-content h2").all_inner_texts()
    assert any(h.startswith("查证结论") for h in headings), headings
    assert any(h.startswith("网传") for h in headings), headings


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_blank_band_under_the_header(width: int, step: int, open_page: object) -> None:
    for address in ("/", "/rumours/baijiu/", "/rumours/", "/no-such-page/"):
        page = open_page(address, width, step)  # type: ignore[operator]
        gap = page.evaluate(
            """() => {
              const bars = [...document.querySelectorAll('.md-header, .md-tabs')].filter((b) => b.getBoundingClientRect().height);
              const bottom = Math.max(...bars.map((b) => b.getBoundingClientRect().bottom));
              const first = [...document.querySelectorAll('.md-content__inner > *')].find((e) => e.getBoundingClientRect().height);
              return first.getBoundingClientRect().top - bottom;
            }"""
        )
        assert gap <= 24, f"{address} at {width}px: {gap:.0f} px blank under the header"


@pytest.mark.parametrize("width", WIDTHS)
def test_breadcrumb_and_district_links_are_finger_sized(width: int, open_page: object) -> None:
    sizes = []
    for address in ("/roundups/rumours/", "/districts/"):
        page = open_page(address, width)  # type: ignore[operator]
        sizes += page.evaluate(
            """() => [...document.querySelectorAll('.fed-trail a, .fed-report th a')]
              .map((a) => [a.textContent.trim(), a.getBoundingClientRect().width, a.getBoundingClientRect().height])"""
        )
    assert sizes
    small = [s for s in sizes if min(s[1], s[2]) < 44]
    assert not small, small
