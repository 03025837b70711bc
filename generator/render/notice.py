"""The printed notice (社区宣传栏): where a story too long for two A4 sheets stops, said on the sheet.

A story prints on one sheet, or flows onto a second; past two sheets the body stops between
two blocks and the sheet says so (（下文略，扫码阅读全文）) above the QR code that leads to
the rest. The room is estimated here from the text's length, at the print stylesheet's
sizes (13 pt on 182 mm); an underestimate only makes the notice stop a little early, and
an overestimate lets it flow onto a third sheet — text is never cut without a word.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from generator.content import fact
from generator.core.sections import Role
from generator.core.story import Story

CUT_NOTE = "（下文略，扫码阅读全文）"
SHEETS = 2
LINES_PER_SHEET = 36  # 273 mm of 13 pt at 1.6 line height
LINE_CHARS = 37  # 182 mm of 13 pt CJK, less a little for punctuation pushed to the next line
QR_BLOCK_LINES = 9.5  # the 54 mm code with its rule and margin
SAFETY_LINES = 2  # what the estimate may miss, so that the QR block is not pushed to a third sheet
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"\s*<h[1-6]\b", re.I)
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}


@dataclass(frozen=True)
class Printed:
    """A body split for print: what the sheets show, and what only the page shows."""

    shown: str
    omitted: str


class _Blocks(HTMLParser):
    """The offsets where each top-level element of a body starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.starts: list[tuple[int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.starts.append(self.getpos())
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.starts.append(self.getpos())

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)


def blocks(html: str) -> list[str]:
    """The body's top-level blocks (paragraphs, headings, lists …), in order."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    line_offsets = [0]
    for line in html.splitlines(keepends=True):
        line_offsets.append(line_offsets[-1] + len(line))
    starts = [line_offsets[line - 1] + column for line, column in parser.starts]
    if not starts:
        return [html] if html.strip() else []
    pieces = [html[begin:end] for begin, end in zip(starts, [*starts[1:], len(html)], strict=True)]
    pieces[0] = html[: starts[0]] + pieces[0]
    return pieces


def _lines(block: str) -> float:
    text = " ".join(_TAG.sub(" ", block).split())
    tag = block.lstrip()[1:4].lower()
    if tag.startswith("h"):
        return 1.2 * math.ceil(len(text) / (LINE_CHARS * 0.8)) + 1.6
    if tag.startswith("img") or tag.startswith("fig"):
        return 8 + math.ceil(len(text) / LINE_CHARS)
    if tag in ("ul>", "ol>", "ul ", "ol "):
        items = block.count("<li")
        return (
            sum(math.ceil(len(_TAG.sub("", item)) / (LINE_CHARS - 2)) for item in block.split("<li")[1:])
            + items * 0.3
            + 0.6
        )
    return math.ceil(len(text) / LINE_CHARS) + 0.6


def _count(value: object) -> int:
    return len(value) if isinstance(value, (list, tuple)) else 0


def _head_lines(story: Story, today: date) -> float:
    """The lines a sheet spends on everything but the body: title, facts, claim, notices, sources."""
    head = 4 + 1.7 * math.ceil(len(story.title) / 17)  # section line, byline and their margins; 28 pt title
    if story.image is not None:
        head += 7  # at most 45 mm high
    if fact.verdict(story) is not None:
        # The stamp stands beside the title; the claim box follows.
        head += max(0.0, 3 + math.ceil(len(fact.conclusion(story)) / 20) * 0.8 - 1.7)
        head += 4 + math.ceil(len(fact.claim(story)) / LINE_CHARS) + (1 if story.get(Role.CLAIM_SEEN) else 0)
    else:
        rows = 3 + _count(story.get(Role.HONOURS)) + sum(1 for role in (Role.AUDIENCE, Role.UNIT) if story.get(role))
        head += 1.5 + 1.4 * rows
    if (story.status is not None and story.status.notice) or story.overdue(today):
        head += 4
    return head + 2.5 + 1.5 * _count(story.get(Role.SOURCES))


def split(html: str, story: Story, today: date) -> Printed:
    """The body as the printed notice shows it: whole when it fits two sheets, else up to the last
    block that fits (never less than the first, never ending on a heading), and the rest for the
    screen only."""
    room = SHEETS * LINES_PER_SHEET - QR_BLOCK_LINES - _head_lines(story, today) - SAFETY_LINES
    pieces = blocks(html)
    used = 0.0
    for number, piece in enumerate(pieces):
        used += _lines(piece)
        if used > room and number > 0:
            keep = number
            while keep > 1 and _HEADING.match(pieces[keep - 1]):
                keep -= 1  # a heading goes with the text it heads
            return Printed("".join(pieces[:keep]), "".join(pieces[keep:]))
    return Printed(html, "")
