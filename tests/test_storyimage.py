"""Each story's own card and poster: what they say, that text fits its boxes, and the QR code reads back."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from functools import cache
from pathlib import Path

import numpy
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from generator import pipeline
from generator.core import addresses
from generator.core.sections import SECTIONS
from generator.core.story import Story
from generator.render import lettering, share, shareimage, storyimage
from generator.render.lettering import Box
from tests.conftest import SAMPLE, sample_settings

SITE_URL = "https://fangyi.cqwomen.example"
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
MARKS = st.sampled_from([*list("，。、；：？！（）「」【】《》“” "), "N95", "75%", "12338"])
TEXT = st.lists(st.one_of(HAN, HAN, HAN, MARKS), min_size=1, max_size=260).map("".join)


@cache
def stories() -> dict[str, Story]:
    return {s.url: s for s in pipeline.check(sample_settings()).published(include_drafts=False)}


@cache
def font() -> Path:
    path = shareimage.font_file()
    assert path is not None
    return path


def assert_fits(box: Box, sizes: list[int] | None = None) -> None:
    """A box's lines fit its width, break by the rules, and hold its text or say they stop."""
    for number, line in enumerate(box.lines):
        assert lettering.width_of(font(), box.weight, box.size, line) <= box.width, (line, box.width)
        # 禁则: no line but the first starts with closing punctuation, none but the last ends with opening.
        assert number == 0 or line[0] not in shareimage.NO_LINE_START, box.lines
        assert number == len(box.lines) - 1 or line[-1] not in shareimage.NO_LINE_END, box.lines
    shown = "".join(box.lines).replace(" ", "")
    whole = box.text.replace(" ", "")
    if box.shortened:
        assert shown.endswith(lettering.ELLIPSIS) and whole.startswith(shown[:-1].rstrip("，。、；：,.;:")[:-1]), (
            "text was cut without saying so"
        )
        if sizes:
            assert box.size == min(sizes), "text was shortened before it was made as small as allowed"
    else:
        assert shown == whole


def assert_apart(boxes: list[Box]) -> None:
    """No two boxes of text overlap."""
    ordered = sorted((b for b in boxes if b.lines), key=lambda b: (b.y, b.x))
    for upper, lower in itertools.pairwise(ordered):
        if upper.x < lower.x + lower.width and lower.x < upper.x + upper.width:
            assert upper.y + upper.height <= lower.y, f"{upper.text!r} overlaps {lower.text!r}"


def assert_in_safe_area(box: Box) -> None:
    """Inside the card's centre square and its 2.35:1 band, which the link cards and both 公众号 crops keep."""
    left, top, right, bottom = storyimage.CARD_SAFE
    assert (left, top, right, bottom) == (285, 60, 915, 570)
    assert box.x >= left and box.x + box.width <= right and box.y >= top and box.y + box.height <= bottom, box


# -- on the built site ----------------------------------------------------------------------


def page(site: Path, address: str) -> str:
    return (site / address.strip("/") / "index.html").read_text("utf-8")


@pytest.mark.parametrize("address", sorted(stories()))
def test_every_story_has_its_own_card_and_poster(built_site: Path, address: str) -> None:
    story = stories()[address]
    html = page(built_site, address)
    card_url = f"{SITE_URL}/{addresses.card_address(story.section.key, story.slug)}"
    assert f'<meta property="og:image" content="{card_url}">' in html
    assert '<meta property="og:image:type" content="image/jpeg">' in html
    with Image.open(built_site / addresses.card_address(story.section.key, story.slug)) as card:
        assert card.size == (1200, 630) and card.format == "JPEG"
    assert (
        built_site / addresses.card_address(story.section.key, story.slug)
    ).stat().st_size < 300_000  # WeChat drops heavier cards
    with Image.open(built_site / addresses.poster_address(story.section.key, story.slug)) as poster:
        assert poster.width >= 1080 and poster.height > poster.width and poster.format == "JPEG"
        codes = zxingcpp.read_barcodes(poster.convert("L"))
    assert [c.text for c in codes] == [SITE_URL + address], "the poster's QR code is not the page's address"
    # The share block shows the poster itself (WeChat saves an image on a long press).
    block = re.search(r'<details class="fed-share__poster">(.*?)</details>', html, re.S)
    assert block and "长按保存图片" in block.group(1)
    poster_src = re.search(r'<img src="([^"]+)"', block.group(1))
    assert (
        poster_src
        and (built_site / address.strip("/") / poster_src.group(1)).resolve()
        == (built_site / addresses.poster_address(story.section.key, story.slug)).resolve()
    )


