"""The cover of a 公众号 article, and the two crops the draft API asks for.

`draft/add` takes the cover (uploaded first, as `thumb_media_id`) and where to cut it for the
feed: `pic_crop_235_1`, the 2.35:1 band over the first article, and `pic_crop_1_1`, the square
beside the others, each as `X1_Y1_X2_Y2` in the picture's own coordinates from (0, 0) at its top
left to (1, 1) at its bottom right, six decimals at most. A story's cover is its lead picture
(with consent, JPEG or PNG, which the API takes), cut at its centre; without one, its own card,
whose text stays inside CARD_SAFE by design (render/storyimage.py). A roundup's cover is its
poster, whose header (name and period) stays inside the top 2.35:1 band.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from PIL import Image

from generator.core import addresses
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render import roundupposter, roundups, shareimage, storyimage
from generator.render.roundups import Roundup

RATIOS = {"pic_crop_235_1": storyimage.WIDE_RATIO, "pic_crop_1_1": 1.0}
PRECISION = 6  # decimals the API allows
_UPLOADABLE = {".jpg", ".jpeg", ".png"}
_TURNED = {5, 6, 7, 8}  # EXIF orientations that swap width and height (photos.py turns them upright)


@dataclass(frozen=True)
class Cover:
    """A cover picture on the site, its size in pixels, and the box every crop must keep."""

    url: str
    width: int
    height: int
    keep: tuple[int, int, int, int]

    def crop(self, ratio: float) -> tuple[float, float, float, float]:
        """The largest `ratio` rectangle in the picture, centred on `keep` as far as the edges allow,
        in normalised coordinates."""
        width = min(float(self.width), self.height * ratio)
        height = width / ratio
        left, top, right, bottom = self.keep
        x = min(max((left + right - width) / 2, 0.0), self.width - width)
        y = min(max((top + bottom - height) / 2, 0.0), self.height - height)
        return (x / self.width, y / self.height, (x + width) / self.width, (y + height) / self.height)

    def crops(self) -> dict[str, str]:
        """The draft fields: `pic_crop_235_1` and `pic_crop_1_1` as `X1_Y1_X2_Y2`."""
        return {name: "_".join(_number(v) for v in self.crop(ratio)) for name, ratio in RATIOS.items()}


def _number(value: float) -> str:
    return f"{min(max(value, 0.0), 1.0):.{PRECISION}f}".rstrip("0").rstrip(".") or "0"


def _upright_size(file: Path) -> tuple[int, int]:
    with Image.open(file) as opened:
        width, height = opened.size
        turned = opened.getexif().get(0x0112) in _TURNED
    return (height, width) if turned else (width, height)


def story_cover(story: Story, settings: Settings) -> Cover:
    """A story's cover: its lead picture when it may be shown and uploaded, else its own card."""
    picture = storyimage.lead_picture(story)
    if story.image is not None and picture is not None and picture.suffix.lower() in _UPLOADABLE:
        width, height = _upright_size(picture)
        # Nothing says where a photo's subject is: its centre, as WeChat cuts it by default.
        return Cover(urljoin(settings.absolute(story.url), story.image.name), width, height, (0, 0, width, height))
    width, height = storyimage.CARD_SIZE
    card = settings.absolute("/" + addresses.card_address(story.section.key, story.slug))
    return Cover(card, width, height, storyimage.CARD_SAFE)


def roundup_cover(roundup: Roundup, settings: Settings) -> Cover | None:
    """A roundup's cover: its poster, cut from the top, where its name and period are; None
    without the CJK font (no poster is drawn, and shareimage.problems says why)."""
    font = shareimage.font_file()
    if font is None:
        return None
    plan = roundupposter.layout(roundups.poster_sheet(roundup, settings), font)
    url = settings.absolute("/" + roundup.poster)
    return Cover(url, roundupposter.WIDTH, plan.height, (0, 0, roundupposter.WIDTH, plan.header_end))
