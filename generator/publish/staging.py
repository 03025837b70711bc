"""Publishing a built site: built in a staging folder beside the live one, swapped in at once.

A server reading the site while it is replaced must never find it missing: on Linux the
two folders trade places in one system call (renameat2 with RENAME_EXCHANGE), so the
live path always holds a whole site, the old or the new. Elsewhere the fallback is two
renames, with a moment without a site between them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGING = ".building-"
_RETIRED = ".old-"


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # pragma: no cover - not glibc ≥ 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step; False where the system cannot (then nothing moved)."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # a kernel or file system without the exchange: fall back
    raise OSError(code, os.strerror(code), str(second))


def stage(site_dir: Path) -> Path:
    """A new, empty staging folder beside `site_dir` (a unique name: an old one never gets in the way)."""
    remove_stale(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}{_STAGING}", dir=site_dir.parent))
    # mkdtemp makes it private (0700); the site must be readable by the web server's own
    # user, as a folder made by mkdir is: the mode the umask allows.
    staging.chmod(0o777 & ~_umask())
    return staging


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_staging(path: Path) -> bool:
    """Whether `path` is a staging folder made by `stage` (the build is already beside the live site)."""
    return path.name.startswith(".") and _STAGING in path.name


def live_of(staging: Path) -> Path:
    """The site folder a staging folder made by `stage` is swapped into."""
    return staging.with_name(staging.name[1:].split(_STAGING, 1)[0])


def remove_stale(site_dir: Path) -> None:
    """Delete the staging and retired folders of earlier builds of `site_dir` that were killed."""
    for prefix in (_STAGING, _RETIRED):
        for stale in site_dir.parent.glob(f".{site_dir.name}{prefix}*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)


# A server may look a file up in two steps (nginx: stat for try_files, then open): one that
# found the old site's file just before the swap opens it just after. The old site is kept
# this long before it is deleted, so that second step never finds it gone.
GRACE_SECONDS = 0.1


def swap(staging: Path, site_dir: Path) -> None:
    """Put the built site in `staging` at `site_dir` and delete the old one; atomic where the system allows."""
    if site_dir.is_dir() and not site_dir.is_symlink() and exchange(staging, site_dir):
        time.sleep(GRACE_SECONDS)
        shutil.rmtree(staging, ignore_errors=True)  # it holds the old site now
        return
    retired = site_dir.parent / f".{site_dir.name}{_RETIRED}{os.getpid()}"
    if site_dir.exists() or site_dir.is_symlink():
        site_dir.rename(retired)
    try:
        staging.rename(site_dir)
    except OSError:
        if retired.exists():
            retired.rename(site_dir)  # the old site back in its place
        raise
    time.sleep(GRACE_SECONDS)
    shutil.rmtree(retired, ignore_errors=True)


class BusyError(Exception):
    """Another build of the same site is running."""


@contextlib.contextmanager
def lock(site_dir: Path) -> Iterator[None]:
    """Hold the build lock of the folder holding the site, so two builds never swap at once.

    The folder itself is locked, so no lock file is left beside the site; a killed build's
    lock goes with its process."""
    fd = os.open(site_dir.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(str(site_dir)) from None
        yield
    finally:
        os.close(fd)


def fault(exc: OSError) -> str:
    """What went wrong writing the site, in Chinese, with what to do."""
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足{where}：请清理磁盘后再构建"
    if exc.errno in (errno.EROFS,):
        return f"输出文件夹所在的磁盘是只读的{where}：请换一个可写的输出文件夹"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有写入权限{where}：请检查输出文件夹的权限"
    return f"写入文件时出错{where}：{exc.strerror or exc}"
