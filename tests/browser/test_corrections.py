"""The correction log as a reader meets it: below the verdict, newest first, linked to the policy;
the 更正与更新 page leads to the entry in its story."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Opener, screenshot

pytestmark = pytest.mark.requires("chromium", "nginx")

WITHDRAWN = "/rumours/pets/"  # the sample's withdrawn rumour, with an 更新 and a 撤回 entry


def test_the_log_is_below_the_verdict_newest_first_and_leads_to_the_policy(visit: Opener) -> None:
    seen = visit(WITHDRAWN, "phone")
    page = seen.page
    assert seen.status == 200 and seen.errors == []
    log = page.locator(".fed-corrections")
    assert log.is_visible()
    banner = page.locator(".fed-verdict-banner").bounding_box()
    status = page.locator(".fed-notice--status").bounding_box()
    box = log.bounding_box()
    assert banner is not None and status is not None and box is not None
    assert box["y"] >= banner["y"] + banner["height"] and box["y"] >= status["y"] + status["height"]
    items = log.locator("li").all_inner_texts()
    assert items[0].startswith("2020年2月20日 撤回") and items[1].startswith("2020年2月12日 更新")
    screenshot(page, "corrections-phone", full_page=False)
    log.get_by_role("link", name="我们如何更正").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/about/corrections/"
    assert page.locator("h1").first.inner_text().strip() == "更正政策"


def test_the_corrections_page_leads_to_the_entry_in_its_story(visit: Opener) -> None:
    seen = visit("/corrections/", "phone")
    page = seen.page
    assert seen.status == 200 and seen.errors == []
    entries = page.locator(".fed-corrections-page__list li")
    assert entries.count() == 2
    entries.first.get_by_role("link").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == WITHDRAWN and urlsplit(page.url).fragment == "correction-2"
    target = page.locator("#correction-2")
    assert target.is_visible() and "撤回" in target.inner_text()
