"""The JSON Schema of each section's front matter, made from the sections table, for editors'
completion and checking as they type (VS Code's YAML and Front Matter extensions, Obsidian …).

`python -m generator schema` prints it (`--section` for one, `--output` writes one file per
section, `<section>.schema.json`). It describes what a YAML editor sees, YAML 1.2 as those
tools read it: `verdict: false` arrives as the boolean false, `allow_numbers: [13800138000]`
as a number, a list may be written on one line (`tags: 口罩，勤洗手`). It is help as editors
type: an unknown or missing key, a value outside a vocabulary, a date, address or short name
written wrong. `check` stays the judge (it reads the raw text, and says the line and the fix in
Chinese); tests/test_table.py holds that the two agree on the sample stories and on the
vocabularies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from generator.content import fields, limits
from generator.core import vocab
from generator.core.sections import SECTIONS, Field, Kind, Section
from generator.render import cms

Schema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TEXT: Schema = {"type": "string"}
# A plain scalar YAML reads as a number or a boolean is still text to `check`.
_SCALAR: Schema = {"type": ["string", "number", "boolean"]}
_DATE_PATTERNS = (
    fields._DATE.pattern,
    # 2020年2月1日, as `check` reads it; JSON Schema's patterns have no \s: spaces written out.
    fields._CHINESE_DATE.pattern.replace(r"\s", "[ \t\u3000]"),
)


def _items(spec: Field, item: Schema) -> Schema:
    """A list of `item`, or one line that `check` splits at commas (`口罩，勤洗手`)."""
    listed: Schema = {"type": "array", "items": item}
    most = spec.max_items or limits.MAX_ITEMS.get(spec.kind)
    if most:
        listed["maxItems"] = most
    if spec.item_chars:
        item = {**item, "maxLength": spec.item_chars}
        listed["items"] = item
    return {"anyOf": [listed, item]}


def _terms(name: str) -> list[Any]:
    """A vocabulary's codes and labels; `false` and `true` also as YAML reads them unquoted."""
    values: list[Any] = []
    for term in vocab.by_name(name).terms:
        values.extend(dict.fromkeys((term.code, term.label)))
        if term.code in ("false", "true"):
            values.append(term.code == "true")
    return values


def _text(spec: Field) -> Schema:
    return {"enum": _terms(spec.vocabulary)} if spec.vocabulary else _SCALAR


def _date(spec: Field) -> Schema:
    return {"type": "string", "anyOf": [{"pattern": p} for p in _DATE_PATTERNS]}


def _text_list(spec: Field) -> Schema:
    return _items(spec, {"enum": _terms(spec.vocabulary)} if spec.vocabulary else {"type": ["string", "number"]})


def _sources(spec: Field) -> Schema:
    source: Schema = {
        "type": "object",
        "properties": {"title": _TEXT, "url": {"type": "string", "pattern": cms._URL_PATTERN}},
        "required": ["title", "url"],
        "additionalProperties": False,
    }
    made: Schema = {"type": "array", "items": source, "maxItems": limits.MAX_ITEMS[Kind.SOURCES]}
    if spec.required:
        made["minItems"] = 1
    return made


def _honours(spec: Field) -> Schema:
    name: Schema = {"enum": _terms(spec.vocabulary)}
    detailed: Schema = {
        "type": "object",
        "properties": {
            "title": name,
            "year": {
                "anyOf": [
                    {"type": "integer", "minimum": 1949, "maximum": 2100},
                    {"type": "string", "pattern": cms._YEAR_PATTERN},
                ]
            },
            "level": _TEXT,
            "issuer": _TEXT,
        },
        "required": ["title"],
        "additionalProperties": False,
    }
    return _items(spec, {"anyOf": [name, detailed]})


def _bool(spec: Field) -> Schema:
    # `check` also reads 是 and 否, and yes, no, on and off, which YAML 1.2 leaves as text.
    return {"anyOf": [{"type": "boolean"}, {"enum": sorted(fields._TRUE | fields._FALSE)}]}


def _term(spec: Field) -> Schema:
    return {"enum": _terms(spec.vocabulary)}


def _address(spec: Field) -> Schema:
    return {"type": "string", "pattern": cms._ADDRESS_PATTERN}


def _address_list(spec: Field) -> Schema:
    return _items(spec, _address(spec))


def _slug(spec: Field) -> Schema:
    return {"type": "string", "pattern": cms._SLUG_PATTERN}


def _image(spec: Field) -> Schema:
    # Any case, as `check` reads a suffix; the patterns have no flags.
    suffixes = "|".join(
        "".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in s[1:]) for s in fields.IMAGE_SUFFIXES
    )
    return {"type": "string", "pattern": rf"\.(?:{suffixes})$"}


def _corrections(spec: Field) -> Schema:
    entry: Schema = {
        "type": "object",
        "properties": {"date": _date(spec), "kind": {"enum": _terms(spec.vocabulary)}, "note": _SCALAR},
        "required": ["date", "kind", "note"],
        "additionalProperties": False,
    }
    return {"type": "array", "items": entry, "maxItems": limits.MAX_ITEMS[Kind.CORRECTIONS]}


def _reviewers(spec: Field) -> Schema:
    # One line per level (`初审: 李四`); the levels are the site's own (mkdocs.yml), so any name here.
    return {"type": "object", "additionalProperties": _SCALAR, "maxProperties": limits.MAX_ITEMS[Kind.REVIEWERS]}


# Each kind's schema (tests/test_table.py checks every Kind has one).
KINDS: dict[Kind, Callable[[Field], Schema]] = {
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


def field_schema(spec: Field) -> Schema:
    """One field: its kind's schema, with the label and help editors see on hover."""
    made = {"title": spec.label, "description": spec.help, **KINDS[spec.kind](spec)}
    if spec.default:
        made["default"] = spec.default
    return made


def section_schema(section: Section) -> Schema:
    """The front matter of one section's stories: its fields, the required ones, no others."""
    return {
        "$schema": DIALECT,
        "$id": f"{section.key}.schema.json",
        "title": f"{section.label}文章的 front matter",
        "description": section.description,
        "type": "object",
        "properties": {spec.key: field_schema(spec) for spec in section.fields},
        "required": [spec.key for spec in section.fields if spec.required],
        "additionalProperties": False,
    }


def schemas() -> dict[str, Schema]:
    """Every section's schema, by the file name it is written to."""
    return {f"{section.key}.schema.json": section_schema(section) for section in SECTIONS}


def as_text(schema: Schema) -> str:
    """A schema as the file editors' tools read."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
