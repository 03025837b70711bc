"""Sharing: link-preview data for every page, a story's share text and QR code, and JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy
import numpy.typing
import zxingcpp
from markupsafe import Markup, escape

from generator.content import fact
from generator.core import addresses, vocab, workers
from generator.core.sections import SECTIONS, Section, section
from generator.core.settings import Settings
from generator.core.story import Honour, Source, Story
from generator.core.vocab import Term

# The publisher of the site; mkdocs.yml's extra.organisation names it the same way in the footer.
FEDERATION = "重庆市妇女联合会"
SHARE_TEXT_LIMIT = 140  # a Weibo post; WeChat groups read the same text
QR_CAPTION = "微信扫一扫，分享给亲友"
POSTER_CAPTION = "长按保存图片，发到朋友圈、微信群"
HOTLINE = "12338"  # as mkdocs.yml's extra.hotline, which the hotline bar shows
HOTLINE_LABEL = "妇女维权公益服务热线"
IMAGE_SIZE = (1200, 630)  # the 1.91:1 of Open Graph cards; WeChat crops the middle square
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class QrCode:
    """A QR code ready to draw: modules across (quiet zone included) and the dark modules' path."""

    size: int
    path: str


@dataclass(frozen=True)
class Card:
    """What a story's share block shows: the page's absolute address, its QR code and share text."""

    url: str
    text: str
    qr: QrCode
    poster: str = ""
    poster_alt: str = ""
    caption: str = QR_CAPTION
    poster_caption: str = POSTER_CAPTION
    publisher: str = FEDERATION
    hotline: str = HOTLINE
    hotline_label: str = HOTLINE_LABEL


@dataclass(frozen=True)
class Preview:
    """The picture a link card shows: absolute address, size, type and description."""

    url: str
    width: int
    height: int
    mime: str
    alt: str


def first_sentence(text: str) -> str:
    """The first sentence of a summary."""
    return next((part for part in _SENTENCE_END.split(text.strip()) if part.strip()), "").strip()


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else (text[: room - 1].rstrip("，、；：,;: ") + "…" if room > 1 else "")


def share_text(story: Story, settings: Settings) -> str:
    """The ready-made post, ≤ 140 characters: a rumour's is 【verdict】the fact, never the claim;
    any other story's 【title】the summary's first sentence; then the link and the hashtag."""
    url = settings.absolute(story.url)
    tail = f" {url} {story.section.hashtag}"
    verdict = fact.verdict(story)
    if verdict is not None:
        head = f"【{verdict.label}】"
        sentence = fact.conclusion(story)
    else:
        head = f"【{_cut(story.title, SHARE_TEXT_LIMIT - len(tail) - 2)}】"
        sentence = first_sentence(story.summary)
    return head + _cut(sentence, SHARE_TEXT_LIMIT - len(head) - len(tail)) + tail


QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def _dark_modules(url: str) -> numpy.typing.NDArray[numpy.bool_]:
    """The dark modules of the QR code of `url`, row by row, without the quiet zone."""
    # zxing-cpp (Zint inside) encodes and picks the mask as the standard asks, in C++:
    # about 0.25 ms a code, where a pure-Python encoder spends 4 ms on the mask alone.
    # Level M survives a smudged or creased print.
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return numpy.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128


def qr_path(modules: Sequence[Sequence[bool]] | numpy.typing.NDArray[numpy.bool_], border: int = QUIET_ZONE) -> str:
    """SVG path data drawing each horizontal run of dark modules as one rectangle."""
    dark = numpy.asarray(modules, dtype=numpy.int8)
    if dark.size == 0:
        return ""
    # +1 where a run starts, -1 just after it ends; row by row, left to right.
    edges = numpy.diff(numpy.pad(dark, ((0, 0), (1, 1))), axis=1)
    rows, starts = numpy.nonzero(edges == 1)
    ends = numpy.nonzero(edges == -1)[1]
    return "".join(
        f"M{start + border} {row + border}h{end - start}v1h-{end - start}z"
        for row, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True)
    )


