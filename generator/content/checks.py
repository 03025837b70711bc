"""The check stage: a parsed file becomes a typed Story, and the stories are checked together."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from generator.content import corrections, editorial, fact, htmltokens, limits, mdmarkup, privacy, reviewlevels
from generator.content.body import EXTENSION_CONFIGS
from generator.content.fields import FieldReader
from generator.content.frontmatter import Mapping, Node, ParsedFile, Scalar, Sequence
from generator.content.problems import Problem, error, warning
from generator.content.rawhtml import hazards, without_code
from generator.content.weburl import address
from generator.core import addresses, slugs, vocab
from generator.core.sections import RESERVED_SLUGS, SECTIONS, Role, Section
from generator.core.settings import Settings
from generator.core.story import Picture, Story

# How the table of contents makes a heading's id: a story may not take a reserved one.
HEADING_IDS = EXTENSION_CONFIGS["toc"]["slugify"]

# `![alt](path "title")` and `<img src="path">`: the pictures a body uses, found without
# rendering so that `check` stays fast.
# Every pattern here stops at the next bracket it could start over from, so that a line of
# unclosed `![![![` or `<<<<` is read in linear time (a bracket inside alt text is rare).
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,999}\]\(")
_LONGEST_PICTURE_REF = 1000
# Tried only where a run of spaces starts, so a long run is read once, not once per space.
_PICTURE_TITLE = re.compile(r"""(?<!\s)\s+["']""")
# An opener never occurs inside what it opens, so each attempt stops at the next one: linear.
_MARKUP = re.compile(r"!\[[^\[\]]*\]\([^()]*\)|<[^<>]+>|[*_`~]+|^#+\s*|^>\s*|^[ \t]*(?:[-+*]|\d+[.)])\s+", re.M)
# A file holding thousands of numbers gets a readable report, not thousands of lines.
MAX_NUMBERS_REPORTED = 20
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")


def check_file(
    parsed: ParsedFile, file: Path, section: Section, settings: Settings
) -> tuple[Story | None, list[Problem]]:
    """Read every field of one story; the Story is None when any error was found."""
    problems = list(parsed.problems)
    reader = FieldReader(
        path=parsed.path,
        story_dir=file.parent,
        images_dir=settings.stories_dir / "images",
        stories_dir=settings.stories_dir,
    )
    if parsed.front is None:
        if not problems:
            problems.append(error("front.missing", parsed.path, 1, "缺少 front matter。"))
        if parsed.body_line > 1:  # the front matter ended: its body is checked in the same run
            # allow_numbers cannot be read from a front matter YAML refused: every number is named.
            _personal_data(parsed, (), file, settings, reader)
            _body_rules(parsed, reader, _body_pictures_checked(parsed, reader))
            problems.extend(reader.problems)
        return None, problems
    nodes = _known_entries(parsed, section, reader)
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for spec in section.fields:
        node = nodes.get(spec.key)
        if node is None or (isinstance(node, Scalar) and (node.is_null or not node.text.strip())):
            if spec.required:
                line = node.line if node is not None else 2
                reader.err("field.required", line, f"缺少必填字段 {spec.key}（{spec.label}）：{spec.help}。")
            continue
        lines[spec.key] = node.line
        too_long = limits.value_excess(spec, node)
        for excess in too_long:
            reader.err(excess.rule, excess.line, excess.message)
        value = None if too_long else reader.read(spec, node)
        for excess in limits.list_excess(spec, node, value):
            reader.err(excess.rule, excess.line, excess.message)
        if value is not None and value != "":
            values[spec.key] = value
    _story_rules(parsed, section, values, lines, reader)
    allowed = values.get("allow_numbers", ())
    _personal_data(parsed, allowed if isinstance(allowed, tuple) else (), file, settings, reader)
    pictures = _body_pictures_checked(parsed, reader)
    _editorial(parsed, section, values, lines, settings, reader)
    image = values.get("image")
    _body_rules(parsed, reader, pictures, (image,) if isinstance(image, Picture) else ())
    problems.extend(reader.problems)
    if any(p.is_error for p in problems):
        return None, problems
    story = _story(parsed, file, section, values, lines, pictures or (), settings)
    return story, problems + fact.problems(story)


