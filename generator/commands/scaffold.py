"""The `new` command's work: a new story file from its section's template, never overwriting."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import yaml

from generator.content import characters, checks, fields, frontmatter
from generator.core import slugs
from generator.core.sections import RESERVED_SLUGS, SECTIONS, Role, Section
from generator.core.settings import Settings
from generator.render import templating


def find_section(name: str) -> Section | None:
    """A section by its folder name or its Chinese label."""
    for section in SECTIONS:
        if name in (section.key, section.label):
            return section
    return None


class TitleError(ValueError):
    """A title `new` cannot write as typed; the message says why, in Chinese."""


# Characters YAML (1.1, as PyYAML reads it) takes as line breaks or refuses, and other
# controls: a title holding one could not be read back as typed.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def title_yaml(title: str) -> str:
    """The title as one line of YAML that reads back exactly as typed (after the input fold every
    story gets: a zero-width space is gone, an NBSP is a space); TitleError if none can."""
    found = _BREAKS.search(title)  # as typed: a control character is refused, not folded away
    if found:
        what = "换行" if found.group() in "\r\n\u2028\u2029\x85" else f"控制字符 U+{ord(found.group()):04X}"
        raise TitleError(f"标题中有{what}：标题只能写成一行文字，请去掉后重试。")
    title = fields.text_value(characters.clean(title)[0])
    if not title.strip():
        raise TitleError("标题是空的：请在栏目后面写上文章标题，例如 喝板蓝根能预防新冠吗。")
    # Dumped, not pasted, so a colon, a leading quote or `#` stays part of the value; a plain
    # scalar where YAML allows one (the usual Chinese title), else quoted. Never wrapped.
    dumped = yaml.safe_dump(title, allow_unicode=True, width=float("inf")).strip().removesuffix("...").strip()
    if "\n" in dumped or _read_back(dumped) != title:
        dumped = json.dumps(title, ensure_ascii=False)  # a JSON string is a double-quoted YAML scalar
    if _read_back(dumped) != title:
        raise TitleError("标题无法原样写入 YAML：请去掉其中的特殊字符后重试。")
    return dumped


def _read_back(value: str) -> str | None:
    """The title as `check` reads it from a `title:` line holding `value`."""
    parsed = frontmatter.parse("new", f"---\ntitle: {value}\n---\n\n正文\n".encode())
    if parsed.front is None or parsed.problems or len(parsed.front.entries) != 1:
        return None
    node = parsed.front.entries[0][1]
    return node.text if isinstance(node, frontmatter.Scalar) and not node.is_null else None


def story_text(section: Section, title: str, today: date) -> str:
    """The text of a new story: every field of the section, explained in Chinese comments."""
    required = [f for f in section.fields if f.required]
    optional = [f for f in section.fields if not f.required]
    template = templating.text_environment().get_template("new.md")
    return (
        template.render(
            section=section,
            filled={Role.TITLE: title_yaml(title), Role.PUBLISHED: today.isoformat()},
            required=required,
            optional=optional,
        )
        + "\n"
    )


def title_problems(section: Section, title: str, today: date, settings: Settings) -> list[str]:
    """What `check` would refuse in a new story's title (personal data …), read the way `check` reads it."""
    text = story_text(section, title, today)
    path = "new.md"
    parsed = frontmatter.parse(path, text.encode("utf-8"))
    line = next((n for n, row in enumerate(text.split("\n"), start=1) if row.startswith("title:")), 0)
    _, problems = checks.check_file(parsed, settings.stories_dir / section.folder / path, section, settings)
    return [p.message for p in problems if p.is_error and p.line == line]


def create(
    stories_dir: Path,
    section: Section,
    title: str,
    today: date,
    settings: Settings | None = None,
    slug: str | None = None,
) -> Path:
    """Write a new story under `stories/<section>/` and return its path; an existing file is never touched.

    The address is `slug` when given (the file is named by it), else the title's pinyin.
    TitleError when the title cannot be written as typed, `check` would refuse it, or the slug is not one."""
    folder = stories_dir / section.folder
    if slug is not None:
        slug = slug.strip()
        if not slugs.is_valid(slug) or slug in RESERVED_SLUGS:
            reason = (
                "是网站保留的" if slug in RESERVED_SLUGS else "无效：只能用小写英文字母、数字和连字符，48 个字符以内"
            )
            raise TitleError(f"网址短名「{slug}」{reason}，例如 --slug wear-masks。")
    text = story_text(section, title, today)
    if settings is not None:
        trouble = title_problems(section, title, today, settings)
        if trouble:
            raise TitleError("标题不能使用：" + "；".join(trouble))
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{today.isoformat()}-{slug or slugs.from_title(title)}"
    if slug is not None:
        taken = [
            p
            for p in folder.rglob("*.md")
            if slugs.from_file_name(p.stem) == slug or p.stem == slug  # the same address in this section
        ]
        if taken:
            raise TitleError(f"网址短名「{slug}」已被 {taken[0].name} 使用：请换一个，例如 {slug}-2。")
        path = folder / f"{stem}.md"
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return path
    for counter in range(1, 1000):
        path = folder / (f"{stem}.md" if counter == 1 else f"{stem}-{counter}.md")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{folder / stem}.md")
