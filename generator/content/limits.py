"""Limits: how big a story and its parts may be, so that no file makes unbounded work.

Every limit is far above what a real story needs and is reported in Chinese with its
line. Markup is limited where the tools that read it are not linear: Python-Markdown
slows down with the square of the `[` in one paragraph, and the standard library's
HTML parser rescans to the end of the text for each tag or comment left open, so a
story with more of them than any real one has is refused at `check`, before either runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.content.characters import seen_length
from generator.content.frontmatter import Mapping, Node, Scalar, Sequence
from generator.core.sections import TAG_CHARS, TAG_LIMIT, Field, Kind

MAX_TEXT_CHARS = 2_000
MAX_SHORT_CHARS = 300  # one value that becomes part of an address, a tag page or a file name
MAX_ITEMS = {
    Kind.TEXT_LIST: 30,
    Kind.SOURCES: 30,
    Kind.HONOURS: 30,
    Kind.ADDRESS_LIST: 30,
    Kind.CORRECTIONS: 50,
    Kind.REVIEWERS: 10,
}
MAX_TAGS = TAG_LIMIT  # the tags field declares its own (sections.Field.max_items, item_chars)
MAX_TAG_CHARS = TAG_CHARS
MAX_BRACKETS_PER_PARAGRAPH = 200
MAX_BRACKETS = 3_000
MAX_TAGS_IN_BODY = 1_000
MAX_TAG_LENGTH = 2_000
MAX_UNCLOSED = 20
_SHORT_KINDS = (Kind.ADDRESS, Kind.ADDRESS_LIST, Kind.SLUG, Kind.IMAGE, Kind.TERM, Kind.DATE, Kind.BOOL)
_TAG_START = re.compile(r"<[A-Za-z/?]|<!(?!--)")
MAX_PARAGRAPH_CHARS = 5_000
MAX_NESTING = 8
MAX_INDENT = 40
# The containers a line opens (quotes, list items), one after another: `> > 1. - text`.
_MARKER = re.compile(r"(?<![^ \t>])(?:[-+*]|[0-9]{1,9}[.)])(?![^ \t])")
_CONTAINERS = re.compile(r"(?<![ \t])[ \t]*+(?:>[ \t]*+|(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]++|$))+")


@dataclass(frozen=True)
class Excess:
    """One limit passed: the line (within the text measured, from 1) and the message."""

    line: int
    message: str
    rule: str = field(kw_only=True)  # the rule's id (content/rules.py)


def value_excess(spec: Field, node: Node) -> list[Excess]:
    """Values of one front-matter field longer than any story needs; checked before they are read."""
    limit = MAX_SHORT_CHARS if spec.kind in _SHORT_KINDS else MAX_TEXT_CHARS
    return [
        Excess(
            scalar.line,
            f"{spec.key}（{spec.label}）太长（{seen_length(scalar.text)} 字，最多 {limit} 字）：请精简，长内容请写进正文。",
            rule="limit.value-too-long",
        )
        for scalar in _scalars(node)
        if seen_length(scalar.text) > limit
    ]


def list_excess(spec: Field, node: Node, value: object) -> list[Excess]:
    """Lists longer than any story needs, and tags too long to be a tag: each tag makes a page."""
    found: list[Excess] = []
    most = spec.max_items or MAX_ITEMS.get(spec.kind)
    if most is not None and isinstance(value, tuple) and len(value) > most:
        found.append(
            Excess(
                node.line,
                f"{spec.key}（{spec.label}）有 {len(value)} 项，最多 {most} 项：请只保留最重要的几项。",
                rule="limit.too-many-items",
            )
        )
    if spec.item_chars and isinstance(value, tuple):
        for tag in value:
            if isinstance(tag, str) and seen_length(tag) > spec.item_chars:
                found.append(
                    Excess(
                        node.line,
                        f"标签「{tag[: spec.item_chars]}…」太长（{seen_length(tag)} 字，最多 {spec.item_chars} 字）：标签要简短，"
                        "每个标签会成为一个页面；如果是一句话，请写进 summary 或正文。",
                        rule="limit.tag-too-long",
                    )
                )
                break
    return found


def _scalars(node: Node) -> list[Scalar]:
    if isinstance(node, Scalar):
        return [node]
    if isinstance(node, Sequence):
        return [s for item in node.items for s in _scalars(item)]
    assert isinstance(node, Mapping)
    return [s for _, value in node.entries for s in _scalars(value)]


def _line_of(text: str, sign: str, nth: int) -> int:
    """The line (from 1) of the `nth` occurrence of `sign`: where a count passes its limit."""
    at = -1
    for _ in range(nth):
        at = text.find(sign, at + 1)
    return text.count("\n", 0, at) + 1


def _paragraph_excess(body: str) -> list[Excess]:
    """Paragraphs too long, with too many `[`, or nested too deep: the renderer's cost grows faster than their size."""
    found: list[Excess] = []
    size = brackets = 0
    first = 1
    for number, line in enumerate(body.split("\n"), start=1):
        if not line.strip():
            size = brackets = 0
            first = number + 1
            continue
        size += len(line) + 1
        brackets += line.count("[")
        opened = _CONTAINERS.match(line)
        depth = opened.group().count(">") + len(_MARKER.findall(opened.group())) if opened else 0
        indent = len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))
        if size > MAX_PARAGRAPH_CHARS:
            rule = "limit.paragraph-too-long"
            message = f"这一段太长（超过 {MAX_PARAGRAPH_CHARS} 字）：请在句子之间空一行，把它分成几段。"
        elif brackets > MAX_BRACKETS_PER_PARAGRAPH:
            rule = "limit.paragraph-brackets"
            message = f"这一段的方括号「[」太多（超过 {MAX_BRACKETS_PER_PARAGRAPH} 个）：请删去多余的方括号，或把这一段拆成几段。"
        elif depth > MAX_NESTING or indent > MAX_INDENT:
            rule = "limit.nesting-too-deep"
            message = f"这一行的引用或列表嵌套太深（最多 {MAX_NESTING} 层、缩进 {MAX_INDENT} 个空格）：请减少「>」「-」或行首的空格。"
        else:
            continue
        found.append(Excess(first if size > MAX_PARAGRAPH_CHARS else number, message, rule=rule))
        break
    return found


