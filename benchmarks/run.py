"""Benchmark the generator on synthetic corpora, against the bare Material floor.

Usage: python benchmarks/run.py --n 1000 5000 [--repeat 1] [--project .] [--json out.json]
       python benchmarks/run.py --n 200 --no-serve          (quick smoke run)
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import corpus
import floor
from live import LiveResult, edit_to_live, load_average
from measure import Measurement, directory_size, run_measured
from serve import ServeResult, measure_edit_latency

DEFAULT_PROJECT = Path(__file__).resolve().parent.parent
# The cache folders of drawn pictures: story cards and posters, roundup posters, cleaned photos.
PICTURE_CACHES = ("share", "roundups", "photos")
REPORTED_PACKAGES = ("mkdocs", "mkdocs-material", "jieba")


@dataclass(frozen=True)
class Step:
    """One measured command over its repeats: best time, worst memory, or how it failed."""

    seconds: float | None
    peak_rss_mb: float | None
    runs: list[float]
    failure: str | None = None
    cpu_seconds: float | None = None  # of the fastest run: less moved by other work on the machine


@dataclass
class Result:
    """Everything measured for one corpus size."""

    n: int
    corpus_seconds: float
    check: Step | None = None  # cold: an empty cache
    check_warm: Step | None = None  # again, with the checked stories the first check kept
    build: Step | None = None  # clean: an empty cache (cards, posters, photos, pages, checked stories)
    warm: Step | None = None  # the same build again with the cache a cold build left
    drawn: Step | None = None  # clean, but with the pictures (cards, posters, photos) already drawn
    rebuild: Step | None = None  # after one story was edited, with the cache of the builds before
    floor: Step | None = None
    site_bytes: int | None = None
    site_files: int | None = None
    serve: ServeResult | None = None
    live: LiveResult | None = None
    load: list[str] = dataclasses.field(default_factory=list)  # load averages before and after

    @property
    def cpu_ratios(self) -> tuple[float | None, float | None, float | None]:
        """Clean build, warm build over the floor, and rebuild over the clean build, in CPU time."""

        def over(step: Step | None, base: Step | None) -> float | None:
            if step and base and step.cpu_seconds and base.cpu_seconds:
                return step.cpu_seconds / base.cpu_seconds
            return None

        return over(self.build, self.floor), over(self.warm, self.floor), over(self.rebuild, self.build)

    @property
    def rebuild_share(self) -> float | None:
        """Rebuild after one edit over the clean build."""
        return _over(self.rebuild, self.build)

    @property
    def ratio(self) -> float | None:
        """Cold build time over floor time."""
        return _over(self.build, self.floor)

    @property
    def drawn_ratio(self) -> float | None:
        """A clean build with the pictures already drawn, over the floor."""
        return _over(self.drawn, self.floor)

    @property
    def warm_ratio(self) -> float | None:
        """Warm build time over floor time."""
        return _over(self.warm, self.floor)

    def failures(self) -> list[str]:
        """A readable report of each failed measurement."""
        steps = {
            "check": self.check,
            "warm check": self.check_warm,
            "build": self.build,
            "warm build": self.warm,
            "build, pictures drawn": self.drawn,
            "rebuild": self.rebuild,
            "floor": self.floor,
        }
        found = [f"N={self.n} {name}: {step.failure}" for name, step in steps.items() if step and step.failure]
        if self.serve and self.serve.error:
            found.append(f"N={self.n} serve: {self.serve.error}")
        if self.live and self.live.error:
            found.append(f"N={self.n} edit to live: {self.live.error}")
        return found


def _over(step: Step | None, floor: Step | None) -> float | None:
    if step and floor and step.seconds and floor.seconds:
        return step.seconds / floor.seconds
    return None


def repeat(run: Callable[[], Measurement], times: int) -> Step:
    """Run a measurement several times; stop at the first failure."""
    done: list[Measurement] = []
    for _ in range(times):
        measurement = run()
        if not measurement.ok:
            command = " ".join(measurement.command)
            failure = f"exit code {measurement.returncode}\n  $ {command}\n{measurement.output_tail}"
            return Step(None, None, [m.seconds for m in done], failure)
        done.append(measurement)
    best = min(done, key=lambda m: m.seconds)
    return Step(best.seconds, max(m.peak_rss_mb for m in done), [m.seconds for m in done], None, best.cpu_seconds)


def generator_command(*args: str) -> list[str]:
    """`python -m generator ...` with the Python running this script."""
    return [sys.executable, "-m", "generator", *args]


def bench(n: int, args: argparse.Namespace, tmp: Path) -> Result:
    """Generate a corpus of n stories and take every measurement on it.

    The builds and the floor take turns (clean, floor, warm in each repeat), so a change in
    the machine's load touches both sides of a ratio alike."""
    stories = tmp / "stories"
    start = time.perf_counter()
    corpus.generate(stories, n, args.seed)
    result = Result(n=n, corpus_seconds=time.perf_counter() - start, load=[load_average()])
    progress(f"N={n}: corpus in {result.corpus_seconds:.1f} s")

    check = generator_command("check", "--stories", str(stories), "--all")
    check_cache = {**os.environ, "FEDERATION_CACHE_DIR": str(tmp / "check-cache")}
    check_caches = fresh_dirs(tmp / "check-cache")
    result.check = repeat(
        lambda: run_measured(
            check, args.project, args.timeout, {**check_cache, "FEDERATION_CACHE_DIR": str(next(check_caches))}
        ),
        args.repeat,
    )
    result.check_warm = repeat(
        lambda: run_measured(
            check, args.project, args.timeout, {**check_cache, "FEDERATION_CACHE_DIR": str(tmp / "check-cache-1")}
        ),
        args.repeat,
    )
    progress(f"N={n}: check {describe(result.check)}, warm {describe(result.check_warm)}")

    sites = fresh_dirs(tmp / "site")
    caches = fresh_dirs(tmp / "cache")
    if not args.no_floor:
        floor.write_floor_project(stories, tmp / "floor")
    floor_sites = fresh_dirs(tmp / "floor-site")
    clean: list[Measurement] = []
    floors: list[Measurement] = []
    warm: list[Measurement] = []
    drawn: list[Measurement] = []
    picture_caches = fresh_dirs(tmp / "pictures-cache")
    for _ in range(args.repeat):
        clean.append(build_into(next(sites), stories, args, next(caches)))
        if len(clean) == 1 and clean[0].ok:
            result.site_bytes, result.site_files = directory_size(tmp / "site-1")
        if not args.no_floor:
            floors.append(floor.build_floor(tmp / "floor", args.timeout, next(floor_sites)))
        # Warm: the cache the first clean build filled, as a build of the same input finds it.
        warm.append(build_into(next(sites), stories, args, tmp / "cache-1"))
        # Clean but for the pictures: a new cache holding only what the first build drew.
        pictures = next(picture_caches)
        for kind in PICTURE_CACHES:
            if (tmp / "cache-1" / kind).is_dir():
                shutil.copytree(tmp / "cache-1" / kind, pictures / kind, copy_function=os.link)
        drawn.append(build_into(next(sites), stories, args, pictures))
    result.build, result.warm, result.drawn = steps(clean), steps(warm), steps(drawn)
    result.floor = steps(floors) if floors else None
    progress(
        f"N={n}: clean build {describe(result.build)}, warm {describe(result.warm)},"
        f" pictures drawn before {describe(result.drawn)}"
    )
    if result.floor:
        progress(f"N={n}: floor {describe(result.floor)}")
    story = min((stories / "knowledge").glob("*.md"))
    edits: list[Measurement] = []
    for number in range(args.repeat):
        story.write_text(story.read_text("utf-8") + f"\n基准测试修改 {number}。\n", "utf-8")
        edits.append(build_into(next(sites), stories, args, tmp / "cache-1"))
    result.rebuild = steps(edits)
    progress(f"N={n}: rebuild after one edit {describe(result.rebuild)}")
    if n in args.live:
        site = tmp / "live-site"
        env = {**os.environ, "FEDERATION_CACHE_DIR": str(tmp / "cache-1")}
        first = run_measured(
            generator_command("build", "--stories", str(stories), "--site-dir", str(site)),
            args.project,
            args.timeout,
            env,
        )
        if first.ok:
            result.live = edit_to_live(args.project, stories, site, env, tmp, args.timeout)
        else:
            result.live = LiveResult(error=f"build failed:\n{first.output_tail}")
        progress(f"N={n}: edit to live {fmt(result.live.seconds, '.1f', 'failed')}")
    result.load.append(load_average())
    return result


