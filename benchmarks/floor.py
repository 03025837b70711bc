"""Build the bare Material floor: the same story bodies as plain MkDocs pages, no plugins.

The floor is what `mkdocs build` with Material costs for N pages of the same text and
nothing else; the generator's build time is read against it.

Usage: python benchmarks/floor.py --n 1000 [--seed 1]
       python benchmarks/floor.py --stories DIR
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import corpus
import yaml
from measure import Measurement, directory_size, run_measured

MKDOCS_CONFIG = {
    "site_name": "基准：Material 地板",
    "theme": {"name": "material", "language": "zh", "font": False},
    "plugins": [],
    "nav": [{"首页": "index.md"}],
    "validation": {"nav": {"omitted_files": "ignore"}},
}
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_story(text: str) -> tuple[dict[str, object], str]:
    """Front matter and body of a story file."""
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=Loader), body


def write_floor_project(stories: Path, project: Path) -> int:
    """Write mkdocs.yml and one page per story (`# title` + body); return the page count."""
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    pages = 0
    for section in sorted(corpus.SECTION_SHARES):
        for path in sorted((stories / section).rglob("*.md")):
            front, body = split_story(path.read_text(encoding="utf-8"))
            page = docs / (corpus.page_path(path, stories).rstrip("/") + ".md")
            page.parent.mkdir(exist_ok=True)
            page.write_text(f"# {front['title']}\n\n{body}", encoding="utf-8")
            pages += 1
    config = yaml.safe_dump(MKDOCS_CONFIG, allow_unicode=True, sort_keys=False)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return pages


def build_floor(project: Path, timeout: float | None = None, site: Path | None = None) -> Measurement:
    """Run `mkdocs build` on a written floor project, into `site` (default: the project's `site/`)."""
    site = site or project / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-c", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    return run_measured(command, cwd=project, timeout=timeout)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the floor for a generated or given corpus and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--n", type=int, help="generate a corpus of this many stories")
    source.add_argument("--stories", type=Path, help="use an existing stories directory")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        stories = args.stories or Path(tmp) / "stories"
        if args.n is not None:
            corpus.generate(stories, args.n, args.seed)
        pages = write_floor_project(stories, Path(tmp) / "floor")
        result = build_floor(Path(tmp) / "floor")
        if not result.ok:
            print(f"mkdocs build failed (exit {result.returncode}):\n{result.output_tail}", file=sys.stderr)
            return 1
        size, files = directory_size(Path(tmp) / "floor" / "site")
    print(
        f"floor: {pages} pages in {result.seconds:.1f} s, peak RSS {result.peak_rss_mb:.0f} MB, "
        f"site {size / 1e6:.1f} MB in {files} files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
