"""Family "`new` writes the title exactly" (issue "Nothing escapes"): whatever an editor
types as a title is written as one line of YAML that reads back exactly as typed, with no
HTML entity, so the fresh file's title always passes `check`; a title that cannot be one
line, or that `check` would refuse, is refused with a message and nothing is written."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.commands import scaffold
from generator.content import characters, checks, fields, frontmatter
from generator.core.sections import SECTIONS, section
from tests.conftest import run_generator
from tests.test_cases import FIXTURES, settings

TODAY = date(2026, 1, 1)
HOSTILE = [*"\"'：:#&<>{}[]|>*!%@`\\-?,~=/ 　\t", "- ", "? ", "---", "...", "&amp;", "&#39;", "{{ x }}", "{% x %}"]
HOSTILE += ["null", "~", "true", "yes", "off", "1e3", "0x10", "2020-01-01", "😷", "喝板蓝根", "A", "\u200b", "\u00a0"]
HOSTILE += ["\n", "\r", "\u2028", "\x85", "\x00", "\ufeff", "13800138000", "*x", "!!str", "%YAML"]
TITLES = st.one_of(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=8).map("".join), st.text(max_size=30))
RUMOUR = section("rumours")
assert RUMOUR is not None


def read_title(text: str) -> frontmatter.Scalar:
    parsed = frontmatter.parse("new.md", text.encode("utf-8"))
    assert parsed.front is not None and not parsed.problems, parsed.problems
    found = [value for key, value in parsed.front.entries if key.text == "title"]
    assert len(found) == 1 and isinstance(found[0], frontmatter.Scalar)
    return found[0]


@given(TITLES, st.sampled_from(SECTIONS))
def test_a_new_story_holds_the_title_exactly_as_typed(title: str, owner: object) -> None:
    assert owner in SECTIONS
    try:
        text = scaffold.story_text(owner, title, TODAY)  # type: ignore[arg-type]
    except scaffold.TitleError as refused:
        assert str(refused)
        folded = fields.text_value(characters.clean(title)[0])
        assert not folded.strip() or any(c in title for c in "\n\r\u2028\u2029\x85") or scaffold._BREAKS.search(title)
        return
    typed = fields.text_value(characters.clean(title)[0])  # the fold and spacing every title gets
    assert read_title(text).text == typed
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    assert yaml.safe_load(front)["title"] == typed
    line = next(row for row in text.split("\n") if row.startswith("title:"))
    for entity in ("&amp;", "&#39;", "&#34;", "&lt;", "&gt;", "&quot;"):
        assert line.count(entity) <= title.count(entity), line


def _filled(title_line: str) -> str:
    """The fixtures' valid rumour with its title line replaced."""
    base = (FIXTURES / "rumours" / "2020-02-02-base-rumour.md").read_text("utf-8")
    lines = base.split("\n")
    index = next(n for n, row in enumerate(lines) if row.startswith("title:"))
    lines[index] = title_line
    return "\n".join(lines)


@given(TITLES)
def test_a_title_new_accepts_always_passes_check(title: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        site = settings(root)
        try:
            path = scaffold.create(site.stories_dir, RUMOUR, title, TODAY, site)
        except scaffold.TitleError as refused:
            assert str(refused)
            assert not list(root.rglob("*.md"))  # nothing written
            return
        written = path.read_text("utf-8")
        title_line = next(row for row in written.split("\n") if row.startswith("title:"))
        filled = _filled(title_line)
        parsed = frontmatter.parse("stories/rumours/x.md", filled.encode("utf-8"))
        story, problems = checks.check_file(parsed, site.stories_dir / "rumours" / "x.md", RUMOUR, site)
        assert story is not None, [str(p) for p in problems]
        assert story.title == fields.text_value(characters.clean(title)[0])
        fresh = frontmatter.parse("stories/rumours/x.md", written.encode("utf-8"))
        _, fresh_problems = checks.check_file(fresh, path, RUMOUR, site)
        title_number = written.split("\n").index(title_line) + 1
        assert not [p for p in fresh_problems if p.line == title_number and p.is_error], fresh_problems


def test_new_refuses_a_title_with_a_line_break_and_writes_nothing(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    for title in ["第一行\n第二行", "", "   ", "标题\t制表符", "第一行\r"]:
        result = run_generator("new", "rumours", title, "--stories", str(stories))
        assert result.returncode == 2, result.stdout + result.stderr
        assert "没有新建文章" in result.stderr and "Traceback" not in result.stderr
    assert not stories.exists() or not list(stories.rglob("*.md"))


def test_new_writes_quotes_colons_and_ampersands_as_typed(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    title = "- \"双黄连\" & '板蓝根'：#1 能预防? \\ 😷"
    result = run_generator("new", "rumours", title, "--stories", str(stories))
    assert result.returncode == 0, result.stderr
    (written,) = stories.rglob("*.md")
    assert read_title(written.read_text("utf-8")).text == title
    assert "&amp;" not in written.read_text("utf-8") and "&#" not in written.read_text("utf-8")
