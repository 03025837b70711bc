"""Pages filled into a frame (chrome.py) are byte for byte what MkDocs and Material make of them.

Each case builds one set of stories twice with a real MkDocs build: as the generator does
(frames rendered once, filled per page, written by emit.py), and with every page through
MkDocs' own page loop (the plugin's option `frames: false`). Every file must be the same.
The stories are the sample, a generated corpus (several listing pages, pictures, tags)
and stories whose titles and summaries hold markup and quotes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from generator.adapter import internals
from tests.conftest import ROOT, SAMPLE

BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins.on_startup(command=sys.argv[3], dirty=False)
build(config)
"""

HOSTILE = """---
title: 「双引号」"和'单引号' <b>粗</b> & <script>alert(1)</script>
date: 2020-02-20
summary: 摘要里有 <i>标记</i>、"引号" 和 & 符号。
reviewed: 2020-02-20
sources:
  - title: 国家卫生健康委员会
    url: https://www.nhc.gov.cn/
---

## 第一部分 <em>强调</em>

正文。

### 小节

更多正文。

## "引号" & 'A' < B

正文。

### 它的 "小节"

更多正文。
"""


def _stories(tmp_path: Path) -> Path:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    generated = tmp_path / "generated"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(generated), "--n", "120", "--seed", "7"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for section in generated.iterdir():
        if section.is_dir():
            shutil.copytree(section, stories / section.name, dirs_exist_ok=True)
    (stories / "knowledge" / "2020-02-20-hostile.md").write_text(HOSTILE, "utf-8")
    return stories


def _config(tmp_path: Path, stories: Path | None = None, frames: bool = True, **changes: object) -> Path:
    config: dict[str, object] = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "site_src"),
        "theme": {"custom_dir": str(ROOT / "site_src" / "overrides")},
        **changes,
    }
    if stories is not None:  # the plugin's options, as mkdocs.yml has them, but these stories and frames
        # No read-aloud audio: 120 stories would take minutes to speak in each fresh project folder.
        options = {"stories_dir": str(stories), "page_size": 20, "frames": frames, "read_aloud": False}
        config["plugins"] = [{"federation": options}]
    file = tmp_path / ("mkdocs.yml" if frames else "mkdocs-no-frames.yml")
    file.write_text(json.dumps(config, ensure_ascii=False), "utf-8")  # JSON is YAML
    return file


def _build(config: Path, site: Path, command: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(config), str(site), command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _stories(tmp_path_factory.mktemp("chrome"))


@pytest.mark.parametrize(
    ("case", "changes", "command"),
    [
        ("as configured", {}, "build"),
        # Edit links on every story page, and no site_url (no canonical links, no sitemap).
        (
            "edit links, no site_url",
            {"repo_url": "https://git.example/fed/site", "edit_uri": "edit/main/", "site_url": None},
            "build",
        ),
        # A preview: drafts shown, and the banner and problems page of a broken story.
        ("preview with a broken story", {}, "serve"),
        # Addresses as files (`a/b/index.html` links): every page takes the whole way.
        ("no directory urls", {"use_directory_urls": False}, "build"),
    ],
)
def test_framed_pages_are_what_mkdocs_makes(
    stories: Path, tmp_path: Path, case: str, changes: dict[str, object], command: str
) -> None:
    if command == "serve":
        broken = tmp_path / "stories"
        shutil.copytree(stories, broken)
        (broken / "rumours" / "2020-03-01-broken.md").write_text("---\ntitle: 缺少日期\n---\n\n正文。\n", "utf-8")
        stories = broken
    framed, reference = tmp_path / "framed", tmp_path / "reference"
    _build(_config(tmp_path, stories, frames=True, **changes), framed, command)
    _build(_config(tmp_path, stories, frames=False, **changes), reference, command)
    ours, theirs = _files(framed), _files(reference)
    assert sorted(ours) == sorted(theirs), case
    pages = [name for name in ours if name.endswith(".html")]
    assert len(pages) > 150, case  # the story pages, listings, tags … all compared below
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == [], f"{case}: {different[:10]}"


def test_a_preview_rebuild_writes_only_what_changed_and_removes_deleted_stories(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    site = tmp_path / "site"
    os.environ["FEDERATION_STORIES_DIR"] = str(stories)
    try:
        config = load_config(str(_config(tmp_path)), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        edited, deleted, untouched = (
            site / "knowledge" / "wear-masks" / "index.html",
            site / "rumours" / "pets" / "index.html",
            site / "knowledge" / "home-care" / "index.html",
        )
        assert edited.is_file() and deleted.is_file() and untouched.is_file()
        before = untouched.stat().st_mtime_ns
        story = stories / "knowledge" / "2020-02-01-wear-masks.md"
        story.write_text(story.read_text("utf-8") + "\n预览标记 7f3a\n", "utf-8")
        (stories / "rumours" / "2020-02-07-pets.md").unlink()
        build(config, dirty=True)
    finally:
        os.environ.pop("FEDERATION_STORIES_DIR", None)
    assert "预览标记 7f3a" in edited.read_text("utf-8")
    assert not deleted.exists() and not deleted.parent.exists()
    assert untouched.stat().st_mtime_ns == before


HOOK = """
def on_page_content(html, page, config, files):
    return html + "<!-- hook 5d1e -->"
"""


def test_a_plugin_working_on_pages_turns_the_frames_off(tmp_path: Path) -> None:
    # A plugin handling on_page_content would miss every page written outside MkDocs' loop:
    # with one, every page goes through it, as with `frames: false`.
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    hook = tmp_path / "hook.py"
    hook.write_text(HOOK, "utf-8")
    framed, reference = tmp_path / "framed", tmp_path / "reference"
    _build(_config(tmp_path, stories, frames=True, hooks=[str(hook)]), framed, "build")
    _build(_config(tmp_path, stories, frames=False, hooks=[str(hook)]), reference, "build")
    ours, theirs = _files(framed), _files(reference)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    pages = [n for n in ours if n.endswith(".html") and n != "404.html" and b'class="md-content"' in ours[n]]
    assert "rumours/baijiu/index.html" in pages and len(pages) > 30
    assert [n for n in pages if b"<!-- hook 5d1e -->" not in ours[n]] == []


def test_mkdocs_and_material_are_the_versions_the_frames_were_checked_against() -> None:
    # An upgrade changes this on purpose: README, "Upgrading MkDocs or Material".
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    for distribution, verified in internals.VERIFIED.items():
        installed = ".".join(metadata.version(distribution).split(".")[:2])
        assert installed == verified, f"{distribution} {installed}: check generator/adapter/internals.py first"
        (pin,) = [d for d in declared if re.match(rf"{re.escape(distribution)}\b(?!-)", d)]
        assert f">={verified}" in pin, pin
