"""适老化: the figures of 《互联网网站适老化通用设计规范》 on every page kind, width and reader setting.

Each page kind (home, a rumour, a knowledge item, an exemplar story, a listing, the district
table, search with results, the 404 page) is opened at 320, 360 and 1280 px in each text step
(标准, 大, 特大) and in the high-contrast scheme, and measured as a reader meets it
(tests/browser/figures.js): body text size and the smallest text, line spacing of every text,
paragraph spacing, the contrast of every visible text on its background, every tap target, and
the site's name in the header. The figures go into 适老化自评报告.md in tests/artefacts/; a figure
that misses its bar fails the test.

The bars: body text at least 18 px (适老版主要文字不小于 18), 21 px in 大 and 25 px in 特大; no
text under 15 px (18 and 20 in the larger steps); line height at least 1.3 times the size
(行距至少 1.3 倍), paragraphs spaced at least 1.3 times the line (段落间距至少比行距大 1.3 倍);
contrast at least 4.5:1 (7:1 for the content in the larger steps, and for everything in high
contrast); targets at least 44×44 px, 60×60 in 特大 (适老版界面 60×60); the site's name
whole, in at most two lines, inside the header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Error

from tests.browser.conftest import ARTEFACTS
from tests.browser.server import Server

pytestmark = pytest.mark.requires("chromium", "cjk-font", "nginx")

FIGURES = (Path(__file__).parent / "figures.js").read_text("utf-8")
SITE_NAME = "重庆妇联·科学防疫"
PAGES = {
    "首页": "/",
    "辟谣": "/rumours/baijiu/",
    "防控知识": "/knowledge/wear-masks/",
    "巾帼风采": "/exemplars/nurse/",
    "栏目列表": "/rumours/",
    "区县动态": "/districts/",
    "搜索": "/search/?q=%E5%8F%A3%E7%BD%A9",
    "404": "/no-such-page/",
}
WIDTHS = (320, 360, 1280)


@dataclass(frozen=True)
class Mode:
    """A reader's setting: a text step and the colour scheme."""

    name: str
    step: int
    contrast: bool

    @property
    def body(self) -> float:
        return (18.0, 21.0, 25.0)[self.step]

    @property
    def smallest(self) -> float:
        return (15.0, 18.0, 20.0)[self.step]

    @property
    def tap(self) -> float:
        return 60.0 if self.step == 2 else 44.0

    def contrast_bar(self, content: bool) -> float:
        return 7.0 if self.contrast or (self.step and content) else 4.5


MODES = (Mode("标准", 0, False), Mode("大", 1, False), Mode("特大", 2, False), Mode("高对比度", 0, True))
LINE, PARAGRAPH = 1.3, 1.3


@dataclass
class Row:
    """The figures of one page, width and mode, with what missed its bar."""

    page: str
    width: int
    mode: str
    figures: dict[str, str] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


ROWS: list[Row] = []


def measure(found: dict[str, Any], mode: Mode, row: Row) -> None:
    """Judge what figures.js found against the mode's bars; fill the row."""
    texts = found["texts"]
    assert texts, "no visible text measured"
    body = found["body"]
    if body is None:
        row.misses.append("no body text found")
    else:
        row.figures["正文字号"] = f"{body['size']:.1f}px"
        if body["size"] < mode.body - 0.05:
            row.misses.append(f"body text {body['size']:.1f}px < {mode.body}px ({body['what']})")
    small = min(texts, key=lambda t: t["size"])
    row.figures["最小字号"] = f"{small['size']:.1f}px"
    row.misses += [
        f"text {t['size']:.1f}px < {mode.smallest}px: {t['what']}" for t in texts if t["size"] < mode.smallest - 0.05
    ]
    tight = min(texts, key=lambda t: t["line"])
    row.figures["最小行距"] = f"{tight['line']:.2f}倍"
    row.misses += [f"line height {t['line']:.2f} < {LINE}: {t['what']}" for t in texts if t["line"] < LINE - 0.005]
    if found["paragraphs"]:
        spacing = min(p["spacing"] for p in found["paragraphs"])
        row.figures["段落间距"] = f"{spacing:.2f}倍行距"
        row.misses += [
            f"paragraph spacing {p['spacing']:.2f} < {PARAGRAPH}: {p['what']}"
            for p in found["paragraphs"]
            if p["spacing"] < PARAGRAPH - 0.005
        ]
    else:
        row.figures["段落间距"] = "（无连续段落）"
    lowest = min(texts, key=lambda t: t["contrast"])
    row.figures["最低对比度"] = f"{lowest['contrast']:.2f}:1"
    row.misses += [
        f"contrast {t['contrast']:.2f}:1 < {mode.contrast_bar(t['content'])}:1: {t['what']}"
        for t in texts
        if t["contrast"] < mode.contrast_bar(t["content"]) - 0.005
    ]
    targets = found["targets"]
    if targets:
        least = min(targets, key=lambda t: min(t["width"], t["height"]))
        row.figures["最小点击区域"] = f"{least['width']:.0f}×{least['height']:.0f}px"
    row.misses += [
        f"tap target {t['width']:.0f}×{t['height']:.0f}px < {mode.tap:.0f}px: {t['what']}"
        for t in targets
        if min(t["width"], t["height"]) < mode.tap - 0.5
    ]
    name = found["name"]
    if name is None:
        row.misses.append("the header shows no site name")
    else:
        whole = name["text"] == SITE_NAME and not name["cut"] and name["inside"] and name["lines"] <= 2
        row.figures["站名"] = f"完整（{name['lines']}行）" if whole else "被截断"
        if not whole:
            row.misses.append(f"the site's name is not whole in the header: {name}")


