"""Each story's own pictures: its link card (1200×630) and its poster (辟谣长图, 1080 px wide).

Both follow the truth sandwich: a rumour's card carries a large verdict stamp, its poster
names the claim once, marked, then the verdict and the fact. They are drawn with Pillow
at build time on every core, and kept in `.cache/share/` by what they show, so a rebuild
draws only the stories whose pictures changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from datetime import date
from pathlib import Path

import numpy
import zxingcpp
from PIL import Image, ImageDraw, ImageOps

from generator.content import fact
from generator.core import addresses, workers
from generator.core.files import write_atomically
from generator.core.outputs import Asset, Site
from generator.core.sections import Role
from generator.core.settings import Settings
from generator.core.story import Honour, Source, Story
from generator.render import lettering, share, shareimage
from generator.render.lettering import Box

CARD_SIZE = share.IMAGE_SIZE
POSTER_WIDTH = 1080
RECIPE = "v2"  # change it to draw every picture again
WIDE_RATIO = 2.35  # the 公众号's feed cover (pic_crop_235_1)
# Where a card's text stays: the centre square (WeChat's and Weibo's link cards, the 公众号's
# 1:1 cover) within the full-width 2.35:1 band (its feed cover), so every crop keeps it all.
CARD_SAFE = (
    (CARD_SIZE[0] - CARD_SIZE[1]) // 2,
    -(-(CARD_SIZE[1] - round(CARD_SIZE[0] / WIDE_RATIO)) // 2),
    (CARD_SIZE[0] + CARD_SIZE[1]) // 2,
    CARD_SIZE[1] - -(-(CARD_SIZE[1] - round(CARD_SIZE[0] / WIDE_RATIO)) // 2),
)
JPEG_QUALITY = 80
_PARALLEL_FROM = 16  # a picture takes tens of milliseconds: a pool pays off far sooner than for pages
MARGIN = 72
PRIMARY = (179, 18, 62)
PRIMARY_DARK = (140, 13, 48)
INK = (26, 26, 26)
MUTED = (85, 85, 85)
PAPER = (255, 255, 255)
PALE = (244, 245, 247)
SOFT = (255, 225, 232)
# The verdict tones of verdicts.yaml, in the stylesheet's colours.
TONES = {
    "danger": (176, 0, 32),
    "warning": (138, 75, 0),
    "success": (27, 107, 42),
    "neutral": (61, 74, 92),
}
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-+*]|\d+[.)])\s+(.+)$")
_INLINE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`~]+|<[^>]+>")


@dataclass(frozen=True)
class Sheet:
    """What a story's card and poster show, as plain values: also what their cache is keyed by."""

    url: str
    section: str
    site_name: str
    title: str
    date: str
    verdict: str = ""
    tone: str = ""
    claim: str = ""
    fact: str = ""
    source: str = ""
    points: tuple[str, ...] = ()
    reviewed: str = ""
    name: str = ""
    role: str = ""
    unit: str = ""
    honours: tuple[str, ...] = ()
    story_line: str = ""
    picture: str = ""  # the lead picture's file, when it may be shown

    def digest(self) -> str:
        """The cache key: what is drawn, the picture's bytes, the recipe and the font."""
        hashed = hashlib.sha256(repr((astuple(self), RECIPE)).encode())
        if self.picture:
            hashed.update(Path(self.picture).read_bytes())
        return hashed.hexdigest()[:32]


def _plain(text: str) -> str:
    return " ".join(_INLINE.sub(lambda m: m.group(1) or "", text).split())


def points(story: Story) -> tuple[str, ...]:
    """A story's key points: `points:`, else the items of the body's first list."""
    given = story.get(Role.POINTS, tuple)
    if given:
        return tuple(str(p) for p in given)
    found: list[str] = []
    for line in story.body.splitlines():
        item = _LIST_ITEM.match(line)
        if item:
            found.append(_plain(item.group(1)))
        elif found and line.strip():
            break
    return tuple(found)