def _draw_qr(url: str) -> QrCode:
    modules = _dark_modules(url)
    return QrCode(size=len(modules) + 2 * QUIET_ZONE, path=qr_path(modules))


@dataclass
class QrCodes:
    """QR codes by address, made here: no QR service ever sees the reader's page. Kept across
    `serve` rebuilds in pipeline.Cache: an address's code never changes."""

    codes: dict[str, QrCode] = field(default_factory=dict)

    def get(self, url: str) -> QrCode:
        """The QR code of `url`."""
        found = self.codes.get(url)
        if found is None:
            found = self.codes[url] = _draw_qr(url)
        return found

    def make(self, stories: Iterable[Story], settings: Settings) -> None:
        """Make the stories' QR codes ahead of their pages, on every core."""
        todo = [url for url in dict.fromkeys(settings.absolute(s.url) for s in stories) if url not in self.codes]
        self.codes.update(zip(todo, workers.map_all(_draw_qr, todo), strict=True))


def card(story: Story, settings: Settings, codes: QrCodes | None = None) -> Card:
    """The share block of one story."""
    url = settings.absolute(story.url)
    alt = f"本文海报：{story.title}"
    return Card(
        url,
        share_text(story, settings),
        (codes or QrCodes()).get(url),
        "/" + addresses.poster_address(story.section.key, story.slug),
        alt,
    )


def section_preview(key: str, settings: Settings) -> Preview:
    """The share image of a section (or of the site, `key="site"`), which shareimage.py draws."""
    width, height = IMAGE_SIZE
    found = section(key)
    label = found.label if found else ""
    alt = "·".join(part for part in (settings.site_name, label) if part)
    return Preview(settings.absolute("/" + addresses.image_address(key)), width, height, "image/png", alt)


def story_preview(story: Story, settings: Settings) -> Preview:
    """The story's own card (storyimage.py): its title, its verdict for a rumour, its lead picture."""
    width, height = IMAGE_SIZE
    verdict = fact.verdict(story)
    alt = f"查证结论：{verdict.label}。{story.title}" if verdict else story.title
    return Preview(
        settings.absolute("/" + addresses.card_address(story.section.key, story.slug)), width, height, "image/jpeg", alt
    )


def _organisation(name: str, settings: Settings) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Organization", "name": name}
    if name == FEDERATION and settings.site_url:
        found["url"] = settings.site_url
    return found


def _common(story: Story, settings: Settings, kind: str, preview: Preview) -> dict[str, Any]:
    url = settings.absolute(story.url)
    return {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": url,
        "url": url,
        "headline": story.title,
        "name": story.title,
        "description": story.summary,
        "inLanguage": "zh-CN",
        "datePublished": story.date.isoformat(),
        "dateModified": story.modified.isoformat(),
        "image": preview.url,
        "author": _organisation(story.author or FEDERATION, settings),
        "publisher": _organisation(FEDERATION, settings),
        "articleSection": story.section.label,
    }


def honour_text(honour: Honour) -> str:
    """An honour as the page writes it: 巾帼建功标兵（2020年，市级，重庆市妇女联合会）."""
    details = [f"{honour.year}年" if honour.year else "", honour.level, honour.issuer]
    shown = "，".join(d for d in details if d)
    return f"{honour.term.label}（{shown}）" if shown else honour.term.label


