"""The sections table carries behaviour: every kind has its reader, widget and schema; every
declaration names something that exists; the editors' guide and JSON Schema agree with it;
and a fourth section added to a temporary table is built like the others with no other change."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from generator import pipeline
from generator.commands import cli
from generator.content import fields
from generator.content.frontmatter import Scalar
from generator.core import addresses, sections, vocab
from generator.core.sections import FACETS, SECTIONS, Field, Kind, Role, Schema, Search, Section
from generator.core.story import Story
from generator.render import cms, completion, search, share, templating
from tests.conftest import ROOT, SAMPLE, sample_settings

GUIDE = ROOT / "site_src" / "guide" / "index.md"


# -- every kind, every declaration --------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_reader_a_widget_and_a_schema(kind: Kind) -> None:
    assert kind in fields.READERS
    assert kind in cms._WIDGETS
    assert kind in completion.KINDS


def test_the_registries_name_no_kind_twice_and_nothing_else() -> None:
    for registry in (fields.READERS, cms._WIDGETS, completion.KINDS):
        assert set(registry) == set(Kind)


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_every_declaration_of_a_section_names_something_that_exists(section: Section) -> None:
    keys = [f.key for f in section.fields]
    assert len(keys) == len(set(keys)), "a key twice"
    roles = [f.role for f in section.fields if f.role is not None]
    assert len(roles) == len(set(roles)), "a role twice: Story.get(role) would be ambiguous"
    folders = {f.folder for f in FACETS}
    for spec in section.fields:
        assert not spec.facet or spec.facet in folders, spec.key
        assert not spec.vocabulary or spec.vocabulary in vocab.all_vocabularies(), spec.key
        assert spec.kind is not Kind.TERM or spec.vocabulary, spec.key
    assert not section.badge_field or section.field(section.badge_field) is not None
    environment = templating.environment()
    for templates in (section.header_template, section.lead_template):
        environment.select_template(list(templates))  # found, or the default is


def test_every_facets_folder_belongs_to_the_generated_site(monkeypatch: pytest.MonkeyPatch) -> None:
    added = sections.Facet("hotlines", "心理援助热线", "按热线浏览。")
    monkeypatch.setattr(addresses, "FACETS", (*FACETS, added))
    for facet in (*FACETS, added):  # so no story's alias can take a facet's page
        assert addresses.generated_owner(f"/{facet.folder}/") is not None
        assert addresses.generated_owner(f"/{facet.folder}/any-value/") is not None
    assert addresses.generated_owner("/hotlines/12355/") == "「心理援助热线」页面"


def test_every_facet_is_some_fields_and_every_section_has_a_schema_type() -> None:
    used = {f.facet for s in SECTIONS for f in s.fields}
    assert [f.folder for f in FACETS if f.folder not in used] == []
    assert all(s.schema.type for s in SECTIONS)


def test_a_section_without_its_own_header_takes_the_default() -> None:
    plain = dataclasses.replace(SECTIONS[0], key="nothing-of-its-own")
    chosen = templating.environment().select_template(list(plain.header_template))
    assert chosen.name == "header/_default.html"
    assert chosen.render() == ""


# -- vocabularies -------------------------------------------------------------------------


def test_every_list_of_terms_in_the_folder_is_a_vocabulary() -> None:
    folder = resources.files("generator.vocabularies")
    lists = {
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
        and isinstance(rows := yaml.safe_load(entry.read_text("utf-8")), list)
        and all(isinstance(row, dict) for row in rows)
    }
    assert set(vocab.all_vocabularies()) == lists
    assert {"districts", "honours", "verdicts", "statuses"} <= lists
    assert "synonyms" not in lists and "questions" not in lists


@given(st.sampled_from(vocab.verdicts().terms))
def test_a_verdicts_rating_comes_from_its_vocabulary(term: vocab.Term) -> None:
    rating = share._rating(term)
    worst, best = vocab.verdicts().ratings or (0, 0)
    if term.rating is None:
        assert rating == {}
    else:
        assert rating == {"ratingValue": term.rating, "bestRating": best, "worstRating": worst}
        assert worst <= term.rating <= best


# -- one accessor -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    outcome = pipeline.check(sample_settings())
    assert outcome.stories
    return outcome.stories


def test_one_accessor_reads_every_field_of_every_story(stories: list[Story]) -> None:
    for story in stories:
        for spec in story.section.fields:
            expected = story.fields[spec.key] if spec.key in story.fields else getattr(story, spec.key, None)
            assert story.get(spec.key) == expected, (story.path, spec.key)
            if spec.role is not None:
                assert story.get(spec.role) == expected
        assert story.get("no-such-field") is None
        others = {r for s in SECTIONS for r in (f.role for f in s.fields) if r is not None}
        for role in others - {f.role for f in story.section.fields}:
            assert story.get(role) is None


def test_the_accessor_checks_the_type_asked_for(stories: list[Story]) -> None:
    rumour = next(s for s in stories if s.section.with_role(Role.VERDICT) is not None)
    assert isinstance(rumour.get(Role.VERDICT, vocab.Term), vocab.Term)
    assert rumour.get(Role.VERDICT, str) is None
    assert rumour.get("title", str) == rumour.title


# -- no module names a field --------------------------------------------------------------


def _own_names() -> set[str]:
    common = {f.key for f in sections.COMMON_FIELDS}
    return {s.key for s in SECTIONS} | {f.key for s in SECTIONS for f in s.own_fields} - common


def _branches_on(tree: ast.AST, names: set[str]) -> list[tuple[int, str]]:
    """Where code compares with, indexes by or looks up (`.get`) a section's or own field's name."""
    found = []
    for node in ast.walk(tree):
        constants: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            constants = [node.left, *node.comparators]
            constants += [e for c in node.comparators if isinstance(c, (ast.Tuple, ast.Set, ast.List)) for e in c.elts]
        elif isinstance(node, ast.Subscript):
            constants = [node.slice]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            constants = node.args[:1]
        found += [(node.lineno, c.value) for c in constants if isinstance(c, ast.Constant) and c.value in names]
    return found


# Names that are something else where they are used: an HTML attribute, a backend's name in the
# editor's configuration, the publisher's organisation and name in mkdocs.yml's `extra`.
_ELSEWHERE = {
    ("content/rawhtml.py", "name"),
    ("render/cms.py", "name"),
    ("render/govmeta.py", "organisation"),
    ("render/govmeta.py", "name"),
}


def test_no_module_branches_on_a_section_or_field_name() -> None:
    names = _own_names()
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        relative = path.relative_to(ROOT / "generator").as_posix()
        if relative == "core/sections.py":
            continue
        for line, name in _branches_on(ast.parse(path.read_text("utf-8")), names):
            if (relative, name) not in _ELSEWHERE:
                found.append(f"generator/{relative}:{line} {name!r}")
    assert found == []


def test_the_name_test_finds_a_branch() -> None:
    tree = ast.parse('if story.fields.get("verdict"): pass\nif section.key == "rumours": pass\nx = values["claim"]')
    assert sorted(name for _, name in _branches_on(tree, _own_names())) == ["claim", "rumours", "verdict"]


# -- the editors' guide -------------------------------------------------------------------

_ROW = re.compile(
    r"^\| `(?P<key>[a-z_]+)` \| (?P<required>\*\*是\*\*|否) \| \*\*(?P<label>[^*]+)\*\*：(?P<help>.*?) \| "
)


def _guide_tables() -> list[list[tuple[str, bool, str, str]]]:
    tables: list[list[tuple[str, bool, str, str]]] = []
    current: list[tuple[str, bool, str, str]] | None = None
    for line in GUIDE.read_text("utf-8").splitlines():
        if line.startswith("| 字段 | 必填 | 说明 | 示例 |"):
            current = []
            tables.append(current)
        elif current is not None and (row := _ROW.match(line)):
            # The guide may set a value in code (`{title: …}`); the words are the table's.
            current.append((row["key"], row["required"] != "否", row["label"], row["help"].replace("`", "")))
        elif current is not None and not line.startswith("|"):
            current = None
    return tables


def test_the_guide_has_each_sections_fields_as_the_table_says() -> None:
    tables = _guide_tables()
    assert len(tables) == len(SECTIONS)
    for section, rows in zip(SECTIONS, tables, strict=True):
        ordered = [f for f in section.fields if f.required] + [f for f in section.fields if not f.required]
        assert rows == [(f.key, f.required, f.label, f.help) for f in ordered], section.key


# -- the editors' JSON Schema -------------------------------------------------------------


class _Yaml12(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 tools read it: a date stays text."""