def lead_picture(story: Story) -> Path | None:
    """The story's lead picture when it may be shown on its card, poster and cover."""
    # An exemplar's photo only with her consent (a story without it is never published anyway).
    if story.image is not None and story.get(Role.CONSENT) is not False:
        return story.image.source
    return None


def sheet(story: Story, settings: Settings) -> Sheet:
    """What the story's card and poster say."""
    verdict = fact.verdict(story)
    sources: tuple[Source, ...] = story.get(Role.SOURCES, tuple) or ()
    picture = str(lead_picture(story) or "")
    reviewed = story.get(Role.REVIEWED, date)
    honours: tuple[Honour, ...] = story.get(Role.HONOURS, tuple) or ()
    return Sheet(
        url=settings.absolute(story.url),
        section=story.section.label,
        site_name=settings.site_name or "科学防疫",
        title=story.title,
        date=story.date.isoformat(),
        verdict=verdict.label if verdict else "",
        tone=verdict.tone if verdict else "",
        claim=fact.claim(story),
        fact=fact.conclusion(story) if verdict else fact.sentences(story.summary)[0] if story.summary else "",
        source=f"{sources[0].title}" if sources else "",
        points=points(story),
        reviewed=f"{reviewed.year}年{reviewed.month}月{reviewed.day}日" if reviewed else "",
        name=story.get(Role.PERSON, str) or "",
        role=story.get(Role.JOB, str) or "",
        unit=story.get(Role.UNIT, str) or "",
        honours=tuple(share.honour_text(h) for h in honours),
        story_line=next(iter(fact.sentences(story.summary)), ""),
        picture=picture,
    )


def _zh_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def _photo(file: str, size: tuple[int, int]) -> Image.Image:
    with Image.open(file) as opened:
        opened.draft("RGB", (size[0] * 2, size[1] * 2))
        upright = ImageOps.exif_transpose(opened).convert("RGB")
    return ImageOps.fit(upright, size, Image.Resampling.LANCZOS)


def jpeg(image: Image.Image) -> bytes:
    """A drawn picture as the JPEG the site serves."""
    out = io.BytesIO()
    # JPEG, as photos share the picture; 4:2:0 halves the encoding time of 4:4:4, and text
    # a phone shows at 360 CSS px from 1,080 pixels stays sharp.
    image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=2)
    return out.getvalue()


# -- the card ---------------------------------------------------------------------------


