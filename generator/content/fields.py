"""Typed reading of front-matter values, one function per field kind, each reporting in Chinese."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image

from generator.content import editorial, weburl
from generator.content.frontmatter import Mapping, Node, Scalar, Sequence
from generator.content.problems import Problem, error, warning
from generator.core import addresses, vocab
from generator.core.sections import Field, Kind
from generator.core.slugs import is_valid
from generator.core.story import Correction, Honour, Picture, Signoff, Source

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*[,，、;；]\s*")
_HAN_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def text_value(raw: str) -> str:
    """A text field as the site uses it: runs of spaces as one, none between two Han characters."""
    # YAML folds a wrapped line into a space; between two Han characters that space is wrong.
    return _HAN_SPACE.sub("", " ".join(raw.split()))


_TRUE = {"true", "yes", "on", "是"}
_FALSE = {"false", "no", "off", "否"}


@dataclass
class FieldReader:
    """Reads the values of one story's front matter, collecting every problem."""

    path: str
    story_dir: Path
    images_dir: Path
    stories_dir: Path
    problems: list[Problem] = field(default_factory=list)

    def err(self, rule: str, line: int, message: str) -> None:
        """Record an error breaking the rule of that id (content/rules.py)."""
        self.problems.append(error(rule, self.path, line, message))

    def warn(self, rule: str, line: int, message: str) -> None:
        """Record a warning breaking the rule of that id (content/rules.py)."""
        self.problems.append(warning(rule, self.path, line, message))

    def read(self, spec: Field, node: Node) -> object | None:
        """The typed value of `node` for field `spec`, or None after reporting why not."""
        return READERS[spec.kind](self, spec, node)

    # -- one reader per kind ------------------------------------------------------------

    def _scalar(self, spec: Field, node: Node, what: str) -> Scalar | None:
        if isinstance(node, Scalar):
            return node
        self.err("field.not-single", node.line, f"{_name(spec)}应为{what}，不能是列表或多项内容。")
        return None

    def _text(self, spec: Field, node: Node) -> str | None:
        scalar = self._scalar(spec, node, "一段文字")
        if scalar is None:
            return None
        text = text_value(scalar.text)
        if spec.warn_length and len(text) > spec.warn_length:
            self.warn(
                "field.long-for-cards",
                scalar.line,
                f"{_name(spec)}有 {len(text)} 字，超过 {spec.warn_length} 字，分享卡片会被截断；建议精简。",
            )
        elif spec.wechat_length and len(text) > spec.wechat_length:
            self.warn(
                "field.long-for-wechat",
                scalar.line,
                f"{_name(spec)}有 {len(text)} 字，转到公众号时最多保留 {spec.wechat_length} 字，会被截断；建议精简。",
            )
        return text

    def _date(self, spec: Field, node: Node) -> date | None:
        scalar = self._scalar(spec, node, "日期")
        if scalar is None:
            return None
        text = scalar.text.strip()
        match = _DATE.match(text) or _CHINESE_DATE.match(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.err(
            "field.date-invalid",
            scalar.line,
            f"{_name(spec)}「{text}」不是有效日期；请写成 YYYY-MM-DD，例如 2020-02-01。",
        )
        return None

    def _text_list(self, spec: Field, node: Node) -> tuple[str, ...] | None:
        items: list[str] = []
        nodes = node.items if isinstance(node, Sequence) else (node,)
        for item in nodes:
            if not isinstance(item, Scalar):
                self.err(
                    "field.list-item-not-text", item.line, f"{_name(spec)}的每一项应为一段文字，例如 [口罩, 勤洗手]。"
                )
                return None
            if item.is_null:
                continue
            items.extend(p for p in _list_items(item) if p not in items)
        return tuple(items)

    def _sources(self, spec: Field, node: Node) -> tuple[Source, ...] | None:
        example = "例如：\n  - title: 国家卫生健康委 公众科学戴口罩指引\n    url: http://www.nhc.gov.cn/"
        if not isinstance(node, Sequence):
            self.err("field.sources-not-list", node.line, f"{_name(spec)}应为列表，每条写 title 和 url，{example}")
            return None
        sources: list[Source] = []
        reported = len(self.problems)
        for item in node.items:
            if not isinstance(item, Mapping):
                self.err(
                    "field.source-not-mapping",
                    item.line,
                    f"{_name(spec)}的每一条都要写 title（名称）和 url（网址），{example}",
                )
                continue
            values = self._sub_mapping(spec, item, ("title", "url"), ("title", "url"))
            if values is None:
                continue
            title, url = values["title"], values["url"]
            if not _URL.match(url.text.strip()):
                self.err(
                    "field.source-url-invalid",
                    url.line,
                    f"来源网址「{url.text.strip()}」无效：应以 http:// 或 https:// 开头。",
                )
                continue
            sources.append(Source(" ".join(title.text.split()), url.text.strip()))
        if not sources and len(self.problems) == reported:
            self.err("field.sources-empty", node.line, f"{_name(spec)}至少要有一条，{example}")
        return tuple(sources)

    def _honours(self, spec: Field, node: Node) -> tuple[Honour, ...] | None:
        honours = vocab.honours()
        nodes = node.items if isinstance(node, Sequence) else (node,)
        result: list[Honour] = []
        for item in nodes:
            if isinstance(item, Scalar):
                # `honours: 三八红旗手，最美家庭` is read as a list, as tags are.
                for name in _list_items(item):
                    term = self._term_of(spec, Scalar(name, item.line), honours)
                    if term is not None:
                        result.append(Honour(term))
                continue
            if not isinstance(item, Mapping):
                self.err(
                    "field.honour-form",
                    item.line,
                    f"{_name(spec)}的每一项写荣誉名称，或写 {{title: 荣誉名称, year: 年份}}。",
                )
                continue
            values = self._sub_mapping(spec, item, ("title", "year", "level", "issuer"), ("title",))
            if values is None:
                continue
            term = self._term_of(spec, values["title"], honours)
            year = None
            if "year" in values:
                text = values["year"].text.strip()
                if text.isdigit() and 1949 <= int(text) <= 2100:
                    year = int(text)
                else:
                    self.err(
                        "field.honour-year-invalid",
                        values["year"].line,
                        f"荣誉年份「{text}」无效：请写 1949 到 2100 之间的四位数年份，例如 2020。",
                    )
                    continue
            if term is not None:
                level = values["level"].text.strip() if "level" in values else ""
                issuer = values["issuer"].text.strip() if "issuer" in values else ""
                result.append(Honour(term, year, level, issuer))
        return tuple(result)

    def _bool(self, spec: Field, node: Node) -> bool | None:
        scalar = self._scalar(spec, node, "true 或 false")
        if scalar is None:
            return None
        text = scalar.text.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.err(
            "field.bool-invalid", scalar.line, f"{_name(spec)}「{scalar.text.strip()}」无效：只能填 true 或 false。"
        )
        return None

    def _term(self, spec: Field, node: Node) -> vocab.Term | None:
        scalar = self._scalar(spec, node, "一个取值")
        if scalar is None:
            return None
        return self._term_of(spec, scalar, vocab.by_name(spec.vocabulary))

    def _address(self, spec: Field, node: Node) -> str | None:
        scalar = self._scalar(spec, node, "一个网址路径")
        return None if scalar is None else self._address_of(spec, scalar)

    def _address_list(self, spec: Field, node: Node) -> tuple[str, ...] | None:
        nodes = node.items if isinstance(node, Sequence) else (node,)
        found: list[str] = []
        for item in nodes:
            scalar = self._scalar(spec, item, "网址路径")
            address = None if scalar is None else self._address_of(spec, scalar)
            if address is not None and address not in found:
                found.append(address)
        return tuple(found)

    def _slug(self, spec: Field, node: Node) -> str | None:
        scalar = self._scalar(spec, node, "英文短名")
        if scalar is None:
            return None
        slug = scalar.text.strip()
        if is_valid(slug):
            return slug
        self.err(
            "field.slug-invalid",
            scalar.line,
            f"网址短名「{slug}」无效：只能用小写英文字母、数字和连字符，48 个字符以内，例如 wear-masks。",
        )
        return None

    def _image(self, spec: Field, node: Node) -> Picture | None:
        scalar = self._scalar(spec, node, "图片文件名")
        return None if scalar is None else self.picture(scalar.text.strip(), scalar.line, spec.label)

    def _corrections(self, spec: Field, node: Node) -> tuple[Correction, ...] | None:
        example = "例如：\n  - date: 2020-02-10\n    kind: 更正\n    note: 第二段的数字写错了，已改正"
        if isinstance(node, Mapping):  # one entry written without its `- `
            self.err(
                "correction.entry-not-listed",
                node.line,
                f"{_name(spec)}的每一条前面要加「- 」（减号和空格），下面几行再缩进，{example}",
            )
            return None
        if not isinstance(node, Sequence):
            self.err("correction.not-a-list", node.line, f"{_name(spec)}应为列表，每条写 date、kind 和 note，{example}")
            return None
        found: list[Correction] = []
        kinds = vocab.by_name(spec.vocabulary)
        for item in node.items:
            if not isinstance(item, Mapping):
                colon = isinstance(item, Scalar) and "：" in item.text
                hint = "字段名后面要用英文冒号加空格「: 」，不能用中文冒号「：」；" if colon else ""
                what = "date（日期）、kind（更正、更新或撤回）和 note（改了什么）"
                self.err(
                    "correction.entry-incomplete", item.line, f"{_name(spec)}的每一条都要写 {what}，{hint}{example}"
                )
                continue
            values = self._sub_mapping(spec, item, ("date", "kind", "note"), ("date", "kind", "note"))
            if values is None:
                continue
            day = self._date(spec, values["date"])
            kind = self._term_of(spec, values["kind"], kinds)
            if day is not None and kind is not None:
                found.append(Correction(day, kind, text_value(values["note"].text), item.line))
        # The good entries even when another is wrong: their own rules (dates, 撤回) are said in the same run.
        return tuple(found)

    def _reviewers(self, spec: Field, node: Node) -> tuple[Signoff, ...] | None:
        if not isinstance(node, Mapping):
            colon = "：" in node.text if isinstance(node, Scalar) else False
            hint = "级别和姓名之间要用英文冒号加空格「: 」，不能用中文冒号「：」；" if colon else ""
            self.err(
                "review.signatures-not-a-mapping",
                node.line,
                f"{_name(spec)}应为每一级一行「级别: 姓名」，{hint}例如：\n  编辑: 张三\n  初审: 李四",
            )
            return None
        found: list[Signoff] = []
        for key, value in node.entries:
            level = text_value(key.text)
            if any(s.level == level for s in found):
                self.err("review.level-repeated", key.line, f"{_name(spec)}中的级别「{level}」重复出现；请只保留一个。")
            elif not isinstance(value, Scalar):
                self.err("review.name-missing", value.line, f"{_name(spec)}中「{level}」后面应写一个人的姓名。")
            elif not value.is_null and value.text.strip():
                found.append(Signoff(level, text_value(value.text), key.line))
        return tuple(found)

    # -- shared helpers -----------------------------------------------------------------

    def picture(self, ref: str, line: int, what: str = "图片") -> Picture | None:
        """Resolve an image reference beside the story or under `stories/images/`; report if broken."""
        if ref.lower().startswith("data:"):
            self.err(
                "picture.data-address",
                line,
                f"{what}不能用 data: 内嵌；请把图片存成 JPG 或 PNG 文件，放在本文件旁边或 stories/images/ 下，再写文件名。",
            )
            return None
        if not weburl.address(ref).local:  # `HTTPS:\\host`, `/\host`, `//host` … as a browser reads them
            self.err(
                "picture.other-host",
                line,
                f"{what}「{_short(ref)}」引用了其他网站的图片；请下载后放在本文件旁边或 stories/images/ 下，再写文件名。",
            )
            return None
        suffix = Path(ref).suffix.lower()
        if suffix in (".heic", ".heif"):
            self.err(
                "picture.heic",
                line,
                f"{what}「{ref}」是 HEIC 格式（苹果手机照片），网站不支持；请在手机或电脑上导出为 JPG 后再引用。",
            )
            return None
        if suffix not in IMAGE_SUFFIXES:
            self.err("picture.format", line, f"{what}「{ref}」不是支持的图片格式；请使用 JPG、PNG、WebP 或 GIF。")
            return None
        for base in (self.story_dir, self.images_dir):
            candidate = (base / ref).resolve()
            if candidate.is_file():
                pixels = _picture_pixels(candidate)
                if pixels is None:
                    self.err(
                        "picture.unreadable",
                        line,
                        f"{what}「{ref}」打不开：文件可能已损坏，或不是图片；请重新导出为 JPG 或 PNG。",
                    )
                    return None
                if pixels > MAX_PICTURE_PIXELS:
                    self.err(
                        "picture.too-many-pixels",
                        line,
                        f"{what}「{ref}」太大（{pixels // 1_000_000} 百万像素）：请缩小到 5000 万像素以内再上传，网站最多显示 1600 像素宽。",
                    )
                    return None
                if not candidate.is_relative_to(self.stories_dir.resolve()):
                    self.err(
                        "picture.outside-stories",
                        line,
                        f"{what}「{ref}」在 stories 文件夹之外；请把图片放在本文件旁边或 stories/images/ 下。",
                    )
                    return None
                return Picture(ref=ref, source=candidate, name=addresses.file_name(candidate.name), line=line)
        self.err(
            "picture.not-found",
            line,
            f"找不到{what}「{ref}」：请把图片放在本文件旁边或 stories/images/ 下，并检查文件名和大小写。",
        )
        return None

    def _sub_mapping(
        self, spec: Field, node: Mapping, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, Scalar] | None:
        values: dict[str, Scalar] = {}
        seen: set[str] = set()
        ok = True
        for key, value in node.entries:
            if key.text in values or key.text in seen:
                self.err(
                    "field.sub-key-repeated", key.line, f"{_name(spec)}中的字段 {key.text} 重复出现；请只保留一个。"
                )
                ok = False
            elif key.text not in allowed:
                self.err(
                    "field.sub-key-unknown",
                    key.line,
                    f"{_name(spec)}中不认识的字段「{key.text}」；可用的字段：{', '.join(allowed)}。",
                )
                ok = False
            elif not isinstance(value, Scalar):
                self.err("field.sub-value-not-text", value.line, f"{_name(spec)}中的 {key.text} 应为一段文字。")
                ok = False
            elif not value.is_null and value.text.strip():
                values[key.text] = value
            seen.add(key.text)
        for name in required:
            if ok and name not in values:
                self.err("field.sub-key-missing", node.line, f"{_name(spec)}的这一条缺少 {name}。")
                ok = False
        return values if ok else None

    def _term_of(self, spec: Field, scalar: Scalar, vocabulary: vocab.Vocabulary) -> vocab.Term | None:
        text = scalar.text.strip()
        term = vocabulary.find(text)
        if term is not None:
            return term
        guess = vocabulary.suggest(text)
        hint = f"你是不是想写「{guess}」？" if guess else ""
        self.err(
            "field.term-unknown",
            scalar.line,
            f"{_name(spec)}「{text}」无效；{hint}可选：{vocabulary.labels(latin=text.isascii())}。",
        )
        return None

    def _address_of(self, spec: Field, scalar: Scalar) -> str | None:
        text = scalar.text.strip()
        try:
            return addresses.normalise(text)
        except addresses.AddressError as reason:
            self.err(
                "address.invalid",
                scalar.line,
                f"{_name(spec)}「{_short(text)}」无效（{reason}）：应是本站地址，例如 /rumours/baijiu/（只含英文字母、数字和连字符）。",
            )
            return None


# Each kind's reader, which types and validates a value of it (tests/test_table.py checks every
# Kind has one): a new kind is a member of sections.Kind, a reader here, a widget in
# render/cms.py and a JSON Schema in content/schema.py.
READERS: dict[Kind, Callable[[FieldReader, Field, Node], object | None]] = {
    Kind.TEXT: FieldReader._text,
    Kind.DATE: FieldReader._date,
    Kind.TEXT_LIST: FieldReader._text_list,
    Kind.SOURCES: FieldReader._sources,
    Kind.HONOURS: FieldReader._honours,
    Kind.BOOL: FieldReader._bool,
    Kind.TERM: FieldReader._term,
    Kind.ADDRESS: FieldReader._address,
    Kind.ADDRESS_LIST: FieldReader._address_list,
    Kind.SLUG: FieldReader._slug,
    Kind.IMAGE: FieldReader._image,
    Kind.CORRECTIONS: FieldReader._corrections,
    Kind.REVIEWERS: FieldReader._reviewers,
}

MAX_PICTURE_PIXELS = 50_000_000


def _picture_pixels(path: Path) -> int | None:
    """A picture file's pixel count, read from its header only (pixels are decoded at build); None if unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.width * image.height
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _list_items(scalar: Scalar) -> list[str]:
    """A list written on one line (`口罩，勤洗手`) as its items; a quoted value stays one item."""
    if scalar.quoted:
        return [scalar.text.strip()] if scalar.text.strip() else []
    # `【大蒜，偏方】` and `“大蒜”，“偏方”` are read as meant (editorial.py warns how to write a list).
    parts = (editorial.unwrap(part) for part in _LIST_SPLIT.split(editorial.unwrap(scalar.text)))
    return [part for part in parts if part]


def _name(spec: Field) -> str:
    return f"{spec.key}（{spec.label}）"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
