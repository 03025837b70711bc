"""Personal data a story must not publish: resident ID numbers and private mobile numbers.

A number is read the way a reader would read it, whatever an editor pasted: every width
of digit (ASCII, full-width, circled, other scripts), Chinese numerals, HTML entities,
spaces, dashes and dots of every width, invisible characters, Markdown emphasis or HTML
tags inside the number, a line break in the middle. The text is first turned into a
*digit view* of the same length (each character becomes a digit, `X`, a gap, a line
break, or stays as a hard boundary), so every finding keeps its place in the original
text: messages name the line, and `mask` hides the number wherever a message quotes it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
# The first two digits of a resident ID name a province-level region (GB/T 2260).
_REGIONS = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82, 83}
)
# How numbers are read aloud and typed in Chinese: 幺 for 1 in phone numbers, 两 for 2.
_CHINESE_DIGITS = {
    "0": "〇零",
    "1": "一壹幺",
    "2": "二贰貳两兩",
    "3": "三叁參",
    "4": "四肆",
    "5": "五伍",
    "6": "六陆陸",
    "7": "七柒",
    "8": "八捌",
    "9": "九玖",
}
# What may sit between the digits of one number: every space and invisible character,
# dashes and dots of every width, brackets, a plus sign, and Markdown's emphasis marks.
_GAPS = (
    " \t\u00a0\u00ad\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u200e\u200f\u202f\u205f\u2060\u3000\ufeff"
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\u30fc\ufe58\ufe63\uff0d"
    ".\u00b7\u2022\u2024\u2027\u2219\u30fb\u3002\uff0e\uff61"
    "*_~`\\()（）+＋"
)
_X = "Xx\uff38\uff58"
_GLUE = "\x00"  # the rest of an entity or tag, after its first character: part of what precedes it
_HARD = "o"
# A stretch of digits and what may sit between them, then cut where the gap is too long
# (a paragraph break, or more spaces than a number holds) to keep a table's numbers apart.
# Single-class repeats only: nested repeats make `re` slower than linear on long runs.
_STRETCH = re.compile(r"[0-9][0-9X \n\x00]*+")
_BREAK = re.compile(r"(?<![ \x00])[ \x00]*+\n[ \x00]*+\n[ \n\x00]*+|(?<![ \x00])[ \x00]{25,}+")
_DIGIT = re.compile(r"[0-9X]")
# The fewest digits a finding holds (a mobile number); the view has the text's length, so a
# shorter text or stretch holds none, and most of a story's values and stretches are shorter.
_SHORTEST = 11
# A resident ID's shape (region, birth year and month, day), before its check digit is computed.
_ID_SHAPE = re.compile(r"(?=[1-9][0-9]{5}(?:(?:19|20)[0-9]{2}|[0-9]{2})[01][0-9][0-3][0-9][0-9]{3})")
_MOBILE = re.compile(r"(?=1[3-9][0-9]{9})")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>\n]{0,200})?/?>")
# A link to an authority's document often carries a long number in its file name; only that
# file name is not read (a query, a fragment, `tel:` and every other part still is).
_URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>()\[\]]{1,2000}", re.IGNORECASE)
_DOCUMENT = re.compile(r"/[^/?#]*\.(?:s?html?|pdf|docx?|xlsx?|aspx?|jsp|php|jpe?g|png|gif|webp)(?=/|$)", re.I)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what it is, its digits, how messages show it, where it is."""

    kind: str
    digits: str
    masked: str
    start: int = 0
    end: int = 0


@cache
def _table() -> dict[int, str]:
    """Every character's role in the digit view, for `str.translate`."""
    table: dict[int, str] = {}
    for code in range(0x20000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        value = unicodedata.digit(chr(code), None)
        if value is not None:
            table[code] = str(value)
    for digit, characters in _CHINESE_DIGITS.items():
        table.update({ord(c): digit for c in characters})
    table.update({ord(c): " " for c in _GAPS})
    table.update({ord(c): "X" for c in _X})
    table[ord("\r")] = "\n"
    return table


def _view(text: str) -> str:
    """The digit view of `text`: same length, one role per character."""
    text = text.replace(_GLUE, _HARD)
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "<" in text:
        text = _TAG.sub(lambda m: " " + _GLUE * (len(m.group()) - 1), text)
    view = text.translate(_table())
    if "://" in text or "www." in text.lower():
        view = _without_documents(text, view)
    return view


def _entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group())
    if len(decoded) != 1 or decoded == match.group():
        return _HARD * len(match.group())
    return decoded.replace("\x00", _HARD) + _GLUE * (len(match.group()) - 1)


