"""Story pages and 公众号 copy pages kept between full builds (generator/render/stored.py):
a warm build writes the same site byte for byte, an edit or a damaged entry is made again,
and nothing but the inputs decides the key."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.render import stored
from tests.conftest import sample_settings
from tests.test_outputs import build, project_copy


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _stories() -> list:
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
