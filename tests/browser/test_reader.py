"""Elderly readers (适老化): text size by default, the 大字 switch and what it remembers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Opener, screenshot

pytestmark = pytest.mark.requires("chromium", "cjk-font")

STORY = "/rumours/baijiu/"
BODY_TEXT = ".fed-body p"
STORAGE_KEY = "fed-large-text"

_TEXT = """(selector) => {
  const style = getComputedStyle(document.querySelector(selector));
  return {size: parseFloat(style.fontSize), line: parseFloat(style.lineHeight), colour: style.color};
}"""


def text(page: Page, selector: str = BODY_TEXT) -> dict[str, float | str]:
    """Computed size, line height (px) and colour of the first element matching `selector`."""
    found: dict[str, float | str] = page.evaluate(_TEXT, selector)
    return found


def large(page: Page) -> bool:
    """Whether the page is in large-text mode."""
    on: bool = page.evaluate("() => document.documentElement.classList.contains('fed-large')")
    return on


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("address", [STORY, "/knowledge/wear-masks/", "/exemplars/nurse/"])
def test_body_text_is_at_least_17px_by_default(address: str, viewport: str, visit: Opener) -> None:
    found = text(visit(address, viewport).page)
    assert float(found["size"]) >= 17, f"body text of {address} is {found['size']} px on a {viewport}"


def test_large_text_switch_enlarges_darkens_and_is_remembered(visit: Opener) -> None:
    seen = visit(STORY, "phone")
    page = seen.page
    before = text(page)
    switch = page.get_by_role("button", name="大字")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    box = switch.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, f"the switch is {box}"

    switch.click()
    after = text(page)
    assert large(page) and switch.get_attribute("aria-pressed") == "true"
    assert float(after["size"]) >= 20, f"large text is {after['size']} px"
    assert float(after["line"]) >= 1.8 * float(after["size"]), f"line height {after['line']} px for {after['size']} px"
    assert after["colour"] == "rgb(0, 0, 0)" and before["colour"] != after["colour"], "large mode keeps the same grey"
    assert page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") == "1"
    assert page.evaluate("() => document.cookie") == "" and seen.context.cookies() == [], (
        "the choice went into a cookie"
    )
    screenshot(page, "phone-large-rumour")

    # Another page, and the same page again: the choice holds from the first paint.
    page.goto("/knowledge/wear-masks/")
    assert large(page) and float(text(page)["size"]) >= 20
    assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
    page.reload()
    assert large(page)

    page.get_by_role("button", name="大字").click()
    assert not large(page) and float(text(page)["size"]) == pytest.approx(float(before["size"]))
    assert page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") is None
    assert not seen.errors, "\n".join(seen.errors)


def test_large_text_fits_a_phone(visit: Opener) -> None:
    seen = visit("/", "phone")
    seen.page.get_by_role("button", name="大字").click()
    for address in ("/", STORY, "/knowledge/wear-masks/", "/exemplars/nurse/", "/rumours/"):
        seen.page.goto(address)
        width = seen.page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"{address} scrolls sideways in large mode: {width}"


def test_switch_is_hidden_without_javascript(visit: Opener) -> None:
    page = visit(STORY, "phone", javascript=False).page
    assert page.locator(".fed-reader-toggle").count() == 1
    assert not page.locator(".fed-reader-toggle").is_visible(), "a switch that cannot work is shown"
