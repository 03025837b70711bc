"""The search index: which stories hold each character and character pair, sharded by a hash.

Chinese has no spaces, and readers search for words no dictionary knows (a new place
name, 蒲公英核酸), so the index is of characters, not words: for every pair of adjacent
characters (and every single character) the stories holding it, with the best field it
is in. A query loads only the shards of its own pairs, then each hit's own file, whose
text confirms the exact string before the hit is shown (so every hit shown holds the
query) and gives the snippet. The query logic is `site_src/assets/javascripts/search.js`.

Files under `assets/search/`: `manifest.json` (fetched fresh: it names every other file and
lists the browsing pages); every other file is named by its content (`NAME_LENGTH`
characters of a digest before its suffix), so it never changes, and a build after an edit
makes new files only where the content changed (the page writer links the rest from the
build before, and a deploy uploads only those): `words.<h>.json` (how search.js reads a
query: generator/wording.py), `b/<n>.<h>.txt` pair shards, `u/<n>.<h>.txt`
single-character shards, `d/<id>.<h>.json` one per story, ids newest first, and
`ids.<h>.txt`, the names of the stories' files (each `<h>` in id order, one after another;
the shards' are in the manifest, `b` and `u`). A shard is three lines: its grams joined
by spaces; the length of each gram's postings; the postings, each `(gap << 2) | field`
with the gap from the previous story id. Numbers are written five bits to a character
(`DIGITS`; the upper half marks that more digits follow), which gzip packs well.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.content import wording
from generator.core import addresses
from generator.core.outputs import Asset, Page, Site
from generator.core.sections import Search
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render import browse
from generator.render.templating import render_at

INDEX_FOLDER = addresses.SEARCH_INDEX_FOLDER
FORMAT = 3  # 2: words.json (the browsing pages are on the header's form); 3: files named by their content
NAME_LENGTH = 6  # characters of a file's name from its content's digest (32 bits, URL-safe base64)
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
# The fields a reader's word may be in, best first: a title hit ranks above a tag hit,
# which ranks above one in the summary, which ranks above one in the body.
FIELDS = ("title", "head", "lead", "body")
# Short facts shown as 「label：value」 in a snippet (only the values are searched), and the
# lead text: the fields the table gives those search roles (sections.Search), in its order.
# About this many bytes of postings per shard before gzip: a query of three or four
# characters loads two or three shards, and a shard is one small request on a slow network.
SHARD_BYTES = 24_000
MAX_SHARDS = 4096
RUN_STORIES = 100  # stories indexed at a time (see index_files)

# Markdown's marks, each tried only when the text holds its telltale character (most
# bodies are plain paragraphs, and this runs over every story of the site).
_MARKDOWN_NOISE = [
    ("<", re.compile(r"<!--.*?-->", re.S), " "),
    # An opener is never inside what it opens, so each try stops at the next one: linear.
    ("](", re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    ("](", re.compile(r"\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    ("[^", re.compile(r"\[\^[^\[\]]*\]:?"), ""),
    ("<", re.compile(r"<[^<>\n]*>"), " "),
    ("{", re.compile(r"\{:?[^{}\n]*\}"), " "),
    ("", re.compile(r"^[ \t]{0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|!!!\s*\w+|\|)[ \t]*", re.M), ""),
]
_INLINE_MARKS = re.compile(r"[*_`|~]+")
_INLINE_MARK_CHARACTERS = "*_`|~"  # looked for first: str's search is much faster than re's
_DIGIT_BYTES = np.frombuffer(DIGITS.encode("ascii"), dtype=np.uint8)
# A story as the index's entries hold it, `story << 2 | field` (see Postings.add).
_STORY = np.uint64(((1 << 20) - 1) << 2)
_NO_STORY = np.uint64(2**64 - 4)  # story -1 shifted, so that the first gap is from -1


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
    if any(mark in text for mark in _INLINE_MARK_CHARACTERS):
        text = _INLINE_MARKS.sub(" ", text)
    return " ".join(text.split())


def _words(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)):
        return "、".join(filter(None, (_words(item) for item in value)))
    for attribute in ("label", "term"):  # a vocabulary Term, or an Honour holding one
        if hasattr(value, attribute):
            return _words(getattr(value, attribute))
    return "" if value is None else str(value)


def document(story: Story) -> Document:
    """What the index keeps of one story."""
    head = []
    for field in story.section.fields:
        text = _words(story.get(field.key)) if field.search is Search.FACT else ""
        if text:
            head.append((field.label, text))
    lead = [_words(story.get(f.key)) for f in story.section.fields if f.search is Search.LEAD]
    badge_field = story.section.badge_field
    badges = [_words(story.get(badge_field)) if badge_field else ""]
    if story.status is not None and story.status.code != "current":
        badges.append(story.status.label)
    return Document(
        url=story.url,
        title=story.title,
        section=story.section.label,
        date=story.date.isoformat(),
        badge=" · ".join(filter(None, badges)),
        head=tuple(head),
        lead="\n".join(filter(None, lead)),
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
    case, traditional characters to simplified: wording.fold_table), as code points with a 0
    between texts; and which text each code point is in."""
    joined = "\0".join(texts) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.uint32)
    folded = wording.fold_table().take(codes, mode="clip")  # beyond the BMP: put back below
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):
        folded[astral] = codes[astral]
    codes = folded
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    return codes, np.repeat(np.arange(len(texts), dtype=np.uint32), lengths)


