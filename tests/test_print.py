"""A story printed for a community noticeboard (社区宣传栏): one A4 sheet, checked in headless Chromium.

Each story kind is printed to PDF; the PDF must be one page holding the title, the date, the
federation's name and a QR code that reads back as the page's address, without the site's
navigation or the share buttons. A story far too long for one sheet still prints on one.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from playwright.sync_api import sync_playwright

from tests.conftest import SAMPLE, run_generator
from tests.tools import CHROMIUM

pytestmark = pytest.mark.requires("chromium", "cjk-font")

SITE_URL = "https://fangyi.cqwomen.example"
A4_POINTS = (595, 842)  # 210 × 297 mm at 72 points to the inch
LONG_STORY = """---
title: 居家消毒的十个要点：一张纸贴在楼道里
date: 2020-02-20
summary: 居家消毒要点。
sources:
  - title: 国家卫生健康委
    url: http://www.nhc.gov.cn/
reviewed: 2020-02-20
slug: long-notice
---

{body}
"""
# (address, title, date as printed)
PAGES = [
    ("/knowledge/wear-masks/", "科学佩戴口罩", "2020年2月1日"),
    ("/rumours/baijiu/", "喝高度白酒不能预防新冠肺炎", "2020年2月3日"),
    ("/exemplars/nurse/", "护士长张某：主动请战驰援湖北", "2020年2月12日"),
    ("/knowledge/long-notice/", "居家消毒的十个要点：一张纸贴在楼道里", "2020年2月20日"),
]


@pytest.fixture(scope="module")
def print_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample stories plus one whose body would fill several sheets, built as a deploy builds."""
    root = tmp_path_factory.mktemp("print")
    stories = root / "stories"
    shutil.copytree(SAMPLE, stories)
    paragraph = "消毒前先通风，戴好口罩和手套；消毒液按说明书稀释，不要把不同的消毒剂混在一起使用。"
    body = "\n\n".join(f"## 第 {n} 条\n\n{paragraph * 3}" for n in range(1, 31))
    (stories / "knowledge" / "2020-02-20-long.md").write_text(LONG_STORY.format(body=body), "utf-8")
    site = root / "site"
    result = run_generator("build", "--stories", str(stories), "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def print_all(site: Path, addresses: list[str]) -> dict[str, bytes]:
    """Each page as Chromium prints it on A4, honouring the page's own @page rules."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        printed = {}
        for address in addresses:
            page = browser.new_page()
            page.goto((site / address.strip("/") / "index.html").as_uri())
            printed[address] = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
            page.close()
        browser.close()
    return printed


@pytest.fixture(scope="module")
def printed(print_site: Path) -> dict[str, bytes]:
    """The pages printed by Debian's Chromium (the module declares it, and the CJK font)."""
    # Playwright's sync API refuses to start inside a running event loop, and the browser
    # tests keep one open for the whole session; a thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(print_all, print_site, [address for address, _, _ in PAGES]).result()


@pytest.mark.parametrize(("address", "title", "date"), PAGES, ids=[p[0].split("/")[2] for p in PAGES])
def test_story_prints_on_one_a4_sheet_with_title_and_qr_code(
    printed: dict[str, bytes], address: str, title: str, date: str
) -> None:
    document = pdfium.PdfDocument(printed[address])
    assert len(document) == 1, f"{address} printed on {len(document)} pages"
    sheet = document[0]
    assert tuple(round(x) for x in sheet.get_size()) == A4_POINTS
    text = sheet.get_textpage().get_text_bounded()
    assert title in text.replace("\r\n", "").replace("\n", "")
    assert date in text
    assert "重庆市妇女联合会" in text and "扫描二维码" in text
    # The screen's controls stay off the paper: navigation, search, hotline bar and share buttons.
    for screen_only in ("复制链接", "复制转发文字", "分享本文", "大字", "妇女维权公益服务热线", "关注我们"):
        assert screen_only not in text, screen_only
    picture = sheet.render(scale=2).to_pil().convert("L")
    codes = zxingcpp.read_barcodes(picture)
    assert [c.text for c in codes] == [SITE_URL + address]
    # Large enough to scan from a step away on a noticeboard: at least 4 cm across.
    position = codes[0].position
    width_points = (position.top_right.x - position.top_left.x) / 2
    assert width_points * 25.4 / 72 >= 40
