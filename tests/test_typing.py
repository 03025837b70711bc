"""Messages for real typing: what Word and a Chinese IME put into a story, reported as editors need.

Families of inputs, not single examples: every YAML slip of a file in one run, with the
invisible character named; every field's problem in the same run as another's; and the
silent damage `check` used to miss (placeholder body, implausible dates, lists in 【】,
pictures without a description, lists that run into one paragraph, photos that carry GPS).
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import markdown
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from PIL import Image

from generator.content import checks, editorial, frontmatter
from generator.content.body import EXTENSION_CONFIGS, EXTENSIONS
from generator.content.problems import Problem
from generator.core.sections import SECTIONS, section
from generator.core.settings import Settings
from generator.core.story import Story
from tests.test_cases import FIXTURES

TODAY = date(2026, 1, 1)
KNOWLEDGE = section("knowledge")
assert KNOWLEDGE is not None

# A valid knowledge story's front matter, one entry a line (file lines 2 … 11).
LINES = [
    "title: 居家消毒要适度",
    "date: 2020-02-10",
    "district: 渝中区",
    "author: 市妇联宣传部",
    "summary: 居室以通风为主",
    "sources:",
    "  - title: 中国疾病预防控制中心",
    "    url: http://www.chinacdc.cn/",
    "reviewed: 2020-02-10",
    "review_due: 2099-12-31",
]
TOP = [0, 1, 2, 3, 4, 8, 9]  # lines holding `key: value` at the top level
NESTED = [6, 7]
BODY = "居室以通风和日常清洁为主，不需要大面积喷洒消毒剂。"
# libyaml's and PyYAML's words: none may reach an editor.
ENGLISH = re.compile(
    r"\b(?:found|expected|while|scanning|parsing|allowed|context|token|character|mapping|indentation)\b"
)


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typing") / "stories"
    shutil.copytree(FIXTURES, root)
    return root


def _settings(stories: Path, today: date = TODAY) -> Settings:
    return Settings(root=stories.parent, stories_dir=stories, docs_dir=stories.parent / "site_src", today=today)


def check_text(stories: Path, text: str, today: date = TODAY) -> tuple[Story | None, list[Problem]]:
    """One knowledge story's problems, as `check` reports them."""
    file = stories / "knowledge" / "typed.md"
    path = "stories/knowledge/typed.md"
    return checks.check_file(frontmatter.parse(path, text.encode("utf-8")), file, KNOWLEDGE, _settings(stories, today))


def story_text(lines: list[str], body: str = BODY) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def _key_value(line: str) -> tuple[str, str]:
    key, value = line.split(": ", 1)
    return key, value


# -- YAML slips ----------------------------------------------------------------------------

# The name a message gives an invisible character, so the editor can find it ("" for a plain space).
SPACES = {" ": "", "\u00a0": "特殊空格", "\u3000": "全角空格"}


def _slipped(kind: str, line: str, space: str) -> tuple[str, str, str]:
    """A line with one slip an editor makes, the rule it breaks, and how the message names an
    invisible character in it (empty when there is none)."""
    key, value = _key_value(line)
    if kind == "full-width colon":
        return f"{key}：{value}", "front.full-width-colon", ""
    if kind == "no space":
        return f"{key}:{value}", "front.colon-space-missing", ""
    if kind == "zero-width after colon":
        return f"{key}:\u200b{value}", "front.colon-space-missing", "零宽"
    if kind == "leading space":
        return f"{space}{key}: {value}", "front.key-indented", SPACES[space]
    if kind == "colon in value":
        return f"{key}: 注意: {value}", "front.colon-in-value", ""
    assert kind == "unclosed quote"
    return f'{key}: "{value}', "front.quote-unclosed", ""


SLIPS = ["full-width colon", "no space", "zero-width after colon", "leading space", "colon in value", "unclosed quote"]


@given(
    chosen=st.dictionaries(
        st.sampled_from(TOP), st.tuples(st.sampled_from(SLIPS), st.sampled_from(sorted(SPACES))), min_size=1
    ),
    tabs=st.sets(st.sampled_from(NESTED)),
)
def test_every_yaml_slip_of_a_file_is_reported_in_one_run(
    stories: Path, chosen: dict[int, tuple[str, str]], tabs: set[int]
) -> None:
    lines = list(LINES)
    slips: dict[int, tuple[str, str]] = {}
    for index, (kind, space) in chosen.items():
        lines[index], *slips[index + 2] = _slipped(kind, lines[index], space)
    for index in tabs:
        lines[index] = "\t" + lines[index].lstrip(" ")
        slips[index + 2] = ("front.tab-indent", "")
    story, problems = check_text(stories, story_text(lines))
    assert story is None
    for line, (rule, hidden) in slips.items():
        said = [p for p in problems if p.line == line and p.is_error and p.rule == rule]
        assert said, f"line {line} ({rule}) not reported:\n" + "\n".join(map(str, problems))
        assert hidden in said[0].message, (line, hidden, said)
    for problem in problems:
        assert not ENGLISH.search(problem.message), problem
        assert re.search(r"[\u4e00-\u9fff]", problem.message), problem


