"""Pages only the preview (`serve`) has: a story with an error says so at its own address.

On the public site a story with an error is not published, and its address answers with
the 404 page; in the preview the editor who opens it sees why, with each line to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from generator.content import frontmatter, privacy
from generator.content.frontmatter import ParsedFile, Scalar
from generator.content.problems import Problem
from generator.core import addresses, slugs
from generator.core.addresses import PROBLEMS_URL
from generator.core.outputs import Page
from generator.core.story import Story
from generator.render.templating import render_at


def likely_slug(parsed: frontmatter.ParsedFile, stem: str) -> str | None:
    """The address short name a story would get, decided as `check` decides it (slug, file name, title)."""
    values: dict[str, str] = {}
    if parsed.front is not None:
        for key, node in parsed.front.entries:
            if isinstance(node, Scalar) and not node.is_null:
                values.setdefault(key.text.strip(), node.text.strip())
    slug = values.get("slug", "")
    if slug and slugs.is_valid(slug):
        return slug
    from_name = slugs.from_file_name(stem)
    if from_name:
        return from_name
    title = values.get("title", "")
    return slugs.from_title(title) if title else None


def broken_story_pages(
    problems: Iterable[Problem],
    stories: Iterable[Story],
    files: Iterable[Any],  # pipeline.StoryFile: path, file, section_key
    parse: Callable[[Any], ParsedFile],
    taken: Iterable[str] = (),
) -> list[Page]:
    """A page at the address of each story file (of `files`, read by `parse`) that has an
    error, listing its problems."""
    problem_list = list(problems)
    failing = {p.path for p in problem_list if p.is_error}
    live = {s.path for s in stories}
    used = set(taken) | {s.url for s in stories} | {a for s in stories for a in s.aliases} | {PROBLEMS_URL}
    pages: list[Page] = []
    for story_file in files:
        shown = privacy.mask(story_file.path)
        if shown not in failing or story_file.path in live:
            continue
        slug = likely_slug(parse(story_file), story_file.file.stem)
        url = addresses.story_address(story_file.section_key, slug) if slug else None
        if url is None or url in used:
            continue
        used.add(url)
        own = sorted((p for p in problem_list if p.path == shown), key=lambda p: (not p.is_error, p.line))
        html = render_at("broken_story.html", url, path=shown, problems=own, errors=sum(1 for p in own if p.is_error))
        pages.append(Page(src_uri=f"{url.strip('/')}.md", url=url, title="这篇文章暂时不能预览", html=html))
    return pages
