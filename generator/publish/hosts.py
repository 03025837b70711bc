"""After a build: nothing in the written site may load a resource from another host.

Google Fonts and several CDNs are blocked or stall for tens of seconds in mainland China,
so a page that loads one stays blank. Links a reader clicks (`<a href>`) are fine.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from generator.content import htmltokens, weburl
from generator.core import workers

# Tags whose URL attributes the browser fetches by itself.
_LOADING_TAGS = frozenset(
    {
        "script",
        "link",
        "img",
        "iframe",
        "frame",
        "source",
        "video",
        "audio",
        "embed",
        "object",
        "input",
        "track",
        "image",
        "feimage",
        # The page's base address: every relative load would come from it.
        "base",
        # <meta http-equiv="refresh" content="0; url=…">: the page goes there by itself.
        "meta",
        # Chromium still fetches the old `background` attribute of these.
        "body",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    }
)
_URL_ATTRIBUTES = ("src", "href", "srcset", "imagesrcset", "data", "poster", "background", "xlink:href")
# <a ping> and <area ping>: a request to each address when the link is followed.
_PING = re.compile(r"<(?:a|area)(?=[\s/>])", re.I)
_PING_WORD = re.compile("ping", re.I)
# The address of a refresh: after `url=` (quoted or not), as the HTML standard reads it.
_REFRESH_URL = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)""", re.I)
# <link rel> values that only name another page; everything else (stylesheet, preconnect,
# preload, icon, manifest …) makes the browser connect.
_PAGE_LINK_RELS = frozenset({"canonical", "alternate", "author", "license", "me", "next", "prev", "search", "help"})
# A loading tag's name ends where its attributes, `/` or `>` begin (`<img-x>` is not `<img>`).
_LOADING_TAG = re.compile(r"<(?:" + "|".join(sorted(_LOADING_TAGS)) + r")(?=[\s/>])", re.I)
_CSS_START = re.compile(r"url\(|@import|image-set\(", re.I)
# Material fetches the stars and forks of the repository this element links to from the
# GitHub or GitLab API, when its address matches these (the bundle's own patterns).
_REPOSITORY_FACTS = re.compile(r"""data-md-component=["']?source\b""")
_FACTS_HOSTS = re.compile(r"github\.com|gitlab", re.I)
_SHOWN = 80  # characters of an address shown in a message; deciding needs only its start
# Any absolute address in a script may be fetched by some branch of it: every one is read,
# `"//host"` as well as `scheme://host`, in strings, template literals and comments alike.
_JS_ADDRESS = re.compile(r"""[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s"'`)<>\\]*|(?<=["'`])//[^\s"'`)<>\\]+""")
# Addresses in the shipped scripts that are never fetched, each with the reason. Nothing
# that loads belongs here: a fetch the theme would make is pointed home (themejs.py).
NOT_LOADS = {
    # XML namespace names, compared as strings by the DOM, never fetched.
    "http://www.w3.org/2000/svg": "SVG namespace",
    "http://www.w3.org/1999/xlink": "XLink namespace",
    "http://www.w3.org/1999/xhtml": "XHTML namespace",
    "http://www.w3.org/2000/xmlns/": "xmlns namespace",
    "http://www.w3.org/XML/1998/namespace": "XML namespace",
    # Material's repository facts (stars, forks, version): fetched only for the header's
    # source link (`data-md-component="source"`) when repo_url is on github.com or a
    # GitLab; the HTML check refuses such a link, so the fetch can never run.
    "https://api.github.com/repos/${e}/${t}": "GitHub facts, needs repo_url",
    "https://api.github.com/users/${e}": "GitHub facts, needs repo_url",
    "https://${e}/api/v4/projects/${encodeURIComponent(t": "GitLab facts, needs repo_url",
    # markdown-it's linkify (admin/markdown-it.min.js, the editor's preview): the href it
    # writes for a bare address in a story's text; preview.js turns linkify off, and a link
    # is never fetched.
    "http://${e.url}": "markdown-it linkify href",
    "http://${i}": "markdown-it linkify href",
    # Documentation links in comments and console messages of lunr and its languages.
    "http://lunrjs.com": "lunr licence comment",
    "http://tartarus.org/~martin/PorterStemmer/js.txt": "lunr comment",
    "https://bit.ly/2s3ChXG": "a link in Material's search worker's console warning",
    "http://chasen.org/~taku/software/TinySegmenter/LICENCE.txt": "lunr.ja licence comment",
    "https://github.com/umdjs/umd/blob/master/returnExports.js": "lunr comment",
    "http://docs.python.org/library/functions.html#range": "lunr comment",
    "http://en.wikipedia.org/wiki/ANSI_escape_code#graphics": "lunr comment",
    "http://en.wikipedia.org/wiki/Fisher–Yates_shuffle": "lunr comment",
    "http://msdn.microsoft.com/en-us/library/ie/dww52sbt": "lunr comment",
    # Licence, credit and documentation links in comments of lunr, its language files and
    # wordcut (the search's word splitters): text for programmers, never fetched.
    "//nbsp": "comment",
    "http://code.google.com/p/urim/": "comment",
    "http://msdn.microsoft.com/en-us/library/ie/dww52sbt(v=vs.94": "comment",
    "http://narwhaljs.org": "comment",
    "http://people.mozilla.org/~jorendorff/es6-draft.html#sec-tolength": "comment",
    "http://snowball.tartarus.org/": "comment",
    "http://underscorejs.org": "comment",
    "http://wiki.commonjs.org/wiki/Unit_Testing/1.0": "comment",
    "http://wiki.ecmascript.org/doku.php?id=harmony:egal": "comment",
    "http://www.mozilla.org/MPL/": "comment",
    "https://clipboardjs.com/": "comment",
    "https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Object/assign": "comment",
    "https://github.com/MihaiValentin/lunr-languages": "comment",
    "https://github.com/isaacs/node-glob/issues/167": "comment",
    "https://github.com/isaacs/node-glob/issues/205": "comment",
    "https://github.com/nodejs/node/blob/b3fcc245fb25539909ef1d5eaa01dbf92e168633/lib/path.js#L56": "comment",
    # resize-observer-polyfill's comments cite the specification.
    "https://drafts.fxtf.org/geometry/#dictdef-domrectinit": "polyfill comment",
    "https://drafts.fxtf.org/geometry/#domrectreadonly": "polyfill comment",
    # The IntersectionObserver and fetch polyfills' comments cite their specifications and issues
    # (site_src/assets/vendor/, loaded only where the browser lacks the API).
    "https://www.w3.org/Consortium/Legal/2015/copyright-software-and-document": "polyfill licence comment",
    "https://github.com/w3c/IntersectionObserver/issues/211": "polyfill comment",
    "https://w3c.github.io/IntersectionObserver/#intersection-observer-entry": "polyfill comment",
    "https://github.com/w3c/IntersectionObserver/issues/324": "polyfill comment",
    "https://w3c.github.io/IntersectionObserver/#intersection-observer-interface": "polyfill comment",
    "https://w3c.github.io/IntersectionObserver/#calculate-intersection-rect-algo": "polyfill comment",
    "https://github.com/w3c/IntersectionObserver/pull/205": "polyfill comment",
    "https://tools.ietf.org/html/rfc7230#section-3.2": "polyfill comment",
    "https://github.com/github/fetch/issues/748": "polyfill comment",
    "https://github.com/zloirock/core-js/issues/751": "polyfill comment",
}