def word_mask(codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Whether each code point is a letter or digit (the characters search looks at)."""
    mask = _is_word().take(codes, mode="clip")  # beyond the table: fixed below
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
    width = np.ones(len(values), dtype=np.uint8)
    top = int(values.max()) if len(values) else 0
    limit = 32
    while limit <= top:
        width += (values >= np.uint64(limit)).view(np.uint8)
        limit *= 32
    return width.astype(np.int64)


def digits(values: npt.NDArray[np.uint64], width: npt.NDArray[np.int64]) -> bytes:
    """Each value in DIGITS, five bits a character, low bits first; `width` from widths()."""
    ends = np.cumsum(width)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    # A digit place at a time, over the values with a digit there.
    at, rest, left = ends - width, values, width
    while len(rest):
        digit = rest.astype(np.uint8)
        digit &= np.uint8(31)
        more = left > 1
        digit |= more.view(np.uint8) << np.uint8(5)
        out[at] = _DIGIT_BYTES.take(digit)
        longer = np.flatnonzero(more)
        at = at.take(longer)
        at += 1
        rest = rest.take(longer)
        rest >>= np.uint64(5)
        left = left.take(longer)
        left -= 1
    return out.tobytes()


def _best(packed: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Entries `gram << 22 | text` sorted (in place), keeping each (gram, story) once with
    the text of the story's best field (a story's texts are numbered in FIELDS order)."""
    packed.sort()
    # An entry starts a new (gram, story) when it differs from the one before above the
    # two bits of its field.
    keep = np.empty(len(packed), dtype=np.bool_)
    keep[:1] = True
    np.greater_equal(packed[1:] ^ packed[:-1], np.uint64(4), out=keep[1:])
    return packed.compress(keep)


def occurrences(texts: Sequence[str], first_text: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The character pairs and single characters of a run of texts, as _best() gives them.

    A gram is `first << 21 | second`, with second = 0 for a single character."""
    codes, owner = code_points(texts)
    owner += np.uint32(first_text)
    word = word_mask(codes)
    # Every code point as a single character's entry, and with the next one as a pair's;
    # then only those of letters and digits.
    singles = codes.astype(np.uint64)
    singles <<= np.uint64(43)
    singles |= owner
    del owner
    pairs = codes[1:].astype(np.uint64)
    pairs <<= np.uint64(22)
    pairs |= singles[:-1]
    pairs = pairs.compress(word[:-1] & word[1:])
    return _best(pairs), _best(singles.compress(word))


class Postings:
    """Every gram's postings of one kind (pairs or single characters), encoded a run of
    stories at a time, then put together into shard files.

    Each run's postings are encoded as soon as it is read, so memory holds text of a byte or
    two an entry instead of every entry of the site as a number. A gram's postings are its
    chunks, one from each run holding it, in run order: the gap of its first story in a run
    is from its last story in the runs before.
    """

    def __init__(self) -> None:
        self.grams = np.zeros(0, dtype=np.uint64)  # every gram so far, sorted
        self.last = np.zeros(0, dtype=np.uint64)  # the last story holding each, as `story << 2`
        self.sizes = np.zeros(0, dtype=np.int64)  # the length of each one's postings
        # Each run's grams, the length of each one's chunk, and the chunks one after another.
        self.runs: deque[tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], bytes]] = deque()

    def add(self, packed: npt.NDArray[np.uint64]) -> None:
        """A run's entries from occurrences(), its stories after those of every earlier run."""
        if not len(packed):
            return
        gram = packed >> np.uint64(22)
        new_gram = np.empty(len(packed), dtype=np.bool_)
        new_gram[:1] = True
        np.not_equal(gram[1:], gram[:-1], out=new_gram[1:])
        heads = np.flatnonzero(new_gram)
        grams = gram.take(heads)
        del gram, new_gram
        # Make room for the grams first seen here.
        at = np.searchsorted(self.grams, grams)
        fresh = at == len(self.grams)
        fresh[~fresh] = self.grams[at[~fresh]] != grams[~fresh]
        if fresh.any():
            self.grams = np.insert(self.grams, at[fresh], grams[fresh])
            self.last = np.insert(self.last, at[fresh], _NO_STORY)
            self.sizes = np.insert(self.sizes, at[fresh], 0)
            at = np.searchsorted(self.grams, grams)
        # An entry's `story << 2 | field`, less `story << 2` of the story before it in its
        # gram, is `gap << 2 | field` (unsigned, so no story before gives a gap from -1).
        values = packed & np.uint64((1 << 22) - 1)
        before = np.empty_like(values)
        np.bitwise_and(values[:-1], _STORY, out=before[1:])
        before[heads] = self.last[at]
        tails = np.empty_like(heads)
        tails[:-1] = heads[1:] - 1
        tails[-1] = len(values) - 1
        self.last[at] = values.take(tails) & _STORY
        values -= before
        del before
        width = widths(values)
        sizes = np.add.reduceat(width, heads)
        self.sizes[at] += sizes
        self.runs.append((grams, sizes, digits(values, width)))

    def shards(self, single: bool) -> list[bytes]:
        """The shard files: grams hashed into a power of two of shards of about SHARD_BYTES.

        Each run's chunks are moved to their place in the shards' text and let go at once."""
        count = 1
        while count < MAX_SHARDS and int(self.sizes.sum()) / count > SHARD_BYTES:
            count *= 2
        first = (self.grams >> np.uint64(21)).astype(np.uint32)
        second = (self.grams & np.uint64(0x1FFFFF)).astype(np.uint32)
        bucket = bucket_of(first, second, count)
        order = np.lexsort((second, first, bucket))
        bounds = np.searchsorted(bucket[order], np.arange(count + 1))
        sizes = self.sizes[order]
        ends = np.cumsum(sizes)
        body = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
        place = np.empty_like(ends)  # where each gram's next chunk goes, by gram
        place[order] = ends - sizes
        while self.runs:
            grams, chunk_sizes, chunks = self.runs.popleft()
            at = np.searchsorted(self.grams, grams)
            to = np.repeat(place[at] - (np.cumsum(chunk_sizes) - chunk_sizes), chunk_sizes)
            to += np.arange(len(to))
            body[to] = np.frombuffer(chunks, dtype=np.uint8)
            place[at] += chunk_sizes
        # Whole arrays in shard order, then one slice per shard: real text has ~10^5 grams.
        per_gram = 2 if single else 3
        names = np.full((len(order), per_gram), ord(" "), dtype=np.uint32)
        names[:, 0] = first[order]
        if not single:
            names[:, 1] = second[order]
        size_width = widths(sizes.astype(np.uint64))
        lengths = digits(sizes.astype(np.uint64), size_width)
        length_bounds = np.concatenate(([0], np.cumsum(size_width)))[bounds]
        body_bounds = np.concatenate(([0], ends))[bounds]
        files = []
        for number in range(count):
            grams_line = names[bounds[number] : bounds[number + 1]].tobytes().decode("utf-32-le")[:-1]
            lengths_line = lengths[length_bounds[number] : length_bounds[number + 1]]
            postings_line = body[body_bounds[number] : body_bounds[number + 1]].data
            files.append(b"\n".join((grams_line.encode("utf-8"), lengths_line, postings_line)))
        return files


def index_files(stories: Sequence[Story]) -> dict[str, bytes]:
    """Every file of the index for stories in id order, by path under the build folder."""
    pairs, singles = Postings(), Postings()
    documents: list[bytes] = []
    # A run of stories at a time, so that only one run's text and arrays are held at once
    # (about 100 stories measured fastest: longer runs are slower to sort). A second thread
    # does not help: it waits for the GIL after every numpy call while this one reads stories.
    for start in range(0, len(stories), RUN_STORIES):
        run = [document(story) for story in stories[start : start + RUN_STORIES]]
        documents.extend(json.dumps(d.as_json(), ensure_ascii=False, separators=(",", ":")).encode() for d in run)
        found_pairs, found_singles = occurrences([text for d in run for text in d.fields], start * len(FIELDS))
        del run
        pairs.add(found_pairs)
        singles.add(found_singles)
        del found_pairs, found_singles
    files: dict[str, bytes] = {}
    characters = (singles.grams >> np.uint64(21)).tolist()
    tables = wording.query_tables(characters)
    files["words.json"] = json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode()
    for folder, index, single in (("b", pairs, False), ("u", singles, True)):
        for number, content in enumerate(index.shards(single)):
            files[f"{folder}/{number}.txt"] = content
    for number, content in enumerate(documents):
        files[f"d/{number}.json"] = content
    return files


def render(stories: Sequence[Story], settings: Settings) -> Site:
    """The index files and the search page (what readers without JavaScript get)."""
    site = index(stories, settings)
    site.pages.append(search_page())
    return site


def index(stories: Sequence[Story], settings: Settings) -> Site:
    """The index files alone (a build makes them in a background process)."""
    files = index_files(ranked(stories))
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(files):
        digest.update(path.encode() + b"\0")
        digest.update(files[path])
    build = digest.hexdigest()
    pairs = sum(1 for path in files if path.startswith("b/"))
    singles = sum(1 for path in files if path.startswith("u/"))
    names = {path: content_name(content) for path, content in files.items()}
    ids = "".join(names[f"d/{number}.json"] for number in range(len(stories))).encode()
    ids_file = f"ids.{content_name(ids)}.txt"
    named = {_with_name(path, names[path]): content for path, content in files.items()}
    named[ids_file] = ids
    manifest = {
        "format": FORMAT,
        "build": build,
        "docs": len(stories),
        "pairs": pairs,
        "singles": singles,
        "words": _with_name("words.json", names["words.json"]),
        "ids": ids_file,
        "b": "".join(names[f"b/{number}.txt"] for number in range(pairs)),
        "u": "".join(names[f"u/{number}.txt"] for number in range(singles)),
    }
    site = Site()
    site.assets.append(Asset(f"{INDEX_FOLDER}/manifest.json", json.dumps(manifest).encode()))
    site.assets.extend(Asset(f"{INDEX_FOLDER}/{path}", content) for path, content in named.items())
    return site


def browse_links() -> list[list[str]]:
    """What an empty or failed answer offers instead: the top browsing pages, as [label, address].

    Each section's filter pages are one tap further, from the section's own page. The header's
    search form carries them (`data-browse`, site_src/overrides/partials/fed-search.html), so
    search.js shows them even when the index could not be loaded.
    """
    return [[label, url] for url, label in browse.index_links() if url.count("/") == 2]


def content_name(content: bytes) -> str:
    """The part of a file's name that its content decides (search.js reads it from the manifest)."""
    return base64.urlsafe_b64encode(hashlib.blake2b(content, digest_size=4).digest()).decode()[:NAME_LENGTH]


def _with_name(path: str, name: str) -> str:
    """`b/3.txt` as `b/3.<name>.txt`."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{name}{dot}{suffix}"


def search_page() -> Page:
    """The page the header's form submits to; with JavaScript it shows the hits itself."""
    html = render_at("browse/search.html", addresses.SEARCH_URL, browse=browse.index_links())
    return Page(
        src_uri=addresses.page_source(addresses.SEARCH_URL),
        url=addresses.SEARCH_URL,
        title="搜索",
        html=html,
        description="搜索本站文章。",
    )
