"""Each kind of page, on a phone and on a desktop, as served: clean, accessible, light and usable."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser import probes
from tests.browser.conftest import REPORT, Opener, screenshot

pytestmark = pytest.mark.requires("chromium", "cjk-font")

PAGES = {
    "home": "/",
    "knowledge": "/knowledge/wear-masks/",
    "rumour": "/rumours/baijiu/",
    "exemplar": "/exemplars/nurse/",
    "listing": "/rumours/",
    "district": "",  # wherever the exemplar's district links to (issue "Find it")
    "404": "/no-such-page/",
}
STORIES = ("knowledge", "rumour", "exemplar")
# A story's first visit, compressed, with everything it loads above the fold (issue 6).
FIRST_VISIT_LIMIT = 150_000
DISTRICT_STORY, DISTRICT = "/exemplars/nurse/", "渝中区"


class _Links(HTMLParser):
    """The links of a page, with the text each holds."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs).get("href") or "", []))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, "".join(text).strip()))


def district_address(site_dir: Path) -> str:
    """The district page a story's district links to; a failure says when there is none yet."""
    parser = _Links()
    parser.feed((site_dir / DISTRICT_STORY.strip("/") / "index.html").read_text("utf-8"))
    hrefs = [href for href, text in parser.links if text == DISTRICT]
    if not hrefs:
        pytest.fail(f"{DISTRICT_STORY} has no link to the page of {DISTRICT}: district pages have not landed")
    return posixpath.normpath(posixpath.join(DISTRICT_STORY, hrefs[0])) + "/"


def address_of(name: str, site_dir: Path) -> str:
    """The address of a page kind in the sample site."""
    return PAGES[name] or district_address(site_dir)


@pytest.mark.requires("axe")
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_clean_accessible_and_light(
    name: str, viewport: str, visit: Opener, site_dir: Path, axe_script: Path
) -> None:
    address = address_of(name, site_dir)
    seen = visit(address, viewport)
    page = seen.page
    problems: list[str] = []
    expected = 404 if name == "404" else 200
    if seen.status != expected:
        problems.append(f"status {seen.status}, expected {expected}")
    problems += seen.errors
    problems += [f"request to another host: {url}" for url in seen.foreign_requests()]
    problems += probes.horizontal_overflow(page)
    problems += probes.eager_images_below_fold(page)
    problems += probes.colour_only_badges(page)
    if viewport == "phone":
        problems += probes.small_tap_targets(page)
    key = f"{name} {address} ({viewport})"
    if name in STORIES:
        REPORT.weights[key] = weight = seen.weight()
        if weight > FIRST_VISIT_LIMIT:
            problems.append(f"first visit is {weight / 1000:.1f} KB compressed, over {FIRST_VISIT_LIMIT / 1000:.0f} KB")
    screenshot(page, f"{viewport}-{name}", full_page=viewport == "phone")
    violations = probes.axe_violations(page, axe_script)
    REPORT.axe[key] = violations
    problems += probes.blocking(violations)
    assert not problems, f"{address} on a {viewport}:\n" + "\n".join(problems)


def test_404_page_is_chinese_and_leads_home(visit: Opener) -> None:
    page = visit("/some/old/link/").page
    heading = page.locator("h1").first.inner_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in heading), f"the 404 heading is not Chinese: {heading}"
    home = page.evaluate(
        "() => [...document.querySelectorAll('.md-content a[href]')].some((a) => a.href === location.origin + '/')"
    )
    assert home, "the 404 page's text has no link to the home page"


def test_drawer_entries_are_finger_sized(visit: Opener) -> None:
    page = visit("/rumours/baijiu/", "phone").page
    page.locator("label.md-header__button[for=__drawer]").click()
    page.locator(".md-sidebar--primary").wait_for(state="visible")
    # Material slides the drawer in; measure once it is in place.
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    problems = probes.small_tap_targets(page)
    screenshot(page, "phone-drawer", full_page=False)
    assert not problems, "\n".join(problems)