def _body_pictures_checked(parsed: ParsedFile, reader: FieldReader) -> tuple[Picture, ...] | None:
    """The body's pictures, after its markup limits and hazards; None when the markup is past the limits."""
    # Markup past the limits is refused before the scanners below, which are not linear in it.
    too_much = limits.markup_excess(parsed.body)
    for excess in too_much:
        reader.err(excess.rule, parsed.body_line + excess.line - 1, excess.message)
    for hazard in [] if too_much else hazards(parsed.body, HEADING_IDS):
        reader.err(hazard.rule, parsed.body_line + hazard.line - 1, hazard.message)
    return None if too_much else _body_pictures(parsed, reader)


def _body_rules(
    parsed: ParsedFile, reader: FieldReader, pictures: tuple[Picture, ...] | None, cover: tuple[Picture, ...] = ()
) -> None:
    """What the body's text and the pictures may publish wrong (generator/editorial.py)."""
    found = editorial.placeholder(parsed.body, parsed.body_line)
    if pictures is not None:  # within the markup limits: the scanners are linear in the text
        found += editorial.list_lookalikes(parsed.body, parsed.body_line)
        found += editorial.heading_lookalikes(parsed.body, parsed.body_line)
        found += editorial.pictures_without_alt(parsed.body, parsed.body_line)
    found += editorial.picture_metadata((p.line, p.ref, p.source) for p in cover + (pictures or ()))
    _report(reader, found)


def _editorial(
    parsed: ParsedFile,
    section: Section,
    values: dict[str, object],
    lines: dict[str, int],
    settings: Settings,
    reader: FieldReader,
) -> None:
    """The front matter's silent damage (implausible dates, lists in 【】), the correction log, the review levels."""
    found = editorial.dates(section, values, lines, settings.today)
    found += editorial.wrapped_lists(section, parsed.front)
    found += corrections.findings(values, lines, settings.today)
    found += reviewlevels.findings(values, lines, settings.review_levels, values.get("draft") is True)
    _report(reader, found)


def _report(reader: FieldReader, found: list[editorial.Finding]) -> None:
    for line, is_error, message, rule in found:
        if is_error:
            reader.err(rule, line, message)
        else:
            reader.warn(rule, line, message)


def _known_entries(parsed: ParsedFile, section: Section, reader: FieldReader) -> dict[str, Node]:
    """Front-matter entries by key; duplicate and unknown keys are reported with a suggestion."""
    assert parsed.front is not None
    nodes: dict[str, Node] = {}
    known = [spec.key for spec in section.fields]
    labels = {spec.label: spec.key for spec in section.fields}
    for key, value in parsed.front.entries:
        name = key.text.strip()
        if name in nodes:
            reader.err("field.key-repeated", key.line, f"字段 {name} 重复出现；请只保留一个。")
        elif name in known:
            nodes[name] = value
        else:
            reader.err("field.key-unknown", key.line, _unknown_key(name, section, known, labels))
    return nodes


def _unknown_key(name: str, section: Section, known: list[str], labels: dict[str, str]) -> str:
    message = f"不认识的字段「{name}」"
    if name in labels:
        return f"{message}：字段名要用英文，「{name}」请写作 {labels[name]}。"
    lowered = name.lower()
    if lowered in known:
        return f"{message}：字段名要用小写，请写作 {lowered}。"
    owners = [s.label for s in SECTIONS if s is not section and s.field(name) is not None]
    if owners:
        return f"{message}：它属于「{'、'.join(owners)}」栏目，不能用在「{section.label}」栏目；请删除，或把文件移到对应栏目的文件夹。"
    close = difflib.get_close_matches(lowered, known, n=1, cutoff=0.6)
    if close:
        return f"{message}：你是不是想写 {close[0]}？"
    return f"{message}；本栏目可用的字段：{', '.join(known)}。"


