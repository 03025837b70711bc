"""The district report counts each story in the month it was sent, its first commit in git (renames
followed), falling back to its `date` outside git or before its first commit, and says which;
the newest months list their stories per district with titles and links; the CSV has a column
only for months with stories, and the titles."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator import pipeline
from generator.core import gitrepo, vocab
from generator.core.settings import Settings
from generator.render import browse
from tests.conftest import ROOT, SAMPLE, sample_settings

pytestmark = pytest.mark.requires("git")


def commit(repo: Path, message: str, when: str) -> None:
    """Commit everything, dated `when` (author and committer), as a district did then."""
    env = dict(os.environ, GIT_AUTHOR_NAME="区县编辑", GIT_AUTHOR_EMAIL="d@example.org")
    env.update(GIT_COMMITTER_NAME="区县编辑", GIT_COMMITTER_EMAIL="d@example.org")
    env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    for args in (["add", "-A"], ["commit", "-qm", message, "--no-verify"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A content repository whose stories were sent in March and April 2020 (backdated commits);
    one story renamed in April, one not committed yet."""
    root = tmp_path / "content"
    stories = root / "stories"
    shutil.copytree(SAMPLE, stories)
    shutil.copytree(ROOT / "site_src", root / "site_src")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    late = [stories / "rumours" / "2020-02-06-shuanghuanglian.md", stories / "knowledge" / "2020-02-05-home-care.md"]
    kept = {p: p.read_bytes() for p in late}
    for path in late:
        path.unlink()
    unsent = stories / "exemplars" / "2020-02-12-nurse.md"
    unsent_text = unsent.read_bytes()
    unsent.unlink()
    commit(root, "March's stories", "2020-03-15T10:00:00+08:00")
    for path, text in kept.items():
        path.write_bytes(text)
    # Late on 31 March in Beijing is April 1st nowhere but here: the day is Beijing's.
    commit(root, "the last two", "2020-03-31T23:30:00+08:00")
    moved = stories / "rumours" / "2020" / "2020-02-03-baijiu.md"
    moved.rename(stories / "rumours" / "2020-02-03-baijiu.md")
    commit(root, "a file moved", "2020-04-20T09:00:00+08:00")
    unsent.write_bytes(unsent_text)
    return root


def settings_of(root: Path, **overrides: object) -> Settings:
    return sample_settings(root=root, stories_dir=root / "stories", docs_dir=root / "site_src", **overrides)


def test_first_commits_follow_renames_and_skip_what_is_not_committed(repo: Path) -> None:
    sent = gitrepo.first_added(settings_of(repo))
    assert sent["stories/rumours/2020-02-06-shuanghuanglian.md"] == date(2020, 3, 31)
    assert sent["stories/rumours/2020-02-03-baijiu.md"] == date(2020, 3, 15)  # moved in April, sent in March
    assert "stories/rumours/2020/2020-02-03-baijiu.md" not in sent
    assert "stories/exemplars/2020-02-12-nurse.md" not in sent
    assert gitrepo.first_added(settings_of(repo.parent / "nowhere")) == {}


def built(settings: Settings) -> tuple[str, list[list[str]]]:
    outcome, site = pipeline.build(settings)
    assert site is not None, [str(p) for p in outcome.problems if p.is_error]
    index = next(p for p in site.pages if p.url == "/districts/").html
    raw = next(a for a in site.assets if a.src_uri == "districts/report.csv").content
    return index, list(csv.reader(io.StringIO(str(raw).lstrip("\ufeff"))))


def test_the_report_counts_by_first_commit_newest_month_first_with_titles(repo: Path) -> None:
    settings = settings_of(repo, report_by_commit=True)
    index, rows = built(settings)
    stories = pipeline.check(settings).published(False)
    nurse = next(s for s in stories if s.path.endswith("2020-02-12-nurse.md"))
    assert "还没有提交记录的 1 篇按文章的发布日期统计" in index
    march, february = index.index("2020年3月（共"), index.index("2020年2月（共")
    assert march < february  # newest month first; February holds only the story not committed yet
    assert index.count('<h2 id="fed-report-') == 2
    assert index.index(nurse.title) > february
    for story in stories:
        assert story.title in index and f'href="../{story.url.lstrip("/")}"' in index
    header = rows[0]
    assert header[5:-1] == ["2020-02", "2020-03"]  # the months that have stories, no empty ones between
    assert header[-1].startswith("文章")
    total = rows[-1]
    assert total[5:7] == ["1", str(len(stories) - 1)]
    yuzhong = next(r for r in rows if r[0] == "渝中区")
    assert "2020-02-12 " + nurse.title in yuzhong[-1]  # its `date`: it has no commit yet


def test_outside_git_or_when_turned_off_the_report_counts_by_date_and_says_so(repo: Path, tmp_path: Path) -> None:
    index, rows = built(settings_of(repo, report_by_commit=False))
    assert "按文章的发布日期统计" in index and "提交" in index
    assert rows[0][5:-1] == ["2020-01", "2020-02"]
    copy = tmp_path / "plain"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    index, _ = built(settings_of(copy, report_by_commit=True))
    assert "没有文章的提交记录" in index and "按文章的发布日期统计" in index


def test_only_the_newest_months_are_listed_story_by_story() -> None:
    stories = pipeline.check(sample_settings()).published(False)
    sent = {s.path: date(2020, 1 + n % 12, 1) for n, s in enumerate(stories)}
    rows = browse.district_report(stories, sent)
    months = browse.monthly_report(rows, sent)
    assert len(months) == min(browse.REPORT_MONTHS, len({(d.year, d.month) for d in sent.values()}))
    keys = [(m.year, m.month) for m in months]
    assert keys == sorted(keys, reverse=True)
    assert sum(m.count for m in months) == sum(1 for d in sent.values() if (d.year, d.month) in keys)


def test_a_district_that_sent_many_stories_in_a_month_shows_its_newest_and_counts_the_rest() -> None:
    yuzhong = vocab.districts().find("渝中区")
    stories = [dataclasses.replace(s, district=yuzhong) for s in pipeline.check(sample_settings()).published(False)]
    assert len(stories) > browse.REPORT_TITLES
    sent = {s.path: date(2020, 5, 1 + n) for n, s in enumerate(stories)}  # all sent in May, a day apart
    rows = browse.district_report(stories, sent)
    (month,) = browse.monthly_report(rows, sent)
    for row, shown, more in month.shown:
        assert len(shown) == min(browse.REPORT_TITLES, row.count)
        assert more == row.count - browse.REPORT_TITLES
        assert shown == sorted(row.stories, key=lambda s: sent[s.path], reverse=True)[: browse.REPORT_TITLES]
    index = browse.district_index(browse.FACETS[0], stories, [], sent).html
    assert f"渝中区（{len(stories)} 篇）" in index
    assert f"还有 {len(stories) - browse.REPORT_TITLES} 篇" in index


def test_a_preview_reads_the_history_again_only_after_a_commit(repo: Path) -> None:
    settings = settings_of(repo, report_by_commit=True)
    cache = pipeline.Cache()
    first = cache.sent(settings)
    assert cache.sent(settings) is first  # the same commit: not read again
    assert "stories/exemplars/2020-02-12-nurse.md" not in first
    commit(repo, "the nurse, sent in May", "2020-05-06T12:00:00+08:00")
    assert cache.sent(settings)["stories/exemplars/2020-02-12-nurse.md"] == date(2020, 5, 6)
    assert cache.sent(settings_of(repo, report_by_commit=False)) == {}