def _without_documents(text: str, view: str) -> str:
    pieces: list[str] = []
    last = 0
    for url in _URL.finditer(text):
        address = re.split(r"[?#]", url.group(), maxsplit=1)[0]
        for document in _DOCUMENT.finditer(address):
            start, end = url.start() + document.start(), url.start() + document.end()
            pieces += [view[last:start], _HARD * (end - start)]
            last = end
    return "".join(pieces) + view[last:]


def _birth_date_ok(text: str) -> bool:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an 18-character resident ID (GB 11643)."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_resident_id(text: str) -> bool:
    """Whether `text` is an 18-character resident ID with a valid region, birth date and check digit."""
    text = text.upper()
    return (
        len(text) == 18
        and text[:17].isascii()
        and text[:17].isdigit()
        and int(text[:2]) in _REGIONS
        and _birth_date_ok(text[6:14])
        and id_check_digit(text[:17]) == text[17]
    )


def _old_resident_id(digits: str) -> bool:
    return digits.isdigit() and int(digits[:2]) in _REGIONS and _birth_date_ok("19" + digits[6:12])


def may_hold_numbers(text: str) -> bool:
    """A quick test that skips the full scan for texts with too few digits to hold a number."""
    view = _view(text)
    return sum(view.count(d) for d in "0123456789") >= _SHORTEST


def findings(text: str) -> list[Finding]:
    """Every resident ID and private mobile number in `text`, with its place in `text`."""
    if len(text) < _SHORTEST:
        return []
    view = _view(text)
    found: list[Finding] = []
    for stretch in _STRETCH.finditer(view):
        if stretch.end() - stretch.start() < _SHORTEST:
            continue
        start = stretch.start()
        for cut in _BREAK.finditer(view, start, stretch.end()):
            found.extend(_in_run(view, start, cut.start()))
            start = cut.end()
        found.extend(_in_run(view, start, stretch.end()))
    return found


def _in_run(view: str, start: int, end: int) -> list[Finding]:
    """The numbers in one run of digits and gaps: each must begin and end where a group does."""
    segment = view[start:end]
    places = [m.start() for m in _DIGIT.finditer(segment)]
    if len(places) < _SHORTEST:
        return []
    number = "".join(segment[p] for p in places)
    # A digit opens a group when something other than the rest of an entity or tag precedes it.
    opens = [True] + [bool(segment[a + 1 : b].strip(_GLUE)) for a, b in pairwise(places)]
    closes = [*opens[1:], True]
    taken = [False] * len(number)
    found: list[Finding] = []

    def add(kind: str, first: int, length: int, masked: str) -> None:
        for i in range(first, first + length):
            taken[i] = True
        last = places[first + length - 1] + 1
        while last < len(segment) and segment[last] == _GLUE:
            last += 1
        found.append(Finding(kind, number[first : first + length], masked, start + places[first], start + last))

    for candidate in _ID_SHAPE.finditer(number):
        i = candidate.start()
        if not opens[i]:
            continue
        if (
            i + 18 <= len(number)
            and number[i + 6 : i + 8] in ("19", "20")
            and closes[i + 17]
            and is_resident_id(number[i : i + 18])
        ):
            id18 = number[i : i + 18]
            add("居民身份证号码", i, 18, id18[:6] + "********" + id18[14:])
        # Fifteen digits carry no check digit: only a number written in one piece is read as one.
        elif (
            i + 15 <= len(number)
            and closes[i + 14]
            and not any(opens[i + 1 : i + 15])
            and _old_resident_id(number[i : i + 15])
        ):
            id15 = number[i : i + 15]
            add("居民身份证号码（15 位旧号码）", i, 15, id15[:6] + "******" + id15[12:])
    for candidate in _MOBILE.finditer(number):
        i = candidate.start()
        prefixed = number[i - 2 : i] == "86" and (opens[i - 2] or (number[i - 4 : i - 2] == "00" and opens[i - 4]))
        if (opens[i] or (i >= 2 and prefixed)) and closes[i + 10] and not any(taken[i : i + 11]):
            mobile = number[i : i + 11]
            add("手机号码", i, 11, mobile[:7] + "****")
    return sorted(found, key=lambda f: f.start)


def mask(text: str) -> str:
    """`text` with every resident ID and mobile number in it shown only masked."""
    if len(text) < 11:
        return text
    pieces: list[str] = []
    last = 0
    for finding in findings(text):  # in order, never overlapping
        pieces += [text[last : finding.start], finding.masked]
        last = finding.end
    return "".join(pieces) + text[last:]


def digits_of(text: str) -> str:
    """The digits of a number as an editor wrote it (`+86 138-0013-8000`), for comparing with findings."""
    found = findings(text)
    return found[0].digits if len(found) == 1 else re.sub(r"[^0-9X]", "", _view(text))
