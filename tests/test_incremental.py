"""An incremental build equals a clean one, byte for byte (issue "From commit to live").

One project is built again and again into the same site folder with the same `.cache/`, as
CI or an editor's machine does, through a series of changes: an edit, a new story, a
deleted one, a renamed file, a changed picture, a changed setting, then a damaged cache and
a file of the live site changed by hand. After each, a clean build (an empty cache, a new
folder) of the same input is made, and every file of both sites must be the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from generator.publish import deploy
from generator.render import stored
from tests.test_outputs import build, project_copy


def _tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def _inodes(site: Path) -> dict[str, int]:
    """Each file's inode: a file reused from the build before keeps it (a hard link)."""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


@pytest.mark.requires("cjk-font")
def test_an_incremental_build_equals_a_clean_one_through_every_kind_of_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = project_copy(tmp_path)
    stories = project / "stories"
    cache = tmp_path / "cache"
    site = project / "site"
    monkeypatch.setenv("FEDERATION_READ_ALOUD", "false")
    clean_builds = iter(range(1, 100))

    def both_ways(change: Callable[[], None]) -> None:
        change()
        monkeypatch.setenv("FEDERATION_CACHE_DIR", str(cache))
        done = build(project, "--site-dir", str(site))
        assert done.returncode == 0, done.stdout + done.stderr
        number = next(clean_builds)
        monkeypatch.setenv("FEDERATION_CACHE_DIR", str(tmp_path / f"empty-cache-{number}"))
        clean = tmp_path / f"clean-{number}"
        done = build(project, "--site-dir", str(clean))
        assert done.returncode == 0, done.stdout + done.stderr
        incremental, fresh = _tree(site), _tree(clean)
        assert sorted(incremental) == sorted(fresh), set(incremental) ^ set(fresh)
        different = [name for name in fresh if incremental[name] != fresh[name]]
        assert not different, different

    both_ways(lambda: None)  # the first build, from an empty cache
    before = _inodes(site)
    both_ways(lambda: None)  # nothing changed: the generated pages and files are reused
    after = _inodes(site)
    assert sum(after[name] == before.get(name) for name in after) > len(after) // 2

    pets = stories / "rumours" / "2020-02-07-pets.md"
    both_ways(lambda: _edit(pets, "title: ", "title: 改过的"))
    assert "改过的" in (site / "rumours" / "pets" / "index.html").read_text("utf-8")

    def add() -> None:
        text = (stories / "knowledge" / "2020-02-05-home-care.md").read_text("utf-8")
        (stories / "knowledge" / "2020-03-01-home-care-again.md").write_text(
            text.replace("title: ", "title: 新增的", 1), "utf-8"
        )

    both_ways(add)
    assert (site / "knowledge" / "home-care-again" / "index.html").is_file()

    both_ways(lambda: (stories / "knowledge" / "2020-03-01-home-care-again.md").unlink())
    assert not (site / "knowledge" / "home-care-again").exists()

    renamed = stories / "rumours" / "2020-02-07-pets-renamed.md"
    both_ways(lambda: os.replace(pets, renamed))
    assert (site / "rumours" / "pets-renamed" / "index.html").is_file()
    assert not (site / "rumours" / "pets").exists()

    def new_picture() -> None:  # the same name, other bytes
        picture = stories / "images" / "mask.jpg"

        with Image.open(picture) as image:
            image.rotate(180).save(picture, quality=80)

    both_ways(new_picture)

    config = project / "mkdocs.yml"
    both_ways(lambda: _edit(config, "page_size: 20", "page_size: 3"))

    def damage_the_cache() -> None:
        for table in (cache / stored.TABLES).iterdir():
            table.write_bytes(b"\x80\x05damaged")

    both_ways(damage_the_cache)

    def change_the_live_site() -> None:  # by hand, behind the build's back
        page = site / "rumours" / "shuanghuanglian" / "index.html"
        with page.open("a", encoding="utf-8") as handle:
            handle.write("<!-- changed by hand -->")
        packed = page.with_name("index.html.gz")
        os.utime(packed, ns=(0, 0))

    both_ways(change_the_live_site)

    def other_code() -> None:  # a table another version of the generator made is not read
        shutil.copytree(cache / stored.TABLES, tmp_path / "tables-now")
        for table in (cache / stored.TABLES).iterdir():
            kept = table.read_bytes()
            table.write_bytes(kept.replace(stored.code_digest().encode(), b"0" * len(stored.code_digest())))

    both_ways(other_code)


def test_a_deploy_reads_again_only_the_files_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    for name, text in {"index.html": "<p>首页</p>" * 40, "a/index.html": "<p>一</p>" * 40, "x.css": "p{}"}.items():
        (site / name).write_text(text, "utf-8")
    plain = deploy.local_objects(site, gzip=False)
    known: deploy.Known = {}
    assert deploy.local_objects(site, gzip=False, known=known) == plain
    read: list[Path] = []
    real = deploy._digest

    def counting(path: Path, headers: object) -> str:
        read.append(path)
        return real(path, headers)  # type: ignore[arg-type]

    monkeypatch.setattr(deploy, "_digest", counting)
    assert deploy.local_objects(site, gzip=False, known=known) == plain
    assert read == []  # nothing changed: nothing read
    page = site / "a" / "index.html"
    page.write_text("<p>二</p>" * 40, "utf-8")  # the same size, other bytes
    again = deploy.local_objects(site, gzip=False, known=known)
    assert read == [page]
    assert again["a/index.html"].digest != plain["a/index.html"].digest
    assert again == deploy.local_objects(site, gzip=False)
