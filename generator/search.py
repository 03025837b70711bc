"""The search index: which stories hold each character and character pair, sharded by a hash.

Chinese has no spaces, and readers search for words no dictionary knows (a new place
name, 蒲公英核酸), so the index is of characters, not words: for every pair of adjacent
characters (and every single character) the stories holding it, with the best field it
is in. A query loads only the shards of its own pairs, then each hit's own file, whose
text confirms the exact string before the hit is shown (so every hit shown holds the
query) and gives the snippet. The query logic is `site_src/assets/javascripts/search.js`.

Files under `assets/search/`: `manifest.json` (fetched fresh: it names the build), then
under `<build>/`: `b/<n>.txt` pair shards, `u/<n>.txt` single-character shards and
`d/<id>.json` one per story, ids newest first. A shard is three lines: its grams joined
by spaces; the length of each gram's postings; the postings, each `(gap << 2) | field`
with the gap from the previous story id. Numbers are written five bits to a character
(`DIGITS`; the upper half marks that more digits follow), which gzip packs well.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt

from generator import browse
from generator.pages import Asset, Page, Site, environment, relative
from generator.settings import Settings
from generator.story import Story

INDEX_FOLDER = "assets/search"
SEARCH_URL = "/search/"
FORMAT = 1
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
# The fields a reader's word may be in, best first: a title hit ranks above a tag hit,
# which ranks above one in the summary, which ranks above one in the body.
FIELDS = ("title", "head", "lead", "body")
# Short facts shown as 「label：value」 in a snippet; only the values are searched.
HEAD_KEYS = ("tags", "district", "name", "role", "organisation", "honours", "audience")
LEAD_KEYS = ("summary", "claim")
# About this many bytes of postings per shard before gzip: a query of three or four
# characters loads two or three shards, and a shard is one small request on a slow network.
SHARD_BYTES = 24_000
MAX_SHARDS = 4096

_MARKDOWN_NOISE = [
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[\^[^\]]*\]:?"), ""),
    (re.compile(r"<[^>\n]*>"), " "),
    (re.compile(r"\{:?[^}\n]*\}"), " "),
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|!!!\s*\w+|\|)\s*", re.M), ""),
    (re.compile(r"[*_`|~]+"), " "),
    (re.compile(r"\s+"), " "),
]


@dataclass(frozen=True)
class Document:
    """One story as search sees it: what a hit shows, and the text of each field."""

    url: str
    title: str
    section: str
    date: str
    badge: str
    head: tuple[tuple[str, str], ...]
    lead: str
    body: str

    @property
    def fields(self) -> tuple[str, str, str, str]:
        """The searched text of each of FIELDS; search.js joins a story's file the same way."""
        return (self.title, "\n".join(value for _, value in self.head), self.lead, self.body)

    def as_json(self) -> dict[str, Any]:
        """The story's own file, which a hit downloads."""
        return {
            "u": self.url,
            "t": self.title,
            "s": self.section,
            "d": self.date,
            "b": self.badge,
            "h": [list(pair) for pair in self.head],
            "l": self.lead,
            "x": self.body,
        }


def plain_text(markdown: str) -> str:
    """A Markdown body as the words a reader sees, for searching and snippets."""
    text = markdown
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return text.strip()


def _words(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)):
        return "、".join(filter(None, (_words(item) for item in value)))
    for attribute in ("label", "term"):  # a vocabulary Term, or an Honour holding one
        if hasattr(value, attribute):
            return _words(getattr(value, attribute))
    return "" if value is None else str(value)


def _value(story: Story, key: str) -> object:
    return story.fields[key] if key in story.fields else getattr(story, key, None)


def document(story: Story) -> Document:
    """What the index keeps of one story."""
    head = []
    for key in HEAD_KEYS:
        field = story.section.field(key)
        text = _words(_value(story, key)) if field else ""
        if field and text:
            head.append((field.label, text))
    badge_field = story.section.badge_field
    badges = [_words(story.fields.get(badge_field)) if badge_field else ""]
    if story.status is not None and story.status.code != "current":
        badges.append(story.status.label)
    return Document(
        url=story.url,
        title=story.title,
        section=story.section.label,
        date=story.date.isoformat(),
        badge=" · ".join(filter(None, badges)),
        head=tuple(head),
        lead="\n".join(filter(None, (_words(_value(story, key)) for key in LEAD_KEYS))),
        body=plain_text(story.body),
    )


