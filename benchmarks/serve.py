"""Measure `generator serve`: time to first page, and how long an edit takes to show."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from corpus import page_path
from measure import tail

POLL_SECONDS = 0.05
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class ServeResult:
    """What serving a corpus and editing one story cost; error says what went wrong, if anything."""

    startup_seconds: float | None = None
    edit_seconds: float | None = None
    peak_rss_mb: float | None = None
    error: str | None = None
    timed_out: bool = False


class ServeError(Exception):
    """The server died, or does not serve the story's page."""


class ServeTimeoutError(ServeError):
    """The server did not answer, or did not show the edit, in time."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> tuple[str, str] | None:
    """The final URL and text of a page, or None while it is not there."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.geturl(), response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_until(process: subprocess.Popen[bytes], url: str, deadline: float, needle: str = "") -> str:
    """Poll url until it answers with needle in it; return its final URL."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"server exited with code {process.returncode}")
        page = fetch(url)
        if page and needle in page[1]:
            return page[0]
        time.sleep(POLL_SECONDS)
    raise ServeTimeoutError(f"timeout: {url} did not show {needle!r}" if needle else f"timeout: {url} never answered")


def measure_edit_latency(
    project: Path, stories: Path, story: Path, *, startup_timeout: float, edit_timeout: float = 120.0
) -> ServeResult:
    """Serve the corpus, append a marker to one story, and time until its page shows it."""
    port = free_port()
    command = [sys.executable, "-m", "generator", "serve", "--stories", str(stories), "--dev-addr", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile() as log:
        start = time.monotonic()
        # Own session, so the whole group (a reloader, watchers) can be stopped together.
        process = subprocess.Popen(command, cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        startup = edit = error = None
        timed_out = False
        try:
            # `mkdocs serve` redirects / to the site_url's path; the final URL is the site root.
            root = wait_until(process, f"http://127.0.0.1:{port}/", start + startup_timeout)
            startup = time.monotonic() - start
            page = root + page_path(story, stories)
            if fetch(page) is None:
                raise ServeError(f"the story's page {page} is not served")
            marker = "benchmark" + "".join(random.choices(string.ascii_lowercase, k=12))
            with story.open("a", encoding="utf-8") as file:
                file.write(f"\n\n编辑测试 {marker}\n")
            edited = time.monotonic()
            wait_until(process, page, edited + edit_timeout, needle=marker)
            edit = time.monotonic() - edited
        except ServeError as failure:
            error = f"{failure}\n  $ {' '.join(command)}\n{tail(log)}"
            timed_out = isinstance(failure, ServeTimeoutError)
        finally:
            peak = stop(process)
    return ServeResult(startup, edit, peak, error, timed_out)


def stop(process: subprocess.Popen[bytes]) -> float | None:
    """Stop the server's process group; return the server's own peak RSS in MB if it was still ours to reap."""
    # SIGINT first: `mkdocs serve` removes its temporary site only on KeyboardInterrupt.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        if process.returncode is not None:
            continue  # already reaped by poll(), so its rusage is gone; still clear the group
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                return usage.ru_maxrss / 1024
            time.sleep(POLL_SECONDS)
    return None