def _story_rules(
    parsed: ParsedFile, section: Section, values: dict[str, object], lines: dict[str, int], reader: FieldReader
) -> None:
    """Rules that tie several fields of one story together, one small function each (STORY_RULES)."""
    story = _Fields(parsed, section, values, lines, reader)
    for rule in STORY_RULES:
        rule(story)


@dataclass(frozen=True)
class _Fields:
    """What a cross-field rule reads of one story: its values and their lines, and where to report."""

    parsed: ParsedFile
    section: Section
    values: dict[str, object]
    lines: dict[str, int]
    reader: FieldReader


def image_needs_alt(story: _Fields) -> None:
    """A lead picture needs its description; said even when the picture itself is wrong (both fixed in one go)."""
    if "image" in story.lines and "image_alt" not in story.lines:
        story.reader.err(
            "story.image-alt-missing",
            story.lines["image"],
            "填写了题图 image，但缺少 image_alt（题图说明）：请用一句话描述图片内容。",
        )


def consent_before_publishing(story: _Fields) -> None:
    """An exemplar without written consent is published only as a draft."""
    consent = story.section.with_role(Role.CONSENT)
    if consent is not None and story.values.get(consent.key) is False and story.values.get("draft") is not True:
        story.reader.err(
            "story.consent-false",
            story.lines[consent.key],
            "consent 为 false：未取得本人书面同意的事迹不能发布。取得同意后改为 true；在此之前可加 draft: true 作为草稿保存（不会发布）。",
        )


def successor_needs_status(story: _Fields) -> None:
    """superseded_by shows only on a story that is outdated or withdrawn."""
    status = story.values.get("status")
    if "superseded_by" in story.values and (status is None or getattr(status, "code", "") == "current"):
        story.reader.warn(
            "story.successor-without-status",
            story.lines["superseded_by"],
            "填写了 superseded_by，但 status 不是 outdated 或 withdrawn，页面不会显示替代提示。",
        )


def updated_after_published(story: _Fields) -> None:
    """An update cannot come before the story was published."""
    published, updated = story.values.get("date"), story.values.get("updated")
    if isinstance(published, date) and isinstance(updated, date) and updated < published:
        story.reader.warn(
            "story.updated-before-date", story.lines["updated"], "更新日期 updated 早于发布日期 date，请检查。"
        )


def body_not_empty(story: _Fields) -> None:
    """A story has a body."""
    parsed = story.parsed
    if not parsed.body.strip():
        # A file that ends at the closing --- has no body line to point at: point at the ---.
        line = parsed.body_line if parsed.body else parsed.body_line - 1
        story.reader.err("story.body-empty", line, "正文是空的：请在第二个 --- 之后写正文。")


def no_title_heading(story: _Fields) -> None:
    """The title is shown from title:; a `# ` heading in the body would show it twice."""
    for offset, text in enumerate(story.parsed.body.split("\n")):
        if text.startswith("# "):
            story.reader.warn(
                "story.title-heading",
                story.parsed.body_line + offset,
                "正文不需要一级标题「# 」，标题由 title 显示；小标题请用「## 」。",
            )


# The cross-field rules of one story, in the order their problems were always reported.
STORY_RULES: tuple[Callable[[_Fields], None], ...] = (
    image_needs_alt,
    consent_before_publishing,
    successor_needs_status,
    updated_after_published,
    body_not_empty,
    no_title_heading,
)