@pytest.mark.parametrize("section", [s.key for s in SECTIONS])
def test_each_section_has_a_poster_listing(built_site: Path, section: str) -> None:
    listing = page(built_site, f"/{section}/")
    assert 'href="posters/"' in listing
    posters = page(built_site, f"/{section}/posters/")
    own = [s for s in stories().values() if s.section.key == section]
    shown = re.findall(r'<img class="fed-poster-list__image" src="([^"]+)"', posters)
    assert sorted(shown) == sorted(f"../../{addresses.poster_address(s.section.key, s.slug)}" for s in own)
    assert "长按图片保存" in posters


# -- the card --------------------------------------------------------------------------------


def test_a_rumour_card_carries_its_verdict_as_a_large_stamp() -> None:
    sheet = storyimage.sheet(stories()["/rumours/baijiu/"], sample_settings())
    boxes = storyimage.card_layout(sheet, font())
    stamp = next(b for b in boxes if b.text == "谣言")
    assert stamp.size >= 80 and any(b.text == sheet.title for b in boxes)
    with Image.open(io.BytesIO(storyimage.draw_card(sheet, font()))) as card:
        pixels = numpy.asarray(card.convert("RGB")).astype(int)
    red = int(((pixels[..., 0] > 150) & (pixels[..., 1] < 60) & (pixels[..., 2] < 70)).sum())
    assert red > 0.1 * 1200 * 630, "no red stamp and band on the card"


@pytest.mark.parametrize("address", sorted(stories()))
def test_card_keeps_its_essentials_inside_the_safe_area(address: str) -> None:
    sheet = storyimage.sheet(stories()[address], sample_settings())
    boxes = storyimage.card_layout(sheet, font())
    for box in boxes:
        assert_in_safe_area(box)
        assert_fits(box)
    assert_apart(boxes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, fact=TEXT, verdict=st.sampled_from(["", "谣言", "部分属实", "尚无定论"]))
def test_any_card_text_fits_the_safe_area(title: str, fact: str, verdict: str) -> None:
    sheet = storyimage.Sheet(
        url=SITE_URL + "/x/",
        section="辟谣",
        site_name="重庆妇联·科学防疫",
        title=title,
        date="2020-02-01",
        verdict=verdict,
        fact=fact,
    )
    boxes = storyimage.card_layout(sheet, font())
    for box in boxes:
        assert_in_safe_area(box)
        assert_fits(box)
    assert_apart(boxes)


# -- the poster ------------------------------------------------------------------------------


def _sheet(**values: object) -> storyimage.Sheet:
    base = storyimage.sheet(stories()["/rumours/baijiu/"], sample_settings())
    return dataclasses.replace(base, **values)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    claim=TEXT,
    fact=TEXT,
    source=TEXT,
    points=st.lists(TEXT, max_size=9),
    honours=st.lists(TEXT, max_size=5),
    kind=st.sampled_from(["rumour", "knowledge", "exemplar"]),
)
def test_poster_text_shrinks_then_shortens_and_never_overflows(
    title: str, claim: str, fact: str, source: str, points: list[str], honours: list[str], kind: str
) -> None:
    values: dict[str, object] = {"title": title, "fact": fact, "source": source}
    if kind == "rumour":
        values.update(claim=claim)
    elif kind == "knowledge":
        values.update(verdict="", claim="", points=tuple(points), reviewed="2020年3月18日")
    else:
        values.update(
            verdict="", claim="", name=claim[:30], role="护士长", unit=source, honours=tuple(honours), story_line=fact
        )
    sheet = _sheet(**values)
    blocks, _, footer_top = storyimage.poster_layout(sheet, font())
    boxes = [b.box for b in blocks] + storyimage.footer_layout(font(), footer_top)
    for box in boxes:
        assert box.x >= 0 and box.x + box.width <= storyimage.POSTER_WIDTH
        assert_fits(box)
    assert_apart(boxes)
    assert all(b.box.y + b.box.height <= footer_top for b in blocks), "text runs into the footer"
    shown = {b.text for b in boxes}
    texts = [b.box.text for b in blocks]
    assert [b.box.y for b in blocks] == sorted(b.box.y for b in blocks), "blocks are not set top to bottom"
    if kind == "rumour":
        # The truth sandwich: the claim once, marked, then the verdict and the fact.
        marked = next(i for i, t in enumerate(texts) if t.startswith("【网传】"))
        truth = texts.index("【真相】", marked)
        assert texts[marked + 1] == sheet.claim and texts[truth + 1 : truth + 3] == [sheet.verdict, sheet.fact]
    assert "长按识别二维码" in shown and any(share.HOTLINE in t for t in shown) and share.FEDERATION in shown


