"""Story pages and 公众号 copy pages kept between full builds (generator/render/stored.py):
a warm build writes the same site byte for byte, an edit or a damaged entry is made again,
and nothing but the inputs decides the key."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.core import workers
from generator.core.story import Story
from generator.render import stored
from tests.conftest import sample_settings
from tests.test_outputs import build, project_copy


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _stories() -> list[Story]:
    settings = sample_settings()
    return pipeline.check(settings, pipeline.Cache(), set()).published(False)


def test_the_key_follows_every_input_but_the_date() -> None:
    settings = sample_settings()
    story, other = _stories()[:2]
    name = stored.key("page", story, None, settings)
    assert name == stored.key("page", story, None, dataclasses.replace(settings, today=date(2020, 2, 10)))
    assert name != stored.key("wechat", story, None, settings)
    assert name != stored.key("page", other, None, settings)
    assert name != stored.key("page", story, other, settings)
    assert name != stored.key("page", dataclasses.replace(story, title=story.title + "。"), None, settings)
    assert name != stored.key("page", story, None, dataclasses.replace(settings, site_url="https://x.example/"))


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    settings = sample_settings(cache_dir=tmp_path)
    stored.put(settings, "abc", {"page": 1})
    assert stored.get(settings, "abc") == {"page": 1}
    stored.path(settings, "abc").write_bytes(b"\x80\x05not a pickle")
    assert stored.get(settings, "abc") is None
    assert stored.get(settings, "never-kept") is None


@pytest.mark.requires("cjk-font")
def test_a_warm_build_equals_a_cold_one_and_an_edit_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_copy(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("FEDERATION_CACHE_DIR", str(cache))
    monkeypatch.setenv("FEDERATION_READ_ALOUD", "false")
    assert build(project, "--site-dir", str(project / "cold")).returncode == 0
    kept = {p.name: p.read_bytes() for p in (cache / stored.KIND).iterdir()}
    assert len(kept) >= 18  # a story page and a copy page for each story
    for name in kept:  # damaged entries must be made again, not published
        (cache / stored.KIND / name).write_bytes(b"damaged")
    assert build(project, "--site-dir", str(project / "again")).returncode == 0
    assert _tree(project / "again") == _tree(project / "cold")
    assert build(project, "--site-dir", str(project / "warm")).returncode == 0
    assert _tree(project / "warm") == _tree(project / "cold")
    story = project / "stories" / "rumours" / "2020-02-07-pets.md"
    story.write_text(story.read_text("utf-8").replace("title: ", "title: 改过的", 1), "utf-8")
    assert build(project, "--site-dir", str(project / "edited")).returncode == 0
    page = (project / "edited" / "rumours" / "pets" / "index.html").read_text("utf-8")
    assert "改过的" in page
    assert "改过的" in (project / "edited" / "rumours" / "pets" / "wechat.html").read_text("utf-8")
    # The old entries of the edited story were swept; the others stayed.
    assert len(list((cache / stored.KIND).iterdir())) == len(kept)


def _check_counting(settings: object, monkeypatch: pytest.MonkeyPatch) -> tuple[pipeline.Outcome, list[str]]:
    """A check in a new process's state (an empty in-memory cache), and the files it checked itself."""
    checked: list[str] = []
    real = pipeline.check_one

    def counting(story_file: pipeline.StoryFile, settings: object) -> pipeline.CheckedFile:
        checked.append(story_file.file.name)
        return real(story_file, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "check_one", counting)
    monkeypatch.setattr(workers, "map_all", lambda function, items: [function(i) for i in items])
    outcome = pipeline.check(settings, pipeline.Cache(), set())  # type: ignore[arg-type]
    return outcome, checked


def test_checked_stories_are_kept_between_processes_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(sample_settings().stories_dir, stories)
    settings = sample_settings(cache_dir=tmp_path / "cache", stories_dir=stories)
    first, checked = _check_counting(settings, monkeypatch)
    assert len(checked) >= 9
    again, checked = _check_counting(settings, monkeypatch)
    assert checked == []  # every result from the table
    assert [(s.url, s.title, s.body) for s in again.stories] == [(s.url, s.title, s.body) for s in first.stories]
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    # The bytes of a file, a picture it shows, or the settings: checked again.
    pets = stories / "rumours" / "2020-02-07-pets.md"
    pets.write_text(pets.read_text("utf-8").replace("title: ", "title: 改过的", 1), "utf-8")
    _, checked = _check_counting(settings, monkeypatch)
    assert checked == ["2020-02-07-pets.md"]
    picture = next(p for s in first.stories for p in ((s.image,) if s.image else ()) + s.pictures)
    picture.source.write_bytes(picture.source.read_bytes() + b"\0")
    _, checked = _check_counting(settings, monkeypatch)
    owners = [
        Path(s.path).name
        for s in first.stories
        if picture.source in [p.source for p in s.pictures] + [s.image.source if s.image else None]
    ]
    assert sorted(checked) == sorted(owners)
    _, checked = _check_counting(dataclasses.replace(settings, review_period_days=31), monkeypatch)
    assert len(checked) >= 9
    # A damaged table, or one made by other code, is not read.
    table = stored.table_path(settings, pipeline.CHECKED_TABLE)
    table.write_bytes(b"\x80\x05damaged")
    _, checked = _check_counting(settings, monkeypatch)
    assert len(checked) >= 9
    table.write_bytes(table.read_bytes().replace(stored.code_digest().encode(), b"0" * 64))
    _, checked = _check_counting(settings, monkeypatch)
    assert len(checked) >= 9