def _personal_data(
    parsed: ParsedFile, allowed_numbers: tuple[str, ...], file: Path, settings: Settings, reader: FieldReader
) -> None:
    """Resident IDs and private mobiles wherever a story publishes text or makes an address.

    The front matter's values, the whole body (a number may be broken across a line; link
    targets, picture names and alt texts are in it), and the file's name and folders, which
    become the page's address, its sitemap entry, feed link, QR code and edit link.
    """
    allowed = {privacy.digits_of(number) for number in allowed_numbers}
    texts: list[tuple[int, str]] = []
    if parsed.front is not None:
        for key, value in parsed.front.entries:
            if key.text != "allow_numbers":
                texts.extend(_scalar_texts(value))
    found = [(line, finding) for line, text in texts for finding in privacy.findings(text)]
    body = parsed.body
    line, counted = parsed.body_line, 0
    for finding in privacy.findings(body):  # one digit view of the body (no quick test first: it makes one too)
        line += body.count("\n", counted, finding.start)
        counted = finding.start
        found.append((line, finding))
    noted: set[str] = set()
    for line, finding in found[:MAX_NUMBERS_REPORTED]:
        _report_number(finding, line, allowed, noted, reader)
    if len(found) > MAX_NUMBERS_REPORTED:
        reader.err(
            "privacy.more-numbers",
            found[MAX_NUMBERS_REPORTED][0],
            f"从这一行起还有 {len(found) - MAX_NUMBERS_REPORTED} 处号码没有逐一列出：请检查全文，删除所有个人号码。",
        )
    try:
        name = file.relative_to(settings.stories_dir).as_posix()
    except ValueError:
        name = file.name
    for finding in privacy.findings(name):
        reader.err(
            "privacy.number-in-file-name",
            1,
            f"文件名或文件夹名含有{finding.kind}「{finding.masked}」：文件名会成为文章的网址，出现在网站地图、订阅源、"
            "二维码和分享文字里；请给文件改名，例如 2020-02-10-xiao-du.md。",
        )


def _report_number(
    finding: privacy.Finding, line: int, allowed: set[str], noted: set[str], reader: FieldReader
) -> None:
    if finding.digits in allowed and finding.kind == "手机号码":
        if finding.digits not in noted:
            noted.add(finding.digits)
            reader.warn(
                "privacy.number-allowed",
                line,
                f"号码「{finding.masked}」已按 allow_numbers 允许公开；请确认这是单位对外公开的号码，而不是个人号码。",
            )
    elif finding.kind == "手机号码":
        reader.err(
            "privacy.mobile-number",
            line,
            f"含有手机号码「{finding.masked}」：私人手机号不能公开，请删除；12338、12320 等公共服务热线和单位座机可以保留。"
            "如确是单位对外公开的手机号，请在 front matter 中写 allow_numbers: [这个号码]。",
        )
    else:
        reader.err(
            "privacy.id-number",
            line,
            f"含有{finding.kind}「{finding.masked}」：为保护个人隐私，请删除；提到个人时请写作 某某。",
        )


def _scalar_texts(node: Node) -> list[tuple[int, str]]:
    if isinstance(node, Scalar):
        return [(node.line, node.text)]
    if isinstance(node, Sequence):
        return [pair for item in node.items for pair in _scalar_texts(item)]
    assert isinstance(node, Mapping)
    return [pair for _, value in node.entries for pair in _scalar_texts(value)]


def _body_pictures(parsed: ParsedFile, reader: FieldReader) -> tuple[Picture, ...]:
    pictures: list[Picture] = []
    if "![" not in parsed.body and "<img" not in parsed.body.lower():
        return ()
    text = without_code(parsed.body)
    found: list[tuple[int, str]] = []
    for offset, written in enumerate(text.split("\n")):
        found.extend((offset + 1, ref) for ref in _markdown_picture_refs(written))
    found.extend(mdmarkup.picture_references(text))
    for tag in htmltokens.tags(text) if "<" in text else ():
        # A repeated attribute: the browser keeps the first.
        src = next((a for a in tag.attributes if a.name == "src"), None) if tag.name == "img" else None
        if src is not None and src.value.strip():
            found.append((src.line, src.value.strip()))
    for line, ref in sorted(found):
        if not address(ref, entities=True).local:
            continue  # a picture from elsewhere, or data:, is a hazard (generator/rawhtml.py)
        picture = reader.picture(ref, parsed.body_line + line - 1, "正文图片")
        if picture is not None and picture.ref not in (p.ref for p in pictures):
            pictures.append(picture)
    return tuple(pictures)


