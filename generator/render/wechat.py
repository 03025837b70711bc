"""公众号 articles: a story as one HTML fragment the official-account editor keeps intact.

The 公众号 editor keeps only inline `style` (it drops `<style>`, `<script>`, classes and
ids), loses the third level of nested lists and resets list styles, and may not link
outside mp.weixin.qq.com. So, as doocs/md and mdnice do, every other link becomes a
numbered footnote under 引用链接, lists are written with their markers as text and at most
two levels, pictures point at the site's own host, and each element carries its style.
The draft API (`draft/add`) limits are checked here too, for the payload beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from lxml import html as lxml_html
from lxml.html import HtmlElement as _Element
from markupsafe import Markup

from generator.content import fact
from generator.content.body import BodyRenderer
from generator.core import addresses
from generator.core.outputs import Asset, Site
from generator.core.sections import Role
from generator.core.settings import Settings
from generator.core.story import Source, Story
from generator.render import roundups, share, stored, wechatcover
from generator.render.roundups import Roundup
from generator.render.templating import environment
from generator.render.wechatcover import Cover

# Limits of the draft API (draft/add); characters, as the 公众号 counts them.
TITLE_LIMIT = 32
AUTHOR_LIMIT = 16
DIGEST_LIMIT = 128
CONTENT_CHARACTERS = 20_000
CONTENT_BYTES = 1_000_000
WECHAT_HOSTS = ("mp.weixin.qq.com",)
MAX_LIST_DEPTH = 2  # the editor drops the third level of nested lists
_STYLES_FILE = Path(__file__).parent.parent / "templates" / "wechat" / "styles.yaml"
_DROPPED = {"script", "style", "link", "iframe", "object", "embed", "form", "input", "button", "noscript"}
_SPACE = re.compile(r"\s+")
# The template's line breaks between tags; whitespace inside a line of text is the text's own.
_BETWEEN_LINES = re.compile(r">[ \t]*\n\s*<")


@dataclass
class Article:
    """One story as a 公众号 article: the fragment, the draft fields, and what will be cut."""

    title: str
    author: str
    digest: str
    content: str
    source_url: str
    links: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cover: Cover | None = None

    def payload(self) -> dict[str, Any]:
        """The `articles` entry of a draft/add request: the cover goes up first, as
        thumb_media_id, and is cut as its crops say."""
        crops = self.cover.crops() if self.cover is not None else {}
        return {
            "title": self.title[:TITLE_LIMIT],
            "author": self.author[:AUTHOR_LIMIT],
            "digest": self.digest[:DIGEST_LIMIT],
            "content": self.content,
            "content_source_url": self.source_url,
            "thumb_media_id": "",
            **crops,
            "need_open_comment": 0,
            "only_fans_can_comment": 0,
        }


@cache
def styles() -> dict[str, str]:
    """The inline style of each kind of element (data: templates/wechat/styles.yaml)."""
    loaded = yaml.safe_load(_STYLES_FILE.read_text("utf-8"))
    return {str(k): _SPACE.sub(" ", str(v)).strip() for k, v in loaded.items()}


def limits(title: str, author: str, digest: str, content: str) -> list[str]:
    """Chinese warnings for each draft field the 公众号 will cut or refuse."""
    found = []
    if len(title) > TITLE_LIMIT:
        found.append(
            f"标题 {len(title)} 字，公众号最多 {TITLE_LIMIT} 字，会被截断为「{title[:TITLE_LIMIT]}」：请缩短标题。"
        )
    if len(author) > AUTHOR_LIMIT:
        found.append(f"作者 {len(author)} 字，公众号最多 {AUTHOR_LIMIT} 字：请缩短 author。")
    if len(digest) > DIGEST_LIMIT:
        found.append(f"摘要 {len(digest)} 字，公众号最多 {DIGEST_LIMIT} 字，会被截断：请缩短 summary。")
    if len(content) >= CONTENT_CHARACTERS or len(content.encode()) >= CONTENT_BYTES:
        found.append(f"正文 {len(content)} 字符，公众号要求少于 {CONTENT_CHARACTERS} 字符、1 MB：请把文章分成两篇。")
    return found


def article(story: Story, settings: Settings, renderer: BodyRenderer) -> Article:
    """The 公众号 article of one story: truth first for rumours, links as footnotes."""
    page_url = settings.absolute(story.url)
    pictures = {p.ref: p.name for p in story.pictures}
    notes = _Footnotes()
    body = _transform(renderer.render(story.body, pictures).html, page_url, notes)
    lead = urljoin(page_url, story.image.name) if story.image else ""
    given: tuple[Source, ...] = story.get(Role.SOURCES, tuple) or ()
    sources = [(s.title, notes.number(s.url)) for s in given]
    templates = environment()
    part = templates.select_template([f"wechat/sections/{story.section.key}.html", "wechat/sections/_default.html"])
    content = templates.get_template("wechat/article.html").render(
        part_template=part,
        story=story,
        fact=fact.conclusion(story),
        style=styles(),
        body=Markup(body),
        lead=lead,
        sources=sources,
        notes=notes.urls,
        page_url=page_url,
        publisher=share.FEDERATION,
    )
    content = _BETWEEN_LINES.sub("><", content).strip()
    author = story.author or share.FEDERATION
    summary = fact.description(story)  # a rumour's digest is its verdict and fact, never the claim
    digest = share.first_sentence(summary) if len(summary) > DIGEST_LIMIT else summary
    return Article(
        title=story.title,
        author=author,
        digest=digest,
        content=content,
        source_url=page_url,
        links=notes.urls,
        warnings=limits(story.title, author, digest, content),
        cover=wechatcover.story_cover(story, settings),
    )


_TONES = {"danger": "#b00020", "warning": "#8a4b00", "success": "#1b6b2a"}


@dataclass(frozen=True)
class _Item:
    story: Story
    line: str
    note: int
    tone: str


def roundup_article(roundup: Roundup, settings: Settings) -> Article:
    """A roundup as one 公众号 article: each story truth first, each page a footnote."""
    notes = _Footnotes()
    items = []
    for story in roundups.sent_around(roundup):
        verdict = story.get(Role.VERDICT)
        tone = _TONES.get(getattr(verdict, "tone", ""), "#3d4a5c")
        items.append(_Item(story, roundups.conclusion(story), notes.number(settings.absolute(story.url)), tone))
    content = (
        environment()
        .get_template("wechat/roundup.html")
        .render(
            roundup=roundup,
            kind_label=roundups.KINDS[roundup.period.kind],
            items=items,
            notes=notes.urls,
            style=styles(),
            publisher=share.FEDERATION,
        )
    )
    content = _BETWEEN_LINES.sub("><", content).strip()
    title = roundup.title
    digest = "；".join(s.title for s in roundup.stories)[: DIGEST_LIMIT - 1]
    author = share.FEDERATION
    return Article(
        title=title,
        author=author,
        digest=digest,
        content=content,
        source_url=settings.absolute(roundup.url),
        links=notes.urls,
        warnings=limits(title, author, digest, content),
        cover=wechatcover.roundup_cover(roundup, settings),
    )


def copy_pages(stories: Iterable[Story], settings: Settings, kept: Mapping[int, str] | None = None) -> Site:
    """Each story's copy page: its article, and a button that copies it as text/html. `kept`:
    each story's key (by its id) for pages kept between full builds (render/stored.py)."""
    if not settings.site_url:
        return Site()  # an article needs absolute addresses for its pictures and 阅读原文
    renderer = BodyRenderer()
    template = environment().get_template("wechat/page.html")
    site = Site()
    for story in stories:
        name = (kept or {}).get(id(story))
        page = stored.get(settings, name) if name is not None else None
        if not isinstance(page, str):
            made = article(story, settings, renderer)
            page = template.render(title=story.title, content=Markup(made.content), page_url=made.source_url)
            if name is not None:
                stored.put(settings, name, page)
        site.assets.append(
            Asset(addresses.copy_address(story.url).lstrip("/"), page, origin=f"{story.path} 的公众号复制页")
        )
    return site


