"""Story bodies: Markdown to HTML, with picture addresses rewritten and outside links marked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from generator.content.rawhtml import reserved_class, reserved_name

EXTENSIONS: list[Any] = [
    "tables",
    "sane_lists",
    "admonition",
    "attr_list",
    "footnotes",
    "md_in_html",
    "toc",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # The default slugify drops every Han character, leaving headings with ids like `_1`.
    "toc": {"slugify": slugify(case="lower"), "toc_depth": "2-3"},
    "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"},
}


# What a story body may contain after rendering. The check stage already refuses raw HTML
# that could run; this allowlist is the second line, for markup browsers parse differently.
_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"figure", "figcaption", "mark", "time", "details", "summary"}
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "time": {"datetime"},
    "abbr": set(),
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _unreserved(element: str, attribute: str, value: str) -> str | None:
    """An attribute's value without the ids and classes the theme and the site's scripts read."""
    if attribute == "id" and reserved_name(value):
        return None
    if attribute == "class":
        return " ".join(word for word in value.split() if not reserved_class(word)) or None
    return value


def sanitise(html: str) -> str:
    """Keep only formatting markup: nothing that runs, loads a frame, restyles or takes over the page."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        link_rel=None,
        url_schemes=_URL_SCHEMES,
        filter_style_properties={"text-align"},
        strip_comments=True,
        # The check refuses these with the line; this is the second line, for a spelling it missed.
        attribute_filter=_unreserved,
    )


@dataclass(frozen=True)
class Body:
    """A rendered body and its headings, as MkDocs' `toc` tokens."""

    html: str
    toc: list[dict[str, Any]]


class _Pictures(Treeprocessor):
    """Points `<img>` at the names pictures get on the site; links leaving the site get `rel`."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            if element.tag == "img":
                src = element.get("src", "")
                if src in self.names:
                    element.set("src", self.names[src])
                # Pictures in a body sit below the fold on a phone: defer them.
                element.set("loading", "lazy")
                element.set("decoding", "async")
            elif element.tag == "a" and element.get("href", "").startswith(("http://", "https://", "//")):
                element.set("rel", "noopener noreferrer")


class _PicturesExtension(Extension):
    def __init__(self, processor: _Pictures) -> None:
        super().__init__()
        self.processor = processor

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(self.processor, "federation-pictures", 0)


class BodyRenderer:
    """Renders bodies with one reused Markdown instance, remembering results by content."""

    def __init__(self) -> None:
        self._pictures = _Pictures()
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, _PicturesExtension(self._pictures)],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        self._memo: dict[str, Body] = {}

    def render(self, text: str, pictures: dict[str, str]) -> Body:
        """HTML of a Markdown body; `pictures` maps each reference to the site's file name."""
        key = hashlib.blake2b(
            (text + "\0" + repr(sorted(pictures.items()))).encode("utf-8"), digest_size=16
        ).hexdigest()
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        self._md.reset()
        self._pictures.names = pictures
        html = sanitise(self._md.convert(text))
        body = Body(html=html, toc=list(getattr(self._md, "toc_tokens", [])))
        self._memo[key] = body
        return body
