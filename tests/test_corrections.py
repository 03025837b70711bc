"""The correction log: read and checked per entry, shown newest first below the verdict, followed
by dateModified and the feeds, listed on /corrections/ with its own feed; a published rumour's
verdict changes only with a new entry (compared with the published manifest)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import pipeline
from generator.commands import published
from generator.content import corrections, frontmatter
from generator.content.checks import check_file
from generator.core import sections, vocab
from generator.core.story import Correction, Story
from generator.render import corrections as correction_page
from generator.render import pages, share
from tests.conftest import FIXED_TODAY, sample_settings
from tests.test_hook import git
from tests.test_published import branch as branch  # the content repository on a district's branch
from tests.test_published import run_check

RUMOUR = (
    "---\ntitle: 喝盐水能杀死病毒吗\ndate: 2020-02-01\nclaim: 网传喝盐水能杀死病毒？\nverdict: {verdict}\n{extra}"
    "sources:\n  - title: 国家卫生健康委\n    url: http://www.nhc.gov.cn/\n---\n\n盐水不能杀死体内的病毒。\n"
)
KINDS = vocab.corrections().terms


def checked(text: str, tmp_path: Path, **settings: object) -> tuple[Story | None, list[str]]:
    """One rumour's story and its report lines, as `check` reads it."""
    folder = tmp_path / "stories" / "rumours"
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "2020-02-01-salt.md"
    file.write_text(text, "utf-8")
    chosen = sample_settings(stories_dir=tmp_path / "stories", **settings)
    parsed = frontmatter.parse("stories/rumours/2020-02-01-salt.md", text.encode("utf-8"))
    story, problems = check_file(parsed, file, sections.section("rumours"), chosen)  # type: ignore[arg-type]
    return story, [f"{p.line}:{'E' if p.is_error else 'W'}:{p.message}" for p in problems]


def log_yaml(entries: list[tuple[date, str, str]]) -> str:
    rows = "".join(f"  - date: {day.isoformat()}\n    kind: {kind}\n    note: {note}\n" for day, kind, note in entries)
    return "corrections:\n" + rows


entry = st.tuples(
    st.dates(date(2020, 2, 1), FIXED_TODAY),
    st.sampled_from([t.label for t in KINDS if t.code != corrections.WITHDRAWAL] + [t.code for t in KINDS[:2]]),
    st.sampled_from(["改正了第二段的数字。", "补充了新的依据。", "更新了适用人群"]),
)


