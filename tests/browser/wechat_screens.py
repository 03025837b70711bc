"""The 公众号 article beside the site's page, at 375 px, for review: one story of each section and
one roundup, measured as they are shot.

`python -m tests.browser.wechat_screens [FOLDER]` builds the sample site, serves it (nginx, else
Python's static server) and writes one PNG per case into FOLDER (docs/screenshots/wechat/ by
default): the fragment as the 公众号's column shows it (16 px margins) on the left, the page on
the right. tests/browser/test_wechat.py shoots the same into tests/artefacts/ and asserts what
`measure` finds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, Route

from generator import pipeline
from generator.content.body import BodyRenderer
from generator.core.story import Story
from generator.render import lettering, roundups, shareimage, wechat
from tests.browser.screenshots import sample_site_in_chromium
from tests.conftest import ROOT, sample_settings

WIDTH = 375  # the phone the 公众号 article is read on
SCREEN = {"width": WIDTH, "height": 812}
TALLEST = 4000  # pixels of each column kept in the picture: the first five screens
# One story of each section, and a week of rumours.
CASES = {
    "rumour": "/rumours/baijiu/",
    "knowledge": "/knowledge/wear-masks/",
    "exemplar": "/exemplars/nurse/",
    "roundup": "/roundups/rumours/week/2020-w06/",
}
# What the page finds in the fragment, as the reader's browser lays it out.
_MEASURE = """
() => {
  const root = document.body.firstElementChild;
  const blocks = Array.from(root.children).map(e => ({
    tag: e.tagName.toLowerCase(), text: e.innerText.trim(), top: e.getBoundingClientRect().top,
    boxed: getComputedStyle(e).borderTopStyle !== "none" && getComputedStyle(e).borderTopWidth !== "0px"
  }));
  const marks = Array.from(document.querySelectorAll("sup")).map(s => s.innerText.trim());
  const heading = Array.from(root.querySelectorAll("p")).findIndex(p => p.innerText.trim() === "引用链接");
  const after = heading < 0 ? [] : Array.from(root.querySelectorAll("p")).slice(heading + 1);
  const entries = after.map(p => p.innerText.trim()).filter(t => /^\\[\\d+\\] /.test(t));
  const wide = Array.from(document.querySelectorAll("body *"))
    .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 || e.getBoundingClientRect().left < -0.5)
    .map(e => e.tagName + ": " + (e.innerText || e.getAttribute("src") || "").slice(0, 40));
  const images = Array.from(document.images).map(i => ({src: i.src, loaded: i.complete && i.naturalWidth > 0}));
  return {blocks, marks, entries, wide, images, scrollWidth: document.documentElement.scrollWidth};
}
"""


@dataclass
class Shot:
    """One case: what the fragment's layout measured, and where its picture went."""

    name: str
    address: str
    measured: dict[str, Any]
    picture: Path


@cache
def _published() -> tuple[Story, ...]:
    return tuple(pipeline.check(sample_settings()).published(include_drafts=False))


def article(address: str) -> wechat.Article:
    """The 公众号 article of the story or roundup at `address`, as `wechat --out` writes it."""
    settings = sample_settings()
    story = next((s for s in _published() if s.url == address), None)
    if story is not None:
        return wechat.article(story, settings, BodyRenderer())
    roundup = roundups.find(roundups.roundups(_published()), address)
    assert roundup is not None, address
    return wechat.roundup_article(roundup, settings)


def shoot(browser: Browser, base_url: str, folder: Path) -> list[Shot]:
    """Every case shot into `folder`, its fragment measured."""
    folder.mkdir(parents=True, exist_ok=True)
    site_url = sample_settings().site_url.rstrip("/")
    shots = []
    for name, address in CASES.items():
        made = article(address)
        context = browser.new_context(viewport=SCREEN, is_mobile=True, has_touch=True, device_scale_factor=1)

        # The fragment's pictures are on the site's public host: the served sample answers for it.
        def local(route: Route) -> None:
            route.fulfill(response=route.fetch(url=base_url + route.request.url[len(site_url) :]))

        context.route(site_url + "/**", local)
        fragment = context.new_page()
        fragment.set_content(
            f'<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f'<body style="margin:0;padding:0 16px">{made.content}</body>',
            wait_until="networkidle",
        )
        measured = fragment.evaluate(_MEASURE)
        left = folder / f".{name}-article.png"
        fragment.screenshot(path=str(left), full_page=True)
        page = context.new_page()
        page.goto(base_url + address, wait_until="load")
        page.wait_for_load_state("networkidle")
        right = folder / f".{name}-page.png"
        # A screen as tall as the page, so the fixed hotline bar sits at its end as a reader sees it
        # there, not across the middle of a stitched picture (as tests/browser/conftest.screenshot).
        page.set_viewport_size(
            {"width": WIDTH, "height": min(TALLEST, page.evaluate("document.documentElement.scrollHeight"))}
        )
        page.screenshot(path=str(right))
        context.close()
        picture = folder / f"{name}.png"
        _side_by_side(left, right, picture)
        shots.append(Shot(name, address, measured, picture))
    return shots


def _side_by_side(left: Path, right: Path, target: Path) -> None:
    """The two shots in one picture under their captions, 256 colours to keep it small."""
    font = shareimage.font_file()
    assert font is not None
    with Image.open(left) as one, Image.open(right) as other:
        columns = [one.convert("RGB"), other.convert("RGB")]
    left.unlink()
    right.unlink()
    gap, caption = 24, 44
    height = min(TALLEST, max(c.height for c in columns))
    sheet = Image.new("RGB", (2 * WIDTH + gap, caption + height), (214, 216, 220))
    for number, (column, title) in enumerate(zip(columns, ("公众号文章（375 px）", "网站页面（375 px）"), strict=True)):
        x = number * (WIDTH + gap)
        sheet.paste(column.crop((0, 0, WIDTH, min(column.height, height))), (x, caption))
        box = lettering.fit(font, title, x + 12, 8, WIDTH - 24, "Bold", [20], 1)
        lettering.draw(sheet, font, box, (26, 26, 26))
    sheet.quantize(256).save(target, optimize=True)


def main(folder: Path) -> None:
    """Build the sample site, serve it, and write every case's picture into `folder`."""
    with sample_site_in_chromium() as (browser, base_url):
        for shot in shoot(browser, base_url, folder):
            print(shot.picture)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "wechat")
