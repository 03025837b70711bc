"""The web editor's configuration (Decap CMS `config.yml`), made from the sections table.

Nothing here is written by hand per field: a field added to `sections.py` appears in the
form with its label, help text, required flag and widget.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.content import fact, fields
from generator.core import settings, slugs, vocab
from generator.core.sections import SECTIONS, Field, Kind, Section
from generator.render import templating

Widget = dict[str, Any]

# The local proxy (`decap-server`), used only when /admin/ is opened on this host.
PROXY_HOST = "127.0.0.1"
PROXY_PORT = 8081
# The production backend when mkdocs.yml names none under `extra.editor`; see docs/web-editor.md.
DEFAULT_BACKEND: dict[str, Any] = {
    "name": "forgejo",
    "repo": "cqwomen/fangyi",
    "branch": "main",
    "base_url": "https://git.cqwomen.example",
    "api_root": "https://git.cqwomen.example/api/v1",
}
# Production settings mkdocs.yml may give under `extra.editor` (see docs/web-editor.md).
PRODUCTION_KEYS = ("backend", "publish_mode")
IMAGES_FOLDER = "images"
CONFIG_URI = "admin/config.yml"
# The key of config.yml under which admin/preview.js finds the vocabularies and icons.
PREVIEW_KEY = "site_preview"
# Set by `python -m generator editor` for its preview, so the form finds a proxy on another port.
PROXY_PORT_ENV = "FEDERATION_EDITOR_PROXY_PORT"

# A file name needs an ASCII short name, and the editor cannot make pinyin from a title:
# fields of these kinds are required in the form though the table lets `check` derive them.
_REQUIRED_IN_FORM = frozenset({Kind.SLUG})

# JavaScript has no `\Z` (it would match a letter Z): the form's pattern ends with `$`.
_SLUG_PATTERN = (
    f"^(?=.{{1,{slugs.MAX_SLUG_LENGTH}}}$)"
    + slugs.SLUG_PATTERN.pattern.removeprefix("^").removesuffix("\\Z").removesuffix("$")
    + "$"
)
_SLUG_MESSAGE = (
    f"只能用小写英文字母、数字和连字符，{slugs.MAX_SLUG_LENGTH} 个字符以内，"
    "例如 wear-masks（可写标题的拼音，如 baijiu-yufang）"
)
# `check` reads a scheme in any case; the form's pattern has no flags, so each letter takes both.
_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://" + fields._URL.pattern.removeprefix("^https?://")
_URL_MESSAGE = "网址应以 http:// 或 https:// 开头，例如 http://www.nhc.gov.cn/"
# What `check` accepts once it has added the leading and trailing slash it adds itself.
# A segment as addresses.py reads it: plain ASCII, never starting with a dot.
_ADDRESS_PATTERN = r"^/?(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/)*(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/?)?$"
_ADDRESS_MESSAGE = "应是本站地址，例如 /rumours/baijiu/（只含英文字母、数字和连字符）"
_YEAR_PATTERN = r"^(?:1949|19[5-9]\d|20\d\d|2100)$"
_YEAR_MESSAGE = "请写 1949 到 2100 之间的四位数年份，例如 2020"
DATE_FORMAT = "YYYY-MM-DD"


def editor_config(
    stories: str = "stories", production: Mapping[str, Any] | None = None, review_levels: Sequence[str] = ()
) -> dict[str, Any]:
    """The whole Decap CMS configuration: backends, media folder and one collection per section;
    `review_levels`, the site's (三审), are the signature fields' levels."""
    given = dict(production or {})
    unknown = sorted(set(given) - set(PRODUCTION_KEYS))
    if unknown:
        raise ValueError(
            f"mkdocs.yml 的 extra.editor 中不认识的设置：{', '.join(unknown)}；可用：{', '.join(PRODUCTION_KEYS)}"
        )
    workflow = {"publish_mode": given["publish_mode"]} if "publish_mode" in given else {}
    backend = dict(given.get("backend") or DEFAULT_BACKEND)
    if backend.get("name") == "gitea" and workflow.get("publish_mode") == "editorial_workflow":
        # Decap refuses to start; say so at build time instead of in the editors' browsers.
        raise ValueError("Decap CMS 的 gitea 后端不支持 editorial_workflow；请改用 forgejo 后端，或删去 publish_mode")
    return {
        "backend": backend,
        **workflow,
        # Used only when /admin/ is opened on 127.0.0.1 (`python -m generator editor`).
        "local_backend": {"url": proxy_url(), "allowed_hosts": [PROXY_HOST]},
        "locale": "zh_Hans",
        "media_folder": f"{stories}/{IMAGES_FOLDER}",
        # A picture's value is its bare file name, which `check` finds under stories/images/.
        "public_folder": "",
        "site_url": "/",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [collection(section, stories, review_levels) for section in SECTIONS],
        # Read by admin/preview.js (Decap ignores keys it does not know).
        PREVIEW_KEY: preview_data(),
    }


def preview_data() -> dict[str, Any]:
    """What the preview pane needs beyond the form to draw a story as the site does: each
    vocabulary's terms with their tone, icon and explanation, and the icons as the site's
    own macro draws them (templates/macros.html)."""
    names = sorted({f.vocabulary for s in SECTIONS for f in s.fields if f.vocabulary})
    terms = {
        name: {
            t.code: {"label": t.label} | _given(tone=t.tone, icon=t.icon, explain=t.explain, notice=t.notice)
            for t in vocab.by_name(name).terms
        }
        for name in names
    }
    wanted = {"", "check", "warning", *(term.get("icon", "") for found in terms.values() for term in found.values())}
    draw = templating.environment().from_string('{% from "macros.html" import icon %}{{ icon(name) }}')
    icons = {name: draw.render(name=name) for name in sorted(wanted)}
    return {"terms": terms, "icons": icons, "conclusion_limit": fact.CONCLUSION_LIMIT}


def _given(**values: str) -> dict[str, str]:
    return {key: value for key, value in values.items() if value}


def proxy_port() -> int:
    """The local proxy's port: the default, or the one `editor` chose for this preview."""
    return int(os.environ.get(PROXY_PORT_ENV) or PROXY_PORT)


