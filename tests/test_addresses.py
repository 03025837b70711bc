"""Stable, short addresses: a published address changes only through `aliases`.

tests/published-addresses.txt lists every address the site has published. A story whose
address changed without its old one under `aliases:` would break every link shared in WeChat
and every QR code printed on a noticeboard, so that fails here, as does a new story whose
address was not added to the list.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator import pipeline
from generator.core import slugs
from generator.core.settings import load as load_settings
from generator.core.story import Story
from tests.conftest import ROOT, SAMPLE, sample_settings

PUBLISHED = ROOT / "tests" / "published-addresses.txt"
SHORT_ASCII = re.compile(r"^/[a-z]+/[a-z0-9]+(?:-[a-z0-9]+)*/$")


def listed(path: Path = PUBLISHED) -> list[str]:
    """The addresses in a published-addresses file (comments and blank lines skipped)."""
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def address_changes(published: Iterable[str], stories: Iterable[Story]) -> tuple[list[str], list[str]]:
    """(published addresses no story answers at any more, story addresses not yet in the list)."""
    live = [s for s in stories if not s.draft]
    current = {s.url for s in live}
    answered = current | {alias for s in live for alias in s.aliases}
    known = set(published)
    return sorted(known - answered), sorted(current - known)


def published_stories(stories_dir: Path) -> list[Story]:
    settings = load_settings(ROOT / "mkdocs.yml", stories_dir=stories_dir)
    outcome = pipeline.check(settings, reserved=pipeline.hand_written_addresses(settings.docs_dir))
    assert outcome.ok, "\n".join(str(p) for p in outcome.problems if p.is_error)
    return outcome.published(include_drafts=False)


def test_no_published_address_is_lost() -> None:
    lost, _ = address_changes(listed(), published_stories(ROOT / "stories"))
    assert not lost, "\n".join(
        f"已发布的地址 {address} 现在没有文章使用，也不在任何文章的 aliases 中。"
        f"如果文章改了网址，请在它的 front matter 中写 aliases: [{address}]；文章不要删除，过时请改 status。"
        for address in lost
    )


def test_every_published_story_is_in_the_list() -> None:
    _, unlisted = address_changes(listed(), published_stories(ROOT / "stories"))
    assert not unlisted, "请把这些新发布的地址加入 tests/published-addresses.txt（每行一个）：\n" + "\n".join(unlisted)


def test_the_list_names_each_address_once() -> None:
    addresses = listed()
    assert len(addresses) == len(set(addresses))
    assert all(SHORT_ASCII.match(a) for a in addresses), [a for a in addresses if not SHORT_ASCII.match(a)]


def test_story_addresses_are_short_and_ascii() -> None:
    for story in published_stories(ROOT / "stories"):
        assert SHORT_ASCII.match(story.url), story.url
        assert len(story.slug) <= slugs.MAX_SLUG_LENGTH
        assert len(story.url) <= 64, story.url  # with the host, a QR code and a Weibo post stay small


def test_a_moved_story_fails_until_its_old_address_is_an_alias(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    before = pipeline.check(sample_settings(stories_dir=stories)).published(include_drafts=False)
    published = sorted(s.url for s in before)
    assert address_changes(published, before) == ([], [])

    nurse = stories / "exemplars" / "2020-02-12-nurse.md"
    text = nurse.read_text("utf-8")
    nurse.write_text(text.replace("consent: true\n", "consent: true\nslug: head-nurse\n"), "utf-8")
    moved = pipeline.check(sample_settings(stories_dir=stories)).published(include_drafts=False)
    assert address_changes(published, moved) == (["/exemplars/nurse/"], ["/exemplars/head-nurse/"])

    nurse.write_text(
        text.replace("consent: true\n", "consent: true\nslug: head-nurse\naliases: [/exemplars/nurse/]\n"), "utf-8"
    )
    aliased = pipeline.check(sample_settings(stories_dir=stories)).published(include_drafts=False)
    assert address_changes(published, aliased) == ([], ["/exemplars/head-nurse/"])
