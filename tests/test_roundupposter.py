"""Roundup posters: every built one reads back to its page, text fits and never overlaps, and a
period of any size shows what fits, then says how many more."""

from __future__ import annotations

import dataclasses
import datetime
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
from generator.content import fact
from generator.core import vocab
from generator.core.story import Story
from generator.render import lettering, roundupposter, roundups, storyimage
from generator.render.lettering import Box
from tests.conftest import sample_settings
from tests.test_outputs import build, project_copy
from tests.test_storyimage import SITE_URL, TEXT, assert_apart, assert_fits, font


@cache
def found() -> list[roundups.Roundup]:
    return roundups.roundups(pipeline.check(sample_settings()).published(include_drafts=False))


def by_address() -> dict[str, roundups.Roundup]:
    return {r.url: r for r in found()}


def assert_laid_out(plan: roundupposter.Layout, boxes: list[Box], height: int) -> None:
    """Every text box inside the canvas, fitted by the line-breaking rules, none on another, nor on an icon."""
    for box in boxes:
        assert box.x >= 0 and box.x + box.width <= roundupposter.WIDTH and box.y >= 0, box
        assert box.y + box.height <= height, box
        assert_fits(box)
    assert_apart(boxes)
    icons = [Box("", m.x, m.y, m.side, m.side, ("■",), m.side, m.side, "Bold") for m in plan.marks]
    assert_apart([*boxes, *icons])
    assert all(b.box.y + b.box.height <= plan.footer_top for b in plan.blocks), "text runs into the footer"
    assert plan.blocks[0].box.y >= 0 and plan.header_end <= roundupposter.HEADER_LIMIT, (
        "the cover band loses the header"
    )


# -- on the built site ----------------------------------------------------------------------


@pytest.mark.parametrize("address", sorted(by_address()))
def test_every_roundup_has_its_poster_reading_back_to_its_page(built_site: Path, address: str) -> None:
    roundup = by_address()[address]
    with Image.open(built_site / roundup.poster) as poster:
        assert poster.width == 1080 and poster.height > poster.width and poster.format == "JPEG"
        codes = zxingcpp.read_barcodes(poster.convert("L"))
    assert (built_site / roundup.poster).stat().st_size < 1_000_000  # the 公众号's limit for a picture
    assert [c.text for c in codes] == [SITE_URL + address], "the poster's QR code is not the roundup's address"
    html = (built_site / address.strip("/") / "index.html").read_text("utf-8")
    block = re.search(r'<details class="fed-share__poster[^"]*">(.*?)</details>', html, re.S)
    assert block and "长按保存图片" in block.group(1)
    src = re.search(r'<img src="([^"]+)"', block.group(1))
    assert src and (built_site / address.strip("/") / src.group(1)).resolve() == (built_site / roundup.poster).resolve()


# -- what it says ---------------------------------------------------------------------------


@pytest.mark.parametrize("address", sorted(by_address()))
def test_each_story_with_its_verdict_word_colour_and_icon_and_its_fact(address: str) -> None:
    roundup = by_address()[address]
    sheet = roundups.poster_sheet(roundup, sample_settings())
    data, plan, boxes = roundupposter.draw(sheet, font())
    with Image.open(io.BytesIO(data)) as poster:
        height = poster.height
    assert height == plan.height
    assert_laid_out(plan, boxes, height)
    texts = [b.box.text for b in plan.blocks]
    assert sheet.title in texts and sheet.period in texts
    passed_on = roundups.sent_around(roundup)
    assert plan.shown == len(passed_on) == len(plan.marks)  # the sample's periods are short
    for story, item, mark in zip(passed_on, sheet.items, plan.marks, strict=True):
        verdict = fact.verdict(story)
        title = next(b for b in plan.blocks if b.box.text == story.title)
        badge = next(b for b in plan.blocks if b.box.y < title.box.y and b.box.text.startswith(item.badge))
        if verdict is not None:
            # Word, colour and shape: never the colour alone.
            assert badge.box.text.startswith(verdict.label) and mark.name == verdict.icon
            assert badge.ink == storyimage.TONES[verdict.tone] == mark.ink
            assert item.line == fact.conclusion(story) and not fact.repeats(fact.claim(story), item.line)
            assert fact.claim(story) not in texts, "the claim is on the poster"
        else:
            assert badge.box.text.startswith(story.section.label)
        assert any(b.box.text == item.line for b in plan.blocks) or not item.line
    shown = {b.text for b in boxes}
    assert "长按识别二维码" in shown and any("12338" in t for t in shown)
    assert any("妇女联合会" in t for t in shown), "the federation's name is missing"


