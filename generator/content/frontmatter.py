"""Reading a story file: text decoding, front matter as a tree that keeps line numbers, body."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import yaml

from generator.content import characters, yamlslips
from generator.content.problems import Problem, error, warning

try:  # libyaml is an order of magnitude faster; PyYAML falls back to pure Python without it.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_NODES = 5_000
MAX_DEPTH = 12
MAX_FRONT_MATTER_CHARS = 50_000
MAX_STORY_BYTES = 300_000


@dataclass(frozen=True)
class Scalar:
    """A scalar as written: its raw text, whether it was quoted, its file line."""

    text: str
    line: int
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        """Whether the value was left empty (`key:` or `key: ~`)."""
        return not self.quoted and self.text in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Sequence:
    """A YAML list and its line."""

    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping: (key, value) pairs in file order, and its line."""

    entries: tuple[tuple[Scalar, Node], ...]
    line: int


Node = Scalar | Sequence | Mapping


@dataclass
class ParsedFile:
    """A story file split into front matter and body, with every problem met on the way."""

    path: str
    front: Mapping | None
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to text with LF line ends; UTF-8 with or without BOM, anything else refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "用 UTF-8 编码另存此文件（记事本：另存为 → 编码选 UTF-8）。"
        try:
            raw.decode("gb18030")
            hint = "文件似乎是 GBK/GB18030 编码，请" + hint
        except UnicodeDecodeError:
            hint = "文件不是文本或含有损坏的字符，请" + hint
        return None, [error("file.not-utf8", path, line, f"文件不是 UTF-8 编码。{hint}")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [
            error(
                "file.nul-character",
                path,
                line,
                "文件含有空字符（NUL），可能不是文本文件；请删除该字符或重新保存为纯文本。",
            )
        ]
    # Folding keeps every line break, so YAML's line numbers stay the editor's.
    text, refused = characters.clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    return text, [error(found.rule, path, found.line, found.message) for found in refused]


def parse(path: str, raw: bytes) -> ParsedFile:
    """Split a story's bytes into a front-matter tree and a body; never raises on bad content."""
    if len(raw) > MAX_STORY_BYTES:
        message = (
            f"文件过长（{len(raw) // 1000} KB，最多 {MAX_STORY_BYTES // 1000} KB）：一篇文章不需要这么长；"
            "请删去粘贴进来的多余内容，或拆成几篇文章。"
        )
        return ParsedFile(path, None, "", 1, [error("file.too-large", path, 1, message)])
    text, problems = decode(path, raw)
    if text is None:
        return ParsedFile(path, None, "", 1, problems)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(
            error(
                "front.opening-missing",
                path,
                1,
                "文件开头缺少 front matter：第一行必须是 ---，接着写 title、date 等字段，再用一行 --- 结束。",
            )
        )
        return ParsedFile(path, None, text, 1, problems)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.append(
            error("front.closing-missing", path, 1, "front matter 没有结束：请在字段之后单独写一行 --- 与正文分开。")
        )
        return ParsedFile(path, None, "", len(lines), problems)
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    front = _front_matter(path, yaml_text, problems, partial(_as_saved, raw, end))
    return ParsedFile(path, front, body, end + 2, problems)


def _as_saved(raw: bytes, end: int) -> list[str]:
    """The front matter's lines as saved, before the input fold: messages name what was folded."""
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:end]


def _front_matter(
    path: str, yaml_text: str, problems: list[Problem], saved: Callable[[], list[str]] = list
) -> Mapping | None:
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        problems.append(
            error(
                "front.too-long",
                path,
                2,
                f"front matter 过长（超过 {MAX_FRONT_MATTER_CHARS} 字），请把长内容写进正文。",
            )
        )
        return None
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except RecursionError:
        problems.append(
            error("front.too-deep", path, 2, f"front matter 嵌套过深（超过 {MAX_DEPTH} 层），请检查括号和缩进。")
        )
        return None
    except yaml.MarkedYAMLError as exc:
        return _recover(path, yaml_text, problems, saved, _refusal(yaml_text, exc))
    except yaml.YAMLError:
        problems.append(error("front.yaml-invalid", path, 2, f"front matter 不是有效的 YAML：{_YAML_HINT}"))
        return None
    if root is None:
        problems.append(error("front.empty", path, 2, "front matter 是空的：请至少填写 title 和 date。"))
        return None
    return _tree(path, yaml_text, root, problems, saved)


def _tree(
    path: str, yaml_text: str, root: yaml.Node, problems: list[Problem], saved: Callable[[], list[str]] | None
) -> Mapping | None:
    """A composed front matter as our tree; with `saved`, one that is not a mapping is diagnosed."""
    for problem in _lost_text(path, yaml_text):
        problems.append(problem)
        if problem.is_error:
            return None
    converted = _Converter(path, problems).convert(root, 0)
    if converted is None:
        return None
    if not isinstance(converted, Mapping):
        if saved is not None:
            return _recover(path, yaml_text, problems, saved, None)
        return None
    return converted