_Yaml12.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front(text: str) -> dict[str, Any]:
    _, front, _ = text.split("---", 2)
    loaded = yaml.load(front, Loader=_Yaml12)  # a SafeLoader
    assert isinstance(loaded, dict)
    return loaded


def _validator(section: Section) -> jsonschema.Draft202012Validator:
    schema = completion.section_schema(section)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _sample_files(section: Section) -> list[Path]:
    return sorted((SAMPLE / section.folder).rglob("*.md"))


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_the_schema_accepts_every_sample_story(section: Section) -> None:
    validator = _validator(section)
    files = _sample_files(section)
    assert files
    for file in files:
        errors = [e.message for e in validator.iter_errors(_front(file.read_text("utf-8")))]
        assert errors == [], file


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_the_schema_refuses_what_check_refuses(section: Section) -> None:
    validator = _validator(section)
    good = _front(_sample_files(section)[0].read_text("utf-8"))
    required = next(f.key for f in section.fields if f.required and f.key in good)
    wrong = [
        {**good, "titel": "拼错的字段名"},
        {k: v for k, v in good.items() if k != required},
        {**good, "date": "2020/02/31 前后"},
        {**good, "district": "不存在的区"},
        {**good, "slug": "Wear Masks"},
        {**good, "tags": ["标签"] * 21},
    ]
    for front in wrong:
        assert not validator.is_valid(front), front