def steps(done: Sequence[Measurement]) -> Step:
    """Measurements of one command as a step: best time, worst memory, or the first failure."""
    for measurement in done:
        if not measurement.ok:
            command = " ".join(measurement.command)
            failure = f"exit code {measurement.returncode}\n  $ {command}\n{measurement.output_tail}"
            return Step(None, None, [m.seconds for m in done if m.ok], failure)
    best = min(done, key=lambda m: m.seconds)
    return Step(best.seconds, max(m.peak_rss_mb for m in done), [m.seconds for m in done], None, best.cpu_seconds)


def bench_serve(result: Result, args: argparse.Namespace, tmp: Path) -> None:
    """The serve edit latency on the corpus `bench` made in `tmp`."""
    stories = tmp / "stories"
    story = min((stories / "knowledge").glob("*.md"))
    result.serve = measure_edit_latency(args.project, stories, story, startup_timeout=args.timeout)
    progress(f"N={result.n}: serve edit {fmt(result.serve.edit_seconds, '.1f', 'failed')}")


def fresh_dirs(stem: Path) -> Iterator[Path]:
    """`stem-1`, `stem-2` …: a new, empty folder for every repeat.

    Nothing is deleted while anything is measured: right after tens of thousands of files
    are deleted, ext4 makes new files slowly for a minute or more (it scans the recently
    freed inodes, `recently_deleted` in a kernel profile), which would charge the clean-up
    to whichever build comes next (measured at 5,000 stories: system time 6.0 s instead
    of 2.6 s). The folders go when the whole run ends.
    """
    for number in itertools.count(1):
        yield stem.with_name(f"{stem.name}-{number}")


