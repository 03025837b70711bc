"""Elderly readers (适老化): text size by default, the three text steps, high contrast, forced
colours, and the keyboard (focus ring on the red header, skip link, the phone's menu)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Opener, screenshot

pytestmark = pytest.mark.requires("chromium", "cjk-font")

STORY = "/rumours/baijiu/"
BODY_TEXT = ".fed-body p"
SIZE_KEY, CONTRAST_KEY = "fed-text-size", "fed-contrast"

_TEXT = """(selector) => {
  const style = getComputedStyle(document.querySelector(selector));
  return {size: parseFloat(style.fontSize), line: parseFloat(style.lineHeight), colour: style.color};
}"""


def text(page: Page, selector: str = BODY_TEXT) -> dict[str, float | str]:
    """Computed size, line height (px) and colour of the first element matching `selector`."""
    found: dict[str, float | str] = page.evaluate(_TEXT, selector)
    return found


def classes(page: Page) -> set[str]:
    """The reader's settings as classes on <html>."""
    found: str = page.evaluate("() => document.documentElement.className")
    return set(found.split())


def size(page: Page, selector: str) -> float:
    found: float = page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")
    return found


def open_settings(page: Page) -> None:
    toggle = page.locator("button.fed-reader-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator("#fed-reader-panel").wait_for(state="visible")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("address", [STORY, "/knowledge/wear-masks/", "/exemplars/nurse/"])
def test_body_text_is_at_least_17px_by_default(address: str, viewport: str, visit: Opener) -> None:
    found = text(visit(address, viewport).page)
    assert float(found["size"]) >= 17, f"body text of {address} is {found['size']} px on a {viewport}"


def test_three_text_steps_enlarge_everything_show_pressed_and_are_remembered(visit: Opener) -> None:
    seen = visit(STORY, "phone")
    page = seen.page
    toggle = page.locator("button.fed-reader-toggle")
    assert toggle.is_visible() and toggle.inner_text().split() == ["A+", "大字"]
    parts = {
        "body": BODY_TEXT,
        "header name": ".fed-site-name",
        "search box": "header .fed-search__input",
        "menu": ".md-nav__link",
        "footer": ".md-copyright",
        "hotline": ".fed-hotline-bar",
    }
    before = {name: size(page, selector) for name, selector in parts.items()}
    colour = text(page)["colour"]
    open_settings(page)
    steps = page.locator("[data-fed-text-step]")
    assert [steps.nth(i).inner_text().strip() for i in range(3)] == ["标准", "大", "特大"]
    tick = "(b) => getComputedStyle(b, '::before').content"
    assert steps.nth(0).evaluate(tick) == '"✓ "' and steps.nth(1).evaluate(tick) == "none"

    sizes = [before]
    for step, word, mark in ((1, "大", "大字"), (2, "特大", "特大")):
        page.get_by_role("button", name=word, exact=True).click()
        chosen = steps.nth(step)
        assert chosen.get_attribute("aria-pressed") == "true"
        assert [steps.nth(i).get_attribute("aria-pressed") for i in range(3)].count("true") == 1
        # Pressed shows: filled, with a tick, whichever rule of the theme also matches.
        look = chosen.evaluate("(b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
        plain = steps.nth(0).evaluate("(b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
        assert look != plain and look[0] != "rgba(0, 0, 0, 0)", (look, plain)
        assert chosen.evaluate(tick) == '"✓ "' and steps.nth(0).evaluate(tick) == "none"
        # The header button says so: ✓ over the step, filled.
        assert toggle.inner_text().split() == ["✓", mark]
        filled = toggle.evaluate("(b) => getComputedStyle(b).backgroundColor")
        assert filled in ("rgb(255, 255, 255)", "rgba(255, 255, 255, 1)"), filled
        assert page.evaluate(f"() => localStorage.getItem('{SIZE_KEY}')") == str(step)
        sizes.append({name: size(page, selector) for name, selector in parts.items()})
        screenshot(page, f"phone-text-step-{step}-rumour", full_page=False)
    for name in parts:
        assert sizes[0][name] < sizes[1][name] < sizes[2][name], f"{name} does not grow step by step: {sizes}"
    assert sizes[1]["body"] >= 20 and sizes[2]["body"] >= 25, sizes
    assert text(page)["colour"] == "rgb(0, 0, 0)" and colour != "rgb(0, 0, 0)", "the larger steps keep the same grey"
    assert page.evaluate("() => document.cookie") == "" and seen.context.cookies() == [], (
        "the choice went into a cookie"
    )

    # Another page, and the same page again: the step holds from the first paint.
    page.goto("/knowledge/wear-masks/")
    assert {"fed-large", "fed-xlarge"} <= classes(page) and float(text(page)["size"]) >= 25
    open_settings(page)
    assert page.locator("[data-fed-text-step='2']").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="标准", exact=True).click()
    assert not {"fed-large", "fed-xlarge"} & classes(page)
    assert float(text(page)["size"]) == pytest.approx(float(text(visit("/knowledge/wear-masks/").page)["size"]))
    assert page.evaluate(f"() => localStorage.getItem('{SIZE_KEY}')") is None
    assert toggle.inner_text().split() == ["A+", "大字"]
    page.keyboard.press("Escape")
    assert page.locator("#fed-reader-panel").is_hidden()
    assert not seen.errors, "\n".join(seen.errors)


def test_a_remembered_setting_is_on_before_the_page_is_drawn(visit: Opener) -> None:
    seen = visit("/", "phone")
    context = seen.context
    # When the header first exists (before anything of the page can be painted), the classes are set.
    context.add_init_script(
        """localStorage.setItem('fed-text-size', '2'); localStorage.setItem('fed-contrast', '1');
        new MutationObserver((changes, observer) => {
          if (document.querySelector('.md-header')) {
            window.__fedAtHeader = document.documentElement.className;
            observer.disconnect();
          }
        }).observe(document, {childList: true, subtree: true});"""
    )
    page = context.new_page()
    page.goto(STORY)
    at_header = set(page.evaluate("() => window.__fedAtHeader").split())
    assert {"fed-large", "fed-xlarge", "fed-contrast"} <= at_header, at_header
    # The old one-step setting still reads as 大.
    context.add_init_script("localStorage.clear(); localStorage.setItem('fed-large-text', '1');")
    page.goto(STORY)
    assert "fed-large" in classes(page) and "fed-xlarge" not in classes(page)


def test_large_text_fits_a_phone(visit: Opener) -> None:
    seen = visit("/", "phone")
    for step in ("1", "2"):
        seen.page.evaluate(f"() => localStorage.setItem('{SIZE_KEY}', '{step}')")
        for address in ("/", STORY, "/knowledge/wear-masks/", "/exemplars/nurse/", "/rumours/", "/districts/"):
            seen.page.goto(address)
            width = seen.page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width[0] <= width[1], f"{address} scrolls sideways in step {step}: {width}"


def test_high_contrast_is_a_remembered_toggle(visit: Opener) -> None:
    seen = visit(STORY, "phone")
    page = seen.page
    open_settings(page)
    button = page.get_by_role("button", name="高对比度")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true" and "fed-contrast" in classes(page)
    assert page.evaluate(f"() => localStorage.getItem('{CONTRAST_KEY}')") == "1"
    look = page.evaluate(
        """() => ({body: getComputedStyle(document.body).backgroundColor,
                   text: getComputedStyle(document.querySelector('.fed-body p')).color,
                   header: getComputedStyle(document.querySelector('.md-header')).backgroundColor,
                   claim: getComputedStyle(document.querySelector('.fed-claim')).borderTopStyle})"""
    )
    assert look == {"body": "rgb(0, 0, 0)", "text": "rgb(255, 255, 255)", "header": "rgb(0, 0, 0)", "claim": "solid"}
    assert page.locator("button.fed-reader-toggle").inner_text().split() == ["✓", "高对比"]
    page.keyboard.press("Escape")
    screenshot(page, "phone-high-contrast-rumour", full_page=False)
    page.goto("/")
    assert "fed-contrast" in classes(page)
    open_settings(page)
    page.get_by_role("button", name="高对比度").click()
    assert "fed-contrast" not in classes(page)
    assert page.evaluate(f"() => localStorage.getItem('{CONTRAST_KEY}')") is None


def test_forced_colours_keep_the_boxes_and_badges(visit: Opener) -> None:
    page = visit(STORY, "phone", forced_colors="active").page
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    found = page.evaluate(
        """() => [...document.querySelectorAll('.fed-claim, .fed-verdict-banner, .fed-badge')].map((el) => {
          const s = getComputedStyle(el);
          return {what: el.className, border: s.borderTopStyle, width: parseFloat(s.borderTopWidth),
                  colour: s.color, background: s.backgroundColor, word: el.innerText.trim()};
        })"""
    )
    assert any(f["what"] == "fed-claim" for f in found)
    for box in found:
        assert box["border"] != "none" and box["width"] >= 1, f"{box['what']} loses its outline: {box}"
        assert box["word"] and box["colour"] != box["background"], f"{box['what']} is unreadable: {box}"


def test_the_keyboard_sees_its_focus_on_the_red_header(visit: Opener) -> None:
    page = visit(STORY, "phone").page
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]"
    )
    assert skip == ["跳到正文", "#fed-main"]
    # It shows when focused (Material fades it in).
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'", timeout=2_000)
    ring = []
    for _ in range(3):
        page.keyboard.press("Tab")
        ring.append(
            page.evaluate(
                """() => { const f = document.activeElement;
                  // The search field draws its focus around its whole box.
                  const e = f.closest('.fed-search__field') || f, s = getComputedStyle(e);
                  return {what: e.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                          colour: s.outlineColor, shadow: s.boxShadow, inHeader: !!e.closest('.md-header')}; }"""
            )
        )
    assert ring[0]["what"].startswith("md-header__button md-icon"), f"the menu button is not reached: {ring}"
    for focus in ring:
        assert focus["inHeader"], ring
        assert focus["outline"] == "solid" and focus["width"] >= 3, f"no clear focus ring: {focus}"
        # White on the red header (7.7:1), with a dark edge outside it for light backgrounds.
        assert focus["colour"] == "rgb(255, 255, 255)" and "rgb(26, 26, 26)" in focus["shadow"], focus
    # The skip link lands on the content.
    page.goto(STORY)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "fed-main"


def test_the_phone_menu_is_reached_and_its_closed_links_are_not(visit: Opener) -> None:
    page = visit(STORY, "phone").page
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => [document.activeElement.className, !!document.activeElement.closest('.md-sidebar--primary')]"
            )
        )
    assert any(c.startswith("md-header__button md-icon") for c, _ in reached), reached
    assert not any(inside for _, inside in reached), "a closed drawer's link took the focus"
    page.goto(STORY)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    menu = page.locator("label.md-header__button[for=__drawer]")
    assert menu.get_attribute("aria-expanded") == "true"
    link = page.locator(".md-sidebar--primary .md-nav__link").first
    link.wait_for(state="visible")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    assert menu.get_attribute("aria-expanded") == "false"


def test_switch_is_hidden_without_javascript(visit: Opener) -> None:
    page = visit(STORY, "phone", javascript=False).page
    assert page.locator(".fed-reader-toggle").count() == 1
    assert not page.locator(".fed-reader-toggle").is_visible(), "a switch that cannot work is shown"
    assert not page.locator("#fed-reader-panel").is_visible()