@given(
    index=st.sampled_from(TOP),
    kind=st.sampled_from(SLIPS),
    picture=st.text(alphabet="abcdefxyz-", min_size=1, max_size=12),
)
def test_a_bad_picture_and_its_missing_description_are_reported_with_a_slip(
    stories: Path, index: int, kind: str, picture: str
) -> None:
    lines = list(LINES)
    lines[index], *_ = _slipped(kind, lines[index], " ")
    lines.append(f"image: {picture}.jpg")  # file line 12, no such picture and no image_alt
    _, problems = check_text(stories, story_text(lines))
    assert sorted(p.rule for p in problems if p.line == 12) == ["picture.not-found", "story.image-alt-missing"], (
        problems
    )
    assert any(p.line == index + 2 for p in problems), problems


@given(index=st.sampled_from(TOP), tabs=st.integers(min_value=1, max_value=2))
def test_a_tab_before_a_top_level_key_still_lets_the_other_fields_be_read(stories: Path, index: int, tabs: int) -> None:
    lines = list(LINES)
    lines[index] = "\t" * tabs + lines[index]
    lines.append("image: nowhere.jpg")  # file line 12, no such picture and no image_alt
    _, problems = check_text(stories, story_text(lines))
    assert "front.tab-indent" in [p.rule for p in problems if p.line == index + 2], problems
    assert sorted(p.rule for p in problems if p.line == 12) == ["picture.not-found", "story.image-alt-missing"], (
        problems
    )


@given(gaps=st.lists(st.sampled_from(["", " ", "\u00a0", "\u3000", "-"]), min_size=2, max_size=2))
def test_a_number_in_the_body_is_named_even_when_the_front_matter_is_refused(stories: Path, gaps: list[str]) -> None:
    number = f"138{gaps[0]}1234{gaps[1]}5678"
    broken = "---\ntitle: 居家消毒\n  - x: [\n: : :\n---\n\n有事请联系 " + number + "。\n"
    story, problems = check_text(stories, broken)
    assert story is None
    said = [p for p in problems if p.rule == "privacy.mobile-number"]
    assert said and said[0].line == 7, problems
    assert "13812345678" not in str(problems)  # never printed in full


@given(
    word=st.sampled_from(["found", "expected", "mapping"]),
    junk=st.text(alphabet="@`%!&*|>{}[]:#'\"- \t", min_size=1, max_size=8),
)
def test_whatever_libyaml_says_the_editor_reads_chinese(stories: Path, word: str, junk: str) -> None:
    lines = [*LINES[:2], f"district: {junk}{word}", *LINES[3:]]
    _, problems = check_text(stories, story_text(lines))
    for problem in problems:
        assert not ENGLISH.search(problem.message.replace(word, "")), problem


# -- the template's placeholder ------------------------------------------------------------

paragraphs = st.lists(st.text(alphabet="居室通风清洁消毒剂口罩洗手", min_size=1, max_size=30), min_size=0, max_size=4)


@given(owner=st.sampled_from(SECTIONS), before=paragraphs, after=paragraphs)
def test_the_templates_placeholder_left_in_the_body_is_an_error_at_its_line(
    stories: Path, owner: object, before: list[str], after: list[str]
) -> None:
    hint = owner.body_hint  # type: ignore[attr-defined]
    body = "\n\n".join([*before, hint, *after])
    found = editorial.placeholder(body, 10)
    line = 10 + 2 * len(before)
    assert [(f.line, f.is_error, f.rule) for f in found] == [(line, True, "body.placeholder")]
    assert editorial.placeholder("\n\n".join([*before, *after]) or BODY, 10) == []


# -- dates ---------------------------------------------------------------------------------


@given(today=st.dates(date(2020, 3, 1), date(2040, 12, 31)), offset=st.integers(-9000, 20000))
def test_dates_far_ahead_are_errors_and_dates_before_the_epidemic_warnings(today: date, offset: int) -> None:
    try:
        typed = today + timedelta(days=offset)
    except OverflowError:
        assume(False)
        return
    found = editorial.dates(KNOWLEDGE, {"date": typed, "review_due": typed}, {"date": 3, "review_due": 9}, today)
    if typed > today + editorial.FUTURE_TOLERANCE:
        assert [(f.line, f.is_error, f.rule) for f in found] == [(3, True, "date.future")]
        assert typed.isoformat() in found[0].message and today.isoformat() in found[0].message
    elif typed < editorial.EARLIEST:
        assert [(f.line, f.is_error, f.rule) for f in found] == [(3, False, "date.before-epidemic")]
    else:
        assert found == []


