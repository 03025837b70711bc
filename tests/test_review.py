"""`review` in a throwaway content repository: what a district's merge request changed, in Chinese."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT, SAMPLE
from tests.test_hook import git

pytestmark = pytest.mark.requires("git")


def _review(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "--config", str(repo / "mkdocs.yml"), "review", *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The sample stories committed on main, and a district's branch checked out."""
    repo = tmp_path / "content"
    repo.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", repo / "site_src")
    shutil.copytree(SAMPLE, repo / "stories")
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "published stories").returncode == 0
    git(repo, "checkout", "-q", "-b", "yuzhong/new-stories")
    return repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_nothing_changed_says_so(repo: Path) -> None:
    result = _review(repo)
    assert result.returncode == 0, result.stderr
    assert "新增 0 篇，修改 0 篇，删除 0 篇" in result.stdout
    assert "内容检查通过" in result.stdout


def test_a_merge_request_is_summarised_for_the_reviewer(repo: Path) -> None:
    stories = repo / "stories"
    # A new rumour, committed on the branch.
    (stories / "rumours" / "2020-03-01-yan-shui.md").write_text(
        "---\ntitle: 盐水漱口能预防新冠吗\ndate: 2020-03-01\nsummary: 盐水漱口不能预防新冠。\n"
        "claim: 网传用盐水漱口可以杀死新冠病毒？\nverdict: false\nsources:\n"
        "  - title: 国家卫生健康委\n    url: http://www.nhc.gov.cn/\n---\n\n盐水不能杀灭呼吸道里的病毒。\n",
        "utf-8",
    )
    # A verdict changed, and a published story deleted.
    _edit(stories / "rumours" / "2020-02-06-shuanghuanglian.md", "verdict: 误导", "verdict: false")
    (stories / "knowledge" / "2020-02-05-home-care.md").unlink()
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "渝中区妇联：新增辟谣").returncode == 0
    # An address moved without an alias, and a photo with GPS, not yet committed.
    pets = stories / "rumours" / "2020-02-07-pets.md"
    pets.rename(stories / "rumours" / "2020-02-07-chong-wu.md")
    picture = Image.new("RGB", (64, 64), "white")
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (29.0, 33.0, 0.0)  # GPSLatitude
    picture.save(stories / "images" / "gps.jpg", exif=exif)

    result = _review(repo)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "新增 1 篇，修改 2 篇，删除 1 篇，图片 1 张" in out
    assert "**盐水漱口能预防新冠吗**（辟谣，`/rumours/yan-shui/`" in out
    assert "修改人：编辑" in out
    assert "⚠ 查证结论：误导 → 谣言" in out
    assert "⚠ 已发布的文章被删除：分享出去的链接 /knowledge/home-care/ 将打不开" in out
    assert "⚠ 地址从 /rumours/pets/ 改为 /rumours/chong-wu/，旧地址没有写入 aliases" in out
    assert "文件改名：stories/rumours/2020-02-07-pets.md → stories/rumours/2020-02-07-chong-wu.md" in out
    assert "（尚未提交的修改）" in out
    assert "stories/images/gps.jpg：原图带有 GPS 位置信息" in out
    # The alarms come first, so a reviewer cannot miss them.
    assert out.index("请重点核对") < out.index("### 新增")


def test_a_moved_story_with_its_alias_is_not_an_alarm(repo: Path) -> None:
    pets = repo / "stories" / "rumours" / "2020-02-07-pets.md"
    _edit(
        pets,
        "title: 宠物会传播新冠病毒吗\n",
        "title: 宠物会传播新冠病毒吗\nslug: chong-wu\naliases: [/rumours/pets/]\n",
    )
    _edit(pets, "title: 宠物会传播新冠病毒吗\n", "title: 宠物会传播新冠病毒吗？\n")
    result = _review(repo)
    assert "地址改为 /rumours/chong-wu/（旧地址 /rumours/pets/ 已写入 aliases，会跳转）" in result.stdout
    assert "标题：宠物会传播新冠病毒吗 → 宠物会传播新冠病毒吗？" in result.stdout  # named by the table's label
    assert "请重点核对" not in result.stdout


def test_a_bad_story_fails_the_review_with_its_line(repo: Path) -> None:
    (repo / "stories" / "rumours" / "2020-03-02-bad.md").write_text(
        "---\ntitle: 坏文章\ndate: 2020-03-02\nclaim: 网传？\nverdict: 假的\nsources:\n"
        "  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    result = _review(repo)
    assert result.returncode == 1
    assert "内容检查未通过" in result.stdout
    assert "stories/rumours/2020-03-02-bad.md:5: 错误：verdict（查证结论）「假的」无效" in result.stdout
    assert "另有" in result.stdout  # others' warnings fold into one line


def test_outside_a_repository_it_says_what_to_do(tmp_path: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(SAMPLE, tmp_path / "stories")
    result = _review(tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("无法比较：") and "Traceback" not in result.stderr


def test_a_corrected_verdict_shows_the_old_and_new_verdict_and_the_entry(repo: Path) -> None:
    story = repo / "stories" / "rumours" / "2020-02-06-shuanghuanglian.md"
    _edit(
        story,
        "verdict: 误导\n",
        "verdict: 谣言\ncorrections:\n  - {date: 2020-03-01, kind: 更正, note: 结论由误导改为谣言。}\n",
    )
    result = _review(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "查证结论：误导 → 谣言" in result.stdout
    assert "更正记录：（无） → 2020-03-01 更正：结论由误导改为谣言。" in result.stdout, result.stdout
