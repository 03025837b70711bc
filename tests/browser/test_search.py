"""The header search (issue "Find it") as a reader uses it on a phone: typing 口罩 finds the right stories."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page

from generator import pipeline
from generator.story import Story
from tests.browser.conftest import Opener
from tests.conftest import sample_settings

pytestmark = pytest.mark.requires("chromium", "cjk-font")

QUERY = "口罩"


def searchable_text(story: Story) -> str:
    """What search must look in: title, summary, body, tags, claim, name, district."""
    fields = [story.title, story.summary, story.body, *story.tags]
    fields += [str(story.fields.get(key) or "") for key in ("claim", "name")]
    fields.append(story.district.label if story.district else "")
    return "\n".join(fields)


def expected_addresses(query: str) -> set[str]:
    """The published sample stories holding `query`, by the core's own reading of them."""
    stories = pipeline.check(sample_settings()).published(include_drafts=False)
    return {s.url for s in stories if query in searchable_text(s)}


def search_box(page: Page) -> Locator:
    """The header's search field, opened if the header folds it away on a phone."""
    form = page.locator("form.fed-search[role=search]")
    assert form.count() == 1, "no search form in the header"
    field = form.locator("input[type=search][name=q]")
    if not field.is_visible():
        form.click()
    return field


def test_typing_masks_shows_the_stories_about_masks(visit: Opener) -> None:
    seen = visit("/", "phone")
    page = seen.page
    field = search_box(page)
    field.click()
    field.press_sequentially(QUERY)
    hits = page.locator(".fed-search__results a.fed-search__hit")
    hits.first.wait_for()
    found = {urlsplit(hits.nth(i).evaluate("(a) => a.href")).path for i in range(hits.count())}
    expected = expected_addresses(QUERY)
    assert len(expected) >= 3, "the sample should hold several stories about masks"
    assert found == expected
    for i in range(hits.count()):
        marks = hits.nth(i).locator("mark").all_inner_texts()
        assert QUERY in marks, f"hit {i + 1} does not highlight {QUERY}: {hits.nth(i).inner_text()}"
    assert not seen.errors, "\n".join(seen.errors)
    assert not seen.foreign_requests()

    first = hits.first.evaluate("(a) => a.href")
    hits.first.click()
    page.wait_for_url(first)
    assert page.locator("h1").first.inner_text()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_search_box_is_there_and_usable(viewport: str, visit: Opener) -> None:
    page = visit("/rumours/baijiu/", viewport).page
    field = search_box(page)
    # A field inside its label is tapped through the label.
    label = field.locator("xpath=ancestor::label[1]")
    box = (label if label.count() else field).bounding_box()
    assert field.is_visible() and box is not None and box["height"] >= 44, f"the search field is {box}"


def test_search_without_javascript_leads_to_a_page(visit: Opener) -> None:
    seen = visit("/", "phone", javascript=False)
    page = seen.page
    field = page.locator("form.fed-search input[name=q]")
    field.fill(QUERY)
    with page.expect_response(lambda r: r.request.is_navigation_request()) as navigation:
        field.press("Enter")
    response = navigation.value
    assert response.status == 200, f"the search form leads to a {response.status} without JavaScript"
