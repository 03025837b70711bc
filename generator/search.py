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
import itertools
import json
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from generator import browse
from generator.pages import Asset, Page, Site, render_at
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
RUN_STORIES = 400  # stories indexed at a time (see index_files)
ENCODE_SLICE = 500_000  # postings entries encoded at a time (see postings)

# Markdown's marks, each tried only when the text holds its telltale character (most
# bodies are plain paragraphs, and this runs over every story of the site).
_MARKDOWN_NOISE = [
    ("<", re.compile(r"<!--.*?-->", re.S), " "),
    ("](", re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    ("](", re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    ("[^", re.compile(r"\[\^[^\]]*\]:?"), ""),
    ("<", re.compile(r"<[^>\n]*>"), " "),
    ("{", re.compile(r"\{:?[^}\n]*\}"), " "),
    ("", re.compile(r"^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|!!!\s*\w+|\|)[ \t]*", re.M), ""),
]
_INLINE_MARKS = re.compile(r"[*_`|~]+")


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
    for telltale, pattern, replacement in _MARKDOWN_NOISE:
        if telltale in text:
            text = pattern.sub(replacement, text)
    return " ".join(_INLINE_MARKS.sub(" ", text).split())


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


def code_points(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The texts folded as search.js folds a query (ASCII and full-width letters to lower
    case), as code points with a 0 between texts; and which text each code point is in."""
    joined = "\0".join(texts) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.uint32)
    codes[(codes >= 0xFF01) & (codes <= 0xFF5E)] -= np.uint32(0xFEE0)
    codes[(codes >= 0x41) & (codes <= 0x5A)] += np.uint32(0x20)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    return codes, np.repeat(np.arange(len(texts), dtype=np.uint32), lengths)


def word_mask(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Whether each code point is a letter or digit (the characters search looks at)."""
    mask = _is_word()[np.minimum(codes, 0xFFFF)]
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


def _distinct(
    first: npt.NDArray[np.uint32], second: npt.NDArray[np.uint32] | None, owner: npt.NDArray[np.uint32]
) -> npt.NDArray[np.uint64]:
    """Each distinct (gram, text) once, packed `gram << 22 | text` and sorted."""
    packed = first.astype(np.uint64)
    packed <<= np.uint64(21)
    if second is not None:
        packed |= second
    packed <<= np.uint64(22)
    packed |= owner
    packed.sort()
    keep = np.empty(len(packed), dtype=np.bool_)
    keep[:1] = True
    np.not_equal(packed[1:], packed[:-1], out=keep[1:])
    return packed[keep]


def occurrences(texts: Sequence[str], first_text: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The distinct character pairs and single characters of a run of texts, by text number."""
    codes, owner = code_points(texts)
    owner += np.uint32(first_text)
    word = word_mask(codes)
    both = word[:-1] & word[1:]
    pairs = _distinct(codes[:-1][both], codes[1:][both], owner[:-1][both])
    return pairs, _distinct(codes[word], None, owner[word])


@dataclass(frozen=True)
class Postings:
    """Every gram's postings: grams sorted, and each one's run in `text`."""

    first: npt.NDArray[np.uint32]
    second: npt.NDArray[np.uint32]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    text: bytes


def postings(parts: Sequence[npt.NDArray[np.uint64]]) -> Postings:
    """Each gram's stories, with the best field of each, from occurrences() of every run."""
    # Sorted by gram, then story, then field: a story's first entry has its best field.
    packed = np.concatenate(parts)
    packed.sort()
    # Encoded a slice of grams at a time, for the same reason as index_files' runs.
    cuts = [0]
    while cuts[-1] < len(packed):
        guess = min(cuts[-1] + ENCODE_SLICE, len(packed) - 1)
        next_gram = ((packed[guess] >> np.uint64(22)) + np.uint64(1)) << np.uint64(22)
        cuts.append(int(np.searchsorted(packed, next_gram)))
    encoded = [_encode(packed[a:b]) for a, b in itertools.pairwise(cuts)]
    grams = np.concatenate([e[0] for e in encoded]) if encoded else np.zeros(0, dtype=np.uint64)
    sizes = np.concatenate([e[1] for e in encoded]) if encoded else np.zeros(0, dtype=np.int64)
    ends = np.cumsum(sizes)
    return Postings(
        first=(grams >> np.uint64(21)).astype(np.uint32),
        second=(grams & np.uint64(0x1FFFFF)).astype(np.uint32),
        starts=ends - sizes,
        ends=ends,
        text=b"".join(e[2] for e in encoded),
    )


def _encode(packed: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], bytes]:
    """A sorted slice of whole grams' entries: the grams, each one's postings length, the postings."""
    story = packed >> np.uint64(2)
    keep = np.empty(len(packed), dtype=np.bool_)
    keep[:1] = True
    np.not_equal(story[1:], story[:-1], out=keep[1:])
    packed = packed[keep]
    gram = packed >> np.uint64(22)
    doc = (packed >> np.uint64(2)).astype(np.int64) & ((1 << 20) - 1)
    new_gram = np.ones(len(packed), dtype=np.bool_)
    np.not_equal(gram[1:], gram[:-1], out=new_gram[1:])
    previous = np.empty_like(doc)
    previous[:1] = -1
    previous[1:] = doc[:-1]
    previous[new_gram] = -1
    values = (((doc - previous) << 2) | (packed & np.uint64(3)).astype(np.int64)).astype(np.uint64)
    width = widths(values)
    heads = np.flatnonzero(new_gram)
    sizes = np.add.reduceat(width, heads) if len(heads) else np.zeros(0, dtype=np.int64)
    return gram[heads], sizes, digits(values, width)


def shards(index: Postings, single: bool) -> list[bytes]:
    """The shard files: grams hashed into a power of two of shards of about SHARD_BYTES."""
    count = 1
    while count < MAX_SHARDS and len(index.text) / count > SHARD_BYTES:
        count *= 2
    bucket = bucket_of(index.first, index.second, count)
    order = np.lexsort((index.second, index.first, bucket))
    bounds = np.searchsorted(bucket[order], np.arange(count + 1))
    # Whole arrays in shard order, then one slice per shard: real text has ~10^5 grams.
    per_gram = 2 if single else 3
    names = np.full((len(order), per_gram), ord(" "), dtype=np.uint32)
    names[:, 0] = index.first[order]
    if not single:
        names[:, 1] = index.second[order]
    sizes = (index.ends - index.starts)[order]
    size_width = widths(sizes.astype(np.uint64))
    lengths = digits(sizes.astype(np.uint64), size_width)
    length_bounds = np.concatenate(([0], np.cumsum(size_width)))[bounds]
    taken = np.concatenate(([0], np.cumsum(sizes)))
    at = np.repeat(index.starts[order] - taken[:-1], sizes) + np.arange(int(taken[-1]))
    body = np.frombuffer(index.text, dtype=np.uint8)[at].tobytes()
    body_bounds = taken[bounds]
    files = []
    for number in range(count):
        first, last = bounds[number], bounds[number + 1]
        grams = names[first:last].tobytes().decode("utf-32-le")[:-1]
        head = lengths[length_bounds[number] : length_bounds[number + 1]]
        files.append(grams.encode("utf-8") + b"\n" + head + b"\n" + body[body_bounds[number] : body_bounds[number + 1]])
    return files


def _run(
    stories: Sequence[Story], first_text: int
) -> tuple[list[Document], npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    documents = [document(story) for story in stories]
    pairs, singles = occurrences([text for document in documents for text in document.fields], first_text)
    return documents, pairs, singles


def index_files(stories: Sequence[Story]) -> dict[str, bytes]:
    """Every file of the index for stories in id order, by path under the build folder."""
    runs = range(0, len(stories), RUN_STORIES)
    # Runs of a few hundred stories keep every array small enough for the allocator to
    # reuse (fresh memory costs more than the work here); numpy lets go of the GIL while
    # it sorts, so one thread reads stories while the other indexes the previous run.
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda start: _run(stories[start : start + RUN_STORIES], start * len(FIELDS)), runs))
        pair_job = pool.submit(postings, [pairs for _, pairs, _ in found])
        single_job = pool.submit(postings, [singles for _, _, singles in found])
        pair_index, single_index = pair_job.result(), single_job.result()
    files: dict[str, bytes] = {}
    for folder, index, single in (("b", pair_index, False), ("u", single_index, True)):
        for number, content in enumerate(shards(index, single)):
            files[f"{folder}/{number}.txt"] = content
    documents = [document for run, _, _ in found for document in run]
    for number, document in enumerate(documents):
        files[f"d/{number}.json"] = json.dumps(document.as_json(), ensure_ascii=False, separators=(",", ":")).encode()
    return files


def render(stories: Sequence[Story], settings: Settings) -> Site:
    """The index files and the search page (what readers without JavaScript get)."""
    files = index_files(ranked(stories))
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    build = digest.hexdigest()
    manifest = {
        "format": FORMAT,
        "build": build,
        "docs": len(stories),
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
    html = render_at("browse/search.html", SEARCH_URL, browse=browse.index_links())
    return Page(src_uri="search/index.md", url=SEARCH_URL, title="搜索", html=html, description="搜索本站文章。")
