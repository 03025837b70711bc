"""An address as a browser reads it: its scheme and whether it names another host.

Only the start of an address decides both, so only the start is read, the way the
WHATWG URL parser reads it: leading spaces and control characters dropped, tabs and
newlines anywhere ignored, letters folded to lower case, a backslash taken for a slash,
HTML character references (`&#104;`, `&colon;`) decoded where HTML would decode them.
Reading stops at the first character that decides, so scanning every address of a
text is linear in its length however the text is written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Schemes whose addresses always carry a host (WHATWG's "special" schemes): `https:evil`
# and `https:/\evil` both reach `evil` from a page served over plain http.
SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
# What a story may link to; every other scheme is refused rather than stripped silently.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Schemes that run code or stand for content made up on the spot.
RUNNABLE_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha", "data", "blob", "filesystem"})

_IGNORED = frozenset("\t\n\r")
_LEADING = frozenset(chr(c) for c in range(0x21))
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-.")
_SLASHES = frozenset("/\\")
_ENTITY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#")
_LONGEST_NAMED_ENTITY = 32
# A numeric reference may carry any number of digits; Python's int() refuses past 4300.
_NUMERIC = re.compile(r"&#([xX]?)([0-9a-fA-F]+)(;?)")
_LARGEST_CODE_POINT_DIGITS = 8


def _numeric(match: re.Match[str]) -> str:
    hexadecimal, digits, semicolon = match.groups()
    rest = ""
    if not hexadecimal:
        decimal = len(digits) - len(digits.lstrip("0123456789"))
        if decimal < len(digits):
            digits, rest, semicolon = digits[:decimal], digits[decimal:] + semicolon, ""
        if not digits:
            return match.group(0)
    significant = digits.lstrip("0") or "0"
    if len(significant) > _LARGEST_CODE_POINT_DIGITS:
        return "&#xFFFD;" + rest
    code = int(significant, 16 if hexadecimal else 10)
    return f"&#x{min(code, 0x110000):X}{semicolon or ';'}" + rest


def decode(text: str) -> str:
    """Text with its HTML character references decoded as a browser decodes them, safely for any length."""
    if "&" not in text:
        return text
    return html.unescape(_NUMERIC.sub(_numeric, text))


@dataclass(frozen=True)
class Address:
    """The start of an address: its scheme (lower case, empty for a relative one) and host."""

    scheme: str
    has_host: bool

    @property
    def runnable(self) -> bool:
        """Whether following it runs code or shows made-up content (`javascript:`, `data:` …)."""
        return self.scheme in RUNNABLE_SCHEMES

    @property
    def linkable(self) -> bool:
        """Whether a story may link to it: relative, or one of the link schemes."""
        return not self.scheme or self.scheme in LINK_SCHEMES

    @property
    def local(self) -> bool:
        """Whether loading it stays on the site: no scheme and no host."""
        return not self.scheme and not self.has_host


def _characters(text: str, start: int, end: int, entities: bool) -> tuple[str, int]:
    """The next character as the URL parser sees it, and where the one after begins."""
    char = text[start]
    if char != "&" or not entities:
        return char, start + 1
    stop = start + 1
    # Numeric references may carry any number of leading zeros: read them all.
    limit = end if start + 1 < end and text[start + 1] == "#" else min(end, start + 2 + _LONGEST_NAMED_ENTITY)
    while stop < limit and text[stop] in _ENTITY_CHARS:
        stop += 1
    if stop < end and text[stop] == ";":
        stop += 1
    decoded = decode(text[start:stop])
    if decoded == text[start:stop]:
        return "&", start + 1
    return decoded, stop


def read(text: str, start: int = 0, end: int | None = None, *, entities: bool = True) -> tuple[Address, int]:
    """The address beginning at `start` (up to `end`), and where reading stopped."""
    end = len(text) if end is None else end
    index = start
    while index < end:
        char, after = _characters(text, index, end, entities)
        if not char or any(c not in _LEADING for c in char):
            break
        index = after
    scheme = ""
    slashes = 0
    seen_scheme = False
    while index < end:
        chars, after = _characters(text, index, end, entities)
        for char in chars:
            if char in _IGNORED:
                continue
            lower = char.lower()
            if not seen_scheme and lower in _SCHEME_CHARS and (scheme or lower.isalpha()) and slashes == 0:
                scheme += lower
            elif not seen_scheme and char == ":" and scheme:
                seen_scheme = True
            elif char in _SLASHES and (seen_scheme or not scheme) and slashes < 2:
                slashes += 1
            else:
                return _address(scheme if seen_scheme else "", slashes), index
            if seen_scheme and scheme in SPECIAL_SCHEMES:
                return Address(scheme, True), after
        if slashes == 2:
            return _address(scheme if seen_scheme else "", slashes), after
        index = after
    return _address(scheme if seen_scheme else "", slashes), index


def _address(scheme: str, slashes: int) -> Address:
    return Address(scheme, scheme in SPECIAL_SCHEMES or slashes == 2)


def address(value: str, *, entities: bool = False) -> Address:
    """The address a whole attribute value (already decoded by the HTML parser) stands for."""
    return read(value, entities=entities)[0]