def build_into(site: Path, stories: Path, args: argparse.Namespace, cache: Path) -> Measurement:
    """A full build of `stories` into the new folder `site`, keeping made files in `cache`
    (mkdocs.yml reads FEDERATION_CACHE_DIR), never in the project's own `.cache`."""
    command = generator_command("build", "--stories", str(stories), "--site-dir", str(site))
    return run_measured(command, args.project, args.timeout, {**os.environ, "FEDERATION_CACHE_DIR": str(cache)})


def describe(step: Step) -> str:
    """A step's outcome in a few words, for progress lines."""
    return "FAILED" if step.failure else f"{step.seconds:.1f} s, {step.peak_rss_mb:.0f} MB"


def progress(line: str) -> None:
    """Say what is done so far; long runs should not look hung."""
    print(line, file=sys.stderr, flush=True)


def fmt(value: float | None, spec: str, missing: str = "-") -> str:
    """A number formatted, or a placeholder for what was skipped or failed."""
    return missing if value is None else format(value, spec)


def step_cells(step: Step | None, with_memory: bool) -> list[str]:
    """Table cells of one step: seconds, and peak MB if asked."""
    missing = "FAIL" if step and step.failure else "-"
    seconds = fmt(step.seconds if step else None, ".2f", missing)
    memory = fmt(step.peak_rss_mb if step else None, ".0f", missing)
    return [seconds, memory] if with_memory else [seconds]