def test_today_is_passed_in_not_read_from_the_clock(stories: Path) -> None:
    lines = [LINES[0], "date: 2026-03-01", *LINES[2:]]
    _, before = check_text(stories, story_text(lines), today=date(2026, 1, 1))
    _, after = check_text(stories, story_text(lines), today=date(2026, 2, 28))
    assert [p.rule for p in before if p.line == 3] == ["date.future"]
    assert not any(p.line == 3 for p in after)


# -- lists wrapped in full-width brackets or quotes ------------------------------------------

items = st.lists(
    st.text(alphabet="大蒜偏方口罩洗手老人儿童", min_size=1, max_size=4), min_size=1, max_size=4, unique=True
)
PAIRS = ["【】", "［］", "〔〕", "〖〗", "“”", "「」", "『』"]


@given(tags=items, pair=st.sampled_from(PAIRS), each=st.booleans(), separator=st.sampled_from(["，", "、", ", "]))
def test_lists_in_full_width_brackets_or_quotes_are_read_as_meant_and_warned(
    stories: Path, tags: list[str], pair: str, each: bool, separator: str
) -> None:
    opening, closing = pair
    written = (
        separator.join(f"{opening}{t}{closing}" for t in tags) if each else opening + separator.join(tags) + closing
    )
    lines = [*LINES[:2], f"tags: {written}", *LINES[2:]]
    story, problems = check_text(stories, story_text(lines))
    assert story is not None, problems
    assert list(story.tags) == tags
    warned = [p for p in problems if p.line == 4]
    assert [p.rule for p in warned] == ["field.list-wrapped"] and not warned[0].is_error
    assert f"[{', '.join(tags)}]" in warned[0].message  # the list as it should be written


@given(tags=items)
def test_a_plain_list_gets_no_bracket_warning(stories: Path, tags: list[str]) -> None:
    lines = [*LINES[:2], f"tags: [{', '.join(tags)}]", *LINES[2:]]
    story, problems = check_text(stories, story_text(lines))
    assert story is not None and list(story.tags) == tags and problems == []


# -- pictures without a description ---------------------------------------------------------


@given(alt=st.sampled_from(["", " ", "\u3000", "戴口罩的步骤", "社区志愿者"]), html=st.booleans())
def test_a_picture_without_a_description_is_an_error_at_its_line(stories: Path, alt: str, html: bool) -> None:
    picture = f'<img src="../images/photo.jpg" alt="{alt}">' if html else f"![{alt}](../images/photo.jpg)"
    _, problems = check_text(stories, story_text(LINES, f"{BODY}\n\n{picture}\n"))
    described = [p for p in problems if p.rule == "picture.alt-missing"]
    if alt.strip():
        assert described == []
    else:
        assert [(p.line, p.is_error) for p in described] == [(16, True)]


# -- lines that look like a list ------------------------------------------------------------

LOOKALIKES = ["{n}、", "{n}）", "（{n}）", "{circled}", "•", "●", "·", "-", "{n}.", "\u3000{n}. ", "\u3000- "]
MARKDOWN = ["{n}. ", "- ", "* ", "{n}.\t"]
CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def _items(marker: str, texts: list[str], blank: bool) -> list[str]:
    lines = [marker.format(n=i + 1, circled=CIRCLED[i]) + text for i, text in enumerate(texts)]
    return [x for line in lines for x in ([line, ""] if blank else [line])][: -1 if blank else None]


