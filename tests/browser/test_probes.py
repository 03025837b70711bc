"""The probes themselves: each finds the fault it looks for on a page made to have it, and only that."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import probes

pytestmark = pytest.mark.requires("chromium", "cjk-font")

FAULTY = """<!doctype html><html><body style="margin:0">
<header><button id="tiny" style="width:20px;height:20px">x</button>
<a class="fed-badge fed-badge--danger" href="#"><svg width="10" height="10"></svg><span class="fed-badge__word"></span></a></header>
<article class="fed-story">
<p id="wide" style="width:600px">很宽的一段</p>
<p>句子里的<a href="#">链接</a>不算</p>
<p id="covered">被盖住的一段</p>
<div style="height:2000px"></div>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
</article>
<div style="position:fixed;inset:0;background:#fff"></div>
</body></html>"""

FINE = """<!doctype html><html><body style="margin:0">
<button style="width:48px;height:48px">大字</button>
<span class="fed-badge"><span class="fed-badge__word">谣言</span></span>
<article class="fed-story"><p>一段话，里面有<a href="#">链接</a>。</p>
<div style="height:2000px"></div><img loading="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></article>
</body></html>"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    yield page
    page.close()


def test_probes_find_each_fault(phone: Page) -> None:
    phone.set_content(FAULTY)
    assert probes.horizontal_overflow(phone)
    small = probes.small_tap_targets(phone)
    assert any("button" in s and "20×20" in s for s in small) and not any("链接" in s for s in small)
    assert probes.eager_images_below_fold(phone)
    assert probes.colour_only_badges(phone)
    unreadable = probes.unreadable_blocks(phone, f".fed-story {probes.TEXT_BLOCKS}")
    assert any("被盖住的一段" in u and "covered" in u for u in unreadable)


def test_probes_pass_a_page_without_faults(phone: Page) -> None:
    phone.set_content(FINE)
    assert probes.horizontal_overflow(phone) == []
    assert probes.small_tap_targets(phone) == []
    assert probes.eager_images_below_fold(phone) == []
    assert probes.colour_only_badges(phone) == []
    assert probes.unreadable_blocks(phone, f".fed-story {probes.TEXT_BLOCKS}") == []
