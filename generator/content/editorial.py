"""Silent damage a story's text can carry that no field reader sees, each found with its line.

Text typed in Word or a Chinese IME can be valid Markdown and YAML and still publish wrong:
a numbered list that runs into one paragraph, the template's placeholder left in the body,
a year typed 2062, tags wrapped in 【】, a picture with no description, a phone photo that
carries where it was taken. Each rule here returns (line, is_error, message, rule id) with
the message in Chinese and the id declared in `rules.py`; `checks.check_file` turns them into
problems.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from PIL import Image

from generator.content import htmltokens
from generator.content.frontmatter import Mapping, Node, Scalar, Sequence
from generator.content.rawhtml import without_code
from generator.core.sections import SECTIONS, Field, Kind, Role, Section


class Finding(NamedTuple):
    """One rule's finding: the file line, whether it stops the build, the message, the rule's id."""

    line: int
    is_error: bool
    message: str
    rule: str


# -- the template's placeholder ---------------------------------------------------------


def _placeholders() -> tuple[str, ...]:
    """The first sentence of each section's body hint, which `new` writes into the body."""
    return tuple(section.body_hint.split("。")[0] for section in SECTIONS)


def placeholder(body: str, body_line: int) -> list[Finding]:
    """Lines of the body that still hold the template's placeholder text."""
    hints = _placeholders()
    found: list[Finding] = []
    for offset, text in enumerate(body.split("\n")):
        stripped = text.strip()
        hint = next((h for h in hints if stripped.startswith(h)), None)
        if hint is not None:
            found.append(
                Finding(
                    body_line + offset,
                    True,
                    f"这一行还是新建文章时模板写入的提示文字「{_short(stripped)}」，不是正文：请删掉这一行，换成你写的内容。",
                    rule="body.placeholder",
                )
            )
    return found


# -- lines that look like a list but are not one ------------------------------------------

# A Markdown list item as Python-Markdown reads one: up to three spaces, `-`, `*`, `+` or
# `1.`, then a space or a Tab.
_MARKDOWN_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}\.)[ \t]+\S")
# What editors type for a list that Markdown does not read as one: Word's and the IME's
# numbering (`1、`, `1）`, `（1）`, `①`, `一、`), bullets (`•`, `●`, `·`), `-` with no space,
# `1.` with no space, or a real marker after a full-width space.
_LOOKALIKE = re.compile(
    r"^[ \t\u3000]*(?:"
    r"\d{1,3}[、，,)）．]"
    r"|[（(]\d{1,3}[)）]"
    r"|[①-⑳⑴-⒇⒈-⒛❶-❿]"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|[•●·▪■◆◇○►➢✓√◦‣⁃]"
    r"|-(?=[^\s\d-])"
    r"|\d{1,3}\.(?=[^\s\d.])"
    r")"
    r"|^\u3000+[ \t]*(?:[-*+]|\d{1,9}\.)[ \t]"
)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_OTHER_BLOCK = re.compile(r"^ {0,3}(?:[|>]|<|```|~~~|!!!|\?\?\?|\[\^)")


def _marker(text: str) -> str:
    """The list-like start of a line, as the editor typed it, for the message."""
    match = _LOOKALIKE.match(text) or _MARKDOWN_ITEM.match(text)
    assert match is not None
    return match.group().strip(" \t\u3000").split()[0] if match.group().strip() else text.strip()[:2]


def list_lookalikes(body: str, body_line: int) -> list[Finding]:
    """Lines meant as list items that Markdown runs into the paragraph around them.

    Python-Markdown starts a list only after a blank line (or a heading), and only at
    `- ` or `1. `; anything else next to another line becomes one paragraph. One finding
    per paragraph, at its first such line.
    """
    lines = without_code(body).split("\n")
    found: list[Finding] = []
    state = "blank"  # what the previous line was: blank, heading, list, text or other
    reported = False  # this paragraph already has its finding
    for offset, text in enumerate(lines):
        following = lines[offset + 1] if offset + 1 < len(lines) else ""
        if not text.strip():
            state, reported = "blank", False
            continue
        if _HEADING.match(text):
            state, reported = "heading", False
            continue
        if _OTHER_BLOCK.match(text) or (state == "blank" and text.startswith("    ")):
            state = "other"
            continue
        message = None
        rule = "body.list-lookalike"
        if _LOOKALIKE.match(text):
            joins_next = bool(following.strip()) and not _HEADING.match(following)
            if state in ("text", "list") or joins_next:
                message = (
                    f"这一行看起来是列表项（以「{_marker(text)}」开头），但不会显示成列表，会和相邻的行连成一段："
                    "要显示成列表，请写成「1. 」（数字、英文句点、空格）或「- 」（减号、空格），列表前空一行；"
                    "不要列表，就在每一项之间空一行。"
                )
            next_state = "text"
        elif _MARKDOWN_ITEM.match(text):
            if state == "text":
                rule = "body.list-needs-blank-line"
                message = (
                    f"这一行是列表项（「{_marker(text)}」），但上一行是正文，中间没有空行，列表会和上一段连成一段："
                    "请在这一行之前空一行。"
                )
                next_state = "text"
            else:
                next_state = "list"
        else:
            next_state = "list" if state == "list" else "text"
        if message is not None and not reported:
            found.append(Finding(body_line + offset, False, message, rule=rule))
            reported = True
        state = next_state
    return found


