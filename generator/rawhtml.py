"""Raw HTML in a story may format text, never run: the parts that could run are found here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "style", "link", "meta", "base"}
)
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background"})
_RUNNABLE_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
# A Markdown link (not an image: those are checked as pictures) to a script URL.
_MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?\s*((?:javascript|vbscript|data):[^)\s>]*)", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"`[^`]*`")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class Hazard:
    """A piece of raw HTML that could run: its line (from 1, within the text) and what it is."""

    line: int
    what: str


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hazards: list[Hazard] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in FORBIDDEN_TAGS:
            self.hazards.append(Hazard(line, f"<{tag}>"))
        for name, value in attrs:
            if name.startswith("on"):
                self.hazards.append(Hazard(line, f"事件属性 {name}="))
            elif name in _URL_ATTRIBUTES and value and _RUNNABLE_SCHEME.match(_INVISIBLE.sub("", value)):
                self.hazards.append(Hazard(line, f"{_INVISIBLE.sub('', value).split(':')[0].lower()}: 链接"))

    handle_startendtag = handle_starttag


def hazards(text: str) -> list[Hazard]:
    """Everything in a Markdown body that could run script, with its line; code blocks are skipped."""
    found: list[Hazard] = []
    if "<" in text:  # most bodies hold no HTML at all: skip the parser for them
        scanner = _Scanner()
        scanner.feed(without_code(text))
        scanner.close()
        found.extend(scanner.hazards)
    if "](" in text:
        for number, line in enumerate(text.split("\n"), start=1):
            for match in _MARKDOWN_LINK.finditer(line):
                found.append(Hazard(number, f"{match.group(1).split(':')[0].lower()}: 链接"))
    return sorted(set(found), key=lambda h: (h.line, h.what))


def without_code(text: str) -> str:
    """The text with fenced code blocks and inline code blanked, line count kept: code shows
    markup as text, so nothing in it loads or runs."""
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
