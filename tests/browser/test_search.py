"""The header search (issue "Find it") as a reader uses it on a phone: typing 口罩 finds the right stories."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from generator import pipeline
from generator.core.story import Story
from generator.render import search
from tests.browser.conftest import VIEWPORTS, Opener
from tests.browser.server import start_nginx
from tests.conftest import SAMPLE, run_generator, sample_settings
from tests.relevance.test_relevance import STORIES as RELEVANCE_STORIES
from tests.tools import nginx_binary

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


def offered(page: Page) -> list[list[str]]:
    """The browsing pages the results panel offers, as [label, address path]."""
    links = page.locator(".fed-search__results .fed-search__browse a[href]:not([href*='?q='])")
    links.first.wait_for(timeout=15_000)
    return [
        [links.nth(i).inner_text(), urlsplit(links.nth(i).evaluate("(a) => a.href")).path] for i in range(links.count())
    ]


@pytest.mark.parametrize("index", ["loads", "fails"])
def test_an_empty_or_failed_answer_offers_the_browsing_pages_the_build_names(index: str, visit: Opener) -> None:
    seen = visit("/", "phone")
    page = seen.page
    if index == "fails":
        page.route("**/assets/search/**", lambda route: route.abort())
    field = search_box(page)
    field.click()
    field.press_sequentially("潜水艇鳄鱼" if index == "loads" else QUERY)
    assert offered(page) == search.browse_links()


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


# -- issue "Search that answers questions as people ask them, and a search box no one gets stuck in"

SIX_QUESTIONS = {
    "喝白酒能预防新冠吗": "/rumours/baijiu/",
    "盐水漱口有用吗": "/rumours/yanshui-shukou/",
    "孕妇怎么产检": "/knowledge/yunfu-chanjian/",
    "宠物会传染吗": "/rumours/pets/",
    "12338是什么电话": "/knowledge/hotline-12338/",
    "双黄连能预防吗": "/rumours/shuanghuanglian/",
}
HITS = ".fed-search__results a.fed-search__hit"
PHONE = VIEWPORTS["phone"]


@pytest.fixture(scope="module")
def relevance_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample and relevance stories built together and served by nginx, as deployed."""
    work = tmp_path_factory.mktemp("relevance-site")
    stories = work / "stories"
    shutil.copytree(SAMPLE, stories)
    shutil.copytree(RELEVANCE_STORIES, stories, dirs_exist_ok=True)
    result = run_generator("build", "--stories", str(stories), "--site-dir", str(work / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    binary = nginx_binary()
    assert binary, "nginx is required (the requires marker skips or fails without it)"
    (work / "nginx").mkdir()
    server = start_nginx(binary, work / "site", work / "nginx")
    yield server.base_url
    server.stop()


def phone_page(browser: Browser, base: str, init: str = "", block: str = "") -> tuple[Page, list[str]]:
    """A phone-sized page of the relevance site, with its page errors recorded; requests
    matching `block` fail."""
    context = browser.new_context(base_url=base, **PHONE)
    if init:
        context.add_init_script(init)
    if block:
        context.route(block, lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/knowledge/wear-masks/", wait_until="networkidle")
    return page, errors


def ask(page: Page, question: str) -> Locator:
    """Type a question into the header's box as a reader would, and submit it."""
    field = search_box(page)
    field.click()
    field.fill(question)
    field.press("Enter")
    return page.locator(".fed-search__results")


def hit_paths(page: Page) -> list[str]:
    hits = page.locator(HITS)
    hits.first.wait_for(timeout=15_000)
    return [urlsplit(hits.nth(i).evaluate("(a) => a.href")).path for i in range(hits.count())]


@pytest.mark.requires("chromium", "nginx")
@pytest.mark.parametrize("question", list(SIX_QUESTIONS))
def test_the_six_spoken_questions_find_their_story(browser: Browser, relevance_site: str, question: str) -> None:
    page, errors = phone_page(browser, relevance_site)
    ask(page, question)
    assert hit_paths(page)[0] == SIX_QUESTIONS[question]
    assert not errors
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_partial_matches_come_under_their_heading(browser: Browser, relevance_site: str) -> None:
    page, _ = phone_page(browser, relevance_site)
    panel = ask(page, "双黄连能预防吗")
    hit_paths(page)
    assert "没有完全相同的说法，以下文章可能相关" in panel.inner_text()
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_cancel_clears_and_closes_the_results(browser: Browser, relevance_site: str) -> None:
    page, _ = phone_page(browser, relevance_site)
    panel = ask(page, "口罩")
    hit_paths(page)
    cancel = panel.get_by_role("button", name="取消")
    box = cancel.bounding_box()
    assert cancel.is_visible() and box is not None and box["height"] >= 44 and box["width"] >= 44, box
    cancel.tap()
    expect(panel).to_be_hidden()
    assert search_box(page).input_value() == ""
    assert urlsplit(page.url).path == "/knowledge/wear-masks/"
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_tapping_outside_the_results_closes_them(browser: Browser, relevance_site: str) -> None:
    page, _ = phone_page(browser, relevance_site)
    panel = ask(page, "口罩")
    hit_paths(page)
    panel_box = panel.bounding_box()
    assert panel_box is not None
    below = panel_box["y"] + panel_box["height"] + 10
    assert below < PHONE["viewport"]["height"], "the page should show below the results on a phone"
    page.touchscreen.tap(180, below)
    expect(panel).to_be_hidden()
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_the_back_button_closes_the_results_and_stays_on_the_page(browser: Browser, relevance_site: str) -> None:
    page, _ = phone_page(browser, relevance_site)
    panel = ask(page, "口罩")
    hit_paths(page)
    page.go_back()
    expect(panel).to_be_hidden()
    assert urlsplit(page.url).path == "/knowledge/wear-masks/"
    assert page.locator("h1").first.inner_text() == "科学佩戴口罩"
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_without_fetch_search_answers_through_xmlhttprequest(browser: Browser, relevance_site: str) -> None:
    # The site's fetch polyfill (main.html) stands in where fetch is missing; here it does not
    # arrive either, so search.js's own fallback answers.
    page, errors = phone_page(browser, relevance_site, init="delete window.fetch;", block="**/whatwg-fetch/**")
    assert page.evaluate("() => typeof window.fetch") == "undefined"
    ask(page, "孕妇怎么产检")
    assert hit_paths(page)[0] == "/knowledge/yunfu-chanjian/"
    assert not errors
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_a_failing_shard_says_so_instead_of_searching_forever(browser: Browser, relevance_site: str) -> None:
    page, _ = phone_page(browser, relevance_site)
    page.route("**/assets/search/b/**", lambda route: route.abort())
    panel = ask(page, "口罩")
    expect(panel).to_contain_text("搜索暂时不可用", timeout=10_000)
    assert "正在搜索" not in panel.inner_text()
    retry = panel.get_by_role("link", name="到搜索页面再试一次")
    assert urlsplit(retry.get_attribute("href") or "").path.endswith("/search/")
    assert panel.get_by_role("link", name="辟谣").count() == 1  # the browsing pages, from the manifest
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_a_throwing_fetch_falls_back_to_xmlhttprequest(browser: Browser, relevance_site: str) -> None:
    init = "window.fetch = function () { throw new Error('broken fetch'); };"
    page, _ = phone_page(browser, relevance_site, init=init)
    ask(page, "宠物会传染吗")
    assert hit_paths(page)[0] == "/rumours/pets/"
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_the_search_page_has_its_own_large_box_and_runs_the_address_query(
    browser: Browser, relevance_site: str
) -> None:
    context = browser.new_context(base_url=relevance_site, **PHONE)
    page = context.new_page()
    page.goto("/search/?q=" + quote("孕妇怎么产检"), wait_until="networkidle")
    box = page.locator("form.fed-search--page input[name=q]")
    assert box.input_value() == "孕妇怎么产检"
    size = box.bounding_box()
    assert size is not None and size["height"] >= 48
    first = page.locator("form.fed-search--page a.fed-search__hit").first
    first.wait_for(timeout=15_000)
    assert urlsplit(first.evaluate("(a) => a.href")).path == "/knowledge/yunfu-chanjian/"
    assert not page.locator(".fed-search-page__nojs").is_visible()
    normal = float(box.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))
    page.evaluate("() => document.documentElement.classList.add('fed-large')")
    assert float(box.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")) > normal
    context.close()


@pytest.mark.requires("chromium", "nginx")
def test_large_text_mode_enlarges_the_header_box_and_its_results(browser: Browser, relevance_site: str) -> None:
    page, _ = phone_page(browser, relevance_site)
    ask(page, "口罩")
    hit_paths(page)

    def sizes() -> tuple[float, float]:
        field = float(search_box(page).evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))
        title = page.locator(".fed-search__title").first
        return field, float(title.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)"))

    before = sizes()
    page.evaluate("() => document.documentElement.classList.add('fed-large')")
    after = sizes()
    assert after[0] > before[0] and after[1] > before[1], (before, after)
    page.context.close()


@pytest.mark.requires("chromium", "nginx")
def test_without_javascript_the_search_page_says_so_and_offers_browsing(browser: Browser, relevance_site: str) -> None:
    context = browser.new_context(base_url=relevance_site, java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto("/search/?q=" + quote("口罩"))
    assert page.locator(".fed-search-page__nojs").is_visible()
    assert "JavaScript" in page.locator(".fed-search-page__nojs").inner_text()
    assert page.locator("ul.fed-terms a").count() >= 5
    context.close()


@pytest.mark.requires("chromium", "nginx")
def test_back_from_a_story_opened_from_the_results_returns_to_the_page_once(
    browser: Browser, relevance_site: str
) -> None:
    page, _ = phone_page(browser, relevance_site)
    before = page.evaluate("() => history.length")
    ask(page, "孕妇怎么产检")
    hit_paths(page)
    assert page.evaluate("() => history.length") == before + 1  # the open results' own entry
    page.locator(HITS).first.click()
    page.wait_for_url("**/knowledge/yunfu-chanjian/")
    # The results' entry was taken back before the story opened: one back returns to the page.
    assert page.evaluate("() => history.length") == before + 1
    page.go_back()
    page.wait_for_url("**/knowledge/wear-masks/")
    page.context.close()