_INDENTED_HEADING = re.compile(r"^(?:\u3000[ \t\u3000]*| {1,3}\u3000*)(#{1,6})(?=\s|[^#\s])")


def heading_lookalikes(body: str, body_line: int) -> list[Finding]:
    """Headings (`## 小标题`) after a space or a full-width space: Markdown shows them as text, `##` and all."""
    found: list[Finding] = []
    previous_blank = True
    for offset, text in enumerate(without_code(body).split("\n")):
        match = _INDENTED_HEADING.match(text)
        if match and not (previous_blank and text.startswith("    ")):
            what = "全角空格" if "\u3000" in text[: match.start(1)] else "空格（也可能是从 Word 复制来的特殊空格）"
            found.append(
                Finding(
                    body_line + offset,
                    False,
                    f"这一行的「{match.group(1)}」前面有{what}，不会显示成小标题，读者会看到「{match.group(1)}」这几个符号："
                    "请删掉行首的空白，让「#」顶格。",
                    rule="body.heading-indented",
                )
            )
        previous_blank = not text.strip()
    return found


# -- pictures without a description -------------------------------------------------------

_EMPTY_ALT = re.compile(r"!\[\s*\][(\[]")


def pictures_without_alt(body: str, body_line: int) -> list[Finding]:
    """Pictures in the body whose description (alt text) is empty: `![](x.jpg)`, `<img>` with no alt."""
    if "![" not in body and "<img" not in body.lower():
        return []
    text = without_code(body)
    found: list[Finding] = []
    why = "图片没有说明文字：读屏软件会念出文件名，图片打不开时读者也不知道这里是什么；"
    for offset, written in enumerate(text.split("\n")):
        if _EMPTY_ALT.search(written):
            found.append(
                Finding(
                    body_line + offset,
                    True,
                    why + "请在方括号里用一句话描述图片内容，例如 ![社区志愿者为老人测体温](photo.jpg)。",
                    rule="picture.alt-missing",
                )
            )
    for tag in htmltokens.tags(text) if "<" in text else ():
        if tag.name != "img":
            continue
        alt = next((a for a in tag.attributes if a.name == "alt"), None)
        if alt is None or not alt.value.strip():
            found.append(
                Finding(
                    body_line + tag.line - 1,
                    True,
                    why + '请给 <img> 加上 alt="一句话描述图片内容"。',
                    rule="picture.alt-missing",
                )
            )
    return sorted(set(found))


# -- dates ---------------------------------------------------------------------------------

FUTURE_TOLERANCE = timedelta(days=3)  # a story written ahead for an announced day, time zones
EARLIEST = date(2019, 12, 1)  # before the epidemic no story of this site was written


def dates(section: Section, values: dict[str, object], lines: dict[str, int], today: date) -> list[Finding]:
    """Dates typed a decade ahead (2062 for 2026) or before the epidemic (2002 for 2020)."""
    found: list[Finding] = []
    for spec in section.fields:
        value = values.get(spec.key)
        # A date that is meant to lie ahead (the next review) is not checked.
        if spec.kind is not Kind.DATE or spec.role is Role.REVIEW_DUE or not isinstance(value, date):
            continue
        line = lines.get(spec.key, 2)
        if value > today + FUTURE_TOLERANCE:
            found.append(
                Finding(
                    line,
                    True,
                    f"{spec.key}（{spec.label}）「{value.isoformat()}」比今天（{today.isoformat()}）晚 {(value - today).days} 天："
                    "请检查年份和月份是否打错；日期不能写将来的日子。",
                    rule="date.future",
                )
            )
        elif value < EARLIEST:
            found.append(
                Finding(
                    line,
                    False,
                    f"{spec.key}（{spec.label}）「{value.isoformat()}」早于 2019 年 12 月，那时还没有新冠疫情：请检查年份是否打错（例如把 2020 打成 2002）。",
                    rule="date.before-epidemic",
                )
            )
    return found


