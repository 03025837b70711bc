"""Property tests: whatever bytes an editor's file holds, the reader and the checks either
accept a story or report a problem — never an exception, never a hang.

Most properties here are no-crash properties (their names say so): `check_file` returns no
story exactly when it found an error by its own construction, so asserting that would test
nothing; what they hold is that no exception escapes, every problem names the file and a
line, and an accepted story renders with its title. Where an input must be refused, the
property says so and asserts the refusal.

`make test` runs a bounded number of examples per property; a longer run:

    FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from generator.content import checks, frontmatter
from generator.content.body import BodyRenderer
from generator.core.sections import SECTIONS
from generator.render.pages import story_page
from tests.conftest import ROOT, sample_settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    # Not a speed test: a bound per example, so that a hang fails instead of stalling CI.
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SETTINGS = sample_settings(stories_dir=ROOT / "tests" / "sample" / "stories")
STORY_FILE = ROOT / "tests" / "sample" / "stories" / "knowledge" / "fuzz.md"
RENDERER = BodyRenderer()

ODD_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            *"口罩勤洗手：，。「」#&*!|>-[]{}:'\"\\ \t\n%@`~",
            *["\u200b", "\u200f", "\u202e", "\ufeff", "\x00", "\x85", "\u2028", "１", "３", "８", "Ｘ", "😷"],
            *"0123456789abcXYZ",
        ]
    ),
    max_size=60,
)
KEYS = st.sampled_from(
    [f.key for s in SECTIONS for f in s.fields] + ["sumary", "标题", "Title", "", "x" * 40, "date", "title"]
)
SCALARS = st.one_of(
    ODD_TEXT,
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates().map(str),
    st.sampled_from(["false", "谣言", "渝中区", "三八红旗手", "2020-02-30", "https://x.org/", "../images/x.jpg"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["title", "url", "year", "level", "issuer", "x"]), inner, max_size=4),
    ),
    max_leaves=12,
)


def _yaml_value(value: object, indent: int = 0) -> str:
    """A loose YAML writer: deliberately unquoted, so odd text makes odd YAML."""
    pad = " " * indent
    if isinstance(value, list):
        return "".join(f"\n{pad}- {_yaml_value(v, indent + 2).lstrip()}" for v in value) or " []"
    if isinstance(value, dict):
        return "".join(f"\n{pad}{k}: {_yaml_value(v, indent + 2).lstrip()}" for k, v in value.items()) or " {}"
    return " " + str(value)


@st.composite
def story_bytes(draw: st.DrawFn) -> bytes:
    """A story file: usually well-formed front matter with odd values, sometimes broken framing."""
    entries = draw(st.dictionaries(KEYS, VALUES, max_size=10))
    front = "".join(f"{key}:{_yaml_value(value, 2)}\n" for key, value in entries.items())
    body = draw(ODD_TEXT)
    framing = draw(st.sampled_from(["---\n{f}---\n{b}", "---\r\n{f}---\r\n{b}", "\ufeff---\n{f}---\n{b}", "{f}{b}"]))
    text = framing.format(f=front, b=body)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _check_and_render(raw: bytes) -> None:
    parsed = frontmatter.parse("stories/knowledge/fuzz.md", raw)
    for section in SECTIONS:
        story, problems = checks.check_file(parsed, STORY_FILE, section, SETTINGS)
        assert all(p.path == "stories/knowledge/fuzz.md" and p.line >= 0 for p in problems)
        if story is not None:
            page = story_page(story, RENDERER, {}, SETTINGS)
            assert str(escape(story.title)) in page.html


@BOUNDED
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_checker(raw: bytes) -> None:
    _check_and_render(raw)


@BOUNDED
@given(story_bytes())
def test_random_front_matter_never_crashes_the_checker(raw: bytes) -> None:
    _check_and_render(raw)


VALID = {
    "title": "正确佩戴口罩",
    "date": "2020-02-01",
    "sources": [{"title": "国家卫生健康委", "url": "http://www.nhc.gov.cn/"}],
    "reviewed": "2020-02-01",
}


@BOUNDED
@given(KEYS, VALUES, ODD_TEXT)
def test_one_odd_value_in_a_valid_story_never_crashes_the_checker(key: str, value: object, body: str) -> None:
    entries = dict(VALID, **{key: value}) if key else VALID
    front = "".join(f"{k}:{_yaml_value(v, 2)}\n" for k, v in entries.items())
    _check_and_render(f"---\n{front}---\n{body or '正文'}\n".encode())


@BOUNDED
@given(st.integers(min_value=1, max_value=20_000), st.sampled_from(["[", "{", "- ", "a:\n  "]))
def test_deep_nesting_is_refused_not_crashed(depth: int, opener: str) -> None:
    raw = ("---\ntitle: " + opener * depth + "\n---\n正文\n").encode()
    parsed = frontmatter.parse("stories/knowledge/deep.md", raw)
    story, problems = checks.check_file(parsed, STORY_FILE, SECTIONS[0], SETTINGS)
    # An unclosed bracket or a list or mapping opened on the title's line is no title: refused,
    # at that line (the front matter's second), never read as some title.
    assert story is None
    assert any(p.is_error and p.line == 2 for p in problems), [str(p) for p in problems]


def test_huge_values_and_billion_laughs_are_refused(tmp_path: Path) -> None:
    huge = ("---\ntitle: " + "长" * 200_000 + "\n---\n正文\n").encode()
    parsed = frontmatter.parse("stories/knowledge/huge.md", huge)
    assert parsed.front is None and [p.rule for p in parsed.problems] == ["file.too-large"]  # 600 KB
    laughs = "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        laughs += f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]\n"
    parsed = frontmatter.parse("stories/knowledge/laughs.md", (laughs + "---\n正文\n").encode())
    assert parsed.front is None and "front.anchor-value" in [p.rule for p in parsed.problems]
