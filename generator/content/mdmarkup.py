"""The elements Markdown syntax makes, as start tags, so that one set of rules reads them and raw HTML.

Links and pictures (inline and by reference), attribute lists, headings' ids and
admonitions' classes become `Tag`s with the attributes the rendered page will have.
Every scan reads each character a bounded number of times: only the start of an
address decides what it is (generator/weburl.py), labels are at most 999 characters
(as in CommonMark), and nothing is matched by a pattern that can backtrack.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from generator.content.htmltokens import Attribute, Tag
from generator.content.weburl import decode, read

Slugify = Callable[[str, str], str]

# The shown part of an address in a message; deciding needs only its start.
SHOWN = 60
_LONGEST_LABEL = 999
_BRACKET_MARKS = re.compile(r"[\\\[\]]")  # what _brackets reads: a backslash or a bracket
_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]\n]{1,999})\]:", re.M)
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*))?$", re.M)
_SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")
_ADMONITION = re.compile(r"^ {0,3}(?:!!!|\?\?\?\+?) ?([\w\-]+(?: +[\w\-]+)*)", re.M)
_WHITESPACE = re.compile(r"\s*")
_EMPHASIS = str.maketrans("", "", "*_`~")


class _Lines:
    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))
        self.first_line = first_line

    def at(self, offset: int) -> int:
        return self.first_line + bisect_right(self.starts, offset) - 1


def _label(text: str) -> str:
    return " ".join(text.split()).lower()


def _address_value(text: str, start: int) -> tuple[str, int] | None:
    """The canonical start of the address at `start` plus a bounded, shown rest, and its offset;
    None for an address on the site (no scheme, no host), which neither loads from elsewhere nor runs."""
    index = start
    while index < len(text) and text[index] in " \t\n":
        index += 1
    if index < len(text) and text[index] == "<":
        index += 1
    found, stop = read(text, index)
    if found.local:
        return None
    prefix = (found.scheme + ":" if found.scheme else "") + ("//" if found.has_host and not found.scheme else "")
    rest = text[stop : stop + SHOWN].split(None, 1)[0] if stop < len(text) and not text[stop].isspace() else ""
    return prefix + rest.rstrip(")>\"'"), index


def tags(text: str, first_line: int = 1, slugify: Slugify | None = None) -> Iterator[Tag]:
    """The links, pictures, attribute lists, heading ids and admonition classes Markdown makes of `text`."""
    lines = _Lines(text, first_line)
    image_labels: set[str] = set()
    yield from _brackets(text, lines, image_labels)
    for match in _DEFINITION.finditer(text):
        found = _address_value(text, match.end())
        if found is None:
            continue
        value, at = found
        kind = "img" if _label(match.group(1)) in image_labels else "a"
        yield Tag(kind, lines.at(match.start()), (Attribute("src" if kind == "img" else "href", value, lines.at(at)),))
    yield from _attribute_lists(text, lines)
    yield from _headings(text, lines, slugify)
    for match in _ADMONITION.finditer(text):
        yield Tag("div", lines.at(match.start()), (Attribute("class", match.group(1), lines.at(match.start())),))


def picture_references(text: str) -> list[tuple[int, str]]:
    """The file names pictures take by reference (`![alt][name]` with `[name]: file.jpg`), with their lines."""
    if "]:" not in text:
        return []
    lines = _Lines(text, 1)
    image_labels: set[str] = set()
    for _ in _brackets(text, lines, image_labels):
        pass
    found = []
    for match in _DEFINITION.finditer(text):
        if _label(match.group(1)) not in image_labels:
            continue
        start = _WHITESPACE.match(text, match.end()).end()  # type: ignore[union-attr]
        rest = text[start : start + _LONGEST_LABEL + 1]
        ref = rest[1 : rest.find(">")] if rest.startswith("<") and ">" in rest else (rest.split() or [""])[0]
        if ref:
            found.append((lines.at(start), ref))
    return found


def _brackets(text: str, lines: _Lines, image_labels: set[str]) -> Iterator[Tag]:
    """Inline links and pictures; the labels pictures use by reference go into `image_labels`."""
    opened: list[tuple[bool, int]] = []
    index = 0
    end = len(text)
    while index < end:
        mark = _BRACKET_MARKS.search(text, index)  # straight to the next character that matters
        if mark is None:
            break
        index = mark.start()
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            opened.append((index > 0 and text[index - 1] == "!", index))
        elif char == "]":
            image, start = opened.pop() if opened else (False, index)
            after = index + 1
            if after < end and text[after] == "(":
                found = _address_value(text, after + 1)
                if found is not None:
                    value, at = found
                    attribute = Attribute("src" if image else "href", value, lines.at(at))
                    yield Tag("img" if image else "a", lines.at(start), (attribute,))
            elif image and after < end and text[after] == "[":
                close = text.find("]", after + 1, after + 2 + _LONGEST_LABEL)
                if close > after + 1:
                    image_labels.add(_label(text[after + 1 : close]))
                elif close == after + 1 and index - start <= _LONGEST_LABEL:
                    image_labels.add(_label(text[start + 1 : index]))
            elif image and index - start <= _LONGEST_LABEL:
                image_labels.add(_label(text[start + 1 : index]))
        index += 1


def _attribute_lists(text: str, lines: _Lines) -> Iterator[Tag]:
    """`{: #id .class key=value }` after a block or an inline element (Python-Markdown's attr_list)."""
    offset = 0
    for line in text.split("\n"):
        start = line.find("{")
        while start >= 0:
            close = line.find("}", start + 1)
            if close < 0:
                break
            pairs = _attribute_list(line[start + 1 : close])
            if pairs:
                number = lines.at(offset + start)
                yield Tag("*", number, tuple(Attribute(name, decode(value), number) for name, value in pairs))
            start = line.find("{", close + 1)
        offset += len(line) + 1


def _attribute_list(inside: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of one attribute list, read once from left to right."""
    pairs: list[tuple[str, str]] = []
    index, end = 0, len(inside)
    while index < end:
        char = inside[index]
        if char.isspace() or char in ":{":
            index += 1
            continue
        start = index
        while index < end and not inside[index].isspace() and (char in "#." or inside[index] != "="):
            index += 1
        if char in "#.":
            pairs.append(("id" if char == "#" else "class", inside[start + 1 : index]))
            continue
        key = inside[start:index].lower()
        value = ""
        if index < end and inside[index] == "=":
            index += 1
            if index < end and inside[index] in "\"'":
                close = inside.find(inside[index], index + 1)
                close = end if close < 0 else close
                value, index = inside[index + 1 : close], close + 1
            else:
                value_start = index
                while index < end and not inside[index].isspace():
                    index += 1
                value = inside[value_start:index]
        pairs.append((key, value))
    return pairs


def _headings(text: str, lines: _Lines, slugify: Slugify | None) -> Iterator[Tag]:
    """The ids the table of contents gives headings, from their text (with and without emphasis)."""
    if slugify is None:
        return
    found: list[tuple[int, str]] = [(m.start(), m.group(1) or "") for m in _ATX.finditer(text)]
    previous = ""
    offset = 0
    for line in text.split("\n"):
        if previous.strip() and _SETEXT_UNDERLINE.fullmatch(line):
            found.append((offset - len(previous) - 1, previous))
        previous = line
        offset += len(line) + 1
    for start, heading in found:
        heading = heading.split("{", 1)[0].strip().rstrip("#").strip()
        ids = {slugify(heading, "-"), slugify(heading.translate(_EMPHASIS), "-")}
        number = lines.at(start)
        yield Tag("h", number, tuple(Attribute("id", str(i), number) for i in sorted(ids)))