def _markdown_picture_refs(line: str) -> list[str]:
    """The file names of the inline pictures `![alt](name "title")` on one line."""
    refs = []
    for match in _MD_IMAGE.finditer(line):
        rest = line[match.end() : match.end() + _LONGEST_PICTURE_REF].lstrip()
        if rest.startswith("<"):
            close = rest.find(">")
            ref = rest[1:close] if close > 0 else ""
        else:
            close = rest.find(")")
            ref = _PICTURE_TITLE.split(rest[:close], maxsplit=1)[0] if close > 0 else ""
        if ref.strip():
            refs.append(ref.strip())
    return refs


def _story(
    parsed: ParsedFile,
    file: Path,
    section: Section,
    values: dict[str, object],
    lines: dict[str, int],
    pictures: tuple[Picture, ...],
    settings: Settings,
) -> Story:
    stem = file.stem
    slug = str(values.pop("slug", "") or slugs.from_file_name(stem) or slugs.from_title(str(values["title"])))
    given_summary = str(values.pop("summary", ""))
    # The next review: as given, else a review period after the last one.
    due, last = section.with_role(Role.REVIEW_DUE), section.with_role(Role.REVIEWED)
    review_due = values.pop(due.key, None) if due else None
    reviewed = values.get(last.key) if last else None
    if not isinstance(review_due, date):
        review_due = reviewed + timedelta(days=settings.review_period_days) if isinstance(reviewed, date) else None
    image = values.pop("image", None)
    named = _unique_names(((image,) if isinstance(image, Picture) else ()) + pictures)
    common = {
        "title": values.pop("title"),
        "date": values.pop("date"),
        "tags": values.pop("tags", ()),
        "district": values.pop("district", None),
        "author": values.pop("author", ""),
        "image_alt": values.pop("image_alt", ""),
        "updated": values.pop("updated", None),
        "status": values.pop("status", None) or vocab.statuses().get("current"),
        "superseded_by": values.pop("superseded_by", ""),
        "draft": values.pop("draft", False),
        "aliases": values.pop("aliases", ()),
    }
    return Story(
        path=parsed.path,
        section=section,
        slug=slug,
        summary=given_summary or first_paragraph(parsed.body),
        body=parsed.body,
        body_line=parsed.body_line,
        image=named[0] if isinstance(image, Picture) else None,
        pictures=tuple(named[1:] if isinstance(image, Picture) else named),
        review_due=review_due,
        fields=values,
        lines=lines,
        **common,  # type: ignore[arg-type]
    )


def _unique_names(pictures: tuple[Picture, ...]) -> list[Picture]:
    """Give each picture an output name unique within its story's folder, its small copy's name included."""
    taken: dict[Path, str] = {}
    used: set[str] = set()
    named: list[Picture] = []
    for picture in pictures:
        if picture.source not in taken:
            name = picture.name
            counter = 1
            while {name.casefold(), _thumbnail(name).casefold()} & used:
                counter += 1
                name = f"{Path(picture.name).stem}-{counter}{Path(picture.name).suffix}"
            taken[picture.source] = name
            used |= {name.casefold(), _thumbnail(name).casefold()}
        named.append(Picture(picture.ref, picture.source, taken[picture.source], picture.line))
    return named


def _thumbnail(name: str) -> str:
    return Picture("", Path(), name, 0).thumbnail


def first_paragraph(body: str, limit: int = 120) -> str:
    """The body's first paragraph as plain text, cut to `limit` characters, for listings and cards."""
    for block in re.split(r"\n\s*\n", body.strip()):
        if block.lstrip().startswith(("#", "!", "|", "<", "```", "---")):
            continue
        text = _MARKUP.sub("", _LINK.sub(r"\1", block))
        text = " ".join(text.split())
        if text:
            return text if len(text) <= limit else text[: limit - 1] + "…"
    return ""


