"""The benchmark works (a smoke run at N = 200; its figures are not asserted), and the output
stays linear: no page grows with the number of stories except listings, which paginate.

Both take minutes, a quarter of the whole run: they are marked `slow`, which the default run
leaves out (pyproject.toml); CI runs them in a step of their own (`pytest -m slow`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_generator


@pytest.mark.slow
def test_the_benchmark_runs_and_reports_every_figure(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--n", "200", "--json", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "build/floor" in result.stdout
    (measured,) = json.loads(report.read_text("utf-8"))["results"]
    assert measured["n"] == 200
    for step in ("check", "check_warm", "build", "warm", "drawn", "rebuild", "floor"):
        assert measured[step]["failure"] is None
        assert measured[step]["seconds"] > 0
    assert measured["build"]["peak_rss_mb"] > 0 and measured["ratio"] > 0 and measured["warm_ratio"] > 0
    assert measured["drawn_ratio"] > 0
    assert measured["rebuild_share"] > 0 and len(measured["load"]) == 2
    assert measured["site_files"] > 200 and measured["site_bytes"] > 0
    assert measured["serve"]["error"] is None and measured["serve"]["edit_seconds"] > 0


def _page_sizes(n: int, tmp_path: Path) -> dict[str, int]:
    stories, site = tmp_path / f"stories-{n}", tmp_path / f"site-{n}"
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(stories), "--n", str(n), "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    built = run_generator("build", "--stories", str(stories), "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}


@pytest.mark.slow
def test_no_page_grows_with_the_number_of_stories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDERATION_READ_ALOUD", "false")  # 900 stories to speak would take many minutes
    # Eight times the stories: a page listing them all would grow about fivefold (its frame
    # is ~20 KB of the theme); a bounded page grows only as its cards and tables fill up.
    small, large = _page_sizes(100, tmp_path), _page_sizes(800, tmp_path)
    assert len(large) > 3 * len(small)  # the site grows by adding pages …
    assert max(large.values()) < 2 * max(small.values())  # … not by making any page bigger
    grown = {name: (small[name], large[name]) for name in small.keys() & large.keys() if large[name] > 2 * small[name]}
    assert grown == {}
