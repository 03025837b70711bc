"""The usual slips of typing front matter from Word or a Chinese IME, found on every line at once.

libyaml stops at the first thing it cannot read, and often blames a line after the one to
fix. Once it has refused a front matter, `scan` reads every line for the slips editors make
(a full-width colon, no space after a colon, a Tab or a stray space before a key, a quote
or bracket left open, an English colon inside a value …) and names each, with the invisible
character that caused it when there is one (the file's text is folded before YAML reads it,
so the characters are named from the lines as saved). Each slip carries the line as it was
surely meant, so the front matter can be read once more with every slip repaired: the
story's fields are then checked in the same run, while the slips keep it from publishing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.content import characters

_KEY = r"[A-Za-z_][\w-]*"
_FULL_WIDTH_COLON = re.compile(rf"^(\s*(?:-\s+)?)({_KEY})\s*：\s*(.*)$")
_NO_SPACE = re.compile(rf"^(\s*(?:-\s+)?)({_KEY}):(?=[^\s/])(.*)$")
_ENTRY = re.compile(rf"^(\s*(?:-\s+)?)({_KEY}):(?:\s+(.*))?$")
_TOP_KEY = re.compile(rf"^({_KEY}):(?:\s+(.*))?$")
_INDENTED_KEY = re.compile(rf"^([ \t]+)({_KEY}):(?:\s|$)")
_QUOTE_THEN_TEXT = re.compile(r"""^(["'])(?:(?!\1).)*\1\s*[^\s#,\]}]""")
_LIST_ITEM = re.compile(r"^(\s*)-(\s*)(.*)$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")
_COLON_IN_VALUE = re.compile(r":(?:\s|$)")
_BAD_START = "@`%"


@dataclass(frozen=True)
class Slip:
    """One line's slip: where (from 0, in the front-matter text), what to say, and the line as meant."""

    index: int
    message: str
    repaired: str
    moves: bool = False  # the repair changes indentation, so later errors may be its own
    shift: int = 0  # the lines under this one (more indented) move by as many spaces as it did
    rule: str = field(kw_only=True)  # the rule's id (content/rules.py)


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _lead_of(line: str) -> str:
    return line[
        : len(line)
        - len(
            line.lstrip(
                " \t\u00a0\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\ufeff\u200b"
            )
        )
    ]


def _seen(text: str) -> str:
    """The invisible characters of `text` as an editor can recognise them, or ''."""
    names: list[str] = []
    for char in text:
        name = characters.invisible_name(char)
        if name and name not in names:
            names.append(name)
    return "、".join(names)


def _closes(value: str) -> bool:
    """Whether a flow value opened on this line (`[a, b]`, `{…}`) closes on it."""
    depth = 0
    quote = ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth <= 0


def _unclosed_quote(value: str) -> bool:
    quote = value[0]
    rest = value[1:]
    if quote == "'":
        rest = rest.replace("''", "")
        return "'" not in rest
    return re.search(r'(?<!\\)(?:\\\\)*"', rest) is None


def scan(lines: list[str], original: list[str] | None = None) -> list[Slip]:
    """Every slip in a front matter's lines (`original`: the same lines as saved, before folding)."""
    saved = original if original is not None and len(original) == len(lines) else lines
    slips: list[Slip] = []
    content = [i for i, text in enumerate(lines) if text.strip() and not text.lstrip().startswith("#")]
    has_top = any(not lines[i][:1].isspace() for i in content)
    inline_value = True  # the last top-level key's value was complete on its line (the root: no key yet)
    block_indent: int | None = None  # inside a `|` or `>` value: its key's indentation
    list_indent: int | None = None  # the first item's indentation of the current top-level key's list
    for position, index in enumerate(content):
        text, as_saved = lines[index], saved[index]
        indent = len(text) - len(text.lstrip(" "))
        if block_indent is not None:
            if indent > block_indent or text[:1] == "\t":
                continue
            block_indent = None
        found = _slip_of(index, text, as_saved, inline_value and (position > 0 or has_top), list_indent)
        if found is not None:
            slips.append(found)
            text = found.repaired
            indent = len(text) - len(text.lstrip(" "))
        top = _TOP_KEY.match(text)
        if top:
            value = (top.group(2) or "").strip()
            inline_value = bool(value) and (value[0] not in "|>[{" or (value[0] in "[{" and _closes(value)))
            list_indent = None
            if _BLOCK_SCALAR.match(value):
                block_indent = 0
            continue
        entry = _ENTRY.match(text)
        if entry and _BLOCK_SCALAR.match((entry.group(3) or "").strip()):
            block_indent = len(entry.group(1))
        item = _LIST_ITEM.match(text)
        if item and item.group(2) and list_indent is None:
            list_indent = len(item.group(1))
    return slips


def _slip_of(index: int, text: str, saved: str, top_level_done: bool, list_indent: int | None) -> Slip | None:
    """The slips on one line, if it has known ones: one of how it starts, then one of its value."""
    first = _start_slip(index, text, saved, top_level_done, list_indent)
    if first is None:
        return None
    entry = _ENTRY.match(first.repaired)
    second = (
        _value_slip(index, entry.group(1), entry.group(2), entry.group(3).rstrip())
        if entry and entry.group(3)
        else None
    )
    if second is None or second.message == first.message:
        return first
    # Two slips on one line: the first names the rule (the editor fixes it first).
    return Slip(
        index, f"{first.message}另外，{second.message}", second.repaired, first.moves, first.shift, rule=first.rule
    )


def _start_slip(index: int, text: str, saved: str, top_level_done: bool, list_indent: int | None) -> Slip | None:
    """The slip in how one line starts (or, failing that, in its value)."""
    lead = _lead_of(saved)
    if "\t" in lead:
        repaired = text[: len(text) - len(text.lstrip(" \t"))].replace("\t", "  ") + text.lstrip(" \t")
        spaced_key = _INDENTED_KEY.match(repaired)
        # A Tab is never meant as YAML's indentation: a key lands at the top level unless its
        # spaces put it exactly where a key of the list's last item goes.
        in_item = list_indent is not None and spaced_key is not None and len(spaced_key.group(1)) == list_indent + 2
        if spaced_key is not None and not in_item and (list_indent is not None or top_level_done):
            repaired = repaired.lstrip()
        return Slip(
            index,
            "这一行用了 Tab 键缩进：front matter 只认空格；请把行首的 Tab 删掉，改用空格（与上下行对齐）。",
            repaired,
            moves=True,
            rule="front.tab-indent",
        )
    match = _FULL_WIDTH_COLON.match(text)
    if match:
        lead_text, key, value = match.groups()
        return Slip(
            index,
            f"「{key}」后面是中文冒号「：」；字段名后要用英文冒号加空格，写成「{key}: 」。",
            f"{lead_text}{key}: {value}".rstrip(),
            rule="front.full-width-colon",
        )
    match = _NO_SPACE.match(text)
    if match:
        lead_text, key, value = match.groups()
        after = saved.split(":", 1)[1][:1] if ":" in saved else ""
        hidden = _seen(after) if after else ""
        if hidden:
            message = f"「{key}:」冒号后面是一个看不见的{hidden}，不是空格；请删掉它，在冒号后打一个空格。"
        else:
            message = f"冒号后缺少空格；请在「{key}:」的冒号后加一个空格。"
        return Slip(index, message, f"{lead_text}{key}: {value}", rule="front.colon-space-missing")
    match = _stray_key_indent(text, top_level_done, list_indent)
    if match:
        key = match.group(2)
        hidden = _seen(_lead_of(saved))
        if hidden:
            message = f"这一行开头有看不见的{hidden}；字段名要顶格写，请删掉「{key}:」前面的空白。"
        else:
            message = f"这一行前面多了空格；字段名要顶格写，例如「{key}: 」前面不留空格。"
        return Slip(index, message, text.lstrip(), moves=True, rule="front.key-indented")
    item = _LIST_ITEM.match(text)
    if item and not text.lstrip().startswith("---"):
        spaces, gap, rest = item.groups()
        if not gap and rest and rest[0] not in "-":
            return Slip(
                index,
                f"列表项的「-」后面缺少空格；请写成「- {rest}」。",
                f"{spaces}- {rest}",
                rule="front.dash-space-missing",
            )
        if gap and list_indent is not None and len(spaces) != list_indent and len(spaces) < list_indent + 2:
            return Slip(
                index,
                f"这一行的「- 」没有和上面的列表项对齐（上面的「- 」前有 {list_indent} 个空格，这一行有 {len(spaces)} 个）："
                "同一个列表的每一项前面的空格要一样多。",
                " " * list_indent + text.lstrip(" "),
                moves=True,
                shift=list_indent - len(spaces),
                rule="front.list-misaligned",
            )
    entry = _ENTRY.match(text)
    if not entry or not entry.group(3):
        return None
    lead_text, key, value = entry.group(1), entry.group(2), entry.group(3).rstrip()
    return _value_slip(index, lead_text, key, value)


def _value_slip(index: int, lead: str, key: str, value: str) -> Slip | None:
    """A slip in how one `key: value` line's value is written."""
    first = value[0]
    quoted = f"{lead}{key}: {_single_quoted(value)}"
    if first in "\"'":
        if _QUOTE_THEN_TEXT.match(value):
            return Slip(
                index,
                f"「{key}」的值以引号开头，但引号结束后还有文字；值里含引号时，请用另一种引号括住整个值，"
                f"例如 {key}: '“新冠”不可怕'。",
                quoted,
                rule="front.text-after-quote",
            )
        if _unclosed_quote(value):
            return Slip(
                index,
                f"「{key}」的值以引号「{first}」开头，但这一行没有结束的引号：请在值的末尾补上「{first}」，或去掉开头的引号。",
                f"{lead}{key}: {value}{first}",
                rule="front.quote-unclosed",
            )
        return None
    if first in "[{":
        if not _closes(value):
            close = "]" if first == "[" else "}"
            return Slip(
                index,
                f"「{key}」的值以「{first}」开头，但这一行没有「{close}」：请在末尾补上「{close}」。",
                f"{lead}{key}: {value}{close}",
                rule="front.bracket-unclosed",
            )
        return None
    if first in "&!":
        kind = "锚点" if first == "&" else "标签"
        return Slip(
            index,
            f"值以「{first}」开头会被当成 YAML {kind}（网站不支持），后面的文字会丢失；请给整个值加引号，或把值直接写出来。",
            quoted,
            rule="front.anchor-value" if first == "&" else "front.tag-value",
        )
    if first == "*":
        return Slip(
            index, "值以「*」开头会被当成 YAML 别名（网站不支持）；请给整个值加引号。", quoted, rule="front.alias-value"
        )
    if first in _BAD_START:
        return Slip(
            index,
            f"「{key}」的值以「{first}」开头，YAML 不允许；请给整个值加引号，例如 {key}: '{value}'。",
            quoted,
            rule="front.bad-value-start",
        )
    if first not in "|>#" and _COLON_IN_VALUE.search(value.split(" #", 1)[0]):
        return Slip(
            index,
            f"「{key}」的值里有英文冒号「:」，会被当成另一个字段；请改成中文冒号「：」，或给整个值加引号，例如 {key}: '{value}'。",
            quoted,
            rule="front.colon-in-value",
        )
    return None


def _stray_key_indent(text: str, top_level_done: bool, list_indent: int | None) -> re.Match[str] | None:
    """An indented key that belongs at the top level, if `text` is one."""
    match = _INDENTED_KEY.match(text)
    # A key before the list it follows (`reviewed:` one space in, after items two spaces in) is not in it.
    if match and (top_level_done or (list_indent is not None and len(match.group(1)) < list_indent)):
        return match
    return None


def repair(lines: list[str], slips: list[Slip]) -> str:
    """The front matter with every slip's line as it was meant."""
    fixed = list(lines)
    for slip in slips:
        fixed[slip.index] = slip.repaired
        if not slip.shift:
            continue
        indent = len(lines[slip.index]) - len(lines[slip.index].lstrip(" "))
        for below in range(slip.index + 1, len(lines)):
            text = lines[below]
            if not text.strip():
                continue
            if len(text) - len(text.lstrip(" ")) <= indent:
                break
            fixed[below] = " " * max(0, len(text) - len(text.lstrip(" ")) + slip.shift) + text.lstrip(" ")
    return "\n".join(fixed)
