"""Pre-compression of the written site: a `.gz` beside each text file, for nginx's `gzip_static`."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from zlib_ng import gzip_ng

from generator.settings import Settings

TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".atom", ".webmanifest"})
# Measured on a story page (35 KB): zlib-ng at 6 takes 0.25 ms for 9,450 bytes, where zlib
# takes 0.48 ms for 9,217; zlib-ng at 9 takes 0.57 ms for 9,198.
LEVEL = 6
_gzip: Callable[..., bytes] = gzip_ng.compress  # the package has no type hints
# Below this a gzip header and a request's framing outweigh the saving.
MIN_SIZE = 256


def write(site_dir: Path, settings: Settings, skip: Collection[str] = ()) -> None:
    """Write `name.gz` beside every text file of the built site that compression makes smaller.

    `skip`: files (relative to site_dir) already compressed as they were written.
    """
    if settings.include_drafts:
        return  # a preview under `serve` is never deployed; compressing it only slows each rebuild
    files = [f for f in text_files(site_dir) if f.relative_to(site_dir).as_posix() not in skip]
    # zlib releases the GIL, so threads use every core without copying pages between processes.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(compress_file, files))


def text_files(site_dir: Path) -> Iterator[Path]:
    """The files worth compressing: text, and large enough to gain."""
    for directory, _, names in os.walk(site_dir):
        for name in names:
            file = Path(directory, name)
            if file.suffix.lower() in TEXT_SUFFIXES and file.stat().st_size >= MIN_SIZE:
                yield file


def compress_file(file: Path) -> bool:
    """Write `file.gz` when it is smaller than `file`; the result says whether it was written."""
    return compress_data(file, file.read_bytes())


def compress_data(file: Path, data: bytes) -> bool:
    """Write `file.gz` from `data`, the bytes just written to `file`, when that is smaller."""
    target = file.with_name(file.name + ".gz")
    if len(data) < MIN_SIZE or file.suffix.lower() not in TEXT_SUFFIXES:
        target.unlink(missing_ok=True)
        return False
    # mtime=0 keeps the output the same for the same input, so a deploy by rsync copies only changes.
    packed = _gzip(data, compresslevel=LEVEL, mtime=0)
    if len(packed) >= len(data):
        target.unlink(missing_ok=True)
        return False
    target.write_bytes(packed)
    stat = file.stat()
    # nginx gives the .gz's date as Last-Modified: keep it the page's own.
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return True
