"""The made-file caches (photos, cards and posters, audio) are swept after a full build:
what the build did not use goes, what it used stays, and nothing else is touched."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.publish import cachesweep
from tests.conftest import sample_settings
from tests.test_outputs import build, project_copy

KINDS = ("photos", "share", "listen")


@given(
    st.lists(
        st.tuples(st.sampled_from(KINDS), st.sampled_from(["a", "b", "c", "d", ".e.1"]), st.booleans()), max_size=12
    ),
    st.sets(st.sampled_from(KINDS)),
)
def test_the_sweep_removes_exactly_the_unused_files_of_the_kinds_that_ran(
    files: list[tuple[str, str, bool]], ran: set[str]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        settings = sample_settings(cache_dir=Path(folder))
        used: dict[str, list[Path]] = {kind: [] for kind in ran}
        made: dict[Path, tuple[str, bool]] = {}
        for kind, name, is_used in files:
            path = settings.cache(kind) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x")
            made[path] = (kind, is_used or made.get(path, (kind, False))[1])
            if is_used and kind in ran:
                used[kind].append(path)
        other = Path(folder) / "templates" / "t.cache"  # another cache of the project: never touched
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_bytes(b"t")
        cachesweep.sweep(settings, used)
        for path, (kind, is_used) in made.items():
            kept = kind not in ran or is_used or path.name.startswith(".")  # a fresh partial: being written
            assert path.exists() == kept, (path, kind, is_used, ran)
        assert other.exists()


def test_a_partial_file_an_hour_old_is_swept(tmp_path: Path) -> None:
    settings = sample_settings(cache_dir=tmp_path)
    partial = settings.cache("share") / ".abc-card.jpg.123"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half")
    old = time.time() - cachesweep.STALE_PARTIAL_SECONDS - 5
    os.utime(partial, (old, old))
    assert cachesweep.sweep(settings, {"share": []}) == 1 and not partial.exists()


@pytest.mark.requires("cjk-font")
def test_an_edit_leaves_no_stale_card_and_the_cache_can_live_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_copy(tmp_path)
    elsewhere = tmp_path / "cache"
    monkeypatch.setenv("FEDERATION_CACHE_DIR", str(elsewhere))
    assert build(project, "--site-dir", str(project / "site")).returncode == 0
    before = {p.name for p in (elsewhere / "share").iterdir()}
    cards = {n.removesuffix("-card.jpg") for n in before if n.endswith("-card.jpg")}
    assert len(cards) >= 9 and before == {f"{c}-{kind}.jpg" for c in cards for kind in ("card", "poster")}
    story = project / "stories" / "rumours" / "2020-02-07-pets.md"
    story.write_text(story.read_text("utf-8").replace("title: ", "title: 改过的", 1), "utf-8")
    result = build(project, "--site-dir", str(project / "site"))
    assert result.returncode == 0, result.stderr
    after = {p.name for p in (elsewhere / "share").iterdir()}
    assert len(after) == len(before) and len(before - after) == 2 and len(after - before) == 2
    assert not (project / ".cache" / "share").exists()  # nothing made in the project's own .cache
    # The site's card of the edited story is the new one, linked from the cache.
    card = project / "site" / "share" / "cards" / "rumours" / "pets.jpg"
    assert card.is_file() and card.stat().st_ino in {(elsewhere / "share" / n).stat().st_ino for n in after - before}
