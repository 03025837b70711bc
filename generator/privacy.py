"""Personal data a story must not publish: resident ID numbers and private mobile numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Full-width digits are what a phone keyboard in Chinese mode types; read them as digits.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－＋", "0123456789Xx-+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_ID18 = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})[ -]?((?:19|20)\d{6})[ -]?(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9])")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
# The first two digits of a resident ID name a province-level region (GB/T 2260).
_REGIONS = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82, 83}
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what it is, its digits, and how messages show it."""

    kind: str
    digits: str
    masked: str


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
        and text[:17].isdigit()
        and int(text[:2]) in _REGIONS
        and _birth_date_ok(text[6:14])
        and id_check_digit(text[:17]) == text[17]
    )


_CANDIDATE = re.compile(r"[0-9０-９][0-9０-９ \-－]{9,}")


def may_hold_numbers(text: str) -> bool:
    """A quick test that skips the full scan for the many texts without a long run of digits."""
    return _CANDIDATE.search(text) is not None


def findings(text: str) -> list[Finding]:
    """Every resident ID and private mobile number in a line of text; links are not read."""
    if not may_hold_numbers(text):
        return []
    text = _URL.sub(" ", text.translate(_FULL_WIDTH))
    found: list[Finding] = []
    for match in _ID18.finditer(text):
        digits = "".join(match.groups()).upper()
        if is_resident_id(digits):
            found.append(Finding("居民身份证号码", digits, digits[:6] + "********" + digits[14:]))
    text = _ID18.sub(" ", text)
    for match in _ID15.finditer(text):
        digits = "".join(match.groups())
        if int(digits[:2]) in _REGIONS and _birth_date_ok("19" + digits[6:12]):
            found.append(Finding("居民身份证号码（15 位旧号码）", digits, digits[:6] + "******" + digits[12:]))
    for match in _MOBILE.finditer(text):
        digits = "".join(match.groups())
        found.append(Finding("手机号码", digits, digits[:7] + "****"))
    return found


def digits_of(text: str) -> str:
    """Only the digits (and a final X) of a number as an editor wrote it, for comparing."""
    return re.sub(r"[^0-9X]", "", text.translate(_FULL_WIDTH).upper())
