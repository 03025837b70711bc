"""The content CI of a merge request, timed as examples/content-ci.yml runs it: check, review, build.

    python benchmarks/contentci.py            # this repository's stories, a district's branch with one new story

A throwaway clone of the repository (main at HEAD) gets a branch with one new rumour; the
three commands run there with this Python (the CI's `.venv`, restored from its cache),
first with an empty generator cache (the first run of a repository), then again with it
(every later run, `.cache` restored). The merge request's build skips the read-aloud audio
(FEDERATION_READ_ALOUD=false), as the example does. The target: under a minute in all.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORY = (
    "---\ntitle: 盐水漱口能预防新冠吗\ndate: 2020-03-01\nsummary: 盐水漱口不能预防新冠。\ndistrict: 渝中区\n"
    "claim: 网传用盐水漱口可以杀死新冠病毒？\nverdict: false\nsources:\n"
    "  - title: 国家卫生健康委\n    url: http://www.nhc.gov.cn/\n---\n\n盐水不能杀灭呼吸道里的病毒。\n"
)
TARGET_SECONDS = 60.0


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="区县编辑", GIT_AUTHOR_EMAIL="d@example.org")
    env.update(GIT_COMMITTER_NAME="区县编辑", GIT_COMMITTER_EMAIL="d@example.org")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def timed(repo: Path, env: dict[str, str], *args: str) -> float:
    """Seconds one generator command takes in `repo`; it must succeed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="the repository to clone (default: this one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="federation-contentci-") as scratch:
        repo = Path(scratch) / "content"
        subprocess.run(["git", "clone", "-q", str(args.project), str(repo)], check=True)
        git(repo, "checkout", "-qB", "main")
        git(repo, "checkout", "-qb", "yuzhong/yan-shui")
        (repo / "stories" / "rumours" / "2020-03-01-yan-shui.md").write_text(STORY, "utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "渝中区：盐水漱口", "--no-verify")
        env = dict(os.environ, FEDERATION_CACHE_DIR=str(Path(scratch) / "cache"), FEDERATION_READ_ALOUD="false")
        env.pop("FEDERATION_STORIES_DIR", None)
        rows = []
        for run in ("cold", "warm"):
            check = timed(repo, env, "check", "--published", "git:main")
            review = timed(repo, env, "review", "--base", "main")
            build = timed(repo, env, "build", "--site-dir", str(Path(scratch) / f"site-{run}"))
            rows.append((run, check, review, build))
    print("| run | check s | review s | build s | total s |")
    print("| --- | --- | --- | --- | --- |")
    for run, check, review, build in rows:
        print(f"| {run} | {check:.1f} | {review:.1f} | {build:.1f} | {check + review + build:.1f} |")
    worst = max(sum(row[1:]) for row in rows)
    print(f"target: under {TARGET_SECONDS:.0f} s — {'met' if worst < TARGET_SECONDS else 'MISSED'} ({worst:.1f} s)")


if __name__ == "__main__":
    main()
