"""The 公众号 cover and its crops: the API's shape (X1_Y1_X2_Y2 in 0–1, its ratios), and what
each crop keeps: a card's text, a roundup poster's name and period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.content.body import BodyRenderer
from generator.render import roundupposter, roundups, storyimage, wechat, wechatcover
from generator.render.lettering import Box
from tests.conftest import SAMPLE, run_generator, sample_settings
from tests.test_roundupposter import found
from tests.test_storyimage import SITE_URL, font, stories


def parsed(value: str) -> tuple[float, ...]:
    parts = value.split("_")
    assert len(parts) == 4 and all(len(p.partition(".")[2]) <= wechatcover.PRECISION for p in parts), value
    return tuple(float(p) for p in parts)


def assert_api_shape(cover: wechatcover.Cover) -> dict[str, tuple[float, ...]]:
    """Both crops in 0–1, not empty, of their ratio on this cover; in pixels."""
    pixels = {}
    for name, value in cover.crops().items():
        x1, y1, x2, y2 = parsed(value)
        assert 0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1, value
        shape = (x2 - x1) * cover.width / ((y2 - y1) * cover.height)
        assert shape == pytest.approx(wechatcover.RATIOS[name], rel=1e-3), (name, value)
        pixels[name] = (x1 * cover.width, y1 * cover.height, x2 * cover.width, y2 * cover.height)
    return pixels


def assert_kept(crop: tuple[float, ...], box: Box | tuple[int, int, int, int]) -> None:
    left, top, right, bottom = (box.x, box.y, box.x + box.width, box.y + box.height) if isinstance(box, Box) else box
    slack = 0.01  # six decimals of a few thousand pixels
    assert crop[0] - slack <= left and right <= crop[2] + slack, (crop, box)
    assert crop[1] - slack <= top and bottom <= crop[3] + slack, (crop, box)


@given(
    width=st.integers(1, 6000),
    height=st.integers(1, 6000),
    keep=st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)),
)
def test_any_cover_is_cut_to_the_api_s_ratios_keeping_what_fits(
    width: int, height: int, keep: tuple[float, float, float, float]
) -> None:
    x1, x2 = sorted((keep[0] * width, keep[2] * width))
    y1, y2 = sorted((keep[1] * height, keep[3] * height))
    cover = wechatcover.Cover("https://x.example/c.jpg", width, height, (round(x1), round(y1), round(x2), round(y2)))
    assume(min(width, height) >= 20)  # a picture a few pixels wide has no crop six decimals can say
    for crop in assert_api_shape(cover).values():
        # As large as the picture allows: it spans the picture's width or its height.
        assert crop[2] - crop[0] == pytest.approx(width, abs=0.01) or crop[3] - crop[1] == pytest.approx(
            height, abs=0.01
        )
        if cover.keep[2] - cover.keep[0] <= crop[2] - crop[0] and cover.keep[3] - cover.keep[1] <= crop[3] - crop[1]:
            assert_kept(crop, cover.keep)


@pytest.mark.parametrize("address", sorted(stories()))
def test_a_story_s_cover_keeps_its_essentials_in_both_crops(address: str) -> None:
    story = stories()[address]
    made = wechat.article(story, sample_settings(), BodyRenderer())
    assert made.cover is not None
    crops = assert_api_shape(made.cover)
    payload = made.payload()
    assert {k: payload[k] for k in wechatcover.RATIOS} == made.cover.crops()
    if storyimage.lead_picture(story) is not None and story.image is not None:
        assert made.cover.url == f"{SITE_URL}{story.url}{story.image.name}"
        for crop in crops.values():  # a photo is cut at its centre
            assert (crop[0] + crop[2]) / 2 == pytest.approx(made.cover.width / 2, abs=0.5)
            assert (crop[1] + crop[3]) / 2 == pytest.approx(made.cover.height / 2, abs=0.5)
        return
    assert made.cover.url == f"{SITE_URL}/share/cards/{story.section.key}/{story.slug}.jpg"
    assert (made.cover.width, made.cover.height) == storyimage.CARD_SIZE
    # Every text of the card: site and section, verdict stamp, title, fact, federation.
    boxes = storyimage.card_layout(storyimage.sheet(story, sample_settings()), font())
    assert len(boxes) >= 3
    for crop in crops.values():
        for box in boxes:
            assert_kept(crop, box)


@pytest.mark.parametrize("roundup", found(), ids=lambda r: r.url)
def test_a_roundup_s_cover_is_its_poster_with_its_name_and_period_in_both_crops(roundup: roundups.Roundup) -> None:
    made = wechat.roundup_article(roundup, sample_settings())
    assert made.cover is not None and made.cover.url == f"{SITE_URL}/{roundup.poster}"
    sheet = roundups.poster_sheet(roundup, sample_settings())
    plan = roundupposter.layout(sheet, font())
    assert (made.cover.width, made.cover.height) == (1080, plan.height)
    header = [b.box for b in plan.blocks if b.box.y + b.box.height <= plan.header_end]
    assert {sheet.title, sheet.period} <= {b.text for b in header}
    for crop in assert_api_shape(made.cover).values():
        for box in header:
            assert_kept(crop, box)


def test_the_exported_payload_carries_the_cover_and_its_crops(tmp_path: Path) -> None:
    out = tmp_path / "baijiu.html"
    story = SAMPLE / "rumours" / "2020" / "2020-02-03-baijiu.md"
    result = run_generator("wechat", str(story), "--stories", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    payload = json.loads(out.with_suffix(".json").read_text("utf-8"))
    assert payload["cover"] == f"{SITE_URL}/share/cards/rumours/baijiu.jpg" and payload["cover"] in result.stdout
    (article,) = payload["articles"]
    cover = wechatcover.Cover(payload["cover"], *storyimage.CARD_SIZE, storyimage.CARD_SAFE)
    assert {k: article[k] for k in wechatcover.RATIOS} == cover.crops()
    roundup = tmp_path / "week.html"
    result = run_generator(
        "wechat", "--roundup", "rumours/week/2020-w06", "--stories", str(SAMPLE), "--out", str(roundup)
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(roundup.with_suffix(".json").read_text("utf-8"))
    assert payload["cover"] == f"{SITE_URL}/share/roundups/rumours/week/2020-w06.jpg"
    assert payload["articles"][0]["pic_crop_235_1"].startswith("0_0_1_")
