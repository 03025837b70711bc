"""The preview's 待办 page: drafts, stories changed since main, reviews overdue or due within 30 days, problems."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import pipeline
from generator.core import vocab
from generator.core.settings import load as load_settings
from generator.render import todo
from tests.conftest import sample_settings
from tests.test_hook import _content_repo, git

STORIES = pipeline.check(sample_settings()).stories
KNOWLEDGE = [s for s in STORIES if s.section.key == "knowledge"]


@given(
    today=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    offsets=st.lists(st.integers(-400, 400), min_size=len(KNOWLEDGE), max_size=len(KNOWLEDGE)),
    outdated=st.sets(st.sampled_from(range(len(KNOWLEDGE)))),
)
def test_reviews_are_listed_overdue_or_due_within_30_days(today: date, offsets: list[int], outdated: set[int]) -> None:
    status = vocab.statuses().get("outdated")
    stories = [
        dataclasses.replace(s, review_due=today + timedelta(days=o), status=status if i in outdated else s.status)
        for i, (s, o) in enumerate(zip(KNOWLEDGE, offsets, strict=True))
    ]
    overdue, soon = todo.due_reviews(stories, today)
    current = [(s, o) for s, o in zip(stories, offsets, strict=True) if s.status is None or s.status.code == "current"]
    assert len(current) < len(stories) or not outdated
    assert sorted(d.story.path for d in overdue) == sorted(s.path for s, o in current if o < 0)
    assert sorted(d.story.path for d in soon) == sorted(s.path for s, o in current if 0 <= o <= 30)
    assert all(d.days == (d.due - today).days for d in overdue + soon)
    assert [d.due for d in overdue] == sorted(d.due for d in overdue)


@pytest.mark.requires("git")
def test_the_todo_page_lists_drafts_changes_due_reviews_and_problems(tmp_path: Path) -> None:
    repo = _content_repo(tmp_path)
    git(repo, "branch", "-M", "main")
    git(repo, "checkout", "-qb", "district")
    nurse = repo / "stories" / "exemplars" / "2020-02-12-nurse.md"
    nurse.write_text(nurse.read_text("utf-8") + "\n补充一段。\n", "utf-8")
    broken = repo / "stories" / "rumours" / "2020-03-01-broken.md"
    broken.write_text("---\ntitle: 缺少日期\n---\n\n正文。\n", "utf-8")
    settings = dataclasses.replace(
        load_settings(repo / "mkdocs.yml", stories_dir=repo / "stories"), today=date(2026, 1, 1), include_drafts=True
    )
    _, site = pipeline.build(settings, preview=True)
    assert site is not None
    page = next(p for p in site.pages if p.url == todo.TODO_URL)
    assert "草稿：吹风机能杀灭病毒吗" in page.html  # the sample's draft
    changed = page.html.split('id="changed"')[1].split('id="reviews"')[0]
    assert "护士长张某" in changed and "stories/rumours/2020-03-01-broken.md" in changed
    assert "居家隔离人员的家庭护理" not in changed  # unchanged since main
    reviews = page.html.split('id="reviews"')[1].split('id="problems"')[0]
    assert "已过期" in reviews and "居家隔离人员的家庭护理" in reviews
    problems = page.html.split('id="problems"')[1]
    assert "stories/rumours/2020-03-01-broken.md</code>：<strong>" in problems
    # The public build has no such page.
    public = dataclasses.replace(settings, include_drafts=False)
    broken.unlink()
    _, built = pipeline.build(public)
    assert built is not None and all(p.url != todo.TODO_URL for p in built.pages)