_TERM_FIELDS = list({f.key: f for s in SECTIONS for f in s.fields if f.kind is Kind.TERM}.values())


def _read(spec: Field, text: str) -> object | None:
    reader = fields.FieldReader("story.md", SAMPLE, SAMPLE / "images", SAMPLE)
    return reader.read(spec, Scalar(text, 2))


@given(st.sampled_from(_TERM_FIELDS), st.data())
def test_a_vocabularys_codes_and_labels_pass_the_schema_and_check(spec: Field, data: st.DataObject) -> None:
    term = data.draw(st.sampled_from(vocab.by_name(spec.vocabulary).terms))
    value = data.draw(st.sampled_from([term.code, term.label]))
    schema = completion.field_schema(spec)
    assert jsonschema.Draft202012Validator(schema).is_valid(value)
    assert _read(spec, value) == term


@given(st.sampled_from(_TERM_FIELDS), st.text(min_size=1, max_size=8))
def test_a_value_outside_the_vocabulary_is_refused_by_both(spec: Field, text: str) -> None:
    assume(vocab.by_name(spec.vocabulary).find(text.strip()) is None)
    assert not jsonschema.Draft202012Validator(completion.field_schema(spec)).is_valid(text)
    assert _read(spec, text) is None


def test_a_rumours_verdict_is_refused_when_no_such_verdict() -> None:
    rumours = next(s for s in SECTIONS if s.field("verdict"))
    validator = _validator(rumours)
    good = _front(_sample_files(rumours)[0].read_text("utf-8"))
    assert validator.is_valid({**good, "verdict": False})  # `verdict: false` unquoted, as YAML 1.2 reads it
    assert validator.is_valid({**good, "verdict": "谣言"})
    assert not validator.is_valid({**good, "verdict": "假的"})


