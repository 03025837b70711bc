"""Review levels (三审), optional per site: a story that is not a draft names a different person
for each level mkdocs.yml sets; the names are printed at the story's foot. Without levels
nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import pipeline
from generator.content import frontmatter
from generator.content.checks import check_file
from generator.core import sections, settings
from generator.core.story import Story
from generator.render import pages
from tests.conftest import sample_settings

KNOWN_LEVELS = ["编辑", "初审", "复审", "终审", "校对", "审核", "签发"]
NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十"]
STORY = (
    "---\ntitle: 勤洗手\ndate: 2020-02-01\n{extra}sources:\n  - title: 国家卫生健康委\n    url: http://www.nhc.gov.cn/\n"
    "reviewed: 2020-02-01\n---\n\n用流动的水和肥皂洗手。\n"
)


def checked(extra: str, levels: tuple[str, ...], tmp: Path) -> tuple[Story | None, list[str]]:
    folder = tmp / "stories" / "knowledge"
    folder.mkdir(parents=True, exist_ok=True)
    text = STORY.format(extra=extra)
    file = folder / "2020-02-01-wash.md"
    file.write_text(text, "utf-8")
    chosen = sample_settings(stories_dir=tmp / "stories", review_levels=levels)
    parsed = frontmatter.parse("stories/knowledge/2020-02-01-wash.md", text.encode("utf-8"))
    story, problems = check_file(parsed, file, sections.section("knowledge"), chosen)  # type: ignore[arg-type]
    return story, [f"{p.line}:{'E' if p.is_error else 'W'}:{p.message}" for p in problems]


def reviewers(signed: list[tuple[str, str]]) -> str:
    return "reviewers:\n" + "".join(f"  {level}: {name}\n" for level, name in signed) if signed else ""


levels_strategy = st.lists(st.sampled_from(KNOWN_LEVELS), min_size=1, max_size=5, unique=True).map(tuple)


@given(levels=levels_strategy, data=st.data(), draft=st.booleans())
def test_a_story_is_refused_exactly_when_a_level_is_missing_or_one_person_signs_two(
    levels: tuple[str, ...], data: st.DataObject, draft: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    signed_levels = data.draw(st.lists(st.sampled_from(levels), unique=True))
    names = data.draw(st.lists(st.sampled_from(NAMES), min_size=len(signed_levels), max_size=len(signed_levels)))
    signed = list(zip(signed_levels, names, strict=True))
    extra = ("draft: true\n" if draft else "") + reviewers(signed)
    story, report = checked(extra, levels, tmp_path_factory.mktemp("r"))
    missing = [level for level in levels if level not in signed_levels]
    repeated = len(set(names)) < len(names)
    errors = [r for r in report if ":E:" in r]
    assert (story is None) == ((bool(missing) and not draft) or repeated), report
    if missing and not draft:
        assert any(all(f"{level}: 姓名" in r for level in missing) for r in errors), report
    if repeated:
        twice = next(n for n in names if names.count(n) > 1)
        assert any(f"「{twice}」同时签了" in r for r in errors), report
    if story is not None:
        foot = pages.signoffs(story, sample_settings(review_levels=levels))
        assert [s.level for s in foot] == [level for level in levels if level in signed_levels]


@given(
    levels=levels_strategy,
    typo=st.sampled_from(["出审", "复 审", "终审人", "editor", "一审"]),
)
def test_a_level_the_site_does_not_have_is_named_with_the_sites_levels(
    levels: tuple[str, ...], typo: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    signed = [(level, NAMES[n]) for n, level in enumerate(levels)] + [(typo, "路人")]
    _, report = checked(reviewers(signed), levels, tmp_path_factory.mktemp("r"))
    level = typo.replace(" ", "")  # 复 审 is read as 复审: a space between Han characters is YAML's line fold
    if level in levels:
        assert any(f"级别「{level}」重复出现" in r for r in report), report
    else:
        assert any(f"审核级别「{level}」不是本站设置的级别" in r and "、".join(levels) in r for r in report), report


def test_one_person_is_the_same_whatever_the_spaces(tmp_path: Path) -> None:
    _, report = checked(reviewers([("编辑", "张 三"), ("初审", "张三")]), ("编辑", "初审"), tmp_path)
    assert any("同时签了「编辑」和「初审」" in r for r in report), report


def test_without_levels_nothing_is_required_and_signatures_are_only_a_warning(tmp_path: Path) -> None:
    story, report = checked("", (), tmp_path)
    assert story is not None and report == []
    story, report = checked(reviewers([("编辑", "张三")]), (), tmp_path)
    assert story is not None and next(r for r in report if "reviewers" in r).split(":")[1] == "W"


def test_a_mapping_is_needed(tmp_path: Path) -> None:
    _, report = checked("reviewers: 张三\n", ("编辑",), tmp_path)
    assert any("应为每一级一行「级别: 姓名」" in r for r in report), report


def test_the_names_are_printed_at_the_storys_foot_in_the_sites_order(tmp_path: Path) -> None:
    levels = ("编辑", "初审", "复审", "终审")
    signed = [("终审", "赵六"), ("编辑", "张三"), ("初审", "李四"), ("复审", "王五")]
    story, report = checked(reviewers(signed), levels, tmp_path)
    assert story is not None, report
    chosen = sample_settings(review_levels=levels)
    html = pages.story_page(story, pipeline.Cache().renderer, {}, chosen).html
    foot = html[html.index('class="fed-signoffs"') :]
    assert foot.index("编辑：张三") < foot.index("初审：李四") < foot.index("复审：王五") < foot.index("终审：赵六")
    assert html.index("fed-body") < html.index("fed-signoffs") < html.index('<section class="fed-share"')
    plain = pages.story_page(story, pipeline.Cache().renderer, {}, sample_settings()).html
    assert "fed-signoffs" not in plain


def test_the_option_is_read_from_mkdocs_yml(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nplugins:\n  - federation:\n      review_levels: [编辑, 初审, 初审, 终审]\n", "utf-8"
    )
    assert settings.load(config).review_levels == ("编辑", "初审", "终审")
    config.write_text("site_name: x\nplugins:\n  - federation:\n      page_size: 5\n", "utf-8")
    assert settings.load(config).review_levels == ()


def test_a_full_width_colon_between_level_and_name_is_named(tmp_path: Path) -> None:
    _, report = checked("reviewers:\n  编辑：张三\n  初审：李四\n", ("编辑", "初审"), tmp_path)
    assert any(r.startswith("5:E:") and "不能用中文冒号「：」" in r for r in report), report