def _json_value(value: object) -> Any:
    """A field's typed value as JSON-LD writes it (by the value's type, which its kind made)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Term):
        return value.label
    if isinstance(value, Source):
        return {"@type": "CreativeWork", "name": value.title, "url": value.url}
    if isinstance(value, Honour):
        return honour_text(value)
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    return str(value)


def _rating(value: object) -> dict[str, Any]:
    """A verdict's place on the Rating scale, from its vocabulary (verdicts.yaml's `rating`)."""
    if not isinstance(value, Term) or value.rating is None:
        return {}
    worst, best = vocab.by_name(value.vocabulary).ratings or (value.rating, value.rating)
    return {"ratingValue": value.rating, "bestRating": best, "worstRating": worst}


def schema_paths(path: str) -> tuple[list[tuple[str, str, bool]], str]:
    """A field's schema.org path (sections.Field.schema) as (property, @type, one per item)
    steps and its transform: `audience[]:PeopleAudience.audienceType~date`."""
    path, _, transform = path.partition("~")
    steps = []
    for segment in path.split("."):
        name, _, kind = segment.partition(":")
        steps.append((name.removesuffix("[]"), kind, name.endswith("[]")))
    return steps, transform


TRANSFORMS: dict[str, Callable[[str], str | None]] = {
    "": lambda text: text,
    "date": lambda text: found.group(0) if (found := _DATE.search(text)) else None,
}


def _place(target: dict[str, Any], steps: list[tuple[str, str, bool]], value: Any, extra: dict[str, Any]) -> None:
    (name, kind, each), rest = steps[0], steps[1:]
    if not rest:
        target[name] = value
        target.update(extra)
    elif each:
        target[name] = [_made(kind, rest, item, extra) for item in value]
    else:
        _place(target.setdefault(name, {"@type": kind} if kind else {}), rest, value, extra)


def _made(kind: str, steps: list[tuple[str, str, bool]], value: Any, extra: dict[str, Any]) -> dict[str, Any]:
    made: dict[str, Any] = {"@type": kind} if kind else {}
    _place(made, steps, value, extra)
    return made


def structured_data(story: Story, settings: Settings) -> dict[str, Any]:
    """The story as schema.org JSON-LD of its section's type (ClaimReview, MedicalWebPage,
    NewsArticle about a Person …), each field written where its `schema` paths say."""
    schema = story.section.schema
    data = _common(story, settings, schema.type, story_preview(story, settings))
    for spec in story.section.fields:
        value = story.get(spec.key)
        if value is None or value == "" or value == ():
            continue
        for path in spec.schema:
            steps, transform = schema_paths(path)
            shown = _json_value(value)
            if transform:
                shown = TRANSFORMS[transform](str(shown))
                if shown is None:
                    continue
            _place(data, steps, shown, _rating(value))
    if schema.checked_by_publisher:
        # The fact-checker is the federation; the reporting body that wrote it up contributed.
        data["author"] = _organisation(FEDERATION, settings)
        if story.author and story.author != FEDERATION:
            data["contributor"] = _organisation(story.author, settings)
    for name in schema.omit:
        data.pop(name, None)
    return data


def script_json(data: dict[str, Any]) -> str:
    """JSON for a `<script type="application/ld+json">`: `<` is escaped so no text can end the script."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _meta(
    settings: Settings, title: str, description: str, address: str, kind: str, preview: Preview, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "share": {
            "title": title,
            "description": description,
            "url": settings.absolute(address),
            "type": kind,
            "site_name": settings.site_name,
            "image": preview.url,
            "image_width": preview.width,
            "image_height": preview.height,
            "image_type": preview.mime,
            "image_alt": preview.alt or title,
            "jsonld": script_json(data),
        }
    }


def story_meta(story: Story, settings: Settings) -> dict[str, Any]:
    """`Page.meta` of a story: its link-preview tags and JSON-LD, for the theme's head."""
    preview = story_preview(story, settings)
    description = fact.description(story)
    meta = _meta(settings, story.title, description, story.url, "article", preview, structured_data(story, settings))
    meta["share"].update(
        published=story.date.isoformat(),
        modified=story.modified.isoformat(),
        section=story.section.label,
        tags=list(story.tags),
        source=story.author or FEDERATION,  # ContentSource of the government-site metadata (govmeta.py)
    )
    return meta