def test_the_schema_command_writes_one_file_a_section(tmp_path: Path) -> None:
    assert cli.main(["--config", str(ROOT / "mkdocs.yml"), "schema", "--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{s.key}.schema.json" for s in SECTIONS)
    for section in SECTIONS:
        assert json.loads((tmp_path / f"{section.key}.schema.json").read_text("utf-8")) == completion.section_schema(
            section
        )


# -- a fourth section ---------------------------------------------------------------------

COUNSELLING = Section(
    key="counselling",
    label="心理疏导",
    description="疫情期间的心理疏导：焦虑、失眠、居家隔离的情绪调适。",
    hashtag="#心理疏导#",
    body_hint="在这里写疏导方法。",
    own_fields=(
        Field(
            "hotline",
            Kind.TEXT,
            "心理援助热线",
            "可以拨打的心理援助热线",
            required=True,
            example="12355",
            search=Search.FACT,
        ),
        Field(
            "audience",
            Kind.TEXT_LIST,
            "适用人群",
            "适用人群列表",
            example="[居家隔离人员, 老年人]",
            search=Search.FACT,
            facet="audiences",
            role=Role.AUDIENCE,
            schema=("audience[]:PeopleAudience.audienceType",),
        ),
        Field(
            "counsellor",
            Kind.TEXT,
            "疏导专家",
            "撰写或审核的心理咨询师",
            example="市心理卫生协会专家",
            schema=("reviewedBy:Organization.name",),
        ),
    ),
    schema=Schema("MedicalWebPage", omit=("articleSection",)),
)


@pytest.fixture
def fourth_section(monkeypatch: pytest.MonkeyPatch) -> Iterator[Section]:
    """The table with 心理疏导 added, wherever a module holds it."""
    table = (*SECTIONS, COUNSELLING)
    for module in list(sys.modules.values()):
        if module.__name__.startswith("generator") and getattr(module, "SECTIONS", None) is SECTIONS:
            monkeypatch.setattr(module, "SECTIONS", table)
    yield COUNSELLING


def _example_story(section: Section) -> str:
    """A story of `section` from its own fields' example values (the body hint is refused as a
    placeholder, which shows that rule reads the new section from the table too)."""
    lines = ["---", "title: 居家隔离期间如何调节情绪", "date: 2020-02-15"]
    lines += [f"{spec.key}: {spec.example}" for spec in section.own_fields]
    return "\n".join([*lines, "---", "", "每天固定时间起床，和家人视频聊天，少看让人紧张的消息。", ""])


def test_a_fourth_section_is_built_from_the_table_alone(fourth_section: Section, tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    (stories / fourth_section.folder).mkdir()
    (stories / fourth_section.folder / "2020-02-15-qing-xu.md").write_text(_example_story(fourth_section), "utf-8")
    settings = sample_settings(stories_dir=stories, cache_dir=tmp_path / "cache")
    outcome, site = pipeline.build(settings)
    assert site is not None, [str(p) for p in outcome.problems if p.is_error]
    story = next(s for s in outcome.stories if s.section is fourth_section)
    assert story.url == "/counselling/qing-xu/"
    assert story.get("hotline") == "12355"

    pages = {p.url: p for p in site.pages}
    page = pages["/counselling/qing-xu/"]  # its page, with the default header and lead
    assert "居家隔离期间如何调节情绪" in page.html and 'data-section="counselling"' in page.html
    assert "/counselling/qing-xu/" in pages["/counselling/"].html  # its listing
    assert "/counselling/qing-xu/" in pages["/audiences/ju-jia-ge-li-ren-yuan/"].html  # its facet
    assert "/counselling/" in pages["/"].html  # the home page's blocks

    document = search.document(story)  # search: its facts and its section
    assert document.section == "心理疏导"
    assert ("心理援助热线", "12355") in document.head and ("适用人群", "居家隔离人员、老年人") in document.head
    assets = {a.src_uri: a.content for a in site.assets}
    own_files = [
        json.loads(content)
        for uri, content in assets.items()
        if "/d/" in uri and isinstance(content, bytes) and b"/counselling/qing-xu/" in content
    ]
    assert [(f["u"], f["s"]) for f in own_files] == [("/counselling/qing-xu/", "心理疏导")]  # the index's own file
    assert "/counselling/" in [url for _, url in search.browse_links()]  # and its browsing pages

    feed = assets["counselling/feed.xml"]  # its own feed, and the site's
    assert isinstance(feed, str) and "/counselling/qing-xu/" in feed
    assert "/counselling/qing-xu/" in str(assets["feed.xml"])

    data = share.structured_data(story, settings)  # its schema.org type from the table
    assert data["@type"] == "MedicalWebPage" and "articleSection" not in data
    assert data["reviewedBy"] == {"@type": "Organization", "name": "市心理卫生协会专家"}
    assert [a["audienceType"] for a in data["audience"]] == ["居家隔离人员", "老年人"]

    config = cms.editor_config()  # the web editor's form
    collection = next(c for c in config["collections"] if c["name"] == "counselling")
    assert collection["folder"] == "stories/counselling"
    assert [f["name"] for f in collection["fields"]][-4:] == ["hotline", "audience", "counsellor", "body"]

    validator = jsonschema.Draft202012Validator(completion.section_schema(fourth_section))
    assert validator.is_valid(_front(_example_story(fourth_section)))  # and the editors' schema


def test_the_fourth_section_is_only_in_the_temporary_table() -> None:
    assert sections.section("counselling") is None
    assert all(s.key != "counselling" for s in SECTIONS)
