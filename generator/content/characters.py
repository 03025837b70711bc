"""Characters a story may hold: invisible ones folded at the input boundary, forbidden ones refused.

Text pasted from Word, WeChat or a Chinese IME carries characters nobody sees. The
harmless ones (no-break and other special spaces, zero-width characters, the soft hyphen,
direction marks) are folded here, once, before any rule reads the text: spaces become a
plain space, the zero-width ones disappear. Characters XML 1.0 forbids or that change how
text is shown (control characters, C1 controls, noncharacters, lone surrogates, the
direction overrides of "Trojan Source") are an error naming the line, so they can never
reach a feed, the sitemap or a page's JSON-LD. Folding never adds or removes a line
break, so every line number YAML and the checks report stays the editor's own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u2028\u2029"
# Removed outright; a zero-width joiner is kept only inside an emoji sequence (👩‍⚕️).
_INVISIBLE = "\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_FOLD = {ord(c): " " for c in _SPACES} | {ord(c): None for c in _INVISIBLE}
_IDEOGRAPHIC_SPACE = "\u3000"
_SPECIAL = re.compile(f"[{_SPACES}{_INVISIBLE}\u200d]")
# Kept to the Basic Multilingual Plane: a class listing astral characters makes `re` many
# times slower on every text; the astral noncharacters (U+1FFFE …) are found apart.
_FORBIDDEN = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_PICTOGRAPH = re.compile("[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")
_NAMES = {
    "\x0b": "垂直制表符，常由 Word 的手动换行（Shift+回车）产生",
    "\x0c": "换页符，常由 Word 的分页符产生",
    "\x7f": "删除符",
    "\x85": "下一行符，常因文字编码转换出错产生",
}


# How an editor can recognise a character the fold takes away: named in messages about the
# line it was on (a space YAML does not see as one, a Tab …).
_SEEN_AS = {
    "\u00a0": "特殊空格（不间断空格，常从 Word 或网页复制）",
    "\u3000": "全角空格（中文输入法打出的空格）",
    "\u200b": "零宽空格（看不见的字符，常从网页或微信复制）",
    "\ufeff": "零宽字符（看不见，常从记事本或网页复制）",
    "\t": "Tab 键",
}


def invisible_name(character: str) -> str:
    """What an invisible or special space `character` is, as an editor can recognise it; '' for others."""
    if character in _SEEN_AS:
        return _SEEN_AS[character]
    if character in _SPACES:
        return "特殊空格（常从 Word 或网页复制）"
    if character in _INVISIBLE or character == "\u200d":
        return "看不见的零宽字符（常从网页或微信复制）"
    return ""


@dataclass(frozen=True)
class Refused:
    """A line that held characters no output may carry, and what they were."""

    line: int
    message: str
    rule: str = field(kw_only=True)  # the rule's id (content/rules.py)


def _name(character: str) -> str:
    code = ord(character)
    if character in _NAMES:
        kind = _NAMES[character]
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "文字方向控制符，会让文字倒着或错位显示，掩盖真实内容"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "不成对的代理字符，文件可能已损坏"
    elif code >= 0xFDD0:
        kind = "非字符，文件可能已损坏"
    elif code >= 0x80:
        kind = "控制字符，常因文字编码转换出错产生"
    else:
        kind = "控制字符"
    return f"U+{code:04X}，{kind}"


def _fold_joiners(text: str) -> str:
    def keep(match: re.Match[str]) -> str:
        at = match.start()
        inside = at > 0 and at + 1 < len(text) and _PICTOGRAPH.match(text[at - 1]) and _PICTOGRAPH.match(text[at + 1])
        return match.group() if inside else ""

    return re.sub("\u200d", keep, text)


def _front_matter_end(lines: list[str]) -> int:
    """How many lines from the top are front matter (0 when the file has none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((i + 1 for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), len(lines))


def clean(text: str, front_matter: bool = True) -> tuple[str, list[Refused]]:
    """`text` folded, with forbidden characters taken out, and each line that held one.

    With `front_matter`, a full-width space (U+3000) in the front matter is folded too:
    YAML only knows the ASCII space, and a value's spaces are collapsed anyway. In the body
    it is kept, since Chinese paragraphs are indented with it.
    """
    if _SPECIAL.search(text):
        text = text.translate(_FOLD)
        if "\u200d" in text:
            text = _fold_joiners(text)
    if front_matter and _IDEOGRAPHIC_SPACE in text:
        lines = text.split("\n")
        end = _front_matter_end(lines)
        text = "\n".join([line.replace(_IDEOGRAPHIC_SPACE, " ") for line in lines[:end]] + lines[end:])
    refused: list[Refused] = []
    places = _forbidden_places(text)
    if not places:
        return text, refused
    by_line: dict[int, list[str]] = {}
    line, counted = 1, 0
    for at in places:
        line += text.count("\n", counted, at)
        counted = at
        names = by_line.setdefault(line, [])
        if text[at] not in names:
            names.append(text[at])
    for number, found in by_line.items():
        which = "；".join(_name(c) for c in found)
        refused.append(
            Refused(
                number,
                f"这一行有看不见的特殊字符（{which}）：网站的订阅源和网站地图不能含有这种字符；"
                "请删除它（把光标移到这里按删除键，或重新输入这一行）。",
                rule="text.forbidden-character",
            )
        )
    kept = [text[start + 1 : end] for start, end in zip([-1, *places], [*places, len(text)], strict=True)]
    return "".join(kept), refused


def _forbidden_places(text: str) -> list[int]:
    places = [match.start() for match in _FORBIDDEN.finditer(text)]
    if _ASTRAL.search(text):
        places += [m.start() for m in _ASTRAL.finditer(text) if ord(m.group()) & 0xFFFE == 0xFFFE]
        places.sort()
    return places


def forbidden(text: str) -> bool:
    """Whether `text` holds a character no output may carry."""
    return _FORBIDDEN.search(text) is not None or any(ord(m.group()) & 0xFFFE == 0xFFFE for m in _ASTRAL.finditer(text))


def _joins(char: str) -> bool:
    code = ord(char)
    return (
        code == 0x200D  # zero-width joiner inside an emoji sequence
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag characters
        or unicodedata.category(char) in ("Mn", "Me")  # combining marks
    )


def seen_length(text: str) -> int:
    """How many characters an editor sees: 👩‍⚕️ is one, not four (limits count these)."""
    seen = 0
    joined = False  # the character after a zero-width joiner is part of the same picture
    for char in text:
        if not _joins(char) and not joined:
            seen += 1
        joined = char == "\u200d"
    return seen
