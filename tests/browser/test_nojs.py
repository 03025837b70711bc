"""With JavaScript off (some WebViews, data-saving modes), every story is still fully readable."""

from __future__ import annotations

import pytest

from tests.browser import probes
from tests.browser.conftest import Opener, screenshot
from tests.browser.test_pages import PAGES, STORIES

pytestmark = pytest.mark.requires("chromium", "cjk-font")


@pytest.mark.parametrize("name", STORIES)
def test_story_reads_fully_without_javascript(name: str, visit: Opener) -> None:
    seen = visit(PAGES[name], "phone", javascript=False)
    page = seen.page
    assert page.evaluate("() => document.documentElement.classList.contains('no-js')"), "JavaScript ran"
    body = page.locator(".fed-body")
    assert body.inner_text().strip(), "the story's body shows no text"
    # The story's own text; the share block (issue "Links that travel") keeps a print-only part.
    blocks = f".fed-story {probes.TEXT_BLOCKS}:not(.fed-share *)"
    problems = probes.unreadable_blocks(page, blocks) + probes.horizontal_overflow(page) + seen.errors
    problems += [f"request to another host: {url}" for url in seen.foreign_requests()]
    screenshot(page, f"phone-nojs-{name}")
    assert not problems, "\n".join(problems)


def test_story_text_is_the_same_with_and_without_javascript(visit: Opener) -> None:
    with_js = visit(PAGES["rumour"], "phone").page.locator(".fed-body").inner_text()
    without = visit(PAGES["rumour"], "phone", javascript=False).page.locator(".fed-body").inner_text()
    assert without == with_js