def proxy_url() -> str:
    """Where the form looks for the local proxy when /admin/ is opened on this host."""
    return f"http://{PROXY_HOST}:{proxy_port()}/api/v1"


def editor_config_yaml(
    stories: str = "stories", production: Mapping[str, Any] | None = None, review_levels: Sequence[str] = ()
) -> str:
    """The configuration as the `config.yml` that /admin/ loads."""
    header = "# Generated from generator/sections.py by `python -m generator editor-config`; do not edit.\n"
    made = editor_config(stories, production, review_levels)
    body = yaml.safe_dump(made, allow_unicode=True, sort_keys=False, width=1000)
    return header + body


def collection(section: Section, stories: str, review_levels: Sequence[str] = ()) -> dict[str, Any]:
    """One section as a folder collection: its fields in table order, then the Markdown body."""
    fields = [widget(f) for f in section.fields]
    if review_levels:  # the site's own levels; optional in the form, since a draft may lack them (check says so)
        signature = [
            {"name": level, "label": level, "widget": "string", "required": False, "hint": "发布前必须填写审核人的姓名"}
            for level in review_levels
        ]
        for made in fields:
            if made["name"] == "reviewers":
                made.update(fields=signature, collapsed=False)
    return {
        "name": section.key,
        "label": section.label,
        "label_singular": section.label,
        "description": section.description,
        "folder": f"{stories}/{section.folder}",
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
        # The file name `check` expects: the story's date, then its ASCII short name.
        "slug": "{{fields.date}}-{{fields.slug}}",
        "identifier_field": "title",
        "summary": "{{title}}（{{date}}）",
        "sortable_fields": ["date", "title"],
        "fields": [*fields, body(section)],
    }


def widget(spec: Field) -> Widget:
    """The form input for one field of the table."""
    made = _WIDGETS[spec.kind](spec)
    required = spec.required or spec.kind in _REQUIRED_IN_FORM
    result: Widget = {"name": spec.key, "label": spec.label, "hint": spec.help, "required": required}
    result.update(made)
    if spec.default and "default" not in result:
        result["default"] = spec.default
    return result


def body(section: Section) -> Widget:
    """The body as Markdown in a plain text box: Decap's Markdown editor (Slate, even in its raw
    mode) loses text typed through a Chinese IME, which a browser's own text box never does."""
    return {"name": "body", "label": "正文", "hint": section.body_hint, "widget": "text", "required": True}


def _options(name: str) -> list[dict[str, str]]:
    return [{"label": t.label, "value": t.code} for t in vocab.by_name(name).terms]


def _text(spec: Field) -> Widget:
    if spec.vocabulary:
        return _term(spec)
    return {"widget": "string"}


def _date(spec: Field) -> Widget:
    # An empty default: the form must not invent a review or publication date.
    return {
        "widget": "datetime",
        "format": DATE_FORMAT,
        "date_format": DATE_FORMAT,
        "time_format": False,
        "default": "",
    }


def _text_list(spec: Field) -> Widget:
    if spec.vocabulary:
        return {"widget": "select", "multiple": True, "options": _options(spec.vocabulary)}
    return {"widget": "list", "field": {"name": "item", "label": spec.label, "widget": "string"}}


