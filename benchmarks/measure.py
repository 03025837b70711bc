"""Run one command and measure its wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TAIL_LINES = 30


@dataclass(frozen=True)
class Measurement:
    """How one run of a command went."""

    command: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    output_tail: str
    cpu_seconds: float = 0.0  # user and system time of the process and what it waited for

    @property
    def ok(self) -> bool:
        """Whether the command succeeded."""
        return self.returncode == 0


def run_measured(
    command: Sequence[str], cwd: Path, timeout: float | None = None, env: Mapping[str, str] | None = None
) -> Measurement:
    """Run a command to completion (in `env`, else this process's environment); time it and
    read its own peak RSS from wait4."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        # Output goes to files, not pipes: nobody reads a pipe while we block in wait4.
        process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=stdout, stderr=stderr)
        timer = threading.Timer(timeout, process.kill) if timeout else None
        if timer:
            timer.start()
        # wait4 gives the rusage of exactly this child (and what it waited for), unlike
        # getrusage(RUSAGE_CHILDREN), which is a maximum over every child so far.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        return Measurement(
            command=list(command),
            seconds=seconds,
            peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
            returncode=process.returncode,
            output_tail=tail(stderr) or tail(stdout),
            cpu_seconds=usage.ru_utime + usage.ru_stime,
        )


def tail(stream: IO[bytes], lines: int = TAIL_LINES) -> str:
    """The last lines written to a temporary file."""
    stream.seek(0)
    text = stream.read().decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def directory_size(path: Path) -> tuple[int, int]:
    """Total bytes and number of files under a directory."""
    sizes = [entry.stat().st_size for entry in path.rglob("*") if entry.is_file()]
    return sum(sizes), len(sizes)