def ranked(stories: Sequence[Story]) -> list[Story]:
    """Stories in id order: current ones first, then newest first, so ids rank ties."""
    order = {"current": 0, "outdated": 1, "withdrawn": 2}
    return sorted(
        stories,
        key=lambda s: (order.get(s.status.code if s.status else "current", 3), -s.date.toordinal(), s.url),
    )


@cache
def _is_word() -> npt.NDArray[np.bool_]:
    # Letters and digits of every script: the same class as search.js's [\p{L}\p{N}].
    return np.array([chr(code).isalnum() for code in range(0x10000)], dtype=np.bool_)


def code_points(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The texts folded as search.js folds a query (ASCII and full-width letters to lower
    case), as code points with a 0 between texts; and which text each code point is in."""
    joined = "\0".join(texts) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.uint32)
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes = np.where(wide, codes - np.uint32(0xFEE0), codes)
    upper = (codes >= 0x41) & (codes <= 0x5A)
    codes = np.where(upper, codes + np.uint32(0x20), codes)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    return codes, owner


def word_mask(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Whether each code point is a letter or digit (the characters search looks at)."""
    table = _is_word()
    mask = table[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):
        mask[astral] = [chr(int(code)).isalnum() for code in codes[astral]]
    return mask


def bucket_of(first: npt.NDArray[np.uint32], second: npt.NDArray[np.uint32], count: int) -> npt.NDArray[np.uint32]:
    """The shard of each gram (a single character has second = 0); search.js hashes alike."""
    with np.errstate(over="ignore"):
        h = (first * np.uint32(0x9E3779B1)) ^ second
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h & np.uint32(count - 1)


def widths(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """How many DIGITS characters each value takes."""
    width = np.ones(len(values), dtype=np.int64)
    limit = 32
    while len(values) and limit <= int(values.max()):
        width += values >= np.uint64(limit)
        limit *= 32
    return width


def digits(values: npt.NDArray[np.uint64], width: npt.NDArray[np.int64]) -> bytes:
    """Each value in DIGITS, five bits a character, low bits first; `width` from widths()."""
    ends = np.cumsum(width)
    starts = ends - width
    table = np.frombuffer(DIGITS.encode("ascii"), dtype=np.uint8)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    for place in range(int(width.max()) if len(width) else 0):
        at = np.flatnonzero(width > place) if place else slice(None)
        digit = ((values[at] >> np.uint64(5 * place)) & np.uint64(31)).astype(np.intp)
        digit[width[at] > place + 1] += 32
        out[starts[at] + place] = table[digit]
    return out.tobytes()


@dataclass(frozen=True)
class Postings:
    """Every gram's postings: grams sorted, and each one's run in `text`."""

    first: npt.NDArray[np.uint32]
    second: npt.NDArray[np.uint32]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    text: bytes


def postings(keys: npt.NDArray[np.uint64], docs: npt.NDArray[np.int64], fields: npt.NDArray[np.int64]) -> Postings:
    """Group (gram, story, field) occurrences into each gram's stories with their best field."""
    # One sort does it all: gram, then story, then field (lowest, i.e. best, first).
    packed = np.sort((keys << np.uint64(22)) | (docs.astype(np.uint64) << np.uint64(2)) | fields.astype(np.uint64))
    pair = packed >> np.uint64(2)
    first_of_pair = np.ones(len(packed), dtype=np.bool_)
    first_of_pair[1:] = pair[1:] != pair[:-1]
    packed = packed[first_of_pair]
    gram = packed >> np.uint64(22)
    doc = ((packed >> np.uint64(2)) & np.uint64((1 << 20) - 1)).astype(np.int64)
    new_gram = np.ones(len(packed), dtype=np.bool_)
    new_gram[1:] = gram[1:] != gram[:-1]
    previous = np.empty_like(doc)
    previous[0] = -1
    previous[1:] = doc[:-1]
    previous[new_gram] = -1
    values = (((doc - previous) << 2) | (packed & np.uint64(3)).astype(np.int64)).astype(np.uint64)
    width = widths(values)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(width, out=offsets[1:])
    heads = np.flatnonzero(new_gram)
    starts = offsets[heads]
    ends = np.append(starts[1:], offsets[-1])
    grams = gram[heads]
    return Postings(
        first=(grams >> np.uint64(21)).astype(np.uint32),
        second=(grams & np.uint64(0x1FFFFF)).astype(np.uint32),
        starts=starts,
        ends=ends,
        text=digits(values, width),
    )


def shards(index: Postings, single: bool) -> list[bytes]:
    """The shard files: grams hashed into a power of two of shards of about SHARD_BYTES."""
    count = 1
    while count < MAX_SHARDS and len(index.text) / count > SHARD_BYTES:
        count *= 2
    bucket = bucket_of(index.first, index.second, count)
    order = np.lexsort((index.second, index.first, bucket))
    bounds = np.searchsorted(bucket[order], np.arange(count + 1))
    sizes = (index.ends - index.starts).astype(np.uint64)
    size_width = widths(sizes)
    lengths = digits(sizes, size_width)
    length_ends = np.cumsum(size_width)
    length_starts = length_ends - size_width
    files = []
    for number in range(count):
        chosen = order[bounds[number] : bounds[number + 1]]
        grams = " ".join(
            chr(a) if single else chr(a) + chr(b)
            for a, b in zip(index.first[chosen], index.second[chosen], strict=True)
        )
        head = b"".join(lengths[length_starts[i] : length_ends[i]] for i in chosen)
        body = b"".join(index.text[index.starts[i] : index.ends[i]] for i in chosen)
        files.append(grams.encode("utf-8") + b"\n" + head + b"\n" + body)
    return files


def index_files(documents: Sequence[Document]) -> dict[str, bytes]:
    """Every file of the index, by path under the build folder, and the manifest."""
    texts = [text for document in documents for text in document.fields]
    codes, owner = code_points(texts)
    word = word_mask(codes)
    doc = owner // len(FIELDS)
    field = owner % len(FIELDS)
    pairs = np.flatnonzero(word[:-1] & word[1:])
    pair_keys = (codes[pairs].astype(np.uint64) << np.uint64(21)) | codes[pairs + 1].astype(np.uint64)
    singles = np.flatnonzero(word)
    # numpy sorts without the GIL, so the two indexes are built on two cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        pair_job = pool.submit(postings, pair_keys, doc[pairs], field[pairs])
        single_job = pool.submit(
            postings, codes[singles].astype(np.uint64) << np.uint64(21), doc[singles], field[singles]
        )
        pair_index, single_index = pair_job.result(), single_job.result()
    files: dict[str, bytes] = {}
    for folder, index, single in (("b", pair_index, False), ("u", single_index, True)):
        for number, content in enumerate(shards(index, single)):
            files[f"{folder}/{number}.txt"] = content
    for number, document in enumerate(documents):
        files[f"d/{number}.json"] = json.dumps(document.as_json(), ensure_ascii=False, separators=(",", ":")).encode()
    return files


def render(stories: Sequence[Story], settings: Settings) -> Site:
    """The index files and the search page (what readers without JavaScript get)."""
    documents = [document(story) for story in ranked(stories)]
    files = index_files(documents)
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    build = digest.hexdigest()
    manifest = {
        "format": FORMAT,
        "build": build,
        "docs": len(documents),
        "pairs": sum(1 for path in files if path.startswith("b/")),
        "singles": sum(1 for path in files if path.startswith("u/")),
    }
    site = Site()
    site.assets.append(Asset(f"{INDEX_FOLDER}/manifest.json", json.dumps(manifest).encode()))
    site.assets.extend(Asset(f"{INDEX_FOLDER}/{build}/{path}", content) for path, content in files.items())
    site.pages.append(search_page())
    return site


def search_page() -> Page:
    """The page the header's form submits to; with JavaScript it shows the hits itself."""
    link: Callable[[str], str] = partial(relative, SEARCH_URL)
    html = environment().get_template("browse/search.html").render(link=link, browse=browse.index_links())
    return Page(src_uri="search/index.md", url=SEARCH_URL, title="搜索", html=html, description="搜索本站文章。")