class _Footnotes:
    """Outside links, numbered in order of first appearance: one number per address."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def _transform(body: str, page_url: str, notes: _Footnotes) -> str:
    """The rendered body, restyled inline, links footnoted, lists flattened, pictures absolute."""
    if not body.strip():
        return ""
    root = lxml_html.fragment_fromstring(body, create_parent="section")
    for element in list(root.iter()):
        if element.tag in _DROPPED:
            element.drop_tree()
    for img in root.iter("img"):
        img.set("src", urljoin(page_url, img.get("src", "")))
    for link in list(root.iter("a")):
        _footnote(link, page_url, notes)
    for outer in [e for e in root.iter("ul", "ol") if not any(a.tag in ("ul", "ol") for a in e.iterancestors())]:
        _flatten(outer)
    for element in root.iter():
        _restyle(element)
    root.attrib.clear()
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in root) + (root.text or "")


def _footnote(link: _Element, page_url: str, notes: _Footnotes) -> None:
    href = urljoin(page_url, link.get("href", ""))
    host = urlsplit(href).hostname or ""
    text = link.text_content().strip()
    if host in WECHAT_HOSTS:
        link.attrib.clear()
        link.set("href", href)
        return
    if href.startswith("mailto:") or href.startswith("tel:") or not href or href.split("#")[0] == page_url:
        link.drop_tag()  # nothing to follow inside an article: the text stays
        return
    number = notes.number(href)
    mark = lxml_html.Element("sup")
    mark.text = f"[{number}]"
    link.addnext(mark)
    mark.tail, link.tail = link.tail, None
    link.tag = "span"
    link.attrib.clear()
    if text == href:
        link.text, link[:] = "", []  # a bare address is shown once, in the list below


def _flatten(listing: _Element) -> None:
    """Replace a list by paragraphs with their markers as text; deeper levels join the second."""
    paragraphs = _items(listing, 1)
    parent = listing.getparent()
    assert parent is not None  # a list in a rendered body always has a parent: the fragment's root
    position = parent.index(listing)
    tail = listing.tail
    parent.remove(listing)
    for offset, paragraph in enumerate(paragraphs):
        parent.insert(position + offset, paragraph)
    if paragraphs and tail:
        paragraphs[-1].tail = (paragraphs[-1].tail or "") + tail


def _items(listing: _Element, depth: int) -> list[_Element]:
    ordered = listing.tag == "ol"
    start = int(listing.get("start") or 1) if ordered and (listing.get("start") or "1").isdigit() else 1
    level = min(depth, MAX_LIST_DEPTH)
    paragraphs: list[_Element] = []
    for index, item in enumerate(c for c in listing if c.tag == "li"):
        nested = [c for c in item if c.tag in ("ul", "ol")]
        for child in nested:
            item.remove(child)
        for child in list(item):
            if child.tag == "p":  # a loose list's item holds paragraphs: keep their text inline
                child.drop_tag()
        paragraph = lxml_html.Element("p")
        paragraph.set("data-list-level", str(level))
        marker = f"{start + index}. " if ordered else ("• " if level == 1 else "◦ ")
        paragraph.text = marker + (item.text or "")
        for child in list(item):
            paragraph.append(child)
        paragraphs.append(paragraph)
        for child in nested:
            paragraphs.extend(_items(child, depth + 1))
    return paragraphs


def _restyle(element: _Element) -> None:
    table = styles()
    classes = set((element.get("class") or "").split())
    kind = str(element.tag)
    if "admonition" in classes:
        kind = "admonition"
    elif "admonition-title" in classes:
        kind = "admonition-title"
    elif "footnote" in classes:
        kind = "footnotes"
    keep = {name: element.get(name) for name in ("href", "src", "alt", "colspan", "rowspan") if element.get(name)}
    level = element.get("data-list-level")
    element.attrib.clear()
    for name, value in keep.items():
        element.set(name, str(value))
    style = table.get(f"li{level}" if level else kind, "")
    if style:
        element.set("style", style)
    if kind == "div":
        element.tag = "section"  # the editor rewrites <div>s; <section> is what its own templates use