def markup_excess(body: str) -> list[Excess]:
    """Markup in a body past what the Markdown renderer and the HTML scanner handle in linear time."""
    found = _paragraph_excess(body)
    brackets = body.count("[")
    if brackets > MAX_BRACKETS:
        found.append(
            Excess(
                _line_of(body, "[", MAX_BRACKETS + 1),
                f"正文的方括号「[」太多（{brackets} 个，最多 {MAX_BRACKETS} 个）：请删去多余的方括号。",
                rule="limit.brackets",
            )
        )
    if "<" not in body:
        return found
    # One tag left open costs the HTML scanner one pass to the end of the text; a few are
    # harmless (`a<b` is text), thousands are not.
    unclosed = 0
    closes = -1  # the next `>` at or after the tag being looked at
    for match in _TAG_START.finditer(body):
        if closes < match.start():
            closes = body.find(">", match.start())
        if closes < 0 or closes - match.start() > MAX_TAG_LENGTH:
            unclosed += 1
            if unclosed > MAX_UNCLOSED:
                found.append(
                    Excess(
                        body.count("\n", 0, match.start()) + 1,
                        f"正文有太多没有用「>」结束的 HTML 标签「<」（超过 {MAX_UNCLOSED} 个）：请补上「>」；"
                        "如果「<」是小于号，请写成「＜」或「小于」。",
                        rule="limit.tags-unclosed",
                    )
                )
                break
    signs = body.count("<")
    if signs > MAX_TAGS_IN_BODY:
        found.append(
            Excess(
                _line_of(body, "<", MAX_TAGS_IN_BODY + 1),
                f"正文的「<」太多（{signs} 个，最多 {MAX_TAGS_IN_BODY} 个）：HTML 标签请改用 Markdown 排版，小于号请写成「＜」。",
                rule="limit.angle-brackets",
            )
        )
    closed = body.rfind("-->")
    opened = body.count("<!--", closed + 1 if closed >= 0 else 0)
    if opened > MAX_UNCLOSED:
        found.append(
            Excess(
                body.count("\n", 0, body.rfind("<!--")) + 1,
                f"正文有太多没有用「-->」结束的 HTML 注释「<!--」（超过 {MAX_UNCLOSED} 个）：请补上「-->」。",
                rule="limit.comments-unclosed",
            )
        )
    return found
