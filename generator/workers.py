"""Spreading a pure function over the machine's cores.

The items are handed to forked workers through memory they inherit, not through pickling:
only the results travel back. Small batches run in this process, where a pool costs more
than it saves (and where `serve` rebuilds usually are).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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
    global _task
    workers = min(cores(), 8)
    if len(items) < parallel_from or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _task = (function, items)
    # Small chunks for few items, so that every worker gets some.
    size = max(1, min(_CHUNK, len(items) // (workers * 4)))
    try:
        chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results: list[Result] = []
            for part in pool.imap(_run, chunks):
                results.extend(part)
            return results
    finally:
        _task = None