# The web editor's bundle (Decap CMS, `site_src/admin/`, for editors, not readers) carries
# backends and widgets that only its configuration can switch on: GitHub, GitLab, Azure,
# Gitea's demo server, map tiles, Cloudinary and Uploadcare media libraries. Its
# configuration is made from the sections table (cms.py) and names none of them, and
# tests/browser/test_editor.py records every request /admin/ makes (all to 127.0.0.1).
# Read for addresses, its 5 MB would list hundreds that never load; it is the one file
# whose strings are not read, by its exact path.
EDITOR_BUNDLE = "admin/decap-cms.js"


@dataclass(frozen=True)
class ForeignLoad:
    """A resource a written file would load from another host."""

    file: str
    line: int
    what: str
    url: str


_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def _host(url: str) -> str:
    # As the URL parser reads it: no tabs or newlines, a backslash for a slash.
    url = url.strip(_C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    try:
        return (urlsplit(url if not url.startswith("//") else "https:" + url).hostname or "").lower()
    except ValueError:  # an address no browser could reach: count it as another host's
        return "?"


def _tags(text: str, pattern: re.Pattern[str], offset: int = 0) -> Iterator[tuple[int, htmltokens.Tag]]:
    """The tags `pattern` finds, each read once from where it starts; markup inside an
    attribute value (`alt="<img src=…>"`) is read too, as a suspicious reader must. A
    match inside a tag already read is that tag's text, so the reading stays linear."""
    read_to = 0
    for start in pattern.finditer(text):
        if start.start() < read_to:
            continue
        tag, read_to = htmltokens.tag_and_end(text, start.start())
        yield offset + start.start(), tag
        for attribute in tag.attributes:
            if "<" in attribute.value:
                yield from ((offset + start.start(), inner) for _, inner in _tags(attribute.value, pattern))


def _in_html(text: str) -> Iterator[tuple[int, str, str]]:
    # Only the tags that load something are parsed: a page has thousands of tags, and
    # most story bodies none of these.
    # Each is read as a browser reads it (generator/htmltokens.py, generator/weburl.py):
    # `HTTPS:\\cdn`, `/\cdn`, `&#47;&#47;cdn` and a value over several lines all count.
    for offset, tag in _tags(text, _LOADING_TAG):
        # A repeated attribute: the browser keeps the first.
        attributes = {a.name: a.value for a in reversed(tag.attributes)}
        if tag.name == "link" and set(attributes.get("rel", "").lower().split()) <= _PAGE_LINK_RELS:
            continue
        if tag.name == "meta":
            if attributes.get("http-equiv", "").strip().lower() == "refresh":
                target = _REFRESH_URL.match(attributes.get("content", ""))
                url = target.group(1).strip() if target else ""
                if weburl.address(url).has_host:
                    yield offset, "<meta refresh>（自动跳转）", url
            continue
        for attribute in _URL_ATTRIBUTES:
            value = attributes.get(attribute, "")
            for url in value.replace(",", " ").split() if attribute.endswith("srcset") else [value]:
                if weburl.address(url).has_host:
                    yield offset, f"<{tag.name} {attribute}>", url.strip()
    if _PING_WORD.search(text):
        for offset, tag in _tags(text, _PING):
            ping = next((a.value for a in tag.attributes if a.name == "ping"), "")
            for url in ping.split():
                if weburl.address(url).has_host:
                    yield offset, f"<{tag.name} ping>", url
    searched_from = 0
    for source in _REPOSITORY_FACTS.finditer(text):
        # The tag holding it opens after the previous one: each stretch is searched once.
        opening = text.rfind("<", searched_from, source.start())
        searched_from = source.end()
        link = htmltokens.tag_at(text, opening) if opening >= 0 else None
        href = next((a.value for a in link.attributes if a.name == "href"), "") if link else ""
        if _FACTS_HOSTS.search(href):
            yield opening, "主题的代码仓库链接（repo_url）", href
    yield from _in_css(text)


def _in_css(text: str) -> Iterator[tuple[int, str, str]]:
    # Most pages hold none of these: substring searches beat the regular expression.
    lowered = text.lower() if "url(" not in text and "@import" not in text else text
    if "url(" not in lowered and "@import" not in lowered and "image-set(" not in lowered:
        return
    for candidate in _CSS_START.finditer(text):
        start = candidate.end()
        while start < len(text) and text[start] in " \t\n\r\f\"'":
            start += 1
        found, stop = weburl.read(text, start, entities=False)
        if found.has_host:
            shown = text[start : stop + _SHOWN].split(None, 1)[0] if stop > start else ""
            yield candidate.start(), "CSS url()/@import", shown.split(")")[0].rstrip("\"';")


def _in_js(text: str) -> Iterator[tuple[int, str, str]]:
    if "//" not in text:
        return
    for match in _JS_ADDRESS.finditer(text):
        url = match.group(0).rstrip(".,;:(")
        if url not in NOT_LOADS and url.split("//", 1)[-1]:
            yield match.start(), "脚本中的网址", url


_SCANNERS = {".html": _in_html, ".htm": _in_html, ".css": _in_css, ".js": _in_js, ".mjs": _in_js}


def scans(name: str) -> bool:
    """Whether a file of this name (HTML, CSS, JavaScript) can load anything."""
    return posixpath.splitext(name)[1].lower() in _SCANNERS


def loads_in_text(text: str, name: str, own_host: str) -> list[ForeignLoad]:
    """The foreign loads in one file's text; `name` is its path under the site, which says its kind."""
    scanner = _SCANNERS.get(posixpath.splitext(name)[1].lower())
    if scanner is None or name == EDITOR_BUNDLE:
        return []
    found = sorted(((o, w, u) for o, w, u in scanner(text) if _host(u) != own_host), key=lambda f: f[0])
    loads, line, counted = [], 1, 0
    for offset, what, url in found:  # lines counted forwards once, however many loads
        line += text.count("\n", counted, offset)
        counted = offset
        loads.append(ForeignLoad(name, line, what, url))
    return loads


def _loads_in(path: Path, site_dir: Path, own_host: str) -> list[ForeignLoad]:
    return loads_in_text(path.read_text("utf-8", errors="replace"), path.relative_to(site_dir).as_posix(), own_host)


def foreign_loads(site_dir: Path, own_host: str, files: Iterable[Path] | None = None) -> list[ForeignLoad]:
    """Every resource in the site's HTML, CSS and JS files (or in `files`, when given) that
    would come from another host."""
    chosen = sorted(site_dir.rglob("*") if files is None else files)
    scanned = [p for p in chosen if p.suffix.lower() in _SCANNERS and p.is_file()]
    found = workers.map_all(partial(_loads_in, site_dir=site_dir, own_host=own_host), scanned)
    return [load for loads in found for load in loads]


def own_host(site_url: str) -> str:
    """The site's own host name, from `site_url` (empty when none is set)."""
    return _host(site_url) if site_url else ""
