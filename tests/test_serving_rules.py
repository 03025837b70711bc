"""Family "serving" (issue "Nothing escapes"): deploy/site.conf, in the real nginx the
browser tests use, serves the built site and nothing else: no hidden file or folder, no
source, backup or cache, no file behind a planted link, however the path is spelled."""

from __future__ import annotations

import http.client
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.browser.server import Server, start_nginx
from tests.tools import nginx_binary

pytestmark = pytest.mark.requires("nginx")

SECRET = "SECRET-must-never-be-served"
PLANTED = [
    ".git/config",
    ".git/HEAD",
    ".env",
    ".cache/photos/x.jpg",
    "assets/.secret.js",
    "rumours/.DS_Store",
    "stories/rumours/x.md",
    "mkdocs.yml",
    "notes.txt~",
    "index.html.bak",
    "generator/cli.py",
    "config.toml",
]


@pytest.fixture(scope="module")
def served(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sample site with secrets planted beside its pages, behind deploy/site.conf."""
    binary = nginx_binary()
    assert binary is not None
    root = tmp_path_factory.mktemp("served")
    site = root / "site"
    shutil.copytree(built_site, site)
    for name in PLANTED:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(SECRET, "utf-8")
    outside = root / "outside.html"
    outside.write_text(SECRET, "utf-8")
    os.symlink(outside, site / "leak.html")
    os.symlink(root, site / "leaked-folder")
    work = root / "nginx"
    work.mkdir()
    server = start_nginx(binary, site, work)
    try:
        yield server
    finally:
        server.stop()


def get(server: Server, path: str) -> tuple[int, bytes]:
    host = server.base_url.split("//", 1)[1].rstrip("/")
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_pages_are_served(served: Server) -> None:
    """The control: the rules do not refuse what readers need."""
    for path in ["/", "/rumours/baijiu/", "/feed.xml", "/robots.txt", "/districts/report.csv", "/sitemap.xml"]:
        status, body = get(served, path)
        assert status == 200, path
        assert SECRET.encode() not in body
    assert get(served, "/rumours/baijiu")[0] == 301


@pytest.mark.parametrize(
    "path",
    [f"/{name}" for name in PLANTED]
    + ["/.git/", "/.git", "/leak.html", "/leaked-folder/outside.html", "/index.html.gz", "/assets/"],
)
def test_hidden_files_sources_and_links_are_not_served(served: Server, path: str) -> None:
    status, body = get(served, path)
    assert status in (403, 404), (path, status)
    assert SECRET.encode() not in body


PIECES = ["/", "//", "/./", "/../", ".", "..", "%2e", "%2E", "%2f", "%252e", "%5c", "\\", ";", "%00", "%20"]
PIECES += [".git", "git", "config", ".env", "env", ".cache", "leak.html", "leaked-folder", "outside.html"]
PIECES += ["rumours", "assets", "index.html", ".bak", "~", "mkdocs.yml", "HEAD", "%2egit", "stories", "x.md"]


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))
def test_no_spelling_of_a_path_reaches_a_secret(served: Server, path: str) -> None:
    target = path if path.startswith("/") else "/" + path
    target = quote(target, safe="/%;.~\\")
    status, body = get(served, target)
    assert SECRET.encode() not in body, (target, status)
