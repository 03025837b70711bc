"""The web editor's configuration: every field of the table in the form, with rules that agree with `check`."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.content import fact, fields
from generator.core import sections, slugs, vocab
from generator.core.sections import SECTIONS, Field, Kind
from generator.render import cms
from tests.conftest import ROOT, run_generator

ADMIN = ROOT / "site_src" / "admin"


def _collection(config: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == key)


def _form_field(config: dict[str, Any], section: str, key: str) -> dict[str, Any]:
    return next(f for f in _collection(config, section)["fields"] if f["name"] == key)


def test_every_field_of_the_table_is_in_the_form() -> None:
    config = cms.editor_config()
    assert [c["name"] for c in config["collections"]] == [s.key for s in SECTIONS]
    for section in SECTIONS:
        collection = _collection(config, section.key)
        assert collection["label"] == section.label
        assert collection["folder"] == f"stories/{section.folder}"
        names = [f["name"] for f in collection["fields"]]
        assert names == [f.key for f in section.fields] + ["body"], section.key
        for spec in section.fields:
            form = _form_field(config, section.key, spec.key)
            assert form["label"] == spec.label
            assert form["hint"].startswith(re.sub("填 true ?", "打开开关", spec.help)), spec.key
            assert form["required"] is (spec.required or spec.kind is Kind.SLUG), spec.key
            assert form["widget"] == _expected_widget(spec), spec.key


def _expected_widget(spec: Field) -> str:
    if spec.vocabulary and spec.kind in (Kind.TERM, Kind.TEXT, Kind.TEXT_LIST):
        return "select"
    return {
        Kind.TEXT: "string",
        Kind.DATE: "datetime",
        Kind.TEXT_LIST: "list",
        Kind.SOURCES: "list",
        Kind.HONOURS: "list",
        Kind.BOOL: "boolean",
        Kind.ADDRESS: "string",
        Kind.ADDRESS_LIST: "list",
        Kind.SLUG: "string",
        Kind.IMAGE: "image",
        Kind.CORRECTIONS: "list",
        Kind.REVIEWERS: "object",
    }[spec.kind]


def test_a_field_added_to_the_table_appears_in_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    rumours = sections.section("rumours")
    assert rumours is not None
    added = Field("platform", Kind.TERM, "流传平台", "谣言主要在哪里流传", vocabulary="statuses")
    changed = dataclasses.replace(rumours, own_fields=(*rumours.own_fields, added))
    monkeypatch.setattr(cms, "SECTIONS", tuple(changed if s.key == "rumours" else s for s in SECTIONS))
    form = _form_field(cms.editor_config(), "rumours", "platform")
    assert form["label"] == "流传平台" and form["hint"] == "谣言主要在哪里流传"
    assert form["required"] is False
    assert [o["value"] for o in form["options"]] == [t.code for t in vocab.statuses().terms]


def test_vocabularies_are_selects_with_chinese_labels_and_codes_as_values() -> None:
    config = cms.editor_config()
    verdict = _form_field(config, "rumours", "verdict")
    assert verdict["options"] == [{"label": t.label, "value": t.code} for t in vocab.verdicts().terms]
    assert {"label": "谣言", "value": "false"} in verdict["options"]
    district = _form_field(config, "knowledge", "district")
    assert [o["value"] for o in district["options"]] == [t.code for t in vocab.districts().terms]
    status = _form_field(config, "exemplars", "status")
    assert status["default"] == "current"
    honours = _form_field(config, "exemplars", "honours")
    title = next(f for f in honours["fields"] if f["name"] == "title")
    assert [o["value"] for o in title["options"]] == [t.code for t in vocab.honours().terms]


def test_sources_are_a_list_of_title_and_url_with_at_least_one() -> None:
    sources = _form_field(cms.editor_config(), "knowledge", "sources")
    assert sources["min"] == 1
    assert [f["name"] for f in sources["fields"]] == ["title", "url"]


def test_body_is_a_plain_text_box_and_pictures_go_to_stories_images() -> None:
    config = cms.editor_config()
    assert config["locale"] == "zh_Hans"
    assert config["media_folder"] == "stories/images" and config["public_folder"] == ""
    for section in SECTIONS:
        body = _form_field(config, section.key, "body")
        assert body["widget"] == "text"  # a plain text box: Slate loses IME input
        assert body["hint"] == section.body_hint
        # The file name `check` reads: the date, then the ASCII short name.
        assert _collection(config, section.key)["slug"] == "{{fields.date}}-{{fields.slug}}"


def test_local_proxy_is_on_this_host_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cms.editor_config()["local_backend"] == {
        "url": "http://127.0.0.1:8081/api/v1",
        "allowed_hosts": ["127.0.0.1"],
    }
    monkeypatch.setenv(cms.PROXY_PORT_ENV, "9123")
    assert cms.editor_config()["local_backend"]["url"] == "http://127.0.0.1:9123/api/v1"


def test_production_settings_come_from_mkdocs_yml() -> None:
    production = cms.backend_in(ROOT / "mkdocs.yml")
    assert production is not None
    config = cms.editor_config("stories", production)
    assert config["backend"]["name"] in ("forgejo", "gitea")
    assert config["publish_mode"] == "editorial_workflow"
    with pytest.raises(ValueError, match=r"extra\.editor"):
        cms.editor_config("stories", {"backnd": {}})
    with pytest.raises(ValueError, match="editorial_workflow"):
        cms.editor_config("stories", {"backend": {"name": "gitea"}, "publish_mode": "editorial_workflow"})


def test_editor_config_command_prints_what_the_build_writes(built_site: Path) -> None:
    result = run_generator("editor-config")
    assert result.returncode == 0, result.stderr
    printed = yaml.safe_load(result.stdout)
    assert printed == cms.editor_config("stories", cms.backend_in(ROOT / "mkdocs.yml"))
    # The sample build reads its stories from tests/sample/stories: the form's folders follow.
    sample = run_generator("editor-config", "--stories", "tests/sample/stories")
    assert _collection(yaml.safe_load(sample.stdout), "rumours")["folder"] == "tests/sample/stories/rumours"
    written = yaml.safe_load((built_site / "admin" / "config.yml").read_text("utf-8"))
    assert written == yaml.safe_load(sample.stdout)
    assert (built_site / "admin" / "index.html").is_file()
    assert (built_site / "admin" / "decap-cms.js").is_file()


def test_vendored_editor_is_the_locked_version() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    version = lock["packages"]["node_modules/decap-cms"]["version"]
    bundle = (ADMIN / "decap-cms.js").read_text("utf-8")
    assert f'console.log("decap-cms {version}")' in bundle
    assert f"Decap CMS {version}" in (ADMIN / "index.html").read_text("utf-8")
    assert f"Decap CMS {version}" in (ADMIN / "NOTICE.txt").read_text("utf-8")
    assert "sourceMappingURL" not in bundle[-200:]


def test_the_preview_is_drawn_by_preview_js_before_decap_starts() -> None:
    page = (ADMIN / "index.html").read_text("utf-8")
    scripts = re.findall(r"<script(?: src=\"([\w.-]+)\")?>", page)
    # Decap waits (manual init) until preview.js has read the site's stylesheets.
    assert scripts == ["", "decap-cms.js", "markdown-it.min.js", "preview.js"]
    assert "window.CMS_MANUAL_INIT = true" in page.split('<script src="decap-cms.js">')[0]
    assert '<link rel="stylesheet" href="editor.css">' in page
    script = (ADMIN / "preview.js").read_text("utf-8")
    assert "CMS.init()" in script and "registerPreviewStyle" in script
    # A section the table gains needs its story drawn here too (its lead and header templates).
    registered = re.search(r"\[([^\]]*)\]\.forEach\(function \(name\) \{ CMS\.registerPreviewTemplate", script)
    assert registered is not None
    assert re.findall(r'"(\w+)"', registered.group(1)) == [s.key for s in SECTIONS]
    for section in SECTIONS:
        for candidates in (section.lead_template, section.header_template):
            assert any((ROOT / "generator" / "templates" / t).is_file() for t in candidates), candidates


def test_the_preview_gets_every_vocabularys_words_tones_and_icons() -> None:
    data = cms.editor_config()[cms.PREVIEW_KEY]
    used = {f.vocabulary for s in SECTIONS for f in s.fields if f.vocabulary}
    assert set(data["terms"]) == used
    for name in used:
        terms = vocab.by_name(name).terms
        assert [(code, given["label"]) for code, given in data["terms"][name].items()] == [
            (t.code, t.label) for t in terms
        ]
        for t in terms:
            given = data["terms"][name][t.code]
            assert given.get("tone", "") == t.tone and given.get("explain", "") == t.explain
            assert given.get("icon", "") in data["icons"] and given.get("notice", "") == t.notice
    assert all(svg.startswith('<svg class="fed-icon"') for svg in data["icons"].values())
    assert data["conclusion_limit"] == fact.CONCLUSION_LIMIT


def test_vendored_markdown_renderer_is_the_locked_version() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    version = lock["packages"]["node_modules/markdown-it"]["version"]
    package = json.loads((ROOT / "package.json").read_text("utf-8"))
    assert package["devDependencies"]["markdown-it"] == version  # exact, as npm install --save-exact writes
    assert f"markdown-it {version}" in (ADMIN / "NOTICE.txt").read_text("utf-8")
    assert (ADMIN / "markdown-it.min.js.LICENSE.txt").read_text("utf-8").startswith(f"markdown-it {version}\n")
    renderer = (ADMIN / "markdown-it.min.js").read_text("utf-8")
    assert "e.markdownit=t()" in renderer[:400] and "sourceMappingURL" not in renderer[-200:]


# -- the form's patterns say what `check` says ------------------------------------------------

_SLUGGY = st.text(alphabet="abcz09-_A .中", max_size=60)


@given(_SLUGGY)
def test_slug_pattern_agrees_with_check(text: str) -> None:
    assert bool(re.match(cms._SLUG_PATTERN, text)) == slugs.is_valid(text)


@given(st.sampled_from(["http://", "https://", "HTTPS://", "Http://", "ftp://", "//", "www.", ""]), _SLUGGY)
def test_url_pattern_agrees_with_check(scheme: str, rest: str) -> None:
    text = scheme + rest
    assert bool(re.match(cms._URL_PATTERN, text)) == bool(fields._URL.match(text))


@given(st.text(alphabet="/ab1-._~中 ?", max_size=30))
def test_address_pattern_agrees_with_check(text: str) -> None:
    reader = fields.FieldReader("x.md", Path("."), Path("."), Path("."))
    spec = Field("superseded_by", Kind.ADDRESS, "替代文章", "")
    from generator.content.frontmatter import Scalar

    accepted = reader._address_of(spec, Scalar(text, 1)) is not None
    # `check` strips the value; the form sees what the editor typed, spaces included.
    if text == text.strip():
        assert bool(re.match(cms._ADDRESS_PATTERN, text)) == accepted, text


@given(st.integers(min_value=0, max_value=3000))
def test_year_pattern_agrees_with_check(year: int) -> None:
    assert bool(re.match(cms._YEAR_PATTERN, str(year))) == (1949 <= year <= 2100)


@pytest.mark.requires("node")
def test_the_forms_patterns_mean_in_javascript_what_they_mean_in_python() -> None:
    """Decap runs the patterns as JavaScript RegExps: Python-only syntax (`\\Z`) would change them."""
    import json
    import subprocess

    samples = [
        "baijiu",
        "wear-masks",
        "Z",
        "baijiuZ",
        "a--b",
        "-a",
        "https://x.cn/",
        "HTTP://x.cn",
        "2020",
        "/rumours/a/",
    ]
    patterns = [cms._SLUG_PATTERN, cms._URL_PATTERN, cms._YEAR_PATTERN, cms._ADDRESS_PATTERN]
    script = (
        "const [ps, ss] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(ps.map(p => ss.map(s => new RegExp(p).test(s)))));"
    )
    done = subprocess.run(
        ["node", "-e", script], input=json.dumps([patterns, samples]), capture_output=True, text=True, check=True
    )
    in_js = json.loads(done.stdout)
    in_python = [[re.search(p, s) is not None for s in samples] for p in patterns]
    assert in_js == in_python


def test_the_signature_fields_are_the_sites_review_levels() -> None:
    default = _form_field(cms.editor_config(), "rumours", "reviewers")
    assert [f["name"] for f in default["fields"]] == list(cms.FORM_REVIEW_LEVELS)
    levels = ("初审", "终审")
    chosen = _form_field(cms.editor_config(review_levels=levels), "rumours", "reviewers")
    assert [f["name"] for f in chosen["fields"]] == list(levels) and chosen["collapsed"] is False
    assert all(f["required"] is False for f in chosen["fields"])  # a draft may be saved unsigned