@pytest.fixture(scope="module")
def report() -> Iterator[list[Row]]:
    """The rows measured in this module, written as 适老化自评报告.md when it ends."""
    yield ROWS
    if ROWS:
        write_report(ROWS, ARTEFACTS / "适老化自评报告.md")


COLUMNS = ("正文字号", "最小字号", "最小行距", "段落间距", "最低对比度", "最小点击区域", "站名")


def write_report(rows: list[Row], path: Path) -> None:
    """The self-assessment report (自评报告), in Chinese, one line per page, width and mode."""
    met = sum(1 for r in rows if not r.misses)
    lines = [
        "# 适老化自评报告",
        "",
        "依据《互联网网站适老化通用设计规范》（工业和信息化部，2020年）及《移动互联网应用（APP）适老化通用设计规范》"
        "中可由浏览器测得的指标，在 Chromium 中逐页测量（tests/browser/test_elders.py）。",
        "",
        "| 指标 | 要求 |",
        "| --- | --- |",
        "| 文字大小 | 提供 标准、大、特大 三档，记住选择并在首屏显示前生效；正文不小于 18px（大 21px，特大 25px），"
        "页面上任何文字不小于 15px（大 18px，特大 20px） |",
        f"| 行距 | 每段文字行高不小于字号的 {LINE} 倍 |",
        f"| 段落间距 | 相邻两段之间的距离（上段末行到下段首行）不小于行距的 {PARAGRAPH} 倍 |",
        "| 对比度 | 文字与背景不低于 4.5:1；大、特大档正文不低于 7:1；高对比度配色下全部文字不低于 7:1 |",
        "| 点击区域 | 按钮和链接（句中链接除外）不小于 44×44px，特大档不小于 60×60px |",
        "| 页头站名 | 在 320、360、1280px 宽度下完整显示（最多两行），不被截断 |",
        "",
        f"共测量 {len(rows)} 项（{len(PAGES)} 类页面 × {len(WIDTHS)} 种宽度 × {len(MODES)} 种设置），"
        f"达标 {met} 项，未达标 {len(rows) - met} 项。",
        "",
        "| 页面 | 宽度 | 设置 | " + " | ".join(COLUMNS) + " | 结论 |",
        "| --- | ---: | --- | " + " | ".join("---" for _ in COLUMNS) + " | --- |",
    ]
    for r in rows:
        cells = [r.figures.get(c, "—") for c in COLUMNS]
        lines.append(
            f"| {r.page} | {r.width}px | {r.mode} | "
            + " | ".join(cells)
            + f" | {'达标' if not r.misses else '未达标'} |"
        )
    failing = [r for r in rows if r.misses]
    if failing:
        lines += ["", "## 未达标项", ""]
        for r in failing:
            lines.append(f"- {r.page} {r.width}px {r.mode}：" + "；".join(r.misses[:8]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _recorder(errors: list[str]) -> Callable[[Error], None]:
    """A page-error handler that keeps each message in `errors`."""
    return lambda error: errors.append(str(error))


def settings_script(mode: Mode) -> str:
    """Set the remembered choice before any page script runs, as reader.js would have kept it."""
    size = (
        f"localStorage.setItem('fed-text-size', '{mode.step}');"
        if mode.step
        else "localStorage.removeItem('fed-text-size');"
    )
    contrast = (
        "localStorage.setItem('fed-contrast', '1');" if mode.contrast else "localStorage.removeItem('fed-contrast');"
    )
    return f"try {{ {size} {contrast} localStorage.removeItem('fed-large-text'); }} catch (e) {{}}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_meets_the_guidance_in_every_setting(
    name: str, width: int, browser: Browser, server: Server, report: list[Row]
) -> None:
    phone = width < 600
    problems: list[str] = []
    for mode in MODES:
        context = browser.new_context(
            base_url=server.base_url,
            viewport={"width": width, "height": 740 if phone else 800},
            is_mobile=phone,
            has_touch=phone,
        )
        context.add_init_script(settings_script(mode))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", _recorder(errors))
        page.goto(PAGES[name], wait_until="load")
        page.wait_for_load_state("networkidle")
        if name == "搜索":
            page.locator(".fed-search__results--page .fed-search__hit").first.wait_for(timeout=15_000)
        row = Row(name, width, mode.name)
        measure(page.evaluate(FIGURES, mode.tap), mode, row)
        row.misses += [f"page error: {e}" for e in errors]
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            row.misses.append(f"scrolls sideways: {scroll} px of content in {client} px")
        report.append(row)
        problems += [f"{mode.name}: {miss}" for miss in row.misses]
        context.close()
    assert not problems, f"{PAGES[name]} at {width}px:\n" + "\n".join(problems)
