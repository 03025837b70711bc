"""On browsers without ResizeObserver (iOS 12, old Android WebViews) the theme fetches only from the site.

Material's bundle fetches a polyfill, and mermaid for `pre.mermaid`, from unpkg.com; the
build points both at the site's own copies (generator/publish/themejs.py). Here the browser is
made old (ResizeObserver deleted before any script runs) and a diagram is slipped into
the page, so both branches run: every request must stay on the site, with no page error.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request

from tests.browser.server import Server

pytestmark = pytest.mark.requires("chromium", "nginx")

OLD_BROWSER = "delete window.ResizeObserver;"
# Inserted while the page is parsed, before the theme's bundle runs and looks for diagrams.
DIAGRAM = """
new MutationObserver((changes, observer) => {
  const content = document.querySelector(".md-content .md-typeset");
  if (!content) return;
  observer.disconnect();
  const diagram = document.createElement("pre");
  diagram.className = "mermaid";
  diagram.textContent = "graph TD; A-->B";
  content.appendChild(diagram);
}).observe(document, { childList: true, subtree: true });
"""
PAGES = ["/", "/knowledge/wear-masks/", "/rumours/"]


@pytest.fixture
def old_page(browser: Browser, server: Server) -> Iterator[tuple[Page, list[Request], list[str]]]:
    context = browser.new_context(base_url=server.base_url, viewport={"width": 360, "height": 740})
    context.add_init_script(OLD_BROWSER + DIAGRAM)
    requests: list[Request] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, requests, errors
    context.close()


@pytest.mark.parametrize("address", PAGES)
def test_an_old_browser_fetches_nothing_from_another_host(
    address: str, old_page: tuple[Page, list[Request], list[str]], server: Server
) -> None:
    page, requests, errors = old_page
    page.goto(address, wait_until="load")
    page.wait_for_load_state("networkidle")
    own = urlsplit(server.base_url).netloc
    foreign = [r.url for r in requests if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != own]
    assert foreign == [], foreign
    assert errors == [], errors
    fetched = {urlsplit(r.url).path for r in requests}
    # The branches ran, from the site: the test would pass vacuously otherwise.
    assert "/assets/vendor/resize-observer-polyfill/ResizeObserver.js" in fetched, sorted(fetched)
    assert page.evaluate("typeof ResizeObserver") == "function"
    assert "/assets/javascripts/mermaid-absent.js" in fetched, sorted(fetched)


# -- each API an old phone lacks, in turn, on each page kind (issue "Every reader, round two") --

MISSING = ("IntersectionObserver", "ResizeObserver", "fetch")
KINDS = {
    "home": "/",
    "rumour": "/rumours/baijiu/",
    "knowledge": "/knowledge/wear-masks/",
    "exemplar": "/exemplars/nurse/",
    "listing": "/rumours/",
    "search": "/search/",
    "404": "/no-such-page/",
}
POLYFILLS = {
    "IntersectionObserver": "/assets/vendor/intersection-observer/intersection-observer.js",
    "ResizeObserver": "/assets/vendor/resize-observer-polyfill/ResizeObserver.js",
    "fetch": "/assets/vendor/whatwg-fetch/fetch.js",
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("api", MISSING)
def test_a_page_works_without_each_newer_api(api: str, kind: str, browser: Browser, server: Server) -> None:
    context = browser.new_context(
        base_url=server.base_url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    # Before any script of the page: the browser simply has no such API.
    context.add_init_script(f"delete window.{api};")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(urlsplit(request.url).path))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(KINDS[kind], wait_until="load")
    page.wait_for_load_state("networkidle")
    # The site's own copy came, before the theme's bundle, and stands in for the API.
    assert POLYFILLS[api] in requests, sorted(set(requests))
    # Scripts the parser meets run in document order: the polyfill's runs before the bundle's.
    before = page.evaluate(
        """(file) => {
          const polyfill = [...document.scripts].find((s) => s.src.endsWith(file));
          const bundle = [...document.scripts].find((s) => /\\/bundle\\.[0-9a-f]+\\.min\\.js$/.test(s.src));
          return !!polyfill && !!bundle && !polyfill.async && !!(polyfill.compareDocumentPosition(bundle) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""",
        POLYFILLS[api],
    )
    assert before, "the polyfill is not a script that runs before the theme's bundle"
    assert page.evaluate(f"typeof window.{api}") == "function"
    # The page works: the menu opens, and search opens and answers.
    page.locator("label.md-header__button[for=__drawer]").click()
    page.wait_for_function("() => document.getElementById('__drawer').checked")
    page.locator(".md-sidebar--primary .md-nav__link").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__drawer').checked")
    box = page.locator("header .fed-search__input")
    box.click()
    box.fill("口罩")
    page.locator("header .fed-search__hit").first.wait_for(timeout=15_000)
    assert errors == [], errors
    context.close()
