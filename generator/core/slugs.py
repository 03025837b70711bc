"""Short ASCII addresses: from a file name, or from a Chinese title's pinyin."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

# \Z, not $: `$` also matches before a final newline, which would end up in a folder name.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_FILE_NAME = re.compile(r"^(?:(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:-|\Z))?(?P<rest>.*)\Z", re.DOTALL)
MAX_SLUG_LENGTH = 48
MAX_PINYIN_SYLLABLES = 8


def split_file_name(stem: str) -> tuple[str, str]:
    """A file name without `.md` as (date part, rest); either may be empty."""
    match = _FILE_NAME.match(stem)
    assert match is not None  # the pattern matches every string
    return match.group("date") or "", match.group("rest")


def from_file_name(stem: str) -> str | None:
    """The slug a file name gives (`2020-02-03-baijiu` → `baijiu`), or None if it has no ASCII one."""
    rest = split_file_name(stem)[1].lower().replace("_", "-")
    return rest if SLUG_PATTERN.match(rest) else None


def from_title(title: str) -> str:
    """A slug from a title: pinyin for Han characters, ASCII words kept, at most a few syllables."""
    words: list[str] = []
    for part in lazy_pinyin(title, style=Style.NORMAL, errors="default"):
        words.extend(w for w in re.split(r"[^a-z0-9]+", part.lower().replace("ü", "v")) if w)
    words = words[:MAX_PINYIN_SYLLABLES]
    slug = "-".join(words)[:MAX_SLUG_LENGTH].strip("-")
    return slug or "story"


def is_valid(slug: str) -> bool:
    """Whether `slug` is lowercase ASCII words joined by single hyphens."""
    return bool(SLUG_PATTERN.match(slug)) and len(slug) <= MAX_SLUG_LENGTH
