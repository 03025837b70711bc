"""What a public body's site must not publish: placeholders in mkdocs.yml.

The footer's fields (主办单位, ICP 备案, 公安备案 …), the 线索与求证 contacts and the media
matrix come from `extra` in mkdocs.yml, which ships with examples. A production build
(`python -m generator build --production`, or the plugin's `production: true`) refuses
every placeholder, each named by its key and line in mkdocs.yml with the fix:

- text marked 示例;
- a number of zeros only (渝ICP备00000000号, 023-00000000, an all-zero app id);
- an address on a domain reserved for examples (RFC 2606/6761: *.example, example.com …);
- a media account linked to its platform's home page rather than to the account;
- a QR code that cannot be read, or that reads as this site's own address (the 公众号's
  code must lead to the account, not back here);
- a site without its ICP number, which every site hosted in mainland China shows.

Other builds print one warning naming how many placeholders remain. Reading mkdocs.yml
here is plain YAML composition (no MkDocs), so `check`-like tools and tests can call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.content.problems import Problem, error, warning

PLACEHOLDER_WORD = "示例"
# A maximal run of digits made of zeros only, three or more long.
_ZEROS = re.compile(r"(?<!\d)0{3,}(?!\d)")
# Hosts reserved for documentation and tests (RFC 2606, RFC 6761).
_EXAMPLE_HOST = re.compile(r"(?:^|\.)(?:example|test|invalid|localhost)$|(?:^|\.)example\.(?:com|net|org)$")
_HOST_IN_TEXT = re.compile(r"(?:https?://|@|^)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", re.MULTILINE)
_ICP = re.compile(r"ICP[备证]\d+号(?:-\d+)?")
# The parts of mkdocs.yml the site shows or links to; the rest (theme, plugins) is not content.
CHECKED_KEYS = ("site_name", "site_url", "site_description", "copyright", "extra")
# What each key is, as the message names it.
LABELS = {
    "site_url": "网站地址",
    "extra.organisation.name": "主办单位",
    "extra.organisation.organiser": "承办单位",
    "extra.organisation.address": "地址",
    "extra.organisation.phone": "电话",
    "extra.organisation.icp": "ICP 备案号",
    "extra.organisation.police_record": "公安备案号",
    "extra.organisation.site_id_code": "网站标识码",
    "extra.ask.phone": "求证电话",
    "extra.ask.email": "求证邮箱",
}


@dataclass(frozen=True)
class Value:
    """A scalar of mkdocs.yml: its dotted key (`extra.media_matrix[0].qr`), line and text, and
    the file it is written in ("" for the file checked; else a file it INHERITs from)."""

    key: str
    line: int
    text: str
    file: str = ""


def values(config_file: Path, shown: str = "") -> list[Value]:
    """Every scalar under the checked keys of a mkdocs.yml, with its line; with MkDocs' INHERIT,
    the parent's values too, less those the child replaces (maps merge, lists are replaced)."""
    # Composed, not constructed: no tag (!ENV, !!python/name) is run or needs a constructor.
    root = yaml.compose(config_file.read_text("utf-8"), Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return []
    found: list[Value] = []
    lists: list[str] = []
    parent: Path | None = None
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "INHERIT":
            parent = (config_file.parent / str(value_node.value)).resolve()
        if isinstance(key_node, yaml.ScalarNode) and key_node.value in CHECKED_KEYS:
            found.extend(_walk(value_node, str(key_node.value), shown, lists))
    if parent is not None and parent.is_file():
        own = {v.key for v in found}
        inherited = [
            v
            for v in values(parent, str(parent))
            if v.key not in own and not any(v.key.startswith(prefix + "[") for prefix in lists)
        ]
        found = inherited + found
    return found


def _walk(node: yaml.Node, key: str, shown: str, lists: list[str]) -> Iterator[Value]:
    if isinstance(node, yaml.ScalarNode):
        if node.value != "" and node.tag != "tag:yaml.org,2002:null":
            yield Value(key, node.start_mark.line + 1, str(node.value), shown)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield from _walk(value_node, f"{key}.{key_node.value}", shown, lists)
    elif isinstance(node, yaml.SequenceNode):
        lists.append(key)
        for index, item in enumerate(node.value):
            yield from _walk(item, f"{key}[{index}]", shown, lists)


def _named(key: str) -> str:
    """The key as a message names it, ready to be followed by Chinese text."""
    label = LABELS.get(key)
    return f"{key}（{label}）" if label else f"{key} "


def _host(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")


def example_hosts(text: str) -> list[str]:
    """The hosts named in `text` (addresses, e-mail domains, bare names) that are reserved for examples."""
    return [
        h for h in (m.group(1).lower().rstrip(".") for m in _HOST_IN_TEXT.finditer(text)) if _EXAMPLE_HOST.search(h)
    ]


def value_problems(value: Value, where: str) -> list[Problem]:
    """Why one value of mkdocs.yml is a placeholder (nothing when it is not): the first reason only."""
    shown, named = value.text.strip(), _named(value.key)
    found = []
    if PLACEHOLDER_WORD in shown:
        found.append(
            error(
                "official.example-text",
                where,
                value.line,
                f"{named}还是示例内容「{shown}」：请填写真实的信息，或删除这一项。",
            )
        )
    if _ZEROS.search(shown):
        found.append(
            error(
                "official.zeros",
                where,
                value.line,
                f"{named}里的号码全是 0（「{shown}」），是占位的示例：请填写真实的号码，或删除这一项。",
            )
        )
    hosts = example_hosts(shown)
    if hosts:
        found.append(
            error(
                "official.example-host",
                where,
                value.line,
                f"{named}用的是示例域名 {hosts[0]}（「{shown}」），读者打不开：请换成真实的网址或邮箱。",
            )
        )
    if re.fullmatch(r"extra\.media_matrix\[\d+\]\.url", value.key) and urlsplit(shown).path in ("", "/"):
        found.append(
            error(
                "official.platform-home",
                where,
                value.line,
                f"{named}只链接到平台首页（「{shown}」），不是本单位的账号：请填写账号主页的网址，或删除 url 只显示账号名。",
            )
        )
    return found[:1]


def qr_problems(value: Value, where: str, docs_dir: Path, site_url: str) -> list[Problem]:
    """Why a media account's QR picture cannot be published: missing, unreadable, or this site's own address."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    named = _named(value.key)
    path = docs_dir / value.text.strip()
    try:
        with Image.open(path) as picture:
            codes = zxingcpp.read_barcodes(picture.convert("L"))
    except (OSError, UnidentifiedImageError):
        return [
            error(
                "official.qr-unreadable",
                where,
                value.line,
                f"{named}的图片 {value.text} 找不到或打不开：请把二维码图片放在 site_src/ 下并写对文件名。",
            )
        ]
    texts = [code.text for code in codes if code.text]
    if not texts:
        return [
            error(
                "official.qr-no-code",
                where,
                value.line,
                f"{named}的图片 {value.text} 里读不出二维码：请换成平台后台下载的原图（不要截图、压缩或加边框）。",
            )
        ]
    own = _host(site_url)
    for text in texts:
        if text.strip().rstrip("/") == site_url.strip().rstrip("/") or (own and _host(text) == own):
            return [
                error(
                    "official.qr-own-site",
                    where,
                    value.line,
                    f"{named}的二维码扫出来是本网站自己的地址（{text}），不是账号的二维码："
                    "请换成平台给的账号二维码（微信公众号：公众平台“设置与开发 → 公众号设置”里下载）。",
                )
            ]
    return []


def problems(config_file: Path, docs_dir: Path, where: str = "mkdocs.yml") -> list[Problem]:
    """Every placeholder a production build refuses, each an error at its line of mkdocs.yml."""
    return [problem for _, problem in findings(config_file, docs_dir, where)]


def findings(config_file: Path, docs_dir: Path, where: str = "mkdocs.yml") -> list[tuple[str, Problem]]:
    """Every placeholder with the key it is under."""
    found_values = values(config_file)
    by_key = {v.key: v for v in found_values}
    site_url = by_key["site_url"].text if "site_url" in by_key else ""
    found: list[tuple[str, Problem]] = []
    for value in found_values:
        at = value.file or where
        found += [(value.key, p) for p in value_problems(value, at)]
        if re.fullmatch(r"extra\.media_matrix\[\d+\]\.qr", value.key):
            found += [(value.key, p) for p in qr_problems(value, at, docs_dir, site_url)]
    icp = by_key.get("extra.organisation.icp")
    if icp is None:
        found.append(
            (
                "extra.organisation.icp",
                error(
                    "official.icp-missing",
                    where,
                    0,
                    "没有 extra.organisation.icp（ICP 备案号）：在中国大陆上线的网站要在页脚显示备案号，"
                    "请在 mkdocs.yml 的 extra.organisation 下写 icp: 渝ICP备xxxxxxxx号。",
                ),
            )
        )
    elif not _ICP.search(icp.text) and not any(key == icp.key for key, _ in found):
        message = f"{_named(icp.key)}「{icp.text}」不像备案号：应写成“渝ICP备12345678号”的样子。"
        found.append((icp.key, error("official.icp-invalid", icp.file or where, icp.line, message)))
    if "extra.organisation.name" not in by_key:
        message = "没有 extra.organisation.name（主办单位）：请在 mkdocs.yml 的 extra.organisation 下写 name。"
        found.append(("extra.organisation.name", error("official.organisation-missing", where, 0, message)))
    return found


def reminder(config_file: Path, docs_dir: Path, where: str = "mkdocs.yml") -> list[Problem]:
    """For a build that is not a production one: one warning when placeholders remain, naming the first keys."""
    found = findings(config_file, docs_dir, where)
    if not found:
        return []
    keys = list(dict.fromkeys(key for key, _ in found))
    shown = "、".join(keys[:4]) + ("等" if len(keys) > 4 else "")
    return [
        warning(
            "official.placeholders-left",
            where,
            0,
            f"页脚等处还有 {len(found)} 项示例或占位内容（{shown}）；正式发布前请填写真实信息，"
            "并用 python -m generator build --production 构建，它会逐项列出并拒绝发布示例内容。",
        )
    ]
