"""Stable, short addresses: a published address changes only through `aliases`.

No hand-kept list: `check` protects published addresses itself (generator/published.py,
tests/test_published.py), so adding a story touches no test. What stays here is what every
address must be.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator import pipeline
from generator.commands import published
from generator.core import slugs
from generator.core.settings import load as load_settings
from generator.core.story import Story
from tests.conftest import ROOT, SAMPLE, sample_settings

SHORT_ASCII = re.compile(r"^/[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*/$")


def published_stories(stories_dir: Path) -> list[Story]:
    settings = load_settings(ROOT / "mkdocs.yml", stories_dir=stories_dir)
    outcome = pipeline.check(settings, reserved=pipeline.hand_written_addresses(settings.docs_dir))
    assert outcome.ok, "\n".join(str(p) for p in outcome.problems if p.is_error)
    return outcome.published(include_drafts=False)


def test_story_addresses_are_short_and_ascii() -> None:
    for story in published_stories(ROOT / "stories") + published_stories(SAMPLE):
        assert SHORT_ASCII.match(story.url), story.url
        assert len(story.slug) <= slugs.MAX_SLUG_LENGTH
        assert len(story.url) <= 64, story.url  # with the host, a QR code and a Weibo post stay small


def test_a_moved_story_loses_its_address_until_the_old_one_is_an_alias(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    before = pipeline.check(sample_settings(stories_dir=stories)).published(include_drafts=False)
    manifest = published.parse_manifest(published.manifest(before), "published.json")
    assert published.lost(manifest, before) == []

    nurse = stories / "exemplars" / "2020-02-12-nurse.md"
    text = nurse.read_text("utf-8")
    nurse.write_text(text.replace("consent: true\n", "consent: true\nslug: head-nurse\n"), "utf-8")
    moved = pipeline.check(sample_settings(stories_dir=stories)).published(include_drafts=False)
    assert [a.url for a in published.lost(manifest, moved)] == ["/exemplars/nurse/"]
    problem = published.problems(manifest, moved)[0]
    assert problem.rule == "address.published-moved"
    assert "aliases: [/exemplars/nurse/]" in problem.message  # the fix, ready to paste

    nurse.write_text(
        text.replace("consent: true\n", "consent: true\nslug: head-nurse\naliases: [/exemplars/nurse/]\n"), "utf-8"
    )
    aliased = pipeline.check(sample_settings(stories_dir=stories)).published(include_drafts=False)
    assert published.lost(manifest, aliased) == []
