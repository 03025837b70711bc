"""Valid output, always: whatever characters a story holds, the feeds, the sitemap and the
JSON-LD a strict parser reads are valid, because characters XML forbids are refused at the
input boundary (with their line) and invisible spaces are folded there without a word.

`HYPOTHESIS_PROFILE=fuzz` runs each property 20,000 times.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator import pipeline
from generator.adapter import emit
from generator.content import characters, checks, frontmatter
from generator.content.body import BodyRenderer
from generator.core.sections import section
from generator.core.story import Story
from generator.publish.validity import invalid_outputs
from generator.render import feeds, share
from generator.render.pages import story_page
from tests.conftest import sample_settings

SETTINGS = sample_settings()
FILE = SETTINGS.stories_dir / "knowledge" / "2020-02-10-valid.md"
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
RENDERER = BodyRenderer()

# What XML 1.0 allows (the Char production); our policy refuses more (C1, bidi overrides).
XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FORBIDDEN = [chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r"] + [
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufdd0",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]
INVISIBLE = [
    "\u00a0",
    "\u2000",
    "\u2003",
    "\u2007",
    "\u2009",
    "\u200a",
    "\u200b",
    "\u200c",
    "\u200e",
    "\u200f",
    "\u202f",
    "\u205f",
    "\u2060",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u00ad",
    "\u180e",
]
PLAIN = [*"口罩勤洗手通风消毒居家重庆妇联防疫 abcXYZ0129&<>\"'#*_[]()!-:,.，。：「」", "😷", "👩\u200d⚕️", "\u3000"]


def texts(alphabet: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), min_size=1, max_size=30).map("".join)


TEXT = texts(PLAIN + INVISIBLE + FORBIDDEN)
PASTED = texts(PLAIN + INVISIBLE)
ESCAPES = st.sampled_from(["\\x0b", "\\x1b", "\\u2028", "\\u00a0", "\\e", "\\a", "\\uFFFE", "\\x85", "\\u202E", ""])


def quoted(text: str) -> str:
    """A YAML single-quoted value, on one line."""
    return "'" + text.replace("'", "''").replace("\n", " ") + "'"


@st.composite
def story_files(draw: st.DrawFn, text: st.SearchStrategy[str] = TEXT, escapes: bool = True) -> bytes:
    title = draw(text)
    summary = draw(text)
    tags = draw(st.lists(text, max_size=3))
    author = draw(text)
    escape = draw(ESCAPES) if escapes else ""
    body = "\n\n".join(draw(st.lists(text, min_size=1, max_size=4)))
    lines = [
        "---",
        f"title: {quoted('标题' + title)}",
        "date: 2020-02-10",
        f"summary: {quoted(summary)}",
        f"tags: [{', '.join(quoted(t) for t in tags)}]",
        f"author: {quoted(author)}",
        f'reviewed_by: "专家{escape}"',
        "sources:",
        "  - title: 中国疾病预防控制中心",
        "    url: http://www.chinacdc.cn/",
        "reviewed: 2020-02-10",
        "review_due: 2099-12-31",
        "---",
        "",
        "正文" + body,
    ]
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def checked(raw: bytes) -> tuple[Story | None, list[str]]:
    """The story, if accepted, and its problems as `line rule.id: message`."""
    parsed = frontmatter.parse("stories/knowledge/2020-02-10-valid.md", raw)
    story, problems = checks.check_file(parsed, FILE, section("knowledge"), SETTINGS)  # type: ignore[arg-type]
    return story, [f"{p.line} {p.rule}: {p.message}" for p in problems]


FORBIDDEN = "text.forbidden-character"


def assert_outputs_parse(story: Story, tmp: Path) -> None:
    """Every machine-read output of the story, read by a strict parser."""
    for asset in feeds.render([story], SETTINGS).assets:
        text = asset.content if isinstance(asset.content, str) else (asset.content or b"").decode()
        assert not XML_CHAR.search(text), (asset.src_uri, text)
        if asset.src_uri.endswith(".xml"):
            etree.fromstring(text.encode("utf-8"), etree.XMLParser(recover=False))
        elif asset.src_uri.endswith(".json"):
            items = json.loads(text)["items"]
            assert [item["title"] for item in items] in ([], [story.title])
    jsonld = share.story_meta(story, SETTINGS)["share"]["jsonld"]
    assert json.loads(jsonld)["@context"]
    page = story_page(story, RENDERER, {}, SETTINGS)
    assert json.loads(page.meta["share"]["jsonld"])
    assert not XML_CHAR.search(page.html)
    names = emit.write_sitemap(tmp, [(story.url, story.date)], SETTINGS, SETTINGS.today)
    for name in names:
        etree.parse(str(tmp / name), etree.XMLParser(recover=False))
    assert invalid_outputs(tmp) == []


@PROPERTY
@given(story_files())
def test_a_story_with_forbidden_characters_is_refused_and_an_accepted_one_makes_valid_outputs(raw: bytes) -> None:
    text = raw.decode("utf-8")
    story, lines = checked(raw)
    forbidden_lines = {number for number, line in enumerate(text.split("\n"), start=1) if characters.forbidden(line)}
    escaped = any(e in text for e in ("\\x0b", "\\x1b", "\\e", "\\a", "\\uFFFE", "\\x85", "\\u202E"))
    if forbidden_lines or escaped:
        assert story is None, lines
        refused = {int(line.split()[0]) for line in lines if f" {FORBIDDEN}:" in line}
        assert forbidden_lines <= refused, (forbidden_lines, lines)
        return
    if story is None:
        return  # refused for another reason (an empty title after folding, a bad tag …)
    for value in (story.title, story.summary, story.author, story.body, *story.tags):
        assert not characters.forbidden(value)
        assert not any(c in value for c in INVISIBLE if c != "\u200d"), repr(value)
    with tempfile.TemporaryDirectory() as folder:
        assert_outputs_parse(story, Path(folder))


@PROPERTY
@given(story_files(PASTED, escapes=False))
def test_text_pasted_with_invisible_characters_is_accepted_and_makes_valid_outputs(raw: bytes) -> None:
    story, lines = checked(raw)
    assert story is not None, lines
    assert not any(f" {FORBIDDEN}:" in line for line in lines)
    with tempfile.TemporaryDirectory() as folder:
        assert_outputs_parse(story, Path(folder))


@PROPERTY
@given(st.data())
def test_invisible_spaces_are_folded_without_a_word_and_keep_every_line_number(data: st.DataObject) -> None:
    """A story typed with plain spaces and the same story pasted from Word read the same."""
    plain = (
        "---\ntitle: 正确佩戴口罩\ndate: 2020-02-10\ntags: [口罩, 个人防护]\nsummary: 出门 戴口罩\n"
        "sources:\n  - title: 国家卫生健康委\n    url: http://www.nhc.gov.cn/\nreviewed: 2020-02-10\n"
        "review_due: 2099-12-31\nsumary: 错字\n---\n\n1. 先洗手\n2. 再戴口罩\n\n手机 138 0013 8000。\n"
    )
    pasted = "".join(
        data.draw(st.sampled_from([" ", "\u00a0", "\u3000", "\u2002", "\u202f"])) if c == " " else c for c in plain
    )
    pasted = pasted.replace("\n", data.draw(st.sampled_from(["\n", "\u200b\n", "\n\ufeff", "\u2060\n"])))
    if "\u3000" in pasted.split("---")[2]:
        pasted = pasted.replace("\u3000", " ")  # the body keeps U+3000 (paragraph indents)
    plain_story, plain_lines = checked(plain.encode())
    pasted_story, pasted_lines = checked(pasted.encode())
    assert pasted_lines == plain_lines
    assert plain_story is None and pasted_story is None  # the typo'd key and the mobile are errors


def test_an_accepted_story_with_invisible_characters_reads_as_typed() -> None:
    raw = "---\ntitle:\u00a0正确\u200b佩戴口罩\ndate:\u30002020-02-10\nsources:\n  - title: 国家卫健委\n    url: http://www.nhc.gov.cn/\nreviewed: 2020-02-10\nreview_due: 2099-12-31\n---\n\n先\u00ad洗手\u2028再戴口罩。😷👩\u200d⚕️\n"
    story, lines = checked(raw.encode())
    assert story is not None, lines
    assert lines == []
    assert story.title == "正确佩戴口罩"
    assert story.body.strip() == "先洗手 再戴口罩。😷👩\u200d⚕️"


def test_a_control_character_is_an_error_naming_its_line_and_what_it_is() -> None:
    raw = "---\ntitle: 口罩\ndate: 2020-02-10\nsources:\n  - title: 国家卫健委\n    url: http://www.nhc.gov.cn/\nreviewed: 2020-02-10\nreview_due: 2099-12-31\n---\n\n第一行\x0b第二行\n\n\u202e反向文字\n"
    story, lines = checked(raw.encode())
    assert story is None
    # Each names the character, so the editor can find what cannot be seen.
    assert any(line.startswith(f"11 {FORBIDDEN}:") and "U+000B" in line for line in lines), lines
    assert any(line.startswith(f"13 {FORBIDDEN}:") and "U+202E" in line for line in lines), lines


def test_the_build_fails_when_a_feed_or_sitemap_does_not_parse(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text("<feed>\x0b</feed>", "utf-8")
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "feed.json").write_text('{"a": "\x01"}', "utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset><url></urlset>", "utf-8")
    problems = pipeline.after_build(tmp_path, sample_settings(include_drafts=True))
    assert sorted(p.path.rsplit("/", 1)[-1] for p in problems if p.is_error) == ["feed.json", "feed.xml", "sitemap.xml"]
    assert [p.rule for p in problems] == ["output.invalid-feed"] * 3


def test_a_site_name_with_a_control_character_cannot_ship_a_feed(tmp_path: Path) -> None:
    broken = sample_settings(site_name="重庆妇联\x0b")
    for asset in feeds.render([], broken).assets:
        (tmp_path / asset.src_uri).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / asset.src_uri).write_text(str(asset.content), "utf-8")
    assert any(bad.file == "feed.xml" for bad in invalid_outputs(tmp_path))