@given(entries=st.lists(entry, min_size=1, max_size=6))
def test_a_log_of_good_entries_is_read_in_order_and_modified_follows_the_newest(
    entries: list[tuple[date, str, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    story, report = checked(RUMOUR.format(verdict="false", extra=log_yaml(entries)), tmp_path_factory.mktemp("c"))
    assert story is not None, report
    assert [(c.date, c.note) for c in story.corrections] == [(d, n) for d, _, n in entries]
    assert story.modified == max(d for d, _, _ in entries)
    shown = corrections.newest_first(story.corrections)
    assert [c.date for c in shown] == sorted((c.date for c in shown), reverse=True)
    data = share.structured_data(story, sample_settings())
    found = data if isinstance(data, dict) else {}
    assert found.get("dateModified") == story.modified.isoformat(), data


@given(
    good=st.lists(entry, max_size=3),
    bad_kind=st.sampled_from(["勘误", "修改", "correct", "更 正"]),
    offset=st.integers(1, 400),
)
def test_each_bad_entry_is_named_at_its_line_and_the_good_ones_still_checked(
    good: list[tuple[date, str, str]], bad_kind: str, offset: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = date(2020, 2, 1) - timedelta(days=offset)
    later = FIXED_TODAY + timedelta(days=3 + offset)
    entries = [*good, (date(2020, 3, 1), bad_kind, "改了数字。"), (before, "更正", "改了日期。"), (later, "更新", "x")]
    text = RUMOUR.format(verdict="false", extra=log_yaml(entries))
    story, report = checked(text, tmp_path_factory.mktemp("c"))
    assert story is None
    first = text.split("\n").index("corrections:") + 2  # the first entry's `- date:` line
    bad_line = first + 3 * len(good)
    assert any(r.startswith(f"{bad_line + 1}:E:") and f"「{bad_kind}」无效" in r for r in report), report
    assert any(r.startswith(f"{bad_line + 3}:E:") and "早于文章的发布日期" in r for r in report), report
    assert any(r.startswith(f"{bad_line + 6}:E:") and "不能写将来的日子" in r for r in report), report
    assert len([r for r in report if ":E:" in r]) == 3, report


@pytest.mark.parametrize(
    ("status", "log", "expected"),
    [
        ("", [("2020-02-10", "撤回")], "E:最新的更正记录是「撤回」"),
        ("status: withdrawn\n", [("2020-02-10", "撤回")], ""),
        ("status: withdrawn\n", [], "W:本文已撤回"),
        ("status: withdrawn\n", [("2020-02-10", "更新")], "W:本文已撤回"),
        ("", [("2020-02-10", "撤回"), ("2020-02-20", "更新")], ""),  # put back after a withdrawal
        ("status: outdated\n", [("2020-02-10", "撤回")], "E:最新的更正记录是「撤回」"),
    ],
)
def test_withdrawal_goes_with_status_withdrawn(
    status: str, log: list[tuple[str, str]], expected: str, tmp_path: Path
) -> None:
    entries = [(date.fromisoformat(d), k, "说明。") for d, k in log]
    _, report = checked(RUMOUR.format(verdict="false", extra=status + (log_yaml(entries) if log else "")), tmp_path)
    found = [r.split(":", 1)[1] for r in report if "撤回" in r]
    if expected:
        assert len(found) == 1 and found[0].startswith(expected), report
    else:
        assert found == [], report


# -- pages and feeds ---------------------------------------------------------------------------------------


def corrected(story: Story, *log: tuple[str, str, str]) -> Story:
    entries = tuple(Correction(date.fromisoformat(d), vocab.corrections().find(k), n, 9) for d, k, n in log)  # type: ignore[arg-type]
    return dataclasses.replace(story, fields={**story.fields, "corrections": entries})


SAMPLE = pipeline.check(sample_settings()).published(False)


def test_the_note_is_below_the_verdict_banner_newest_first_and_the_feeds_follow() -> None:
    settings = sample_settings()
    rumour = next(s for s in SAMPLE if s.path.endswith("2020-02-06-shuanghuanglian.md"))
    story = corrected(rumour, ("2020-02-09", "更正", "第一条。"), ("2020-03-05", "更新", "第二条。"))
    html = pages.story_page(story, pipeline.Cache().renderer, {}, settings).html
    banner, note = html.index("fed-verdict-banner"), html.index("fed-corrections")
    assert banner < note < html.index("fed-body")
    assert html.index("第二条。") < html.index("第一条。")
    assert 'id="correction-2"' in html and 'id="correction-1"' in html
    stories = [story if s is rumour else s for s in SAMPLE]
    site = pipeline.feeds.render(stories, settings)
    atom = next(a for a in site.assets if a.src_uri == "rumours/feed.xml")
    root = ElementTree.fromstring(str(atom.content))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry_of = next(e for e in root.findall("a:entry", ns) if e.findtext("a:id", "", ns).endswith(story.url))
    assert entry_of.findtext("a:updated", "", ns).startswith("2020-03-05")


def test_the_corrections_page_lists_every_entry_newest_first_with_links_and_its_feeds_parse() -> None:
    settings = sample_settings()
    one, two = SAMPLE[0], SAMPLE[1]
    stories = [
        corrected(one, ("2020-02-20", "更正", "甲。"), ("2020-03-10", "更新", "乙。")),
        corrected(two, ("2020-03-01", "更正", "丙。")),
        *SAMPLE[2:],
    ]
    site = correction_page.render(stories, settings)
    page = site.pages[0]
    assert page.url == "/corrections/"
    order = [page.html.index(note) for note in ("乙。", "丙。", "甲。")]
    assert order == sorted(order)
    assert f"{one.url.strip('/').split('/')[-1]}/#correction-2" in page.html
    assert "about/corrections/" in page.html  # the policy
    files = {a.src_uri: str(a.content) for a in site.assets}
    atom = ElementTree.fromstring(files["corrections/feed.xml"])
    ids = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}id")][1:]
    assert len(ids) == len(set(ids)) >= 3
    assert len(json.loads(files["corrections/feed.json"])["items"]) >= 3


def test_without_corrections_the_page_says_so() -> None:
    clean = [dataclasses.replace(s, fields={k: v for k, v in s.fields.items() if k != "corrections"}) for s in SAMPLE]
    page = correction_page.render(clean, sample_settings()).pages[0]
    assert "目前还没有更正或更新" in page.html


# -- a published rumour's verdict ---------------------------------------------------------------------------


SALT = Path("stories/rumours/2020-02-06-shuanghuanglian.md")


@pytest.mark.requires("git")
def test_a_published_verdict_changed_without_a_new_entry_is_refused_naming_the_old_one(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (branch / SALT).read_text("utf-8")
    (branch / SALT).write_text(text.replace("verdict: 误导", "verdict: 属实"), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 1
    assert f"{SALT.as_posix()}:7: 错误：已发布的查证结论从「误导」改成了「属实」" in out, out
    with_entry = text.replace(
        "verdict: 误导", "verdict: 属实\ncorrections:\n  - {date: 2020-03-01, kind: 更正, note: 结论改为属实。}"
    )
    (branch / SALT).write_text(with_entry, "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 0, out
    # Committed on main with its entry, a second change of verdict needs a second entry.
    git(branch, "add", "-A")
    git(branch, "commit", "-qm", "verdict corrected", "--no-verify")
    git(branch, "checkout", "-q", "main")
    git(branch, "merge", "-q", "district")
    git(branch, "checkout", "-q", "district")
    (branch / SALT).write_text(with_entry.replace("verdict: 属实", "verdict: 谣言"), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 1 and "从「属实」改成了「谣言」" in out, out


def test_the_manifest_keeps_verdicts_and_an_older_manifest_is_still_read(tmp_path: Path) -> None:
    data = json.loads(published.manifest(SAMPLE))
    rumour = next(s for s in SAMPLE if s.path.endswith("2020-02-06-shuanghuanglian.md"))
    assert data["addresses"][rumour.url]["verdict"] == "misleading"
    assert "verdict" not in next(v for v in data["addresses"].values() if "/knowledge/" in v["path"])
    for about in data["addresses"].values():
        about.pop("verdict", None), about.pop("corrections", None)
    older = published.parse_manifest(json.dumps(data), "old.json")
    assert older and all(a.verdict == "" for a in older)
    changed = dataclasses.replace(rumour, fields={**rumour.fields, "verdict": vocab.verdicts().get("true")})
    assert published.verdict_problems(older, [changed]) == []  # nothing to compare with
    newer = published.parse_manifest(published.manifest(SAMPLE), "published.json")
    assert len(published.verdict_problems(newer, [changed])) == 1


@given(
    before=st.sampled_from([t.code for t in vocab.verdicts().terms]),
    after=st.sampled_from([t.code for t in vocab.verdicts().terms]),
    then_entries=st.integers(0, 3),
    added=st.integers(0, 2),
    draft=st.booleans(),
)
def test_a_verdict_change_is_refused_exactly_when_no_entry_was_added(
    before: str, after: str, then_entries: int, added: int, draft: bool
) -> None:
    rumour = next(s for s in SAMPLE if s.path.endswith("2020-02-06-shuanghuanglian.md"))
    log = tuple(
        Correction(date(2020, 2, 10 + n), vocab.corrections().get("correction"), "改了。")
        for n in range(then_entries + added)
    )
    now = dataclasses.replace(
        rumour, draft=draft, fields={**rumour.fields, "verdict": vocab.verdicts().get(after), "corrections": log}
    )
    problem = corrections.verdict_change(now, before, then_entries)
    assert (problem is not None) == (before != after and added == 0 and not draft)
    if problem is not None:
        assert (
            f"「{vocab.verdicts().get(before).label}」" in problem.message and problem.line == rumour.lines["verdict"]
        )


def test_the_policy_page_is_among_the_about_pages_and_linked() -> None:
    root = Path(__file__).resolve().parent.parent
    policy = root / "site_src" / "about" / "corrections.md"
    assert "更正" in policy.read_text("utf-8") and "../corrections/index.md" in policy.read_text("utf-8")
    assert "corrections.md" in (root / "site_src" / "about" / "index.md").read_text("utf-8")
    assert "about/corrections.md" in (root / "mkdocs.yml").read_text("utf-8")


@given(then_entries=st.integers(0, 4), now_entries=st.integers(0, 4), draft=st.booleans())
def test_a_published_entry_deleted_is_refused(then_entries: int, now_entries: int, draft: bool) -> None:
    rumour = next(s for s in SAMPLE if s.path.endswith("2020-02-06-shuanghuanglian.md"))
    log = tuple(
        Correction(date(2020, 2, 10 + n), vocab.corrections().get("update"), "补充了。") for n in range(now_entries)
    )
    now = dataclasses.replace(rumour, draft=draft, fields={**rumour.fields, "corrections": log})
    problem = corrections.entries_removed(now, then_entries)
    assert (problem is not None) == (now_entries < then_entries and not draft)
    if problem is not None:
        assert f"少了 {then_entries - now_entries} 条" in problem.message


def test_the_manifest_keeps_the_number_of_entries_of_any_corrected_story() -> None:
    knowledge = next(s for s in SAMPLE if s.section.key == "knowledge")
    corrected_one = corrected(knowledge, ("2020-03-01", "更正", "改了数字。"))
    data = json.loads(published.manifest([corrected_one]))
    assert data["addresses"][knowledge.url]["corrections"] == 1 and "verdict" not in data["addresses"][knowledge.url]
    then = published.parse_manifest(published.manifest([corrected_one]), "published.json")
    problems = published.verdict_problems(then, [knowledge])
    assert len(problems) == 1 and "少了 1 条" in problems[0].message
