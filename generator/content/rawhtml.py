"""What a story body may not do: run script, load from another host, or take over the page.

One set of rules reads every element a body makes, whether written as raw HTML
(generator/htmltokens.py) or as Markdown (generator/mdmarkup.py), with addresses read as
a browser reads them (generator/weburl.py). Each finding names its line in the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from generator.content import htmltokens, mdmarkup
from generator.content.htmltokens import Attribute, Tag
from generator.content.weburl import Address, address

FORBIDDEN_TAGS = frozenset(
    {
        *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "style", "link", "meta"),
        *("base", "svg", "math", "portal", "template", "noembed", "noframes", "xmp", "plaintext"),
    }
)
# Attributes whose value is an address; every other attribute is text.
URL_ATTRIBUTES = frozenset(
    {
        *("href", "src", "srcset", "imagesrcset", "action", "formaction", "poster", "data", "background"),
        *("xlink:href", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "archive", "classid", "manifest"),
        *("ping", "profile", "icon", "usemap", "itemtype"),
    }
)
# Addresses a browser does not fetch by itself: where a reader may go, or what is quoted.
_NAVIGATION = frozenset({"cite", "longdesc", "action", "formaction", "usemap", "itemtype"})
_LINKING_TAGS = frozenset({"a", "area"})
# Elements whose `name` becomes a property of `document`, shadowing the real one:
# `<img name=cookie>` makes `document.cookie` an image for every script on the page.
DOCUMENT_NAMED_TAGS = frozenset({"embed", "form", "iframe", "img", "object", "frame", "frameset", "applet"})
# Ids and names the theme and the site's own scripts read. Material takes its whole
# configuration (including where search loads from) from `#__config`, and all its
# elements' ids and names start with `__`; ours start with `fed-` and `home-`.
RESERVED_PREFIXES = ("__", "fed-", "home-")
# Globals a script tests for: an element with this id makes `typeof X` an object.
RESERVED_GLOBALS = frozenset({"ResizeObserver", "mermaid", "lunr"})
# Classes scripts act on: Material renders `pre.mermaid` with a script it would fetch,
# and the site's own scripts wire up `.fed-*`.
RESERVED_CLASSES = frozenset({"mermaid"})
RESERVED_CLASS_PREFIXES = ("fed-",)
RESERVED_DATA_PREFIXES = ("data-md-", "data-fed-")
_CSS_LOADS = ("url(", "image-set(", "image(", "@import", "expression(", "-moz-binding", "behavior:", "cross-fade(")

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"`[^`]*`")

_FORMATTING_ONLY = "文章里的 HTML 只能用于排版，不能运行脚本、嵌入其他网页或改变网站样式"
_FOREIGN = "外部网站在中国大陆可能被屏蔽或很慢，会让页面打不开"


@dataclass(frozen=True)
class Hazard:
    """Something in a body that could run, load from elsewhere or take over the page: its line (from 1, within the text)."""

    line: int
    what: str
    message: str
    rule: str = field(kw_only=True)  # the rule's id (content/rules.py)


def hazards(text: str, slugify: Callable[[str, str], str] | None = None) -> list[Hazard]:
    """Everything in a Markdown body that could run script, load from another host or take
    over the page, with its line; code shows markup as text, so it is skipped (what the
    page then holds is checked again after rendering: generator/body.py, generator/hosts.py)."""
    text = without_code(text)
    elements: Iterable[Tag] = mdmarkup.tags(text, 1, slugify)
    if "<" in text:
        elements = [*htmltokens.tags(text), *elements]
    found = {hazard for tag in elements for hazard in _tag_hazards(tag)}
    return sorted(found, key=lambda h: (h.line, h.what))


def reserved_name(value: str) -> bool:
    """Whether an id or a name is one the theme or the site's scripts read."""
    return value.startswith(RESERVED_PREFIXES) or value in RESERVED_GLOBALS


def reserved_class(value: str) -> bool:
    """Whether a class is one the theme or the site's scripts act on."""
    return value in RESERVED_CLASSES or value.startswith(RESERVED_CLASS_PREFIXES)


def _tag_hazards(tag: Tag) -> Iterator[Hazard]:
    if tag.name in FORBIDDEN_TAGS:
        yield Hazard(
            tag.line,
            f"<{tag.name}>",
            f"正文含有 <{tag.name}>：{_FORMATTING_ONLY}；请删除这段 HTML。",
            rule="html.tag-forbidden",
        )
        return
    # `<javascript:alert(1)>`, written as an autolink; without its `>` it is plain text (`正文<a:`).
    if ":" in tag.name and tag.closed:
        link = Tag("a", tag.line, (Attribute("href", tag.name, tag.line),))
        yield from _address_hazards(link, link.attributes[0], address(tag.name))
    for attribute in tag.attributes:
        yield from _attribute_hazards(tag, attribute)


