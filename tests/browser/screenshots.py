"""Screenshots for review: each page kind of the sample site in each reader setting, on a 360px phone.

`python -m tests.browser.screenshots [FOLDER]` builds the sample site, serves it with nginx
(Python's static server without nginx), and writes one PNG of the first screen per page kind
and setting into FOLDER (docs/screenshots/reader/ by default), reduced to 256 colours to keep them small.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

from tests.browser.server import start_nginx, start_python
from tests.conftest import ROOT, SAMPLE, run_generator
from tests.tools import CHROMIUM, nginx_binary

PAGES = {
    "home": "/",
    "rumour": "/rumours/baijiu/",
    "knowledge": "/knowledge/wear-masks/",
    "exemplar": "/exemplars/nurse/",
    "listing": "/rumours/",
    "search": "/search/?q=%E5%8F%A3%E7%BD%A9",
    "404": "/no-such-page/",
}
SETTINGS = {
    "default": "",
    "large": "localStorage.setItem('fed-text-size', '1');",
    "xlarge": "localStorage.setItem('fed-text-size', '2');",
    "contrast": "localStorage.setItem('fed-contrast', '1');",
}


@contextmanager
def sample_site_in_chromium() -> Iterator[tuple[Browser, str]]:
    """The sample site built into a temporary folder, served (nginx, else Python's static
    server) and a Chromium: yields the browser and the site's address; all stopped after."""
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "site"
        result = run_generator("build", "--stories", str(SAMPLE), "--site-dir", str(site))
        if result.returncode != 0:
            raise SystemExit(result.stdout + result.stderr)
        binary = nginx_binary()
        (Path(work) / "nginx").mkdir()
        server = start_nginx(binary, site, Path(work) / "nginx") if binary else start_python(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
                yield browser, server.base_url
                browser.close()
        finally:
            server.stop()


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with sample_site_in_chromium() as (browser, base_url):
        for setting, script in SETTINGS.items():
            context = browser.new_context(
                base_url=base_url,
                viewport={"width": 360, "height": 740},
                is_mobile=True,
                has_touch=True,
            )
            context.add_init_script(f"try {{ localStorage.clear(); {script} }} catch (e) {{}}")
            page = context.new_page()
            for kind, address in PAGES.items():
                page.goto(address, wait_until="load")
                page.wait_for_load_state("networkidle")
                if kind == "search":
                    page.locator(".fed-search__results--page .fed-search__hit").first.wait_for(timeout=15_000)
                path = folder / f"{kind}-{setting}.png"
                page.screenshot(path=str(path))
                Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "reader")
