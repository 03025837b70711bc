"""Pre-compression of the written site: a `.gz` beside each text file, for nginx's `gzip_static`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from zlib_ng import gzip_ng

from generator.core.settings import Settings

TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".atom", ".webmanifest"})
# Measured on 300 story pages (33 KB each): zlib-ng at 5 makes 9.30 KB in 0.24 ms, at 6
# 9.27 KB in 0.27 ms, at 9 9.18 KB in 0.57 ms; zlib at 6 takes 0.48 ms.
LEVEL = 5
_gzip: Callable[..., bytes] = gzip_ng.compress  # the package has no type hints
# Below this a gzip header and a request's framing outweigh the saving.
MIN_SIZE = 256


def write(site_dir: Path, settings: Settings, files: Iterable[Path] | None = None) -> None:
    """Write `name.gz` beside every text file of the built site (or of `files`, when given)
    that compression makes smaller."""
    if settings.include_drafts:
        return  # a preview under `serve` is never deployed; compressing it only slows each rebuild
    chosen = list(text_files(site_dir) if files is None else (f for f in files if f.is_file() and _worth(f)))
    # zlib releases the GIL, so threads use every core without copying pages between processes.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(compress_file, chosen))


def _worth(file: Path) -> bool:
    return file.suffix.lower() in TEXT_SUFFIXES and file.stat().st_size >= MIN_SIZE


def text_files(site_dir: Path) -> Iterator[Path]:
    """The files worth compressing: text, and large enough to gain."""
    for directory, _, names in os.walk(site_dir):
        yield from (file for file in (Path(directory, name) for name in names) if _worth(file))


def compress_file(file: Path) -> bool:
    """Write `file.gz` when it is smaller than `file`; the result says whether it was written."""
    return compress_data(file, file.read_bytes(), file.stat())


def compress_data(file: Path, data: bytes, stat: os.stat_result, fresh: bool = False) -> bool:
    """Write `file.gz` from `data`, the bytes of `file` (whose `stat` is given), when that is
    smaller. `fresh`: the folder was empty before this build, so no old `.gz` is left to remove."""
    target = file.with_name(file.name + ".gz")
    packed = None
    if len(data) >= MIN_SIZE and file.suffix.lower() in TEXT_SUFFIXES:
        # mtime=0 keeps the output the same for the same input, so a deploy by rsync copies only changes.
        packed = _gzip(data, compresslevel=LEVEL, mtime=0)
    if packed is None or len(packed) >= len(data):
        if not fresh:
            target.unlink(missing_ok=True)
        return False
    write_file(target, packed)
    # nginx gives the .gz's date as Last-Modified: keep it the page's own.
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return True


def write_file(path: Path, data: bytes) -> os.stat_result:
    """Write `data` to `path`, making its folder when missing; the written file's stat.

    Plain system calls: a site is tens of thousands of files, and Python's buffered files
    cost three more calls each."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        return os.fstat(fd)
    finally:
        os.close(fd)