def _attribute_hazards(tag: Tag, attribute: Attribute) -> Iterator[Hazard]:
    name, value, line = attribute.name, attribute.value, attribute.line
    if name.startswith("on"):
        yield Hazard(
            line,
            f"事件属性 {name}=",
            f"正文含有 事件属性 {name}=：{_FORMATTING_ONLY}；请删除这段 HTML。",
            rule="html.event-attribute",
        )
    elif name in ("srcset", "imagesrcset"):
        for candidate in value.replace(",", " ").split():
            yield from _address_hazards(tag, Attribute(name, candidate, line), address(candidate))
    elif name in URL_ATTRIBUTES:
        yield from _address_hazards(tag, attribute, address(value))
    elif name == "style":
        css = _css(value)
        if any(load in css for load in _CSS_LOADS):
            yield Hazard(
                line,
                "样式加载",
                f"正文的 style 样式里加载了图片或文件（{_short(value)}）：{_FORMATTING_ONLY}；请删除这个 style。",
                rule="html.style-load",
            )
    elif name in ("id", "name") and (reserved_name(value) or (name == "name" and tag.name in DOCUMENT_NAMED_TAGS)):
        why = "网站的脚本会读取它" if reserved_name(value) else f"<{tag.name} name> 会顶替网页脚本要用的同名对象"
        yield Hazard(
            line,
            f"{name}「{value}」",
            f"正文中的 {name}「{_short(value)}」不能使用：{why}，文章借用它就能改变整个页面；请删除这个 {name}，或换一个不以 __、fed-、home- 开头的名字。",
            rule="html.reserved-name",
        )
    elif name == "class":
        for word in value.split():
            if reserved_class(word):
                yield Hazard(
                    line,
                    f"class「{word}」",
                    f"正文中的 class「{_short(word)}」是网站脚本要处理的名字，文章不能使用；请删除它。",
                    rule="html.reserved-class",
                )
    elif name.startswith(RESERVED_DATA_PREFIXES):
        yield Hazard(
            line,
            f"属性 {name}=",
            f"正文中的属性 {name}= 是网站脚本要读取的，文章不能使用；请删除它。",
            rule="html.reserved-attribute",
        )


def _address_hazards(tag: Tag, attribute: Attribute, found: Address) -> Iterator[Hazard]:
    line, shown = attribute.line, _short(attribute.value.strip())
    loads = attribute.name not in _NAVIGATION and not (tag.name in _LINKING_TAGS and attribute.name == "href")
    picture = tag.name == "img" and attribute.name in ("src", "srcset")
    if picture and found.scheme == "data":
        yield Hazard(
            line,
            "data: 图片",
            "正文图片不能用 data: 内嵌；请把图片存成 JPG 或 PNG 文件，放在本文件旁边或 stories/images/ 下，再写文件名。",
            rule="picture.data-address",
        )
    elif found.runnable:
        yield Hazard(
            line,
            f"{found.scheme}: 链接",
            f"正文含有 {found.scheme}: 链接：{_FORMATTING_ONLY}；请删除这个链接。",
            rule="html.script-link",
        )
    elif picture and not found.local:
        yield Hazard(
            line,
            "其他网站的图片",
            f"正文图片「{shown}」引用了其他网站的图片；请下载后放在本文件旁边或 stories/images/ 下，再写文件名。",
            rule="picture.other-host",
        )
    elif loads and not found.local:
        yield Hazard(
            line,
            f"从其他网站加载 <{tag.name} {attribute.name}>",
            f"正文会从其他网站加载资源（<{tag.name} {attribute.name}>：{shown}）。{_FOREIGN}；请把文件下载后放在本文件旁边或 stories/images/ 下再引用，或删除。",
            rule="html.foreign-load",
        )
    elif not found.linkable:
        yield Hazard(
            line,
            f"{found.scheme}: 链接",
            f"正文含有 {found.scheme}: 链接「{shown}」：文章只能链接到 http://、https://、mailto:、tel: 地址或本站页面；请改正或删除这个链接。",
            rule="html.link-scheme",
        )


def _css(value: str) -> str:
    """CSS text with comments dropped, escapes decoded and letters folded, as a browser reads it."""
    kept: list[str] = []
    index = 0
    while True:
        start = value.find("/*", index)
        if start < 0:
            kept.append(value[index:])
            break
        kept.append(value[index:start])
        close = value.find("*/", start + 2)
        if close < 0:
            break
        index = close + 2
    text = "".join(kept)
    if "\\" in text:
        text = _css_unescape(text)
    return "".join(text.split()).lower()


def _css_unescape(text: str) -> str:
    out: list[str] = []
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char != "\\" or index + 1 >= end:
            out.append(char)
            index += 1
            continue
        stop = index + 1
        while stop < end and stop - index <= 6 and text[stop] in "0123456789abcdefABCDEF":
            stop += 1
        if stop > index + 1:
            code = int(text[index + 1 : stop], 16)
            out.append(chr(code) if 0 < code <= 0x10FFFF else "\ufffd")
            if stop < end and text[stop] in " \t\n\r\f":
                stop += 1
            index = stop
        else:
            out.append(text[index + 1])
            index += 2
    return "".join(out)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def without_code(text: str) -> str:
    """The text with fenced code blocks and inline code blanked, line count kept: code shows
    markup as text, so the pictures in it are not the story's."""
    if "`" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    fence = ""
    for index, line in enumerate(lines):
        marker = _FENCE.match(line)
        if marker and (not fence or marker.group(1).startswith(fence)):
            fence = "" if fence else marker.group(1)[:3]
            lines[index] = ""
        elif fence:
            lines[index] = ""
        else:
            lines[index] = _CODE_SPAN.sub("", line)
    return "\n".join(lines)
