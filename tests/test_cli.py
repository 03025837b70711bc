"""The editor's commands: new, check, build (atomic), run as processes the way editors run them."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.commands import cli
from generator.content.rules import RULES
from tests.conftest import ROOT, SAMPLE, run_generator


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under `root` with a hash of its bytes, to see whether anything changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def copy_sample(tmp_path: Path) -> Path:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    return stories


def test_check_passes_on_the_sample_and_prints_warnings() -> None:
    result = run_generator("check", "--all", "--stories", str(SAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2020-02-05-home-care.md:10: 警告：已超过下次审核日期" in result.stdout
    # The sample's very long title and a summary that opens with its claim are warned of too.
    assert "2020-02-09-long-title.md:2: 警告：title（标题）有" in result.stdout
    assert "2020-02-10-long-claim.md:4: 警告：摘要的第一句重复了网传说法" in result.stdout
    assert "没有错误，3 个警告。" in result.stdout


def test_check_of_named_files_shows_them_and_folds_the_others_warnings(tmp_path: Path) -> None:
    stories = copy_sample(tmp_path)
    mine = stories / "rumours" / "2020-03-01-mine.md"
    mine.write_text(
        "---\ntitle: 我的文章\ndate: 2020-03-01\nclaim: 网传？\nverdict: 假的\n"
        "sources:\n  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    result = run_generator("check", str(mine), "--stories", str(stories))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "2020-03-01-mine.md:5: 错误：verdict（查证结论）「假的」无效；可选：谣言、伪科学、误导、部分属实、尚无定论、属实。"
    )
    assert "home-care.md" not in result.stdout  # another editor's overdue review: one line, at the end
    others = run_generator("check", "--all", "--stories", str(SAMPLE)).stdout.count(": 警告：")
    assert others > 0
    assert lines[-1] == f"另有 {others} 个警告属于其他文章（运行 check --all 查看）。"
    other = stories / "rumours" / "2020-02-07-pets.md"
    assert run_generator("check", str(other), "--stories", str(stories)).returncode == 0  # mine is not theirs
    missing = run_generator("check", "stories/rumours/nope.md", "--stories", str(stories))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr


def test_check_fails_with_every_error_of_the_run(tmp_path: Path) -> None:
    stories = copy_sample(tmp_path)
    (stories / "rumours" / "2020-03-01-bad.md").write_text(
        "---\ntitle: 坏文章\ndate: 2020-03-01\nclaim: 网传？\nverdict: 假的\nsumary: 摘要\n"
        "sources:\n  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    (stories / "exemplars" / "2020-03-02-bad.md").write_text(
        "---\ntitle: 没有同意\ndate: 2020-03-02\nname: 王某\nrole: 志愿者\nconsent: false\n---\n\n正文。\n", "utf-8"
    )
    result = run_generator("check", "--stories", str(stories))
    assert result.returncode == 1
    out = result.stdout
    assert "2020-03-01-bad.md:5: 错误：verdict（查证结论）「假的」无效；" in out
    assert "可选：谣言、伪科学、误导、部分属实、尚无定论、属实" in out
    assert "2020-03-01-bad.md:6: 错误：不认识的字段「sumary」：你是不是想写 summary？" in out
    assert "2020-03-02-bad.md:6: 错误：consent 为 false" in out
    assert "共 3 个错误" in out
    assert "[field." not in out and "[story." not in out  # editors read the messages, not the ids
    verbose = run_generator("check", "--verbose", "--stories", str(stories)).stdout.splitlines()
    assert [line.rsplit(" ", 1)[-1] for line in verbose if "bad.md:" in line] == [
        "[story.consent-false]",  # stories/exemplars/… comes first
        "[field.term-unknown]",
        "[field.key-unknown]",
    ]
    hints = [line for line in verbose if line.startswith("    怎么改：")]  # each rule's hint under its line
    assert hints[0] == f"    怎么改：{RULES['story.consent-false'].hint}"
    assert len(hints) == len(verbose) - 1 - len(hints)  # one under each problem's line; the summary last


def test_new_writes_a_story_from_the_template_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stories = tmp_path / "stories"
    # `main` records --stories in the environment for MkDocs' `!ENV`: monkeypatch restores it.
    monkeypatch.setenv(cli.STORIES_ENV, str(stories))
    today = date(2026, 3, 8)  # passed in, so the test does not depend on the clock or its time zone
    written = []
    for section in ("rumours", "辟谣"):
        argv = ["--config", str(ROOT / "mkdocs.yml"), "new", section, "喝板蓝根能预防新冠吗", "--stories", str(stories)]
        assert cli.main(argv, today=today) == 0, capsys.readouterr().err
        written.append(ROOT / capsys.readouterr().out.strip())
    one, two = written
    assert one.name == "2026-03-08-he-ban-lan-gen-neng-yu-fang-xin.md"
    assert two.name == "2026-03-08-he-ban-lan-gen-neng-yu-fang-xin-2.md"
    text = one.read_text("utf-8")
    assert "date: 2026-03-08" in text and "title: 喝板蓝根能预防新冠吗" in text
    assert "# 【必填】查证结论：false（谣言）" in text  # every field explained in Chinese
    # The new file is not yet publishable: `check` says exactly what is still to fill in.
    result = run_generator("check", "--stories", str(stories))
    assert result.returncode == 1
    assert "缺少必填字段 claim（网传说法）" in result.stdout
    assert "缺少必填字段 verdict（查证结论）" in result.stdout


def test_new_refuses_an_unknown_section(tmp_path: Path) -> None:
    result = run_generator("new", "news", "标题", "--stories", str(tmp_path))
    assert result.returncode == 2
    assert "不认识的栏目「news」" in result.stderr


def test_build_replaces_the_site_when_it_succeeds(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", "utf-8")
    result = run_generator("build", "--stories", str(SAMPLE), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert not (site / "stale.html").exists()
    assert (site / "rumours" / "baijiu" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left behind


def test_a_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    stories = copy_sample(tmp_path)
    site = tmp_path / "site"
    assert run_generator("build", "--stories", str(stories), "--site-dir", str(site)).returncode == 0
    before = tree_digest(site)
    stories_before = tree_digest(stories)
    site_src_before = tree_digest(ROOT / "site_src")
    (stories / "knowledge" / "2020-03-01-broken.md").write_text("---\ntitle: [\n---\n正文\n", "utf-8")
    result = run_generator("build", "--stories", str(stories), "--site-dir", str(site))
    assert result.returncode == 1
    assert "2020-03-01-broken.md:2: 错误：front matter 不是有效的 YAML" in result.stderr
    assert "原网站" in result.stderr and "保持不变" in result.stderr
    assert tree_digest(site) == before
    after = tree_digest(stories)
    after.pop("knowledge/2020-03-01-broken.md")
    assert after == stories_before  # a build never touches stories/
    assert tree_digest(ROOT / "site_src") == site_src_before  # … nor site_src/
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "stories"]