def listing_meta(section: Section, title: str, address: str, settings: Settings) -> dict[str, Any]:
    """`Page.meta` of a section's listing page."""
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "url": settings.absolute(address),
        "name": title,
        "description": section.description,
        "inLanguage": "zh-CN",
        "publisher": _organisation(FEDERATION, settings),
    }
    preview = section_preview(section.key, settings)
    return _meta(settings, title, section.description, address, "website", preview, data)


def home_meta(description: str, settings: Settings) -> dict[str, Any]:
    """`Page.meta` of the home page."""
    title = settings.site_name or "首页"
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "url": settings.absolute("/"),
        "name": title,
        "description": description,
        "inLanguage": "zh-CN",
        "publisher": _organisation(FEDERATION, settings),
        "hasPart": [
            {"@type": "CollectionPage", "name": s.label, "url": settings.absolute(addresses.section_address(s.key))}
            for s in SECTIONS
        ],
    }
    return _meta(settings, title, description, "/", "website", section_preview("site", settings), data)


def head_html(
    share: Mapping[str, Any],
    title: str,
    description: str,
    canonical: str | None,
    site_name: str,
    site_url: str,
    site_description: str,
) -> str:
    """The link-preview tags (Open Graph, Twitter card, schema.org) and JSON-LD of a page's head.

    `share` is a generated page's `meta["share"]` (see `_meta`); a hand-written page has none
    and gets the same tags from its `title`, `description` and `canonical` address, with the
    site's share image. WeChat, Weibo and aggregators need absolute addresses, so everything
    here starts from `site_url`.
    """
    root = site_url.strip()
    if root and not root.endswith("/"):
        root += "/"
    title = share.get("title") or title or site_name
    description = share.get("description") or description or site_description or ""
    url = share.get("url") or canonical or root
    image = share.get("image") or root + addresses.image_address("site")
    image_alt = share.get("image_alt") or title
    plain_title, shown = escape(Markup(title).striptags()), escape(description)
    alt, picture = escape(Markup(image_alt).striptags()), escape(image)
    lines = [
        f'<meta property="og:title" content="{plain_title}">',
        f'<meta property="og:description" content="{shown}">',
        f'<meta property="og:url" content="{escape(url)}">',
        f'<meta property="og:type" content="{share.get("type") or "website"}">',
        f'<meta property="og:site_name" content="{escape(site_name)}">',
        '<meta property="og:locale" content="zh_CN">',
        f'<meta property="og:image" content="{picture}">',
    ]
    if image.startswith("https://"):
        lines.append(f'<meta property="og:image:secure_url" content="{picture}">')
    lines += [
        f'<meta property="og:image:type" content="{share.get("image_type") or "image/png"}">',
        f'<meta property="og:image:width" content="{share.get("image_width") or 1200}">',
        f'<meta property="og:image:height" content="{share.get("image_height") or 630}">',
        f'<meta property="og:image:alt" content="{alt}">',
    ]
    if share.get("published"):
        lines += [
            f'<meta property="article:published_time" content="{share["published"]}">',
            f'<meta property="article:modified_time" content="{share.get("modified")}">',
            f'<meta property="article:section" content="{escape(share.get("section") or "")}">',
        ]
        lines += [f'<meta property="article:tag" content="{escape(tag)}">' for tag in share.get("tags") or []]
    lines += [
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:title" content="{plain_title}">',
        f'<meta name="twitter:description" content="{shown}">',
        f'<meta name="twitter:image" content="{picture}">',
        f'<meta name="twitter:image:alt" content="{alt}">',
        # QQ and the browsers of the WeChat family read these schema.org microdata tags for their cards.
        f'<meta itemprop="name" content="{plain_title}">',
        f'<meta itemprop="description" content="{shown}">',
        f'<meta itemprop="image" content="{picture}">',
    ]
    if share.get("jsonld"):
        lines.append(f'<script type="application/ld+json">{share["jsonld"]}</script>')
    # No <link rel="alternate"> for the feeds here: Material's script takes any such link for
    # a language version and fetches the sitemap from site_url's host to check it.
    return "".join("\n" + line for line in lines)