def card_layout(sheet: Sheet, font: Path) -> list[Box]:
    """The boxes of a card; all of them inside CARD_SAFE, which every crop keeps."""
    safe_left, safe_top, safe_right, safe_bottom = CARD_SAFE
    left = safe_left + 40
    inner = safe_right - safe_left - 2 * 40
    top = lettering.fit(font, f"{sheet.site_name}·{sheet.section}", left, safe_top + 4, inner, "Medium", [30], 1)
    bottom = lettering.fit(font, share.FEDERATION, left, 0, inner, "Medium", [30], 1)
    bottom = dataclasses.replace(bottom, y=safe_bottom - 4 - bottom.height)
    # (text, weight, sizes, most lines, leading), most important first.
    specs: list[tuple[str, str, list[int], int, float]] = []
    if sheet.verdict:
        specs.append((sheet.verdict, "Bold", [120, 96, 80], 1, 1.25))
        specs.append((sheet.title, "Bold", [42, 36, 32], 3, 1.3))
        specs.append((sheet.fact, "Regular", [30, 26], 2, 1.4))
    else:
        specs.append((sheet.title, "Bold", [60, 50, 42], 3, 1.3))
        specs.append((sheet.fact, "Regular", [32, 28], 3, 1.4))
    specs = [spec for spec in specs if spec[0].strip()]
    gap = 24
    room_top, room_bottom = top.y + top.height + 18, bottom.y - 18
    while True:
        middle = [
            lettering.fit(font, text, left, 0, inner, w, sizes, most, lead) for text, w, sizes, most, lead in specs
        ]
        used = sum(b.height for b in middle) + gap * max(0, len(middle) - 1)
        if used <= room_bottom - room_top or not specs:
            break
        # Too tall: the least important text gives up a line, then its place (shortened with …).
        text, weight, sizes, most, lead = specs[-1]
        if most > 1:
            specs[-1] = (text, weight, sizes, most - 1, lead)
        else:
            specs.pop()
    y = room_top + max(0, (room_bottom - room_top - used) // 2)
    placed = [top]
    for box in middle:
        placed.append(dataclasses.replace(box, y=y))
        y += box.height + gap
    return [*placed, bottom]


def draw_card(sheet: Sheet, font: Path) -> bytes:
    """The card of a story: title, section, federation and, for a rumour, its verdict stamp."""
    width, height = CARD_SIZE
    square = (width - height) // 2
    image = Image.new("RGB", CARD_SIZE, PRIMARY)
    if sheet.picture:
        image.paste(_photo(sheet.picture, CARD_SIZE))
    pen = ImageDraw.Draw(image)
    # The centre square is a white panel: its text stays readable over any picture.
    pen.rectangle((square, 0, square + height, height), fill=PAPER)
    pen.rectangle((square, 0, square + height, 12), fill=PRIMARY)
    pen.rectangle((square, height - 12, square + height, height), fill=PRIMARY)
    boxes = card_layout(sheet, font)
    tone = TONES.get(sheet.tone, TONES["neutral"])
    for box in boxes:
        colour = MUTED if box.weight != "Bold" else INK
        if sheet.verdict and box.text == sheet.verdict and box.size >= 80:
            colour = tone
            _stamp_frame(pen, box, tone)
        lettering.draw(image, font, box, colour, centred=True)
    return jpeg(image)


def _stamp_frame(pen: ImageDraw.ImageDraw, box: Box, tone: tuple[int, int, int]) -> None:
    drawn = max(lettering.width_of(_font_path(), box.weight, box.size, line) for line in box.lines)
    left = box.x + (box.width - drawn) / 2 - 36
    pen.rounded_rectangle((left, box.y - 8, left + drawn + 72, box.y + box.height + 8), 18, outline=tone, width=8)


def _font_path() -> Path:
    path = shareimage.font_file()
    assert path is not None  # the build stops before drawing without the font
    return path


# -- the poster -------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One part of a poster: a box of text, with its colours, or a band of colour behind."""

    box: Box
    ink: tuple[int, ...]
    paper: tuple[int, ...] | None = None
    centred: bool = False


def _text(
    blocks: list[Block],
    font: Path,
    y: int,
    text: str,
    weight: str,
    sizes: Sequence[int],
    lines: int,
    ink: tuple[int, ...],
    **options: object,
) -> int:
    if not text:
        return y
    box = lettering.fit(font, text, MARGIN, y, POSTER_WIDTH - 2 * MARGIN, weight, sizes, lines)
    blocks.append(Block(box, ink, **options))  # type: ignore[arg-type]
    return y + box.height


def poster_layout(sheet: Sheet, font: Path) -> tuple[list[Block], int, int]:
    """The poster's text blocks, where its photo ends (0 without one) and where its footer starts."""
    blocks: list[Block] = []
    y = 64
    y = _text(blocks, font, y, f"{sheet.site_name} · {sheet.section}", "Medium", [36], 1, SOFT) + 24
    y = _text(blocks, font, y, sheet.title, "Bold", [64, 56, 48], 4, PAPER) + 56
    header_end = y
    photo_end = 0
    if sheet.verdict:
        y += 40
        y = _text(blocks, font, y, f"【网传】经查证：{sheet.verdict}", "Bold", [40], 1, TONES.get(sheet.tone, INK)) + 12
        y = _text(blocks, font, y, sheet.claim, "Regular", [38, 34, 30], 6, MUTED) + 56
        y = _text(blocks, font, y, "【真相】", "Bold", [44], 1, PRIMARY_DARK) + 8
        y = _text(blocks, font, y, sheet.verdict, "Bold", [120, 96], 1, TONES.get(sheet.tone, INK)) + 16
        y = _text(blocks, font, y, sheet.fact, "Bold", [52, 46, 40], 6, INK) + 40
        y = _text(blocks, font, y, f"依据：{sheet.source}", "Regular", [34, 30], 3, MUTED) + 8
        y = _text(blocks, font, y, f"发布：{_zh_date(sheet.date)}", "Regular", [34], 1, MUTED)
    elif sheet.name:
        if sheet.picture:
            photo_end = y + 720
            y = photo_end
        y += 40
        y = _text(blocks, font, y, sheet.name, "Bold", [88, 72, 60], 2, INK) + 8
        y = (
            _text(
                blocks, font, y, " · ".join(p for p in (sheet.role, sheet.unit) if p), "Medium", [44, 38, 34], 3, MUTED
            )
            + 24
        )
        for honour in sheet.honours[:4]:
            y = _text(blocks, font, y, f"★ {honour}", "Bold", [40, 34], 2, PRIMARY_DARK) + 8
        y = _text(blocks, font, y + 24, sheet.story_line, "Regular", [42, 38, 34], 5, INK)
    else:
        y += 40
        y = _text(blocks, font, y, sheet.fact, "Bold", [46, 42, 38], 4, INK) + 32
        for number, point in enumerate(sheet.points[:6], start=1):
            y = _text(blocks, font, y, f"{number}. {point}", "Regular", [42, 38, 34], 3, INK) + 16
        if len(sheet.points) > 6:
            y = (
                _text(blocks, font, y, f"……另有 {len(sheet.points) - 6} 条，扫码阅读全文", "Regular", [34], 1, MUTED)
                + 16
            )
        y = _text(
            blocks, font, y + 16, f"最近审核：{sheet.reviewed}" if sheet.reviewed else "", "Regular", [34], 1, MUTED
        )
    del header_end
    return blocks, photo_end, y + 64


FOOTER_HEIGHT = 470
QR_SIDE = 330


def qr_image(url: str, side: int) -> Image.Image:
    """The QR code of `url` with its quiet zone, scaled by whole modules to about `side` pixels."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = numpy.asarray(code.to_image(scale=1, add_quiet_zones=True))
    scale = max(1, side // modules.shape[0])
    return Image.fromarray(modules).resize(
        (modules.shape[1] * scale, modules.shape[0] * scale), Image.Resampling.NEAREST
    )


def footer_layout(font: Path, top: int, invitation: str = "阅读全文、分享给亲友") -> list[Box]:
    """The footer's lines beside the QR code."""
    x = MARGIN + QR_SIDE + 48
    width = POSTER_WIDTH - x - MARGIN
    return [
        lettering.fit(font, "长按识别二维码", x, top + 70, width, "Bold", [44, 38], 1),
        lettering.fit(font, invitation, x, top + 140, width, "Regular", [32, 28], 1),
        lettering.fit(font, f"{share.HOTLINE_LABEL} {share.HOTLINE}", x, top + 210, width, "Bold", [34, 30, 26], 2),
        lettering.fit(font, share.FEDERATION, x, top + 320, width, "Medium", [32, 28], 1),
    ]


def draw_poster(sheet: Sheet, font: Path) -> tuple[bytes, list[Box]]:
    """The poster of a story, and every box of text on it (for the tests that measure them)."""
    blocks, photo_end, footer_top = poster_layout(sheet, font)
    height = footer_top + FOOTER_HEIGHT
    image = Image.new("RGB", (POSTER_WIDTH, height), PAPER)
    pen = ImageDraw.Draw(image)
    header_end = blocks[1].box.y + blocks[1].box.height + 56
    pen.rectangle((0, 0, POSTER_WIDTH, header_end), fill=PRIMARY)
    if photo_end:
        image.paste(_photo(sheet.picture, (POSTER_WIDTH, photo_end - header_end)), (0, header_end))
    if sheet.verdict:
        claim = next(b.box for b in blocks if b.box.text == sheet.claim) if sheet.claim else None
        if claim is not None:
            pen.rectangle(
                (MARGIN - 24, claim.y - 76, POSTER_WIDTH - MARGIN + 24, claim.y + claim.height + 24), fill=PALE
            )
            pen.rectangle(
                (MARGIN - 24, claim.y - 76, MARGIN - 14, claim.y + claim.height + 24),
                fill=TONES.get(sheet.tone, INK),
            )
    for block in blocks:
        lettering.draw(image, font, block.box, block.ink, block.centred)
    footer = draw_footer(image, font, footer_top, sheet.url)
    return jpeg(image), [b.box for b in blocks] + footer


def draw_footer(
    image: Image.Image, font: Path, top: int, url: str, invitation: str = "阅读全文、分享给亲友"
) -> list[Box]:
    """A poster's footer from `top` to its end: the QR code of `url`, the hotline and the federation."""
    ImageDraw.Draw(image).rectangle((0, top, image.width, image.height), fill=PALE)
    code = qr_image(url, QR_SIDE)
    image.paste(code, (MARGIN, top + (FOOTER_HEIGHT - code.height) // 2))
    footer = footer_layout(font, top, invitation)
    for box in footer:
        lettering.draw(image, font, box, INK if box.weight == "Bold" else MUTED)
    return footer


# -- on the site ------------------------------------------------------------------------


def _cache_dir(settings: Settings) -> Path:
    return settings.cache("share")


def _draw(job: tuple[Sheet, Path, Path]) -> None:
    sheet_, card, poster = job
    font = _font_path()
    write_atomically(card, draw_card(sheet_, font))
    write_atomically(poster, draw_poster(sheet_, font)[0])


@dataclass
class Drawn:
    """Each story's card and poster files of the last build. Kept across `serve` rebuilds in
    pipeline.Cache: an unchanged story is the same object there, so its sheet and picture
    digest are not worked out again for every saved file."""

    files: dict[int, tuple[Story, Settings, Path, Path]] = field(default_factory=dict)


def render(stories: Sequence[Story], settings: Settings, drawn_before: Drawn | None = None) -> Site:
    """Every story's card and poster, as files of the site; only new or changed ones are drawn."""
    memo = drawn_before if drawn_before is not None else Drawn()
    if shareimage.font_file() is None:  # reported by shareimage.problems
        return Site()
    folder = _cache_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    made: list[tuple[Story, Path, Path]] = []
    todo: list[tuple[Sheet, Path, Path]] = []
    for story in stories:
        known = memo.files.get(id(story))
        if known is not None and known[0] is story and known[1] == settings:
            card, poster = known[2], known[3]
            drawn = None
        else:
            drawn = sheet(story, settings)
            digest = drawn.digest()
            card, poster = folder / f"{digest}-card.jpg", folder / f"{digest}-poster.jpg"
        made.append((story, card, poster))
        if not (card.is_file() and poster.is_file()):
            todo.append((drawn or sheet(story, settings), card, poster))
    workers.map_all(_draw, todo, parallel_from=_PARALLEL_FROM)
    memo.files.clear()
    site = Site(cache_used={"share": [path for _, card, poster in made for path in (card, poster)]})
    for story, card, poster in made:
        memo.files[id(story)] = (story, settings, card, poster)  # holding the story keeps its id from being reused
        site.assets.append(Asset(src_uri=addresses.card_address(story.section.key, story.slug), source=card))
        site.assets.append(Asset(src_uri=addresses.poster_address(story.section.key, story.slug), source=poster))
    return site