def row(result: Result) -> list[str]:
    """One table row."""
    serve = result.serve
    serve_missing = "-" if serve is None else ("timeout" if serve.timed_out else "FAIL")
    live = result.live
    return [
        str(result.n),
        f"{result.corpus_seconds:.2f}",
        *step_cells(result.check, with_memory=False),
        *step_cells(result.check_warm, with_memory=False),
        *step_cells(result.build, with_memory=True),
        *step_cells(result.warm, with_memory=False),
        *step_cells(result.drawn, with_memory=False),
        *step_cells(result.rebuild, with_memory=False),
        *step_cells(result.floor, with_memory=True),
        fmt(result.ratio, ".2f"),
        fmt(result.warm_ratio, ".2f"),
        fmt(result.drawn_ratio, ".2f"),
        fmt(result.rebuild_share, ".2f"),
        " ".join(fmt(ratio, ".2f") for ratio in result.cpu_ratios),
        fmt(None if result.site_bytes is None else result.site_bytes / 1e6, ".1f"),
        "-" if result.site_files is None else str(result.site_files),
        fmt(serve.startup_seconds if serve else None, ".1f", serve_missing),
        fmt(serve.edit_seconds if serve else None, ".2f", serve_missing),
        fmt(live.seconds if live else None, ".1f", "FAIL" if live else "-"),
        " / ".join(result.load),
    ]


HEADER = [
    "N",
    "corpus s",
    "check s",
    "warm check s",
    "build s",
    "build MB",
    "warm s",
    "drawn s",
    "edit rebuild s",
    "floor s",
    "floor MB",
    "build/floor",
    "warm/floor",
    "drawn/floor",
    "rebuild/build",
    "cpu: build warm /floor, rebuild/build",
    "site MB",
    "site files",
    "serve up s",
    "edit shown s",
    "edit live s",
    "load before / after",
]


def table(results: Sequence[Result]) -> str:
    """The results as an aligned plain-text table."""
    rows = [HEADER, *(row(result) for result in results)]
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True)) for cells in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def environment() -> dict[str, object]:
    """What the figures depend on besides the code."""
    versions: dict[str, str | None] = {}
    for package in REPORTED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": cpus, **versions}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="corpus sizes to measure")
    parser.add_argument("--repeat", type=int, default=1, help="runs per command; the table shows the best")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT, help="project root to run the generator in")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a command is killed")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve edit-latency measurement")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare Material floor")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpora and sites")
    parser.add_argument(
        "--live",
        type=int,
        nargs="*",
        default=[],
        help="for these N, time an edit to its page served by a local SeaweedFS S3 server (build and deploy)",
    )
    parser.add_argument(
        "--read-aloud",
        action="store_true",
        help="make each story's read-aloud audio too (espeak-ng: about 2.7 s of one core a story, the first time)",
    )
    args = parser.parse_args(argv)
    args.project = args.project.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each N, print the table and failures, and exit non-zero if anything failed."""
    args = parse_args(argv)
    if not args.read_aloud:  # read by mkdocs.yml's `!ENV` in every build this starts
        os.environ["FEDERATION_READ_ALOUD"] = "false"
    results = []
    # Every corpus and site stays until the end (see fresh_dirs); `serve` comes after all
    # builds, as its preview folder is deleted when it stops.
    folders = {n: Path(tempfile.mkdtemp(prefix=f"bench-{n}-")) for n in args.n}
    try:
        for n in args.n:
            results.append(bench(n, args, folders[n]))
        if not args.no_serve:
            for result in results:
                bench_serve(result, args, folders[result.n])
    finally:
        for n, folder in folders.items():
            if args.keep:
                progress(f"N={n}: kept {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
    print(table(results))
    problems = [failure for result in results for failure in result.failures()]
    for problem in problems:
        print(f"\n{problem}")
    if args.json:
        report = {
            "environment": environment(),
            "seed": args.seed,
            "repeat": args.repeat,
            "results": [
                {
                    **asdict(result),
                    "ratio": result.ratio,
                    "warm_ratio": result.warm_ratio,
                    "drawn_ratio": result.drawn_ratio,
                    "rebuild_share": result.rebuild_share,
                    "cpu_ratios": result.cpu_ratios,
                }
                for result in results
            ],
        }
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
