"""Spreading a pure function over the machine's cores.

The items are handed to forked workers through memory they inherit, not through pickling:
only the results travel back. Small batches run in this process, where a pool costs more
than it saves (and where `serve` rebuilds usually are).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import multiprocessing.process
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.pool import Pool
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PARALLEL_FROM = 400
_CHUNK = 64
_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether work can go to forked processes on another core."""
    return cores() >= 2 and "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """Around a fork: the objects existing now are left out of garbage collection (in the
    children too), so a child's collections do not write to, and so copy, all the memory
    it shares with this process."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a forked worker: be killed when the process that forked it dies, however it dies
    (a killed build must leave no process behind). Linux only; elsewhere the worker sees
    its pipe to the parent close instead."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    # The build's own SIGTERM handler (a clean stop) is not for its workers: terminate()
    # must end them at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _task is not None  # set before the pool forks
    function, items = _task
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def map_all(
    function: Callable[[Item], Result], items: Sequence[Item], parallel_from: int = PARALLEL_FROM
) -> list[Result]:
    """`[function(item) for item in items]`, on every core once there are `parallel_from` items."""
    return start(function, items, parallel_from).results()


class Running(Generic[Result]):
    """Work handed to forked workers, going on while this process does something else."""

    def __init__(self, pool: Pool | None, parts: Iterator[list[Result]]) -> None:
        self.pool = pool
        self.parts = parts

    def results(self) -> list[Result]:
        """Wait for every result, in the order of the items."""
        try:
            results = [result for part in self.parts for result in part]
        except BaseException:
            self.stop()
            raise
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
        return results

    def stop(self) -> None:
        """Give up the work (the build failed elsewhere)."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def start(
    function: Callable[[Item], Result], items: Sequence[Item], parallel_from: int = PARALLEL_FROM
) -> Running[Result]:
    """Like `map_all`, but returns at once when the work goes to workers; `.results()` waits.

    Small batches run here and now, where a pool costs more than it saves."""
    global _task
    workers = min(cores(), 8)
    if len(items) < parallel_from or not can_fork():
        return Running(None, iter([[function(item) for item in items]]))
    # Small chunks for few items, so that every worker gets some.
    size = max(1, min(_CHUNK, len(items) // (workers * 4)))
    chunks = [(begin, min(begin + size, len(items))) for begin in range(0, len(items), size)]
    _task = (function, items)
    try:
        # The workers are forked here, each with its own copy of `_task`.
        with _frozen():
            pool = multiprocessing.get_context("fork").Pool(workers, die_with_parent, (os.getpid(),))
    finally:
        _task = None
    return Running(pool, pool.imap(_run, chunks))


class Background(Generic[Result]):
    """One job in a forked process, started now, that may wait for a go-ahead (`release`)
    before its last step; `result()` waits for it. Without a second core it runs in
    `result()`, after the go-ahead."""

    def __init__(self, function: Callable[[Callable[[], object]], Result]) -> None:
        self.function = function
        self.process: multiprocessing.process.BaseProcess | None = None
        if not can_fork():
            return
        context = multiprocessing.get_context("fork")
        self.go = context.Event()
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_background, args=(function, self.go, send, os.getpid()), daemon=True)
        with _frozen():
            self.process.start()
        send.close()

    def release(self) -> None:
        """Let the job go on past its wait."""
        if self.process is not None:
            self.go.set()

    def result(self) -> Result:
        """The job's result; an error in the job is raised here."""
        if self.process is None:
            return self.function(lambda: True)
        try:
            done, value = self.receive.recv()
        except EOFError:
            done, value = False, "the background process ended without a result"
        self.process.join()
        self.process = None
        if not done:
            if isinstance(value, BaseException):
                raise value  # a full disk there is a full disk here
            raise RuntimeError(f"后台任务失败：\n{value}")
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Give up the job (the build failed elsewhere)."""
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            self.process = None


def _background(function: Callable[[Callable[[], object]], Any], go: Any, send: Any, parent: int) -> None:
    die_with_parent(parent)
    try:
        send.send((True, function(go.wait)))
    except OSError as exc:
        # The error itself (a full disk, a read-only folder) goes back, for a message in
        # Chinese; anything else as its traceback, for a bug report.
        try:
            pickle.dumps(exc)
            send.send((False, exc))
        except Exception:
            send.send((False, traceback.format_exc()))
    except BaseException:
        send.send((False, traceback.format_exc()))
    finally:
        send.close()
