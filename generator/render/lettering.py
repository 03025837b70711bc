"""Chinese text set on a picture: fitted into a box (smaller, then shortened with …, never cut silently).

Glyphs are drawn once per character, size and weight and then pasted: FreeType renders a
whole line for every `ImageDraw.text`, about ten times the cost of pasting cached glyphs,
and posters and cards repeat the same few thousand characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image

from generator.render import shareimage

ELLIPSIS = "…"


@dataclass(frozen=True)
class Box:
    """Where a text was set: its box, the lines drawn, their size, and whether it was shortened."""

    text: str
    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...]
    size: int
    line_height: int
    weight: str

    @property
    def shortened(self) -> bool:
        """Whether the lines hold less than the text (they then end with …)."""
        return "".join(self.lines).replace(" ", "") != self.text.replace(" ", "")


class _Face:
    """One font file, weight and size: each character's glyph and advance, worked out once."""

    __slots__ = ("advances", "font", "glyphs")

    def __init__(self, path: str, weight: str, size: int) -> None:
        self.font = shareimage._font(Path(path), weight, size)
        self.glyphs: dict[str, tuple[Image.Image | None, tuple[int, int], float]] = {}
        self.advances: dict[str, float] = {}

    def glyph(self, char: str) -> tuple[Image.Image | None, tuple[int, int], float]:
        known = self.glyphs.get(char)
        if known is None:
            mask, offset = self.font.getmask2(char, "L", anchor="ls")
            image = Image.frombytes("L", mask.size, bytes(mask)) if mask.size[0] and mask.size[1] else None
            known = self.glyphs[char] = (image, offset, self.font.getlength(char))
            self.advances[char] = known[2]
        return known

    def width(self, text: str) -> float:
        advances = self.advances
        try:
            return sum(map(advances.__getitem__, text))
        except KeyError:  # a character not met before at this size
            return sum(self.glyph(char)[2] for char in text)


@cache
def _face(path: str, weight: str, size: int) -> _Face:
    # Keyed on the path's text: a Path compares part by part, and a card measures
    # millions of characters.
    return _Face(path, weight, size)


def width_of(path: Path, weight: str, size: int, text: str) -> float:
    """The width of `text` as `draw_line` sets it (the sum of its characters' advances)."""
    return _face(str(path), weight, size).width(text)


def draw_line(
    image: Image.Image, path: Path, weight: str, size: int, x: float, baseline: int, text: str, fill: tuple[int, ...]
) -> None:
    """Set one line with its baseline at `baseline`, starting at `x`."""
    face = _face(str(path), weight, size)
    for char in text:
        mask, (dx, dy), advance = face.glyph(char)
        if mask is not None:
            left, top = round(x) + dx, baseline + dy
            image.paste(fill, (left, top, left + mask.width, top + mask.height), mask)
        x += advance


def wrap(path: Path, weight: str, size: int, text: str, width: float, max_lines: int = 0) -> list[str]:
    """`text` in lines no wider than `width`, broken by the line-breaking rules of shareimage,
    measured by the widths `draw_line` sets (so a line never overflows its box)."""
    return shareimage.wrap_measured(text, _face(str(path), weight, size).width, width, max_lines, additive=True)


def fit(
    path: Path,
    text: str,
    x: int,
    y: int,
    width: int,
    weight: str,
    sizes: Sequence[int],
    max_lines: int,
    leading: float = 1.4,
) -> Box:
    """`text` in the largest of `sizes` that fits `max_lines` lines of `width`; at the smallest
    size still too long, its last line ends with …"""
    for size in sizes:
        lines = wrap(path, weight, size, text, width)
        if len(lines) <= max_lines:
            break
    else:
        size = sizes[-1]
        lines = wrap(path, weight, size, text, width, max_lines=max_lines)
    line_height = round(size * leading)
    return Box(text, x, y, width, line_height * len(lines), tuple(lines), size, line_height, weight)


def draw(image: Image.Image, path: Path, box: Box, fill: tuple[int, ...], centred: bool = False) -> None:
    """Set the lines of a fitted box."""
    for number, line in enumerate(box.lines):
        # The baseline sits where a line box of `line_height` centres the em box.
        baseline = box.y + number * box.line_height + round((box.line_height + box.size * 0.76) / 2)
        left = box.x + (box.width - width_of(path, box.weight, box.size, line)) / 2 if centred else box.x
        draw_line(image, path, box.weight, box.size, left, baseline, line, fill)
