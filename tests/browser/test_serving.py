"""Serving as deployed: deploy/site.conf's caching, pre-compressed files, 404 page and redirects."""

from __future__ import annotations

import gzip
import http.client
import random
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Route

from generator import pipeline
from generator.publish import compress
from tests.browser.conftest import Opener
from tests.browser.server import Server
from tests.conftest import sample_settings

YEAR, HOUR, FIVE_MINUTES, WEEK = 31_536_000, 3_600, 300, 604_800


@dataclass(frozen=True)
class Answer:
    """A server's answer to one request."""

    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str | None:
        """One header's value, if sent."""
        return self.headers.get(name)


def fetch(server: Server, path: str, gzip_ok: bool = True) -> Answer:
    """One GET, redirects not followed."""
    connection = http.client.HTTPConnection(urlsplit(server.base_url).netloc, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def max_age(response: Answer) -> int | None:
    """The max-age of a response's Cache-Control, if any."""
    for part in (response.header("Cache-Control") or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age":
            return int(value)
    return None


@pytest.fixture
def nginx(server: Server) -> Server:
    """The server, when it is nginx: the deployed rules are what these tests check."""
    if server.kind != "nginx":
        pytest.skip(f"FEDERATION_TEST_SERVER=python: served by {server.kind}, not nginx")
    return server


def hashed_asset(site_dir: Path) -> str:
    """The address of Material's content-hashed stylesheet."""
    (found,) = (site_dir / "assets" / "stylesheets").glob("main.*.min.css")
    return "/" + found.relative_to(site_dir).as_posix()


@pytest.mark.requires("nginx")
def test_pages_are_sent_precompressed_and_cached_briefly(nginx: Server, site_dir: Path) -> None:
    response = fetch(nginx, "/rumours/baijiu/")
    assert response.status == 200
    assert response.header("Content-Encoding") == "gzip" and response.header("Vary") == "Accept-Encoding"
    assert response.body == (site_dir / "rumours" / "baijiu" / "index.html.gz").read_bytes()
    assert response.header("Content-Type") == "text/html; charset=utf-8"
    assert max_age(response) == FIVE_MINUTES
    assert "default-src 'self'" in (response.header("Content-Security-Policy") or "")
    assert response.header("X-Content-Type-Options") == "nosniff"
    plain = fetch(nginx, "/rumours/baijiu/", gzip_ok=False)
    assert plain.header("Content-Encoding") is None
    assert plain.body == (site_dir / "rumours" / "baijiu" / "index.html").read_bytes()


@pytest.mark.requires("nginx")
def test_assets_are_cached_by_whether_their_name_has_a_hash(nginx: Server, site_dir: Path) -> None:
    assert max_age(fetch(nginx, hashed_asset(site_dir))) == YEAR
    stylesheet = fetch(nginx, "/assets/stylesheets/federation.css")
    assert max_age(stylesheet) == HOUR and stylesheet.header("Content-Encoding") == "gzip"
    assert stylesheet.header("X-Content-Type-Options") == "nosniff"
    assert stylesheet.header("Content-Security-Policy") is None, "the page policy is sent with every file"
    assert max_age(fetch(nginx, "/knowledge/wear-masks/mask.jpg")) == WEEK


@pytest.mark.requires("nginx")
def test_missing_address_gets_the_404_page(nginx: Server, site_dir: Path) -> None:
    response = fetch(nginx, "/no/such/page/", gzip_ok=False)
    assert response.status == 404
    assert response.body == (site_dir / "404.html").read_bytes()
    assert max_age(response) is None, "a missing page must not be cached: it may be published soon"


@pytest.mark.requires("nginx")
def test_folder_without_its_slash_is_redirected_relatively(nginx: Server) -> None:
    response = fetch(nginx, "/rumours/baijiu")
    assert response.status == 301 and response.header("Location") == "/rumours/baijiu/"


def test_every_text_file_has_a_faithful_gzip_beside_it(site_dir: Path) -> None:
    files = list(compress.text_files(site_dir))
    assert any(f.name == "index.html" for f in files) and any(f.suffix == ".css" for f in files)
    for file in files:
        packed = file.with_name(file.name + ".gz")
        if packed.exists():
            assert gzip.decompress(packed.read_bytes()) == file.read_bytes(), file
            assert packed.stat().st_mtime_ns == file.stat().st_mtime_ns
    pages = [f for f in files if f.suffix == ".html"]
    assert all(f.with_name(f.name + ".gz").exists() for f in pages), "a page was left uncompressed"


def test_compression_skips_what_it_cannot_shrink(tmp_path: Path) -> None:
    noise = tmp_path / "noise.js"
    noise.write_bytes(random.Random(6).randbytes(600))
    assert not compress.compress_file(noise) and not noise.with_name("noise.js.gz").exists()
    text = tmp_path / "page.html"
    text.write_text("<p>科学防控，不信谣不传谣。</p>" * 50, "utf-8")
    assert compress.compress_file(text) and text.with_name("page.html.gz").exists()


def test_a_preview_is_not_compressed(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<p>草稿预览</p>" * 100, "utf-8")
    compress.write(tmp_path, sample_settings(include_drafts=True))
    assert not page.with_name("index.html.gz").exists()
    compress.write(tmp_path, sample_settings())
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == page.read_bytes()


@pytest.mark.requires("chromium", "cjk-font")
def test_alias_address_leads_to_the_story(visit: Opener, server: Server) -> None:
    outcome = pipeline.check(sample_settings())
    moved = [s for s in outcome.published(include_drafts=False) if s.aliases]
    assert moved, "the sample has no story with an alias"
    site_url = sample_settings().site_url.rstrip("/")
    for story in moved:
        for alias in story.aliases:
            for address in (alias, alias.rstrip("/")):
                seen = visit(address, "phone")

                # The redirect names the public address (site_url); here that is this server.
                def local(route: Route) -> None:
                    route.fulfill(response=route.fetch(url=route.request.url.replace(site_url, server.base_url)))

                seen.context.route(site_url + "/**", local)
                seen.page.goto(address)
                seen.page.wait_for_url(site_url + story.url)
                assert seen.page.locator("h1").first.inner_text() == story.title