def test_a_withdrawn_story_is_not_passed_on() -> None:
    roundup = by_address()["/roundups/rumours/week/2020-w06/"]
    withdrawn = vocab.statuses().get("withdrawn")
    first = dataclasses.replace(roundup.stories[0], status=withdrawn)
    stories = (first, *roundup.stories[1:])
    assert sum(s.status == withdrawn for s in stories) >= 2  # the sample's own withdrawn rumour, and this one
    sheet = roundups.poster_sheet(dataclasses.replace(roundup, stories=stories), sample_settings())
    assert [i.title for i in sheet.items] == [s.title for s in stories if s.status != withdrawn]


def test_each_verdict_has_its_own_shape() -> None:
    """The icons differ by shape, so a reader who cannot tell red from orange still tells them apart."""
    masks = {}
    for name in ("cross", "diamond", "half", "question", "check", ""):
        image = Image.new("RGB", (64, 64), (255, 255, 255))
        roundupposter._icon(image, roundupposter.Mark(name, 10, 10, 44, (0, 0, 0)))
        masks[name] = numpy.asarray(image.convert("L")) < 128
        assert masks[name].sum() > 40, name
    for one, other in itertools.combinations(masks, 2):
        assert (masks[one] != masks[other]).sum() > 60, (one, other)


# -- any period -----------------------------------------------------------------------------

VERDICTS = list(vocab.verdicts().terms)


