"""Browser fixtures: the sample site built once, served as deployed, read by Debian's Chromium.

Each test declares the tools it needs with `@pytest.mark.requires(...)` (tests/conftest.py): a
missing one skips it on a developer's machine and fails it in CI; `make test` installs them first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, sync_playwright

from tests.browser.server import Server, start_nginx, start_python
from tests.conftest import ROOT, SAMPLE, run_generator
from tests.tools import AXE, CHROMIUM, nginx_binary

ARTEFACTS = ROOT / "tests" / "artefacts"
VIEWPORTS: dict[str, dict[str, Any]] = {
    # A small Android phone, as most readers open shared links inside WeChat.
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


@dataclass
class Report:
    """What the browser tests measured, printed at the end of the run and kept in tests/artefacts/."""

    server: str = ""
    weights: dict[str, int] = field(default_factory=dict)
    axe: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The report as Markdown lines."""
        lines = [f"Served by: {self.server}", "", "| page | first visit (compressed) |", "| --- | ---: |"]
        lines += [f"| {key} | {size / 1000:.1f} KB |" for key, size in sorted(self.weights.items())]
        lines += ["", "| page | axe violations (impact: rule) |", "| --- | --- |"]
        for key, violations in sorted(self.axe.items()):
            found = "; ".join(f"{v['impact']}: {v['id']} at {', '.join(v['targets'])}" for v in violations) or "none"
            lines.append(f"| {key} | {found} |")
        return lines


REPORT = Report()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not (REPORT.weights or REPORT.axe):
        return
    terminalreporter.section("browser report (also in tests/artefacts/browser-report.md)")
    for line in REPORT.lines():
        terminalreporter.write_line(line)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "browser-report.md").write_text("\n".join(REPORT.lines()) + "\n", "utf-8")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample stories built by `python -m generator build`, as a deploy would build them."""
    site = tmp_path_factory.mktemp("browser") / "site"
    result = run_generator("build", "--stories", str(SAMPLE), "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def server(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """nginx with deploy/site.conf when installed, else Python's static server."""
    # The tests of nginx's own rules declare requires("nginx"), so in CI a missing nginx fails them.
    # FEDERATION_TEST_SERVER=python tries the fallback on a machine that has nginx.
    binary = None if os.environ.get("FEDERATION_TEST_SERVER") == "python" else nginx_binary()
    running = start_nginx(binary, site_dir, tmp_path_factory.mktemp("nginx")) if binary else start_python(site_dir)
    REPORT.server = running.kind
    yield running
    running.stop()


# Package scope: Playwright's sync API cannot start while another instance runs in the
# thread, so this one is closed before the tests of other folders start their own.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never a browser Playwright downloads)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm (`npm ci`, which `make test` runs)."""
    return AXE


@dataclass
class Visit:
    """One page opened in a fresh browser context, with every request and console error recorded."""

    page: Page
    context: BrowserContext
    base_url: str
    status: int
    requests: list[Request]
    errors: list[str]

    def foreign_requests(self) -> list[str]:
        """Requests that left for another host than the site's own."""
        own = urlsplit(self.base_url).netloc
        return [
            r.url
            for r in self.requests
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            if urlsplit(r.url).netloc != own
        ]

    def weight(self) -> int:
        """Bytes received for the visit, compressed as sent: headers and bodies of every response."""
        total = 0
        for request in self.requests:
            if request.response() is not None:
                sizes = request.sizes()
                total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        return total


Opener = Callable[..., Visit]


@pytest.fixture
def visit(browser: Browser, server: Server) -> Iterator[Opener]:
    """Open an address of the served site: `visit("/rumours/", "phone", javascript=False)`."""
    contexts: list[BrowserContext] = []

    def open_page(address: str, viewport: str = "phone", javascript: bool = True, **options: Any) -> Visit:
        context = browser.new_context(
            base_url=server.base_url, java_script_enabled=javascript, **VIEWPORTS[viewport], **options
        )
        contexts.append(context)
        requests: list[Request] = []
        errors: list[str] = []
        context.on("request", lambda request: requests.append(request))
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

        def console(message: ConsoleMessage) -> None:
            # The 404 page's own status is logged as an error by Chromium; it is the point there.
            own_404 = message.location.get("url") == page.url and "404" in message.text
            if message.type == "error" and not own_404:
                errors.append(f"console: {message.text} ({message.location.get('url')})")

        page.on("console", console)
        response = page.goto(address, wait_until="load")
        page.wait_for_load_state("networkidle")
        return Visit(page, context, server.base_url, response.status if response else 0, requests, errors)

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save what the reader sees under tests/artefacts/ (git ignores it), in CSS pixels."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    screen = page.viewport_size
    if full_page and screen:
        # A screen as tall as the page, so the fixed hotline bar sits at the bottom as a reader
        # sees it there, not across the middle of a stitched picture.
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": screen["width"], "height": height})
    page.screenshot(path=str(path), scale="css")
    if screen:
        page.set_viewport_size(screen)
    return path
