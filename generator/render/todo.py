"""The preview's 待办 page (`/todo/` under `serve`): what an editor or the city reviewer has to do.

Drafts; the stories changed since the main branch (what a merge request will bring);
knowledge items overdue for their expert review or due within 30 days; and the problems of
the run, by file. Only the preview has it: the public site never lists drafts or problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from generator.content.problems import Problem
from generator.core import addresses
from generator.core.addresses import PROBLEMS_URL
from generator.core.outputs import Page
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render.templating import render_at

TODO_URL = addresses.TODO_URL
DUE_SOON = timedelta(days=30)


@dataclass(frozen=True)
class Due:
    """A story whose expert review is due: when, and in how many days (negative: overdue)."""

    story: Story
    due: date
    days: int


@dataclass(frozen=True)
class FileProblems:
    """One file's count of errors and warnings."""

    path: str
    errors: int
    warnings: int


def due_reviews(stories: Iterable[Story], today: date) -> tuple[list[Due], list[Due]]:
    """(overdue, due within 30 days) among the stories that are current, soonest first."""
    overdue: list[Due] = []
    soon: list[Due] = []
    for story in stories:
        if story.review_due is None or (story.status is not None and story.status.code != "current"):
            continue
        days = (story.review_due - today).days
        if days < 0:
            overdue.append(Due(story, story.review_due, days))
        elif story.review_due <= today + DUE_SOON:
            soon.append(Due(story, story.review_due, days))
    key = lambda d: (d.due, d.story.url)  # noqa: E731
    return sorted(overdue, key=key), sorted(soon, key=key)


def by_file(problems: Iterable[Problem]) -> list[FileProblems]:
    """Each file with problems, errors first."""
    counts: dict[str, list[int]] = {}
    for problem in problems:
        count = counts.setdefault(problem.path, [0, 0])
        count[0 if problem.is_error else 1] += 1
    rows = [FileProblems(path, errors, warnings) for path, (errors, warnings) in counts.items()]
    return sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.path))


def todo_page(
    stories: Iterable[Story], problems: Iterable[Problem], settings: Settings, changed: set[str] | None
) -> Page:
    """The 待办 page. `changed`: the story files changed since the main branch (None without git)."""
    story_list = sorted(stories, key=lambda s: s.sort_key, reverse=True)
    overdue, soon = due_reviews(story_list, settings.today)
    by_path = {s.path: s for s in story_list}
    changed_stories = [by_path[p] for p in sorted(changed or ()) if p in by_path]
    changed_other = sorted(p for p in (changed or ()) if p not in by_path and p.endswith(".md"))
    html = render_at(
        "todo.html",
        TODO_URL,
        drafts=[s for s in story_list if s.draft],
        changed=changed_stories,
        changed_other=changed_other,
        git=changed is not None,
        overdue=overdue,
        soon=soon,
        files=by_file(problems),
        problems_url=PROBLEMS_URL,
        today=settings.today,
    )
    return Page(src_uri="todo/index.md", url=TODO_URL, title="待办", html=html)
