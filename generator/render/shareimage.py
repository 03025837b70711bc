"""Share images: one PNG per section (and one for the site), drawn at build time with Pillow.

Link cards in WeChat and Weibo show `og:image`; a story without a lead picture shows its
section's card. The Chinese text is set in Noto Sans CJK from the `manimgx-fonts-cjk`
package (SIL Open Font License), which `make site` installs from PyPI.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont

from generator.content.problems import Problem, error
from generator.core import addresses
from generator.core.outputs import Asset, Site
from generator.core.sections import SECTIONS
from generator.core.settings import Settings
from generator.render import share

SIZE = share.IMAGE_SIZE
FONT_PACKAGE = "manimgx_fonts_cjk"
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
FONT_FAMILY = "Noto Sans CJK SC"
_BACKGROUND = (179, 18, 62)  # the site's primary colour, --md-primary-fg-color
_INK = (255, 255, 255)
_SOFT_INK = (255, 225, 232)
_MARGIN = 90
# A line may not start with closing punctuation nor end with opening punctuation (禁则).
NO_LINE_START = set("，。、；：？！）」』》〉】〕〗｝’”…—～·%,.;:?!)]}>")
NO_LINE_END = set("（「『《〈【〔〖｛‘“([{<")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./:@_-]*|\s+|.", re.S)


@dataclass(frozen=True)
class Card:
    """What one share image says: a small line on top, a large title, a subtitle, a footer."""

    key: str
    kicker: str
    title: str
    subtitle: str
    footer: str


def cards(settings: Settings) -> list[Card]:
    """The share images of the site: one for the site itself, one per section."""
    host = urlsplit(settings.site_url).hostname or ""
    site_name = settings.site_name or "科学防疫"
    labels = "·".join(s.label for s in SECTIONS)
    made = [Card("site", "", site_name, labels, host)]
    for section in SECTIONS:
        footer = f"{section.hashtag}  {host}".strip()
        made.append(Card(section.key, site_name, section.label, section.description, footer))
    return made


def font_file() -> Path | None:
    """The installed Noto Sans CJK file, or None when the font package is missing."""
    try:
        path = Path(str(resources.files(FONT_PACKAGE) / FONT_FILE))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


@cache
def _font(path: Path, weight: str, size: int) -> ImageFont.FreeTypeFont:
    # The collection holds JP, KR, SC, TC and HK faces; pick the simplified Chinese one by name.
    for index in range(16):
        font = ImageFont.truetype(str(path), size, index=index, layout_engine=ImageFont.Layout.BASIC)
        if font.getname()[0] == FONT_FAMILY:
            font.set_variation_by_name(weight)
            return font
    raise LookupError(f"{FONT_FAMILY} not in {path}")


def _mask(font: ImageFont.FreeTypeFont, text: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(text)
    return mask.size, bytes(mask)


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> list[str]:
    """The characters of `text` the font has no glyph for (they would print as empty boxes)."""
    # A character outside the font draws the font's .notdef box, as a noncharacter does.
    notdef = _mask(font, "\U0010fffd")
    missing = []
    for char in dict.fromkeys(text):
        if char.isspace() or unicodedata.category(char) in ("Mn", "Cf"):
            continue
        if _mask(font, char) == notdef:
            missing.append(char)
    return missing


def problems(settings: Settings) -> list[Problem]:
    """Why the share images cannot be drawn: no CJK font, or a character it lacks."""
    path = font_file()
    if path is None:
        return [
            error(
                "build.font-missing",
                "requirements.txt",
                0,
                "找不到绘制分享图片所需的中文字体（Noto Sans CJK，Python 包 manimgx-fonts-cjk），网站不能生成；"
                "请运行 make site 安装依赖，或运行 .venv/bin/pip install -r requirements.txt。",
            )
        ]
    drawn = "".join(card.kicker + card.title + card.subtitle + card.footer for card in cards(settings))
    return [
        error(
            "build.glyph-missing",
            "mkdocs.yml",
            0,
            f"分享图片的文字「{char}」（U+{ord(char):04X}）在字体中没有字形，会显示成空白方框；"
            "请在网站名称或栏目说明中换用常用字。",
        )
        for char in missing_glyphs(_font(path, "Bold", 40), drawn)
    ]


def tokens(text: str) -> list[str]:
    """The pieces a line may break between (禁则: punctuation stays with its word)."""
    # Han characters break anywhere, a Latin word or number stays whole, a space may end a
    # line; closing punctuation goes with the token before it, opening with the one after.
    tokens: list[str] = []
    carry = ""
    for token in _TOKEN.findall(text):
        if tokens and not carry and token[0] in NO_LINE_START:
            tokens[-1] += token
        elif token[-1] in NO_LINE_END:
            carry += token
        else:
            tokens.append(carry + token)
            carry = ""
    return [*tokens, carry] if carry else tokens


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, max_lines: int = 0) -> list[str]:
    """`text` in lines no wider than `width`, broken the way Chinese is set (not only at spaces)."""
    return wrap_measured(text, font.getlength, width, max_lines)


def wrap_measured(
    text: str, measure: Callable[[str], float], width: float, max_lines: int = 0, additive: bool = False
) -> list[str]:
    """`text` in lines whose `measure` is at most `width`, broken by the line-breaking rules;
    past `max_lines` the last line is shortened with …. `additive`: the measure of two texts
    together is the sum of theirs (no kerning), so a line is not measured again for each token."""
    lines: list[str] = []
    line = ""
    used = 0.0  # measure(line)
    for token in tokens(text):
        wider = used + measure(token) if additive else measure(line + token)
        if wider <= width or not line.strip():
            line += token
            used = wider
            # A token wider than a whole line (a long address) is cut by characters.
            while used > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and measure(line[:cut]) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
                used = measure(line)
        else:
            lines.append(line.rstrip())
            line = token.lstrip()
            used = measure(line)
    if line.strip():
        lines.append(line.rstrip())
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and measure(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip("，。、；：,.;: ") + "…"]
    return lines


def _centred(
    draw: ImageDraw.ImageDraw, y: float, text: str, font: ImageFont.FreeTypeFont, fill: tuple[int, ...]
) -> None:
    draw.text((SIZE[0] / 2, y), text, font=font, fill=fill, anchor="mt")


def draw(card: Card, path: Path) -> bytes:
    """The PNG of one card; text is centred, so the square crop WeChat shows keeps the title."""
    image = Image.new("RGB", SIZE, _BACKGROUND)
    pen = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * _MARGIN
    kicker = _font(path, "Medium", 40)
    title = _font(path, "Bold", 112)
    subtitle = _font(path, "Regular", 42)
    footer = _font(path, "Medium", 34)
    title_lines = wrap(card.title, title, width, max_lines=2)
    subtitle_lines = wrap(card.subtitle, subtitle, width, max_lines=3)
    block = len(title_lines) * 136 + (24 + len(subtitle_lines) * 62 if subtitle_lines else 0)
    y = (SIZE[1] - block) / 2 - 10
    for line in title_lines:
        _centred(pen, y, line, title, _INK)
        y += 136
    y += 24
    for line in subtitle_lines:
        _centred(pen, y, line, subtitle, _SOFT_INK)
        y += 62
    if card.kicker:
        _centred(pen, 44, card.kicker, kicker, _SOFT_INK)
    if card.footer:
        _centred(pen, SIZE[1] - 78, card.footer, footer, _SOFT_INK)
    out = io.BytesIO()
    # A flat background and white text need few colours; a palette keeps the file small.
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass
class Drawn:
    """The images drawn, by what they show; kept across `serve` rebuilds in pipeline.Cache."""

    images: dict[tuple[Card, Path], bytes] = field(default_factory=dict)

    def get(self, card: Card, path: Path) -> bytes:
        """The PNG of `card`, drawn once."""
        if (card, path) not in self.images:
            self.images[(card, path)] = draw(card, path)
        return self.images[(card, path)]


def render(settings: Settings, drawn: Drawn | None = None) -> Site:
    """The share images, as files of the site (none without the font, which `problems` reports)."""
    path = font_file()
    if path is None:  # only a preview under `serve` goes on past the reported problem
        return Site()
    memo = drawn if drawn is not None else Drawn()
    return Site(
        assets=[
            Asset(src_uri=addresses.image_address(card.key), content=memo.get(card, path)) for card in cards(settings)
        ]
    )
