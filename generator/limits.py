"""Limits: how big a story and its parts may be, so that no file makes unbounded work.

Every limit is far above what a real story needs and is reported in Chinese with its
line. Markup is limited where the tools that read it are not linear: Python-Markdown
slows down with the square of the `[` in one paragraph, and the standard library's
HTML parser rescans to the end of the text for each tag or comment left open, so a
story with more of them than any real one has is refused at `check`, before either runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.frontmatter import Mapping, Node, Scalar, Sequence
from generator.sections import Field, Kind

MAX_TEXT_CHARS = 2_000
MAX_SHORT_CHARS = 300  # one value that becomes part of an address, a tag page or a file name
MAX_ITEMS = {Kind.TEXT_LIST: 30, Kind.SOURCES: 30, Kind.HONOURS: 30, Kind.ADDRESS_LIST: 30}
MAX_TAGS = 20
MAX_TAG_CHARS = 30
MAX_BRACKETS_PER_PARAGRAPH = 200
MAX_BRACKETS = 3_000
MAX_TAGS_IN_BODY = 1_000
MAX_TAG_LENGTH = 2_000
_SHORT_KINDS = (Kind.ADDRESS, Kind.ADDRESS_LIST, Kind.SLUG, Kind.IMAGE, Kind.TERM, Kind.DATE, Kind.BOOL)
_TAG_START = re.compile(r"<[A-Za-z/?]|<!(?!--)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Excess:
    """One limit passed: the line (within the text measured, from 1) and the message."""

    line: int
    message: str


def field_excess(spec: Field, node: Node, value: object) -> list[Excess]:
    """Values of one front-matter field longer, or lists longer, than any story needs."""
    found: list[Excess] = []
    limit = MAX_SHORT_CHARS if spec.kind in _SHORT_KINDS else MAX_TEXT_CHARS
    for scalar in _scalars(node):
        if len(scalar.text) > limit:
            found.append(
                Excess(
                    scalar.line,
                    f"{spec.key}（{spec.label}）太长（{len(scalar.text)} 字，最多 {limit} 字）：请精简，长内容请写进正文。",
                )
            )
    most = MAX_TAGS if spec.key == "tags" else MAX_ITEMS.get(spec.kind)
    if most is not None and isinstance(value, tuple) and len(value) > most:
        found.append(
            Excess(node.line, f"{spec.key}（{spec.label}）有 {len(value)} 项，最多 {most} 项：请只保留最重要的几项。")
        )
    if spec.key == "tags" and isinstance(value, tuple):
        for tag in value:
            if isinstance(tag, str) and len(tag) > MAX_TAG_CHARS:
                found.append(
                    Excess(
                        node.line,
                        f"标签「{tag[:MAX_TAG_CHARS]}…」太长（{len(tag)} 字，最多 {MAX_TAG_CHARS} 字）：标签要简短，"
                        "每个标签会成为一个页面；如果是一句话，请写进 summary 或正文。",
                    )
                )
    return found


def _scalars(node: Node) -> list[Scalar]:
    if isinstance(node, Scalar):
        return [node]
    if isinstance(node, Sequence):
        return [s for item in node.items for s in _scalars(item)]
    assert isinstance(node, Mapping)
    return [s for _, value in node.entries for s in _scalars(value)]


def markup_excess(body: str) -> list[Excess]:
    """Markup in a body past what the Markdown renderer and the HTML scanner handle in linear time."""
    found: list[Excess] = []
    brackets = body.count("[")
    if brackets > MAX_BRACKETS:
        found.append(Excess(1, f"正文的方括号「[」太多（{brackets} 个，最多 {MAX_BRACKETS} 个）：请删去多余的方括号。"))
    elif brackets > MAX_BRACKETS_PER_PARAGRAPH:
        start = 0
        for paragraph in _PARAGRAPH_BREAK.split(body):
            count = paragraph.count("[")
            if count > MAX_BRACKETS_PER_PARAGRAPH:
                found.append(
                    Excess(
                        body.count("\n", 0, body.find(paragraph, start)) + 1,
                        f"这一段的方括号「[」太多（{count} 个，一段最多 {MAX_BRACKETS_PER_PARAGRAPH} 个）：请删去多余的方括号，"
                        "或把这一段拆成几段。",
                    )
                )
                break
            start += len(paragraph)
    if "<" not in body:
        return found
    closes = -1  # the next `>` at or after the tag being looked at
    for match in _TAG_START.finditer(body):
        if closes < match.start():
            closes = body.find(">", match.start())
        if closes < 0 or closes - match.start() > MAX_TAG_LENGTH:
            found.append(
                Excess(
                    body.count("\n", 0, match.start()) + 1,
                    "这一行的 HTML 标签「<」没有用「>」结束：请补上「>」，或如果「<」是小于号，请写成「＜」或「小于」。",
                )
            )
            break
    signs = body.count("<")
    if signs > MAX_TAGS_IN_BODY:
        found.append(
            Excess(
                1,
                f"正文的「<」太多（{signs} 个，最多 {MAX_TAGS_IN_BODY} 个）：HTML 标签请改用 Markdown 排版，小于号请写成「＜」。",
            )
        )
    opened = body.rfind("<!--")
    if opened >= 0 and body.find("-->", opened + 4) < 0:
        found.append(
            Excess(
                body.count("\n", 0, opened) + 1,
                "HTML 注释「<!--」没有用「-->」结束：请补上「-->」，否则后面的正文都会消失。",
            )
        )
    return found
