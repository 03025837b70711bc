"""Spreading a pure function over the machine's cores.

The items are handed to forked workers through memory they inherit, not through pickling:
only the results travel back. Small batches run in this process, where a pool costs more
than it saves (and where `serve` rebuilds usually are).
"""

from __future__ import annotations

import multiprocessing
import os
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
    if len(items) < parallel_from or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return Running(None, iter([[function(item) for item in items]]))
    # Small chunks for few items, so that every worker gets some.
    size = max(1, min(_CHUNK, len(items) // (workers * 4)))
    chunks = [(begin, min(begin + size, len(items))) for begin in range(0, len(items), size)]
    _task = (function, items)
    try:
        # The workers are forked here, each with its own copy of `_task`.
        pool = multiprocessing.get_context("fork").Pool(workers)
    finally:
        _task = None
    return Running(pool, pool.imap(_run, chunks))