def _sources(spec: Field) -> Widget:
    return {
        "widget": "list",
        "summary": "{{fields.title}}",
        "min": 1 if spec.required else 0,
        "fields": [
            {"name": "title", "label": "名称", "widget": "string", "hint": "来源的名称，例如 国家卫生健康委"},
            {
                "name": "url",
                "label": "网址",
                "widget": "string",
                "hint": "以 http:// 或 https:// 开头",
                "pattern": [_URL_PATTERN, _URL_MESSAGE],
            },
        ],
    }


def _honours(spec: Field) -> Widget:
    return {
        "widget": "list",
        "summary": "{{fields.title}}",
        "fields": [
            {"name": "title", "label": "荣誉名称", "widget": "select", "options": _options(spec.vocabulary)},
            {
                "name": "year",
                "label": "年份",
                "widget": "string",
                "required": False,
                "pattern": [_YEAR_PATTERN, _YEAR_MESSAGE],
            },
            {"name": "level", "label": "级别", "widget": "string", "required": False, "hint": "例如 全国、市级"},
            {"name": "issuer", "label": "授予单位", "widget": "string", "required": False},
        ],
    }


def _bool(spec: Field) -> Widget:
    # The table speaks to people who type `true`; the form shows a switch.
    return {"widget": "boolean", "default": False, "hint": re.sub("填 true ?", "打开开关", spec.help)}


def _term(spec: Field) -> Widget:
    return {"widget": "select", "options": _options(spec.vocabulary)}


def _address(spec: Field) -> Widget:
    return {"widget": "string", "pattern": [_ADDRESS_PATTERN, _ADDRESS_MESSAGE]}


def _address_list(spec: Field) -> Widget:
    item = {"name": "item", "label": spec.label, "widget": "string", "pattern": [_ADDRESS_PATTERN, _ADDRESS_MESSAGE]}
    return {"widget": "list", "field": item}


def _slug(spec: Field) -> Widget:
    hint = spec.help + "。文件名由发布日期和网址短名组成，例如 2020-02-01-baijiu.md"
    return {"widget": "string", "hint": hint, "pattern": [_SLUG_PATTERN, _SLUG_MESSAGE]}


def _image(spec: Field) -> Widget:
    return {"widget": "image", "choose_url": False}


def _corrections(spec: Field) -> Widget:
    # No default inside an entry: Decap makes a new story with one entry already in the list
    # when any of its fields has one (an empty entry the form then refuses to save). A new
    # entry's date is today, which is when a correction is written.
    day = {k: v for k, v in _date(spec).items() if k != "default"}
    return {
        "widget": "list",
        "summary": "{{fields.date}} {{fields.kind}}",
        "default": [],
        "fields": [
            {"name": "date", "label": "日期", **day},
            {"name": "kind", "label": "类型", "widget": "select", "options": _options(spec.vocabulary)},
            {"name": "note", "label": "改了什么", "widget": "string"},
        ],
    }


# The form's levels when a site sets none of its own: 三审 as 政务新媒体 name it.
FORM_REVIEW_LEVELS = ("编辑", "初审", "复审", "终审")


def _reviewers(spec: Field) -> Widget:
    return {
        "widget": "object",
        "collapsed": True,
        "fields": [
            {"name": level, "label": level, "widget": "string", "required": False} for level in FORM_REVIEW_LEVELS
        ],
    }


_WIDGETS: dict[Kind, Callable[[Field], Widget]] = {
    Kind.TEXT: _text,
    Kind.DATE: _date,
    Kind.TEXT_LIST: _text_list,
    Kind.SOURCES: _sources,
    Kind.HONOURS: _honours,
    Kind.BOOL: _bool,
    Kind.TERM: _term,
    Kind.ADDRESS: _address,
    Kind.ADDRESS_LIST: _address_list,
    Kind.SLUG: _slug,
    Kind.IMAGE: _image,
    Kind.CORRECTIONS: _corrections,
    Kind.REVIEWERS: _reviewers,
}


def backend_in(config_file: Path) -> dict[str, Any] | None:
    """The production settings a mkdocs.yml gives under `extra.editor`, as the build reads them."""
    # The loader settings.load uses, so `!ENV` and plugin tags read as they do for the build.
    config = yaml.load(config_file.read_text("utf-8"), Loader=settings._Loader) or {}
    chosen = (config.get("extra") or {}).get("editor")
    return dict(chosen) if isinstance(chosen, dict) else None


def stories_folder(root: Path, stories_dir: Path) -> str:
    """The stories folder as the editor names it: relative to the repository, with slashes."""
    try:
        return stories_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return "stories"
