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
