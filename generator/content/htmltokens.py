"""The start tags in a text, read the way a browser's tokenizer reads them, in linear time.

Python's `html.parser` is quadratic on unclosed tags (`<a <a <a …`) and ends comments
where browsers do not; this reader follows the WHATWG tokenizer's states for tags and
attributes, and reads every character once. It is deliberately suspicious: markup inside
comments and code is read too (Markdown and browsers disagree about where those end),
so nothing can hide in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.content.weburl import decode

# Runs of one character class, each matched where it starts: nothing to backtrack over.
_NAME = re.compile(r"[^ \t\n\r\f/>]*")
_ATTRIBUTE_NAME = re.compile(r"[^ \t\n\r\f/>=]*")
_UNQUOTED = re.compile(r"[^ \t\n\r\f>]*")
_SPACES = re.compile(r"[ \t\n\r\f]*")
_GAP = re.compile(r"[ \t\n\r\f/]*")


@dataclass(frozen=True)
class Attribute:
    """One attribute: its name in lower case, its value with character references decoded, its line."""

    name: str
    value: str
    line: int


@dataclass(frozen=True)
class Tag:
    """A start tag: its name in lower case, its line (from 1) and its attributes in order."""

    name: str
    line: int
    attributes: tuple[Attribute, ...]
    closed: bool = True  # False when the text ends before its `>`


class _Lines:
    """Line numbers of offsets, counted forwards only (the reader never goes back)."""

    def __init__(self, text: str, first_line: int, offset: int = 0) -> None:
        self.text = text
        self.offset = offset
        self.line = first_line

    def at(self, offset: int) -> int:
        if offset > self.offset:
            self.line += self.text.count("\n", self.offset, offset)
            self.offset = offset
        return self.line


def tags(text: str, first_line: int = 1) -> Iterator[Tag]:
    """Every start tag in `text`, including those in comments, raw text and attribute values
    (Markdown may leave any of them as text, ending the construct early)."""
    lines = _Lines(text, first_line)
    end = len(text)
    index = text.find("<")
    while 0 <= index < end - 1:
        if _starts_tag(text, index):
            found, index = _start_tag(text, index + 1, lines)
            for tag in found:
                yield tag
                for attribute in tag.attributes:
                    if "<" in attribute.value:
                        yield from tags(attribute.value, attribute.line)
        else:
            # `</x …>`, `<!-- … -->`, `<!doctype>`, `<?…>`: only start tags load or run, and
            # the markup inside comments is read as if it were not in one.
            index += 1
        index = text.find("<", index)


def tag_at(text: str, start: int) -> Tag:
    """The start tag whose `<` is at `start`; its line counts from 1 there. It ends at the
    next `<` that begins a tag (outside its attribute values)."""
    return tag_and_end(text, start)[0]


def tag_and_end(text: str, start: int) -> tuple[Tag, int]:
    """The start tag whose `<` is at `start`, and the offset where it ends. A caller that
    reads on from that offset (rather than from every `<` inside it) stays linear."""
    found, end = _start_tag(text, start + 1, _Lines(text, 1, start), chain=False)
    return found[0], end


def _starts_tag(text: str, index: int) -> bool:
    following = text[index + 1] if index + 1 < len(text) else ""
    return following.isascii() and following.isalpha()


def _start_tag(text: str, start: int, lines: _Lines, chain: bool = True) -> tuple[list[Tag], int]:
    """The start tag whose name begins at `start` (more than one when an attribute name
    begins a tag of its own, as `<a <style>` may be for Markdown, unless `chain` is False:
    then only the first, cut short there), and the offset after it."""
    found: list[Tag] = []
    end = len(text)
    line = lines.at(start)
    index = _NAME.match(text, start).end()  # type: ignore[union-attr]
    name = text[start:index].lower()
    attributes: list[Attribute] = []
    while index < end:
        index = _GAP.match(text, index).end()  # type: ignore[union-attr]
        if index >= end:
            break
        char = text[index]
        if char == ">":
            return [*found, Tag(name, line, tuple(attributes))], index + 1
        if char == "<" and _starts_tag(text, index):
            found.append(Tag(name, line, tuple(attributes), closed=False))
            if not chain:
                return found, index
            start = index + 1
            line = lines.at(start)
            index = _NAME.match(text, start).end()  # type: ignore[union-attr]
            name, attributes = text[start:index].lower(), []
            continue
        name_start = index
        # The first character of a name may be `=`.
        index = _ATTRIBUTE_NAME.match(text, index + 1).end()  # type: ignore[union-attr]
        attribute_name = text[name_start:index].lower()
        attribute_line = lines.at(name_start)
        index = _SPACES.match(text, index).end()  # type: ignore[union-attr]
        value = ""
        if index < end and text[index] == "=":
            index = _SPACES.match(text, index + 1).end()  # type: ignore[union-attr]
            if index < end and text[index] in "\"'":
                close = text.find(text[index], index + 1)
                close = end if close < 0 else close
                value = text[index + 1 : close]
                index = close + 1
            else:
                value_start = index
                index = _UNQUOTED.match(text, index).end()  # type: ignore[union-attr]
                value = text[value_start:index]
        attributes.append(Attribute(attribute_name, decode(value), attribute_line))
    # A tag cut off by the end of the text: a browser drops it, Markdown may not.
    return [*found, Tag(name, line, tuple(attributes), closed=False)], end