def _rendered(body: str) -> str:
    return markdown.markdown(body, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


texts = st.lists(st.text(alphabet="勤洗手戴口罩开窗通风", min_size=1, max_size=8), min_size=2, max_size=5)


@given(marker=st.sampled_from(LOOKALIKES + MARKDOWN), entries=texts, lead=st.booleans())
def test_a_list_that_runs_into_one_paragraph_is_warned_at_its_first_line(
    marker: str, entries: list[str], lead: bool
) -> None:
    # After a line of text with no blank line (or, for a look-alike, item against item), no list is made.
    assume(lead or marker in LOOKALIKES)
    lines = (["注意事项如下："] if lead else []) + _items(marker, entries, blank=False)
    body = "\n".join(lines)
    assert "<li>" not in _rendered(body)  # the damage is real: the renderer makes no list
    found = editorial.list_lookalikes(body, 20)
    rule = "body.list-lookalike" if marker in LOOKALIKES else "body.list-needs-blank-line"
    assert [(f.line, f.is_error, f.rule) for f in found] == [(21 if lead else 20, False, rule)]


@given(marker=st.sampled_from(MARKDOWN), entries=texts, heading=st.booleans())
def test_a_real_list_is_not_warned(marker: str, entries: list[str], heading: bool) -> None:
    body = "\n".join([*(["## 注意事项"] if heading else ["注意事项如下：", ""]), *_items(marker, entries, blank=False)])
    assert "<li>" in _rendered(body)
    assert editorial.list_lookalikes(body, 20) == []


@given(marker=st.sampled_from(LOOKALIKES), entries=texts)
def test_look_alike_items_each_their_own_paragraph_are_not_warned(marker: str, entries: list[str]) -> None:
    body = "\n".join(["注意事项如下：", "", *_items(marker, entries, blank=True)])
    assert editorial.list_lookalikes(body, 20) == []


# -- original pictures that carry GPS or the camera owner -------------------------------------


@given(gps=st.booleans(), owner=st.sampled_from(["", "Zhang San", "张三"]), kind=st.sampled_from(["JPEG", "PNG"]))
def test_a_picture_whose_original_carries_gps_or_the_owner_is_warned(
    tmp_path_factory: pytest.TempPathFactory, gps: bool, owner: str, kind: str
) -> None:
    folder = tmp_path_factory.mktemp("exif")
    exif = Image.Exif()
    exif[0x0131] = "Camera 1.0"  # the software that saved it: metadata, but nobody's personal data
    if gps:
        place = exif.get_ifd(0x8825)
        place[1], place[2] = "N", (29.0, 33.0, 12.5)
    if owner:
        exif.get_ifd(0x8769)[0xA430] = owner
    file = folder / f"photo.{kind.lower()}"
    Image.new("RGB", (16, 16), "red").save(file, kind, exif=exif)
    found = editorial.picture_metadata([(7, file.name, file)])
    if gps or owner:
        assert [(f.line, f.is_error, f.rule) for f in found] == [(7, False, "picture.personal-metadata")]
        message = found[0].message  # it names what the original carries
        assert ("GPS" in message) == gps and ("相机主人" in message) == bool(owner)
    else:
        assert found == []


# Every problem text libyaml's scanner, parser and composer can give (strings of its library).
LIBYAML = [
    "block sequence entries are not allowed in this context",
    "control characters are not allowed",
    "could not find expected ':'",
    "could not find expected directive name",
    "did not find URI escaped octet",
    "did not find expected '!'",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "did not find expected '-' indicator",
    "did not find expected <document start>",
    "did not find expected alphabetic or numeric character",
    "did not find expected comment or line break",
    "did not find expected digit or '.' character",
    "did not find expected hexdecimal number",
    "did not find expected key",
    "did not find expected node content",
    "did not find expected tag URI",
    "did not find expected version number",
    "did not find expected whitespace",
    "did not find expected whitespace or line break",
    "did not find the expected '>'",
    "found a tab character that violates indentation",
    "found a tab character where an indentation space is expected",
    "found an indentation indicator equal to 0",
    "found character that cannot start any token",
    "found duplicate %TAG directive",
    "found duplicate %YAML directive",
    "found extremely long version number",
    "found incompatible YAML document",
    "found invalid Unicode character escape code",
    "found undefined tag handle",
    "found unexpected ':'",
    "found unexpected document indicator",
    "found unexpected end of stream",
    "found unexpected non-alphabetical character",
    "found unknown directive name",
    "found unknown escape character",
    "mapping keys are not allowed in this context",
    "mapping values are not allowed in this context",
    "found undefined alias",
    "found duplicate anchor; first occurrence",
    "but found another document",
    "something libyaml may say one day",
]


@pytest.mark.parametrize("said", LIBYAML)
def test_each_libyaml_refusal_reads_as_chinese(said: str) -> None:
    import yaml

    reason = frontmatter._yaml_reason(yaml.MarkedYAMLError(problem=said))
    assert re.search(r"[\u4e00-\u9fff]", reason) and not ENGLISH.search(reason), (said, reason)
    assert not re.search(r"[A-Za-z]{4,}", reason.replace("YAML", "").replace("front matter", "")), (said, reason)


@given(
    lead=st.sampled_from(["", " ", "  ", "   ", "\u3000", "\u3000\u3000", " \u3000"]),
    level=st.integers(1, 3),
    text=st.text(alphabet="居家消毒注意事项", min_size=1, max_size=8),
)
def test_a_heading_after_a_space_is_warned_where_it_shows_as_text(lead: str, level: int, text: str) -> None:
    line = f"{lead}{'#' * level} {text}"
    body = f"正文。\n\n{line}\n\n更多正文。"
    rendered = _rendered(body)
    found = editorial.heading_lookalikes(body, 20)
    if f"<h{level}" in rendered:
        assert found == [] and not lead
    else:
        assert lead and [(f.line, f.is_error, f.rule) for f in found] == [(22, False, "body.heading-indented")]
        assert ("全角空格" in found[0].message) == ("\u3000" in lead)  # it names the space to delete