def check_site(stories: Iterable[Story], settings: Settings, reserved: Iterable[str] = ()) -> list[Problem]:
    """Rules across stories: unique addresses, aliases that collide, successors that exist, reviews due."""
    story_list = sorted(stories, key=lambda s: s.path)
    problems = _address_problems(story_list, reserved)
    known = {s.url for s in story_list} | {a for s in story_list for a in s.aliases}
    for story in story_list:
        if story.superseded_by and story.superseded_by not in known:
            problems.append(
                error(
                    "address.successor-unknown",
                    story.path,
                    story.lines.get("superseded_by", 2),
                    f"superseded_by 指向的地址 {story.superseded_by} 不是本站任何文章；请填写替代文章的地址，例如 /knowledge/wear-masks/。",
                )
            )
        if story.overdue(settings.today) and story.status is not None and story.status.code == "current":
            problems.append(
                warning(
                    "review.overdue",
                    story.path,
                    story.line(Role.REVIEW_DUE, story.line(Role.REVIEWED, 2)),
                    f"已超过下次审核日期 {story.review_due}：请专家重新审核，并更新 reviewed（以及 review_due）；页面上会提示内容可能已过时。",
                )
            )
    return problems


def _folder_of(alias: str, homes: dict[str, str]) -> str | None:
    """The story whose folder (its page and pictures) holds `alias`, if any."""
    key = alias.casefold()
    folder = key
    while "/" in folder.rstrip("/"):
        folder = folder.rstrip("/").rsplit("/", 1)[0] + "/"
        if folder in homes and folder != key:
            return homes[folder]
    return None


def _address_problems(stories: list[Story], reserved: Iterable[str]) -> list[Problem]:
    """Two stories never share an address; an alias never takes a live address, a generated
    page's, or another's alias. Compared case-folded: on some disks `A/` and `a/` are one folder."""
    problems: list[Problem] = []
    current: dict[str, str] = {address.casefold(): "网站的手写页面（site_src 文件夹）" for address in reserved}
    # Current addresses are claimed before any alias, so a wrong alias is blamed, never the
    # story that really lives at that address.
    for story in stories:
        line = story.lines.get("slug", 1)
        if story.slug in RESERVED_SLUGS:
            problems.append(
                error(
                    "address.slug-reserved",
                    story.path,
                    line,
                    f"网址短名「{story.slug}」是网站保留的，请在 front matter 中用 slug: 另取一个。",
                )
            )
        if story.url.casefold() in current:
            problems.append(
                error(
                    "address.taken",
                    story.path,
                    line,
                    f"地址 {story.url} 已被 {current[story.url.casefold()]} 使用；两篇文章不能同用一个地址，请用 slug: 为本文另取网址短名。",
                )
            )
        else:
            current[story.url.casefold()] = story.path
    aliased: dict[str, str] = {}
    homes = {s.url.casefold(): s.path for s in stories}
    for story in stories:
        line = story.lines.get("aliases", 1)
        for alias in story.aliases:
            key = alias.casefold()
            owner = addresses.generated_owner(alias)
            if key == story.url.casefold():
                rule = "address.alias-is-own"
                message = f"aliases 中的 {alias} 就是本文现在的地址，不是旧地址；请从 aliases 中删除它。"
            elif key in current:
                rule = "address.alias-is-live"
                message = f"aliases 中的旧地址 {alias} 是 {current[key]} 现在的地址；旧地址不能指向另一篇文章，请从 aliases 中删除它。"
            elif owner is not None:
                rule = "address.alias-generated"
                message = f"aliases 中的旧地址 {alias} 属于网站生成的页面（{owner}）；旧地址不能占用网站自己的页面或文件，请从 aliases 中删除它。"
            elif (home := _folder_of(alias, homes)) is not None:
                rule = "address.alias-in-story-folder"
                message = f"aliases 中的旧地址 {alias} 在 {home} 的地址之下，那里是这篇文章的页面和图片；请从 aliases 中删除它。"
            elif key in aliased:
                rule = "address.alias-repeated"
                message = f"aliases 中的旧地址 {alias} 也写在 {aliased[key]} 的 aliases 中；一个旧地址只能跳转到一篇文章，请删除其中一处。"
            else:
                aliased[key] = story.path
                continue
            problems.append(error(rule, story.path, line, message))
    return problems
