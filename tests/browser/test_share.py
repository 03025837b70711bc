"""The share block (issue "Links that travel") as a reader uses it on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Opener
from tests.browser.test_pages import PAGES, STORIES

pytestmark = pytest.mark.requires("chromium", "cjk-font")

QR_MIN = 96  # CSS pixels: a phone held at arm's length still scans it


def clipboard(page: Page) -> str:
    """What is on the clipboard now."""
    text: str = page.evaluate("() => navigator.clipboard.readText()")
    return text


@pytest.mark.parametrize("name", STORIES)
def test_qr_code_is_visible(name: str, visit: Opener) -> None:
    page = visit(PAGES[name], "phone").page
    qr = page.locator("section.fed-share svg.fed-share__qr")
    assert qr.count() == 1, "no share block with a QR code"
    qr.scroll_into_view_if_needed()
    box = qr.bounding_box()
    assert qr.is_visible() and box is not None
    assert box["width"] >= QR_MIN and abs(box["width"] - box["height"]) < 1, f"the QR code is {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "the QR code runs off the screen"


def test_copy_buttons_put_the_right_text_on_the_clipboard(visit: Opener) -> None:
    seen = visit(PAGES["rumour"], "phone", permissions=["clipboard-read", "clipboard-write"])
    page = seen.page
    share = page.locator("section.fed-share")
    address = page.locator("link[rel=canonical]").get_attribute("href")
    assert address and address.startswith("https://"), f"no absolute address for the page: {address}"

    share.locator("button.fed-share__copy-link").click()
    assert clipboard(page) == address
    assert "已复制" in share.inner_text(), "the reader is not told that the link was copied"

    shown = (share.locator(".fed-share__text").text_content() or "").strip()
    share.locator("button.fed-share__copy-text").click()
    assert clipboard(page) == shown and address in shown
    assert not seen.errors, "\n".join(seen.errors)


@pytest.mark.parametrize("name", STORIES)
def test_poster_opens_in_the_share_block_to_long_press_and_save(name: str, visit: Opener) -> None:
    seen = visit(PAGES[name], "phone")
    page = seen.page
    poster = page.locator("section.fed-share details.fed-share__poster")
    image = poster.locator("img")
    # Closed, it costs nothing on a first visit; opened, the whole poster is there to long-press.
    assert not any(r.url.endswith(".jpg") and "/posters/" in r.url for r in seen.requests)
    poster.locator("summary").click()
    image.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    natural = image.evaluate("(img) => [img.naturalWidth, img.naturalHeight]")
    assert natural[0] >= 1080 and natural[1] > natural[0], natural
    box = image.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, f"the poster runs off the screen: {box}"
    assert "长按保存图片" in poster.inner_text()
    assert not seen.errors, "\n".join(seen.errors)