# -- lists wrapped in full-width brackets or quotes -------------------------------------------

_BRACKETS = {"【": "】", "［": "］", "〔": "〕", "〖": "〗"}
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", "＂": "＂"}


def _wrapping(text: str) -> str:
    """The full-width pair around all of `text` (`【…】`, `“…”`), or ''; `“a”，“b”` has none around all."""
    text = text.strip()
    for opening, closing in (_BRACKETS | _QUOTES).items():
        inner = text[1:-1]
        if len(text) >= 2 and text[0] == opening and text[-1] == closing and closing not in inner:
            return opening + closing
    return ""


def unwrap(text: str) -> str:
    """A one-line list's text without the full-width brackets or quotes around it (`【大蒜，偏方】`)."""
    text = text.strip()
    return text[1:-1].strip() if _wrapping(text) else text


_LIST_KINDS = (Kind.TEXT_LIST, Kind.HONOURS)
_SPLIT = re.compile(r"\s*[,，、;；]\s*")


def _scalars(node: Node) -> Iterator[Scalar]:
    if isinstance(node, Scalar):
        yield node
    elif isinstance(node, Sequence):
        for item in node.items:
            if isinstance(item, Scalar):
                yield item


def wrapped_lists(section: Section, front: Mapping | None) -> list[Finding]:
    """List values wrapped in 【】 or quoted with “” 「」: read without them, and the editor told how to write a list."""
    if front is None:
        return []
    specs: dict[str, Field] = {spec.key: spec for spec in section.fields if spec.kind in _LIST_KINDS}
    found: list[Finding] = []
    for key, node in front.entries:
        spec = specs.get(key.text.strip())
        if spec is None:
            continue
        for scalar in _scalars(node):
            if scalar.quoted or scalar.is_null:
                continue
            whole = _wrapping(scalar.text)
            parts = [p for p in _SPLIT.split(unwrap(scalar.text)) if p]
            marks = [whole] if whole else []
            for mark in (_wrapping(p) for p in parts):
                if mark and mark not in marks:
                    marks.append(mark)
            if not marks:
                continue
            items = [unwrap(p) for p in parts]
            found.append(
                Finding(
                    scalar.line,
                    False,
                    f"{spec.key}（{spec.label}）用了中文的{'、'.join(f'「{m}」' for m in marks)}：已去掉它们，读作 "
                    f"{'、'.join(items)}；列表请用英文方括号和逗号，写成 {spec.key}: [{', '.join(items)}]。",
                    rule="field.list-wrapped",
                )
            )
    return found


# -- original pictures that carry where they were taken and whose camera -------------------

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_OWNER_TAGS = {0x013B: "作者", 0x9C9D: "作者", 0xA430: "相机主人姓名", 0xA431: "相机序列号"}


def picture_metadata(pictures: Iterable[tuple[int, str, Path]]) -> list[Finding]:
    """Pictures (line, name as written, file) whose original carries GPS or the camera owner's data."""
    found: list[Finding] = []
    seen: set[Path] = set()
    for line, ref, source in pictures:
        if source in seen:
            continue
        seen.add(source)
        kinds = personal_metadata(source)
        if kinds:
            found.append(
                Finding(
                    line,
                    False,
                    f"图片「{ref}」的原始文件里带有{'和'.join(kinds)}：网站上的图片已去掉这些信息，但仓库保存的是原始文件，"
                    "能看到仓库的人都能读到。请换成去掉这些信息的副本（手机拍照前关闭“位置信息”，或 Windows 右键图片 → 属性 → "
                    "详细信息 → 删除属性和个人信息），再用同样的文件名保存。",
                    rule="picture.personal-metadata",
                )
            )
    return found


def personal_metadata(path: Path) -> list[str]:
    """What personal data a picture file's EXIF holds: a GPS position, the owner's name or serial."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                exif = image.getexif()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return []  # a picture that does not open is reported by its field reader
    kinds: list[str] = []
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except (KeyError, ValueError, TypeError):
        gps = {}
    if any(key in gps for key in (1, 2, 3, 4)):
        kinds.append("拍摄地点（GPS 定位）")
    try:
        details = dict(exif) | dict(exif.get_ifd(_EXIF_IFD))
    except (KeyError, ValueError, TypeError):
        details = dict(exif)
    for tag, what in _OWNER_TAGS.items():
        value = details.get(tag)
        text = value.decode("utf-16-le", "ignore") if isinstance(value, bytes) else str(value or "")
        if text.strip("\x00 ") and what not in kinds:
            kinds.append(what)
    return kinds


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
