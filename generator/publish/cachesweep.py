"""Made files kept between builds (photos, cards and posters, read-aloud audio) are swept
after each successful full build: what this build did not use goes.

The cache is keyed by content, so every edit leaves the old picture, card, poster and audio
behind: 190 KB of card and poster and about 1 MB of audio a story, which would grow
without end. A file is kept while the last build used it. A kind is swept only when its
maker ran in full (a machine without the speech engine or the CJK font keeps that cache
for the next machine that has it), and a file being written by another build (a hidden
`.name.….tmp` beside its final name, core/files.py) is left alone unless it is an hour old.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.core.settings import Settings

STALE_PARTIAL_SECONDS = 3600


def sweep(settings: Settings, used: Mapping[str, Iterable[Path]]) -> int:
    """Delete the files of each cache kind in `used` that are not among its paths; how many went."""
    removed = 0
    now = time.time()
    for kind, paths in used.items():
        folder = settings.cache(kind)
        keep = {os.path.abspath(p) for p in paths}
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if not entry.is_file(follow_symlinks=False) or os.path.abspath(entry.path) in keep:
                continue
            try:
                if entry.name.startswith(".") and now - entry.stat().st_mtime < STALE_PARTIAL_SECONDS:
                    continue  # another build is writing it
                os.unlink(entry.path)
                removed += 1
            except FileNotFoundError:
                continue
    return removed
