"""The published-address manifest each build writes (`published.json`): every address each
published story answers at, with its title and file, for `check --published`
(commands/published.py) to compare the next change against."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.core.story import Story

VERSION = 1


def manifest(stories: Iterable[Story]) -> str:
    """The manifest a build writes: every address each published story answers at."""
    entries: dict[str, dict[str, str]] = {}
    for story in sorted(stories, key=lambda s: s.url):
        if story.draft:
            continue
        for url in (story.url, *story.aliases):
            entries[url] = {"title": story.title, "path": story.path}
    return json.dumps({"version": VERSION, "addresses": entries}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
