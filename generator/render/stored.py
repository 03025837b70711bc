"""Made pages kept between builds: a story's page and its 公众号 copy page, by what they
are made from.

Rendering a story (Markdown, sanitising, templates, JSON-LD, share text, QR code) is most
of a build's work, and after a small edit almost every story is what it was. A page is a
pure function of its story, the story that supersedes it, the settings and the code, so
each is kept under a digest of exactly those: the story as checked (with whether it is
overdue today, which is all a page takes from the date), its successor, the settings but
the date, and a digest of the generator's own files with the versions of every installed
distribution. Anything else changes the digest, so a kept page is never stale; an entry
that cannot be read is made again. The folder is swept after each full build like the
other caches (publish/cachesweep.py).

Checked stories are kept the same way, as one table (`table`, `keep_table`): a story's
result under a digest of its file's bytes, its place, the settings and the code, with a
digest of each picture it read; the table is written whole, holding only what the last
check used, and one that cannot be read, or was made by other code, is ignored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.core.files import write_atomically
from generator.core.settings import Settings
from generator.core.story import Story

KIND = "pages"
TABLES = "tables"
_TABLE_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def code_digest() -> str:
    """A digest of the generator's files (code, templates, vocabularies) and of the installed
    distributions' versions: whatever a page could depend on besides its inputs."""
    digest = hashlib.sha256()
    for directory, folders, names in sorted(os.walk(_PACKAGE)):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            path = Path(directory, name)
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


def key(kind: str, story: Story, successor: Story | None, settings: Settings) -> str:
    """The name a page made from these inputs is kept under."""
    # The date reaches a page only as `overdue`; where the caches are kept reaches it not at all.
    plain = dataclasses.replace(settings, today=date.min, cache_dir=None)
    inputs = (code_digest(), kind, story, successor, plain, story.overdue(settings.today))
    return hashlib.sha256(pickle.dumps(inputs, protocol=5)).hexdigest()[:40]


def path(settings: Settings, name: str) -> Path:
    """The file of a kept page."""
    return settings.cache(KIND) / name


def get(settings: Settings, name: str) -> Any | None:
    """The page kept under `name`, or None (never kept, or unreadable: then it is made again)."""
    try:
        return pickle.loads(path(settings, name).read_bytes())
    except Exception:
        return None


def put(settings: Settings, name: str, value: object) -> None:
    """Keep a page (whole or not at all)."""
    target = path(settings, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, pickle.dumps(value, protocol=5))


def digest(*parts: object) -> str:
    """A digest of `parts` (picklable values) and of the code, for a table's keys."""
    return hashlib.sha256(pickle.dumps((code_digest(), *parts), protocol=5)).hexdigest()[:40]


def file_digest(path: Path) -> str:
    """A digest of a file's bytes ("" when it cannot be read)."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return ""


def table_path(settings: Settings, name: str) -> Path:
    """The file of a kept table."""
    return settings.cache(TABLES) / f"{name}.pickle"


def table(settings: Settings, name: str) -> dict[str, Any]:
    """The table kept under `name`; empty when there is none, it cannot be read, or other code
    (another version of the generator or of a library) made it."""
    try:
        made = pickle.loads(table_path(settings, name).read_bytes())
    except Exception:
        return {}
    if not (isinstance(made, tuple) and len(made) == 3 and made[:2] == (_TABLE_FORMAT, code_digest())):
        return {}
    entries = made[2]
    return entries if isinstance(entries, dict) else {}


def keep_table(settings: Settings, name: str, entries: dict[str, Any]) -> None:
    """Keep a table (whole or not at all), in place of the one before."""
    target = table_path(settings, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, pickle.dumps((_TABLE_FORMAT, code_digest(), entries), protocol=5))
