"""The published-address manifest each build writes (`published.json`): every address each
published story answers at, with its title and file, for `check --published`
(commands/published.py) to compare the next change against. A story with a verdict (a
rumour) also records it, and a story with a correction log how many entries it had, so that
a verdict changed without a new entry, or an entry deleted, is refused; manifests written
before lack both and are still read."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.core import vocab
from generator.core.sections import Role
from generator.core.story import Story

VERSION = 1
# The manifest's own key for a rumour's published verdict (read back by commands/published.py).
VERDICT_KEY = "verdict"


def manifest(stories: Iterable[Story]) -> str:
    """The manifest a build writes: every address each published story answers at."""
    entries: dict[str, dict[str, str | int]] = {}
    for story in sorted(stories, key=lambda s: s.url):
        if story.draft:
            continue
        about: dict[str, str | int] = {"title": story.title, "path": story.path}
        verdict = story.get(Role.VERDICT, vocab.Term)
        if verdict is not None:
            about[VERDICT_KEY] = verdict.code
        if verdict is not None or story.corrections:
            about["corrections"] = len(story.corrections)
        for url in (story.url, *story.aliases):
            entries[url] = about
    return json.dumps({"version": VERSION, "addresses": entries}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