@st.composite
def items(draw: st.DrawFn) -> roundupposter.Item:
    if draw(st.booleans()):
        verdict = draw(st.sampled_from(VERDICTS))
        return roundupposter.Item(verdict.label, verdict.tone, verdict.icon, draw(TEXT), draw(TEXT))
    return roundupposter.Item("防控知识", "", "", draw(TEXT), draw(st.one_of(st.just(""), TEXT)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(stories=st.lists(items(), max_size=45), title=TEXT, period=TEXT)
def test_any_period_shows_what_fits_then_says_how_many_more(
    stories: list[roundupposter.Item], title: str, period: str
) -> None:
    sheet = roundupposter.Sheet(
        SITE_URL + "/roundups/all/month/2020-02/", "重庆妇联·科学防疫", title, period, tuple(stories)
    )
    plan = roundupposter.layout(sheet, font())
    boxes = [b.box for b in plan.blocks] + storyimage.footer_layout(font(), plan.footer_top, roundupposter.INVITATION)
    assert_laid_out(plan, boxes, plan.height)
    assert plan.footer_top - plan.header_end <= roundupposter.BODY_LIMIT + 200, "the poster grows with the period"
    assert 1 <= plan.shown <= len(stories) or plan.shown == len(stories) == 0
    texts = [b.box.text for b in plan.blocks]
    rest = len(stories) - plan.shown
    more = [t for t in texts if "另有" in t]
    assert more == ([f"……另有 {rest} 篇，扫码查看本期全部"] if rest else []), "stories left out without saying so"
    # The stories shown are the first ones, each with its badge, title and fact, in order.
    at = 0
    for item in stories[: plan.shown]:
        at = texts.index(item.badge, at) + 1
        assert texts[at] == item.title
        if item.line:
            assert texts[at + 1] == item.line
    assert [m.name for m in plan.marks] == [i.icon for i in stories[: plan.shown]]


def test_a_rebuild_draws_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_ = sample_settings(root=tmp_path)
    stories: list[Story] = pipeline.check(settings_).published(include_drafts=False)
    drawn: list[str] = []
    original = roundupposter.draw

    def counting(sheet: roundupposter.Sheet, path: Path) -> tuple[bytes, roundupposter.Layout, list[Box]]:
        drawn.append(sheet.url)
        return original(sheet, path)

    monkeypatch.setattr(roundupposter, "draw", counting)
    monkeypatch.setattr(roundupposter, "_PARALLEL_FROM", 10_000)  # in this process, where the counter is
    first = roundups.render(stories, settings_)
    posters = [a for a in first.assets if a.src_uri.startswith("share/roundups/")]
    assert len(drawn) == len(posters) == len(roundups.roundups(stories)) > 0
    assert sorted(first.cache_used[roundupposter.KIND]) == sorted(a.source for a in posters)
    drawn.clear()
    rumour = next(s for s in stories if s.section.key == "rumours")
    changed = dataclasses.replace(rumour, title=rumour.title + "（更新）")
    roundups.render([changed if s is rumour else s for s in stories], settings_)
    # Its week and month, in its section and in all: four posters, no other.
    assert len(drawn) == 4 and all(SITE_URL + "/roundups/" in url for url in drawn)


def test_a_long_month_says_how_many_more() -> None:
    roundup = by_address()["/roundups/rumours/week/2020-w06/"]
    sheet = roundups.poster_sheet(roundup, sample_settings())
    long = dataclasses.replace(sheet, items=sheet.items * 20)
    data, plan, boxes = roundupposter.draw(long, font())
    assert 3 <= plan.shown < len(long.items)
    assert f"……另有 {len(long.items) - plan.shown} 篇，扫码查看本期全部" in [b.text for b in boxes]
    with Image.open(io.BytesIO(data)) as poster:
        assert [c.text for c in zxingcpp.read_barcodes(poster.convert("L"))] == [sheet.url]
        assert poster.height <= roundupposter.HEADER_LIMIT + roundupposter.BODY_LIMIT + 800
    assert len(data) < 1_000_000


def test_a_full_build_sweeps_the_posters_an_edit_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = project_copy(tmp_path)
    elsewhere = tmp_path / "cache"
    monkeypatch.setenv("FEDERATION_CACHE_DIR", str(elsewhere))
    assert build(project, "--site-dir", str(project / "site")).returncode == 0
    before = {p.name for p in (elsewhere / roundupposter.KIND).iterdir()}
    assert len(before) == len(found())
    story = project / "stories" / "rumours" / "2020" / "2020-02-03-baijiu.md"
    story.write_text(story.read_text("utf-8").replace("title: ", "title: 改过的", 1), "utf-8")
    result = build(project, "--site-dir", str(project / "site"))
    assert result.returncode == 0, result.stderr
    after = {p.name for p in (elsewhere / roundupposter.KIND).iterdir()}
    # Its week and month, in its section and in all: four new posters, the four old ones gone.
    assert len(after) == len(before) and len(before - after) == 4 and len(after - before) == 4
    poster = project / "site" / "share" / "roundups" / "rumours" / "week" / "2020-w06.jpg"
    assert poster.stat().st_ino in {(elsewhere / roundupposter.KIND / n).stat().st_ino for n in after - before}


def test_every_real_name_and_period_fits_the_header_whole() -> None:
    """The header holds one line of each, inside the cover's band: no real roundup's is shortened."""
    day, last = datetime.date(2019, 12, 23), datetime.date(2031, 1, 6)
    labels = set()
    while day < last:
        labels |= {roundups.Period.of(kind, day).label for kind in roundups.KINDS}
        day += datetime.timedelta(days=7)
    longest = max(labels, key=lambda label: lettering.width_of(font(), "Medium", 44, label))
    names = [f"{scope.label}{kind}" for scope in roundups.scopes() for kind in roundups.KINDS.values()]
    for name in names:
        sheet = roundupposter.Sheet(SITE_URL + "/roundups/", "重庆妇联·科学防疫", name, longest, ())
        plan = roundupposter.layout(sheet, font())
        header = [b.box for b in plan.blocks if b.box.y < plan.header_end]
        assert not any(box.shortened for box in header), [b.lines for b in header]
        assert plan.header_end <= roundupposter.HEADER_LIMIT