def _recover(
    path: str,
    yaml_text: str,
    problems: list[Problem],
    saved: Callable[[], list[str]],
    refusal: tuple[int, str] | None,
) -> Mapping | None:
    """Every slip of a front matter YAML refused (or read as no mapping), then the fields once more.

    The slips are errors, so the story never publishes; reading the front matter with each
    slip repaired lets the other fields' problems be reported in the same run.
    """
    lines = yaml_text.split("\n")
    slips = yamlslips.scan(lines, saved())
    if not slips:
        if refusal is None:
            problems.append(
                error("front.not-a-mapping", path, 2, "front matter 应是「键: 值」形式的字段列表，例如 title: 标题。")
            )
        else:
            problems.append(
                error("front.yaml-invalid", path, refusal[0], f"front matter 不是有效的 YAML：{refusal[1]}")
            )
        return None
    if refusal is not None and refusal[0] < slips[0].index + 2:
        problems.append(error("front.yaml-invalid", path, refusal[0], f"front matter 不是有效的 YAML：{refusal[1]}"))
    for slip in slips:
        problems.append(error(slip.rule, path, slip.index + 2, f"front matter 不是有效的 YAML：{slip.message}"))
    repaired = yamlslips.repair(lines, slips)
    try:
        root = yaml.compose(repaired, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return None  # something else is wrong too; it is reported once these are fixed
    if root is None:
        return None
    found: list[Problem] = []
    tree = _tree(path, repaired, root, found, None)
    # On a repaired line, the slip is what the editor must fix: nothing else is said about it.
    slipped = {slip.index + 2 for slip in slips}
    problems.extend(p for p in found if p.line not in slipped)
    return tree


def _refusal(yaml_text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The file line libyaml's refusal is about, and what it means in Chinese."""
    mark = exc.problem_mark
    # An unclosed bracket or quote is only noticed at the end; its opening is the place to fix.
    opened = any(word in (exc.context or "") for word in ("quoted scalar", "flow"))
    if exc.context_mark is not None and (mark is None or opened or mark.line >= yaml_text.count("\n") + 1):
        mark = exc.context_mark
    # libyaml may place the mark past the last line; the editor fixes the last line written.
    last = max((i for i, text in enumerate(yaml_text.split("\n")) if text.strip()), default=0)
    line = min(mark.line, last) + 2 if mark is not None else 2
    return line, f"{_yaml_reason(exc)}。"


_ANCHOR_OR_TAG = re.compile(r"^\s*(?:-\s+|[A-Za-z_][\w-]*:\s+)([&!])[^\s]")
_TRAILING_COMMENT = re.compile(r"""^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s+[^\s"'#\[{|>][^#]*?\s#""")
_VALUE_COMMENT = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s+#")


def _anchor_or_tag(sign: str) -> str:
    kind = "锚点" if sign == "&" else "标签"
    return (
        f"值以「{sign}」开头会被当成 YAML {kind}（网站不支持），后面的文字会丢失；请给整个值加引号，或把值直接写出来。"
    )


def _lost_text(path: str, yaml_text: str) -> list[Problem]:
    """Lines YAML accepts but reads differently from what the editor meant: text would be lost."""
    found: list[Problem] = []
    for line, text in enumerate(yaml_text.split("\n"), start=2):
        mark = _ANCHOR_OR_TAG.match(text)
        if mark:
            rule = "front.anchor-value" if mark.group(1) == "&" else "front.tag-value"
            found.append(error(rule, path, line, _anchor_or_tag(mark.group(1))))
        elif _VALUE_COMMENT.match(text):
            message = "值以「#」开头，整行都被当作注释，不会发布；如需显示 #（例如 #巾帼战疫#），请给整个值加引号。"
            found.append(warning("front.value-comment", path, line, message))
        elif _TRAILING_COMMENT.match(text):
            message = "「 #」之后的文字被当作注释，不会发布；如需显示 #（例如 #巾帼战疫#），请给整个值加引号。"
            found.append(warning("front.trailing-comment", path, line, message))
    return found


_YAML_HINT = "常见原因：冒号后缺少空格、缩进不一致、引号不成对、值里有英文冒号（请给整个值加引号）。"


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    reason = (exc.problem or exc.context or "").strip()
    known = {
        "mapping values are not allowed": "这里不能出现冒号：值里有英文冒号时，请给整个值加引号",
        "could not find expected ':'": "缺少冒号，或上一行的引号没有成对",
        "cannot start any token": "这一行有不能出现在值开头的字符（例如 @、`、%，或用了 Tab 缩进）；请给整个值加引号，缩进用空格",
        "did not find expected key": "缩进不一致，或引号没有把整个值括起来（值里含引号时，请用另一种引号括住整个值）",
        "did not find expected '-' indicator": "列表缩进不一致",
        "did not find expected node content": "缺少值，或括号、引号没有成对",
        "did not find expected ',' or ']'": "方括号 [ ] 没有成对，或列表项之间缺少逗号",
        "did not find expected ',' or '}'": "花括号 { } 没有成对，或项之间缺少逗号",
        "unexpected end of stream": "引号或括号没有成对",
        "undefined alias": "值以「*」开头会被当成 YAML 别名；请给整个值加引号",
        "undefined tag handle": "值以「!」开头会被当成 YAML 标签；请给整个值加引号",
        "expected alphabetic or numeric character": "值以「&」「*」或「!」开头；请给整个值加引号",
        "expected comment or line break": "引号结束后还有多余的文字：值里含引号时，请用另一种引号括住整个值",
        "expected <document start>": "有多余的内容，或缩进不一致",
        "block sequence entries are not allowed": "列表项「- 」的位置不对：列表写在字段名的下一行并缩进，或写成 [a, b]",
        "mapping keys are not allowed": "这里不能出现「?」或多余的冒号；请给整个值加引号",
        "second occurrence": "锚点「&」重复；请给以 & 开头的值加引号",
        "unknown escape character": "双引号里的反斜杠 \\ 后面跟了无效字符；请改用单引号，或写成两个反斜杠",
        "tab character": "用了 Tab 键缩进；缩进请用空格",
        "unexpected ':'": "这里不能出现冒号：值里有英文冒号时，请给整个值加引号",
        "control characters": "有看不见的控制字符；请重新输入这一行",
        "Unicode character escape": "双引号里的 \\u 写法有误；请直接写出这个字，或改用单引号",
        "hexdecimal number": "双引号里的 \\x 或 \\u 写法有误；请直接写出这个字，或改用单引号",
        "expected whitespace": "符号后面缺少空格（例如「-」「:」后面要空一格）",
        "document indicator": "值里有单独一行的 --- 或 ...；请给整个值加引号",
        "indentation indicator": "「|」或「>」后面的数字不对；请只写「|」或「>」",
        "directive": "以「%」开头的行会被当成 YAML 指令；请给整个值加引号",
        "%YAML": "以「%」开头的行会被当成 YAML 指令；请给整个值加引号",
        "tag URI": "值以「!」开头会被当成 YAML 标签；请给整个值加引号",
        "expected '!'": "值以「!」开头会被当成 YAML 标签；请给整个值加引号",
        "expected '>'": "值以「!」开头会被当成 YAML 标签；请给整个值加引号",
        "URI escaped": "值以「!」开头会被当成 YAML 标签；请给整个值加引号",
        "anchor": "值以「&」或「*」开头；请给整个值加引号",
        "alias": "值以「*」开头会被当成 YAML 别名；请给整个值加引号",
        "another document": "有多余的 ---；front matter 只能有开头和结尾两行 ---",
        "document start": "有多余的内容，或缩进不一致",
        "simple key": "字段名太长或没有写完：字段名后要有英文冒号加空格",
        "non-alphabetical": "值以「&」「*」或「!」开头；请给整个值加引号",
        "special characters": "有看不见的特殊字符；请重新输入这一行",
    }
    for english, chinese in known.items():
        if english in reason:
            return chinese
    # Never the library's English: the editor cannot act on it.
    return f"格式有误。{_YAML_HINT.rstrip('。')}"


class _Converter:
    """Turns a composed YAML node into our tree, refusing aliases, depth and size bombs."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.seen: set[int] = set()
        self.count = 0
        self.failed = False

    def convert(self, node: yaml.Node, depth: int, where: int = 2) -> Node | None:
        if self.failed:
            return None
        line = node.start_mark.line + 2
        # An alias makes the composer hand out the same node twice; refusing any node met
        # again stops billion-laughs expansion before it starts. `where` is the line of the
        # entry that holds it, since the node itself sits where the anchor was.
        if id(node) in self.seen:
            self._fail("front.alias", where, "front matter 不支持 YAML 锚点和别名（& 与 *），请把值直接写出来。")
            return None
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_NODES:
            self._fail("front.too-many-nodes", line, f"front matter 的条目过多（超过 {MAX_NODES} 个），请精简。")
            return None
        if depth > MAX_DEPTH:
            self._fail("front.too-deep", line, f"front matter 嵌套过深（超过 {MAX_DEPTH} 层），请检查括号和缩进。")
            return None
        if isinstance(node, yaml.ScalarNode):
            # A double-quoted value's escapes (`"\\x0b"`, `"\\u00a0"`) make characters the file did not hold.
            text, refused = characters.clean(str(node.value), front_matter=False)
            for found in refused[:1]:
                self.problems.append(error(found.rule, self.path, line, found.message))
            return Scalar(text, line, quoted=node.style in ("'", '"', "|", ">"))
        if isinstance(node, yaml.SequenceNode):
            items = []
            for child in node.value:
                converted = self.convert(child, depth + 1, line)
                if converted is None:
                    return None
                items.append(converted)
            return Sequence(tuple(items), line)
        entries = []
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1, line)
            value = self.convert(value_node, depth + 1, key_node.start_mark.line + 2)
            if key is None or value is None:
                return None
            if not isinstance(key, Scalar):
                self._fail("front.key-not-text", key.line, "字段名必须是简单的文字，例如 title。")
                return None
            entries.append((key, value))
        return Mapping(tuple(entries), line)

    def _fail(self, rule: str, line: int, message: str) -> None:
        self.failed = True
        self.problems.append(error(rule, self.path, line, message))
        return None
