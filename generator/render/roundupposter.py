"""A roundup's poster (周报、月报长图): the period's stories, each with its verdict and its one-line
conclusion, and the QR code of the roundup page; 1080 px wide, like the story posters.

A verdict is shown by its word, its colour and its icon (the shapes of templates/macros.html),
never by the colour alone; the line under a title is the story's fact (content/fact.py), never
the claim. A long period shows what fits, then says how many more there are. The header (the
roundup's name and period) stays inside the top 2.35:1 band, so the poster is also the cover of
the roundup's 公众号 article (render/wechatcover.py). Posters are drawn with Pillow at build
time on every core and kept in `.cache/roundups/` by what they show, like the story posters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from generator.core import workers
from generator.core.files import write_atomically
from generator.core.outputs import Asset, Site
from generator.core.settings import Settings
from generator.render import lettering, shareimage, storyimage
from generator.render.lettering import Box
from generator.render.storyimage import Block

KIND = "roundups"  # the cache folder (settings.cache), swept like the others after a full build
WIDTH = storyimage.POSTER_WIDTH
BODY_LIMIT = 2600  # pixels of stories at most: about eight screens of a phone with the footer
HEADER_LIMIT = int(WIDTH / storyimage.WIDE_RATIO)  # the cover's 2.35:1 band keeps the header
INVITATION = "查看本期全部文章"
RECIPE = "v1"  # change it to draw every roundup poster again (storyimage.RECIPE redraws them too)
_PARALLEL_FROM = 16  # as the story posters: a poster takes tens of milliseconds
_ICON = 44
_GAP = 36  # between two stories, with a rule in the middle


@dataclass(frozen=True)
class Item:
    """One story of the poster: its verdict (or, without one, its section), title and fact."""

    badge: str
    tone: str
    icon: str
    title: str
    line: str
    status: str = ""  # 已更正 …, when the story is not current


@dataclass(frozen=True)
class Sheet:
    """What a roundup's poster shows, as plain values: also what its cache is keyed by."""

    url: str
    site_name: str
    title: str
    period: str
    items: tuple[Item, ...]

    def digest(self) -> str:
        """The cache key: what is drawn and the recipe (the story posters' recipe too)."""
        return hashlib.sha256(repr((astuple(self), storyimage.RECIPE, RECIPE)).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Mark:
    """A verdict's icon: its shape's name, its square and its colour."""

    name: str
    x: int
    y: int
    side: int
    ink: tuple[int, ...]


@dataclass(frozen=True)
class Layout:
    """Where everything of a poster goes: text, icons, rules between stories, the bands."""

    blocks: list[Block]
    marks: list[Mark]
    rules: list[int]
    header_end: int
    footer_top: int
    shown: int  # how many stories are on it; the rest are counted in the line after them

    @property
    def height(self) -> int:
        """The poster's height."""
        return self.footer_top + storyimage.FOOTER_HEIGHT


def _fit(font: Path, text: str, y: int, weight: str, sizes: Sequence[int], lines: int, x: int = 0) -> Box:
    left = x or storyimage.MARGIN
    return lettering.fit(font, text, left, y, WIDTH - storyimage.MARGIN - left, weight, sizes, lines)


def _item(font: Path, item: Item, y: int) -> tuple[list[Block], Mark, int]:
    """One story's blocks from `y`, its icon, and where it ends."""
    ink = storyimage.TONES.get(item.tone, storyimage.PRIMARY_DARK)
    badge = f"{item.badge}（{item.status}）" if item.status else item.badge
    word = _fit(font, badge, y, "Bold", [40, 34], 1, x=storyimage.MARGIN + _ICON + 16)
    mark = Mark(item.icon, storyimage.MARGIN, y + (word.height - _ICON) // 2, _ICON, ink)
    blocks = [Block(word, ink)]
    y += word.height + 8
    title = _fit(font, item.title, y, "Bold", [46, 42, 38], 2)
    blocks.append(Block(title, storyimage.INK))
    y += title.height
    if item.line:
        line = _fit(font, item.line, y + 8, "Regular", [38, 34], 3)
        blocks.append(Block(line, storyimage.MUTED))
        y = line.y + line.height
    return blocks, mark, y


def layout(sheet: Sheet, font: Path) -> Layout:
    """The poster's layout: as many stories as fit BODY_LIMIT, then how many more there are."""
    header: list[Block] = []
    y = 56
    for text, weight, sizes, lines, ink, after in (
        (f"{sheet.site_name} · 周报和月报", "Medium", [36], 1, storyimage.SOFT, 16),
        (sheet.title, "Bold", [96, 80, 64], 1, storyimage.PAPER, 8),
        (sheet.period, "Medium", [44, 38, 34], 1, storyimage.PAPER, 16),
        (f"本期 {len(sheet.items)} 篇" if sheet.items else "", "Regular", [34], 1, storyimage.SOFT, 0),
    ):
        if text:
            box = _fit(font, text, y, weight, sizes, lines)
            header.append(Block(box, ink))
            y = box.y + box.height + after
    header_end = y + 48
    drawn = [_item(font, item, 0) for item in sheet.items]
    heights = [end + _GAP for _, _, end in drawn]
    more_height = 2 * _GAP + 60
    shown = len(drawn)
    if sum(heights) > BODY_LIMIT:
        shown = 0
        while shown < len(drawn) and sum(heights[: shown + 1]) + more_height <= BODY_LIMIT:
            shown += 1
        shown = max(shown, 1)  # one story always fits: it is at most a few hundred pixels
    blocks, marks, rules = list(header), [], []
    y = header_end + 48
    for number, item in enumerate(sheet.items[:shown]):
        if number:
            rules.append(y - _GAP // 2)
        parts, mark, y = _item(font, item, y)
        blocks += parts
        marks.append(mark)
        y += _GAP
    rest = len(sheet.items) - shown
    if rest or not sheet.items:
        text = f"……另有 {rest} 篇，扫码查看本期全部" if rest else "本期文章均已撤回，扫码查看说明"
        box = _fit(font, text, y + _GAP, "Bold", [38, 34], 2)
        blocks.append(Block(box, storyimage.PRIMARY_DARK))
        y = box.y + box.height + _GAP
    return Layout(blocks, marks, rules, header_end, y + 32, shown)


def _icon(image: Image.Image, mark: Mark) -> None:
    """The verdict's shape (templates/macros.html's, in its 24-unit square), drawn four times
    larger and scaled down so its edges are smooth."""
    scale = 4 * mark.side / 24
    mask = Image.new("L", (4 * mark.side, 4 * mark.side), 0)
    pen = ImageDraw.Draw(mask)

    def at(*units: float) -> list[float]:
        return [u * scale for u in units]

    def stroke(width: float) -> int:
        return round(width * scale)

    if mark.name == "cross":
        pen.line(at(6, 6, 18, 18), fill=255, width=stroke(3))
        pen.line(at(18, 6, 6, 18), fill=255, width=stroke(3))
    elif mark.name == "check":
        pen.line(at(4, 12.5, 9, 17.5, 20, 6.5), fill=255, width=stroke(3), joint="curve")
    elif mark.name == "diamond":
        pen.polygon(at(12, 2.5, 21.5, 12, 12, 21.5, 2.5, 12), outline=255, width=stroke(2.2))
        pen.line(at(12, 7.5, 12, 13), fill=255, width=stroke(2.4))
        pen.ellipse(at(10.7, 15, 13.3, 17.6), fill=255)
    elif mark.name == "half":
        pen.ellipse(at(3, 3, 21, 21), outline=255, width=stroke(2.4))
        pen.pieslice(at(3, 3, 21, 21), -90, 90, fill=255)
    elif mark.name == "question":
        pen.ellipse(at(2.5, 2.5, 21.5, 21.5), outline=255, width=stroke(2.2))
        pen.arc(at(8.2, 5.4, 15.8, 13), 180, 90, fill=255, width=stroke(2.2))
        pen.line(at(12, 13, 12, 14.8), fill=255, width=stroke(2.2))
        pen.ellipse(at(10.7, 16.3, 13.3, 18.9), fill=255)
    else:
        pen.ellipse(at(7, 7, 17, 17), fill=255)
    small = mask.resize((mark.side, mark.side), Image.Resampling.LANCZOS)
    image.paste(mark.ink, (mark.x, mark.y, mark.x + mark.side, mark.y + mark.side), small)


def draw(sheet: Sheet, font: Path) -> tuple[bytes, Layout, list[Box]]:
    """The poster (JPEG), its layout, and every box of text on it with the footer's."""
    plan = layout(sheet, font)
    image = Image.new("RGB", (WIDTH, plan.height), storyimage.PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, plan.header_end), fill=storyimage.PRIMARY)
    for y in plan.rules:
        pen.rectangle((storyimage.MARGIN, y - 1, WIDTH - storyimage.MARGIN, y + 1), fill=(217, 217, 217))
    for block in plan.blocks:
        lettering.draw(image, font, block.box, block.ink, block.centred)
    for mark in plan.marks:
        _icon(image, mark)
    footer = storyimage.draw_footer(image, font, plan.footer_top, sheet.url, INVITATION)
    return storyimage.jpeg(image), plan, [b.box for b in plan.blocks] + footer


def _draw(job: tuple[Sheet, Path]) -> None:
    sheet, target = job
    font = shareimage.font_file()
    assert font is not None  # render() draws nothing without it
    write_atomically(target, draw(sheet, font)[0])


def render(posters: Sequence[tuple[str, Sheet]], settings: Settings) -> Site:
    """Each roundup's poster at its site path; only new or changed ones are drawn."""
    if shareimage.font_file() is None:  # reported by shareimage.problems
        return Site()
    folder = settings.cache(KIND)
    folder.mkdir(parents=True, exist_ok=True)
    made = [(src_uri, sheet, folder / f"{sheet.digest()}.jpg") for src_uri, sheet in posters]
    todo = [(sheet, file) for _, sheet, file in made if not file.is_file()]
    workers.map_all(_draw, todo, parallel_from=_PARALLEL_FROM)
    return Site(
        assets=[Asset(src_uri=src_uri, source=file) for src_uri, _, file in made],
        cache_used={KIND: [file for _, _, file in made]},
    )
