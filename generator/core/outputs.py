"""What the render stage makes, for the adapter to write: pages, files and story pages still
to make. Every producer of output imports these types and nothing else of rendering."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.core.story import Story


@dataclass(frozen=True)
class Page:
    """A page of the site: its address, title and the HTML of its content area."""

    src_uri: str
    url: str
    title: str
    html: str
    description: str = ""
    toc: list[dict[str, Any]] = field(default_factory=list)
    edit_path: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    lastmod: date | None = None  # for the sitemap: when what the page shows last changed


# A story page not made yet: the story and the story superseding it. A build makes these
# pages where they are written (emit.py), on every core, so they are never all in memory.
StoryJob = tuple[Story, Story | None]


@dataclass(frozen=True)
class Asset:
    """A file copied to the site as it is: a picture, or a redirect page."""

    src_uri: str
    content: bytes | str | None = None
    source: Path | None = None
    origin: str = ""  # the story it comes from, for a message when two files would clash


@dataclass
class Site:
    """Everything the render stage made, for the emit stage to hand to MkDocs."""

    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    stories: list[StoryJob] = field(default_factory=list)  # story pages to make as they are written
    # Files to make in a background process while the pages are written (search index, share images).
    later: list[Callable[[], Site]] = field(default_factory=list)
    # The cache files this site was made from, by kind (`photos`, `share`, `listen`), for the
    # sweep after a full build (publish/cachesweep.py); a kind is here only if its maker ran in full.
    cache_used: dict[str, list[Path]] = field(default_factory=dict)

    def extend(self, other: Site) -> None:
        """Add another output's pages and files to this site."""
        self.pages.extend(other.pages)
        self.assets.extend(other.assets)
        self.stories.extend(other.stories)
        self.later.extend(other.later)
        for kind, paths in other.cache_used.items():
            self.cache_used.setdefault(kind, []).extend(paths)
