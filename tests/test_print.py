"""A story printed for a community noticeboard (社区宣传栏), checked in headless Chromium.

Each story kind is printed to PDF, and the PDF's text is compared with the story's text as
the page shows it: every block is on the sheets in order, or the sheets say where they stop
(（下文略，扫码阅读全文）) and hold nothing after it. A story prints on one sheet or flows onto
a second, with the QR block whole on the last sheet beside 12338; a rumour's verdict prints
as a large stamp beside the title, and nothing fades out.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from playwright.sync_api import sync_playwright

from generator.render import notice
from tests.conftest import SAMPLE, run_generator
from tests.tools import CHROMIUM

pytestmark = pytest.mark.requires("chromium", "cjk-font")

SITE_URL = "https://fangyi.cqwomen.example"
A4_POINTS = (595, 842)  # 210 × 297 mm at 72 points to the inch
STORY = """---
title: {title}
date: 2020-02-20
summary: 居家消毒要点。
sources:
  - title: 国家卫生健康委
    url: http://www.nhc.gov.cn/
reviewed: 2020-02-20
slug: {slug}
---

{body}
"""
PARAGRAPH = "消毒前先通风，戴好口罩和手套；消毒液按说明书稀释，不要把不同的消毒剂混在一起使用。"
# (address, title, date as printed)
PAGES = [
    ("/knowledge/wear-masks/", "科学佩戴口罩", "2020年2月1日"),
    ("/rumours/baijiu/", "喝高度白酒不能预防新冠肺炎", "2020年2月3日"),
    ("/rumours/long-claim/", "吃大蒜不能预防新冠", "2020年2月10日"),
    ("/rumours/long-title/", "关于网上流传的", "2020年2月9日"),
    ("/exemplars/nurse/", "护士长张某：主动请战驰援湖北", "2020年2月12日"),
    ("/knowledge/two-sheets/", "居家消毒的三个要点", "2020年2月20日"),
    ("/knowledge/long-notice/", "居家消毒的三十个要点：一张纸贴在楼道里", "2020年2月20日"),
]
_LEAVES = """() => {
  const selector = 'p, li, h2, h3, h4, h5, h6, td, th, figcaption, pre, blockquote';
  return Array.from(document.querySelectorAll('.fed-body ' + selector.split(', ').join(', .fed-body ')))
    .filter((el) => !el.closest('.fed-print-cut') && !el.querySelector(selector))
    .map((el) => el.textContent);
}"""
_PRINTED_STYLE = """() => {
  const rect = (el) => el ? el.getBoundingClientRect().toJSON() : null;
  const banner = document.querySelector('.fed-verdict-banner');
  const word = document.querySelector('.fed-verdict-banner__word');
  const after = getComputedStyle(document.querySelector('.fed-body'), '::after');
  return {
    title: rect(document.querySelector('.fed-story h1')),
    banner: rect(banner),
    word: word ? parseFloat(getComputedStyle(word).fontSize) : 0,
    fade: after.content !== 'none' && after.content !== 'normal' ? after.backgroundImage : 'none',
  };
}"""


@pytest.fixture(scope="module")
def print_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample stories plus one a little over a sheet and one of several sheets, built as a deploy builds."""
    root = tmp_path_factory.mktemp("print")
    stories = root / "stories"
    shutil.copytree(SAMPLE, stories)
    for slug, title, count in (
        ("two-sheets", "居家消毒的三个要点", 3),
        ("long-notice", "居家消毒的三十个要点：一张纸贴在楼道里", 30),
    ):
        items = "\n".join(f"- 第 {n} 项：{PARAGRAPH[: 10 + n]}" for n in range(1, 4))
        body = "\n\n".join(f"## 第 {n} 条\n\n{PARAGRAPH * 3}\n\n{items}" for n in range(1, count + 1))
        (stories / "knowledge" / f"2020-02-20-{slug}.md").write_text(
            STORY.format(title=title, slug=slug, body=body), "utf-8"
        )
    site = root / "site"
    result = run_generator("build", "--stories", str(stories), "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def print_all(site: Path, addresses: list[str]) -> dict[str, dict[str, Any]]:
    """Each page as Chromium prints it on A4 (its own @page rules), its body's text as the screen
    shows it, and where its parts fall when laid out for print."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        printed = {}
        for address in addresses:
            page = browser.new_page()
            page.goto((site / address.strip("/") / "index.html").as_uri())
            leaves = page.evaluate(_LEAVES)
            page.emulate_media(media="print")
            style = page.evaluate(_PRINTED_STYLE)
            pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
            printed[address] = {"pdf": pdf, "leaves": leaves, "style": style}
            page.close()
        browser.close()
    return printed


@pytest.fixture(scope="module")
def printed(print_site: Path) -> dict[str, dict[str, Any]]:
    """The pages printed by Debian's Chromium (the module declares it, and the CJK font)."""
    # Playwright's sync API refuses to start inside a running event loop, and the browser
    # tests keep one open for the whole session; a thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(print_all, print_site, [address for address, _, _ in PAGES]).result()


def squeezed(text: str) -> str:
    """Text without the spaces and line breaks that layout adds or removes."""
    return "".join(text.split())


def sheets_text(document: pdfium.PdfDocument) -> list[str]:
    return [document[n].get_textpage().get_text_bounded() for n in range(len(document))]


@pytest.mark.parametrize(("address", "title", "date"), PAGES, ids=[p[0].split("/")[2] for p in PAGES])
def test_printed_text_is_the_story_s_or_says_where_it_stops(
    printed: dict[str, dict[str, Any]], address: str, title: str, date: str
) -> None:
    document = pdfium.PdfDocument(printed[address]["pdf"])
    assert 1 <= len(document) <= notice.SHEETS, f"{address} printed on {len(document)} sheets"
    for number in range(len(document)):
        assert tuple(round(x) for x in document[number].get_size()) == A4_POINTS
    texts = sheets_text(document)
    text = squeezed("".join(texts))
    assert squeezed(title) in text and date in text
    leaves = [squeezed(leaf) for leaf in printed[address]["leaves"] if leaf.strip()]
    assert leaves, f"{address}: no body text found on the page"
    cut = text.find(squeezed(notice.CUT_NOTE))
    position = 0
    for number, leaf in enumerate(leaves):
        found = text.find(leaf, position)
        if cut >= 0 and (found < 0 or found > cut):
            # The sheets say they stop here; nothing after the note is on them.
            assert number > 0, f"{address}: the notice stops before its first block"
            assert cut >= position and leaf not in text[cut:], f"{address}: text after the note"
            break
        assert found >= 0, (
            f"{address}: block {number + 1} is missing from the print, with nothing saying so: {leaf[:40]}"
        )
        position = found + len(leaf)
    else:
        assert cut < 0, f"{address}: the note says text is left out, but every block is printed"
    # The screen's controls stay off the paper: navigation, search, hotline bar and share buttons.
    for screen_only in ("复制链接", "复制转发文字", "分享本文", "大字", "关注我们", "长按保存图片"):
        assert screen_only not in text, screen_only


@pytest.mark.parametrize(("address", "title", "date"), PAGES, ids=[p[0].split("/")[2] for p in PAGES])
def test_qr_block_is_whole_on_the_last_sheet_beside_12338(
    printed: dict[str, dict[str, Any]], address: str, title: str, date: str
) -> None:
    document = pdfium.PdfDocument(printed[address]["pdf"])
    last = document[len(document) - 1]
    text = last.get_textpage().get_text_bounded()
    assert "重庆市妇女联合会" in text and "扫描二维码" in text and "12338" in text
    assert all("12338" not in t for t in sheets_text(document)[:-1]) or len(document) == 1
    picture = last.render(scale=2).to_pil().convert("L")
    codes = zxingcpp.read_barcodes(picture)
    assert [c.text for c in codes] == [SITE_URL + address]
    # Large enough to scan from a step away on a noticeboard: at least 4 cm across.
    corners = codes[0].position
    width_points = (corners.top_right.x - corners.top_left.x) / 2
    assert width_points * 25.4 / 72 >= 40


@pytest.mark.parametrize("address", [p[0] for p in PAGES])
def test_nothing_fades_and_a_verdict_is_a_stamp_beside_the_title(
    printed: dict[str, dict[str, Any]], address: str
) -> None:
    style = printed[address]["style"]
    assert style["fade"] in ("none", ""), f"{address} fades its last lines: {style['fade']}"
    if not address.startswith("/rumours/"):
        return
    banner, title = style["banner"], style["title"]
    assert style["word"] >= 40, f"the verdict prints at {style['word']} px"  # 30 pt and more
    assert banner["left"] >= title["right"] - 1 and banner["top"] < title["bottom"], (banner, title)


def test_a_long_story_stops_between_blocks_and_keeps_its_lists_whole(printed: dict[str, dict[str, Any]]) -> None:
    document = pdfium.PdfDocument(printed["/knowledge/long-notice/"]["pdf"])
    assert len(document) == notice.SHEETS
    assert squeezed(notice.CUT_NOTE) in squeezed("".join(sheets_text(document)))
    flowing = pdfium.PdfDocument(printed["/knowledge/two-sheets/"]["pdf"])
    assert len(flowing) == 2, "the two-sheet story should flow onto a second sheet"
    assert squeezed(notice.CUT_NOTE) not in squeezed("".join(sheets_text(flowing)))