def test_long_text_is_made_smaller_before_it_is_shortened() -> None:
    short = storyimage.poster_layout(_sheet(claim="网传喝白酒能预防新冠？"), font())[0]
    long = storyimage.poster_layout(_sheet(claim="网传喝白酒能预防新冠，" * 15), font())[0]
    longest = storyimage.poster_layout(_sheet(claim="网传喝白酒能预防新冠，" * 40), font())[0]
    size = {
        name: next(b.box for b in blocks if b.box.text.startswith("网传喝白酒"))
        for name, blocks in (("short", short), ("long", long), ("longest", longest))
    }
    assert size["short"].size > size["long"].size and not size["long"].shortened
    assert size["longest"].shortened and size["longest"].lines[-1].endswith("…")


@pytest.mark.parametrize("address", sorted(stories()))
def test_poster_ends_with_the_qr_code_of_the_page_and_the_hotline(address: str) -> None:
    sheet = storyimage.sheet(stories()[address], sample_settings())
    data, boxes = storyimage.draw_poster(sheet, font())
    with Image.open(io.BytesIO(data)) as poster:
        codes = zxingcpp.read_barcodes(poster.convert("L"))
        height = poster.height
    assert [c.text for c in codes] == [SITE_URL + address]
    assert codes[0].position.top_left.y > height * 0.6, "the QR code is not at the poster's end"
    assert {"长按识别二维码", share.FEDERATION} <= {b.text for b in boxes}
    for box in boxes:
        assert box.y + box.height <= height
        assert_fits(box)


def test_an_exemplar_poster_has_her_photo_only_with_consent(tmp_path: Path) -> None:
    nurse = stories()["/exemplars/nurse/"]
    lead = next(s for s in stories().values() if s.image is not None)
    assert lead.image is not None
    pictured = dataclasses.replace(nurse, image=lead.image)
    assert storyimage.sheet(pictured, sample_settings()).picture == str(lead.image.source)
    refused = dataclasses.replace(pictured, fields={**nurse.fields, "consent": False})
    assert storyimage.sheet(refused, sample_settings()).picture == ""
    _, photo_end, _ = storyimage.poster_layout(storyimage.sheet(pictured, sample_settings()), font())
    assert photo_end > 0


def test_key_points_come_from_the_field_else_the_body_s_first_list() -> None:
    story = stories()["/knowledge/wear-masks/"]
    from_body = storyimage.points(story)
    assert from_body and all("*" not in p and "[" not in p for p in from_body)
    given_points = dataclasses.replace(story, fields={**story.fields, "points": ("戴口罩", "勤洗手")})
    assert storyimage.points(given_points) == ("戴口罩", "勤洗手")


def test_a_rebuild_draws_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_ = sample_settings(root=tmp_path)
    published = list(stories().values())
    drawn: list[str] = []
    original = storyimage.draw_card

    def counting(sheet: storyimage.Sheet, path: Path) -> bytes:
        drawn.append(sheet.url)
        return original(sheet, path)

    monkeypatch.setattr(storyimage, "draw_card", counting)
    monkeypatch.setattr(storyimage, "_PARALLEL_FROM", 10_000)  # in this process, where the counter is
    first = storyimage.render(published, settings_)
    assert len(drawn) == len(published) and len(first.assets) == 2 * len(published)
    drawn.clear()
    changed = dataclasses.replace(published[0], title=published[0].title + "（更新）")
    storyimage.render([changed, *published[1:]], settings_)
    assert drawn == [SITE_URL + changed.url]
    assert SAMPLE.is_dir()


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.sampled_from("防疫勤洗手，。、；：！？（）《》“”\u00a0\u3000\t abcXYZ0123456789-/…https://例.com/长地址"),
        max_size=80,
    ),
    st.sampled_from([60, 200, 400, 936]),
    st.integers(0, 3),
)
def test_adding_token_widths_wraps_as_measuring_each_line_does(text: str, width: int, most: int) -> None:
    # lettering wraps with additive=True: a line's width is kept as a running sum. It must
    # break every text (Word's NBSP, the IME's 全角空格, Tabs, long addresses) where measuring
    # each widened line again would.
    path = shareimage.font_file()
    assert path is not None
    measure = lettering._face(str(path), "Regular", 34).width
    kept = shareimage.wrap_measured(text, measure, width, most, additive=True)
    assert kept == shareimage.wrap_measured(text, measure, width, most, additive=False)
