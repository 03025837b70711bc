"""The 公众号 article at 375 px beside the site's page (tests/browser/wechat_screens.py shoots both):
truth first, every footnote listed, nothing wider than the phone, its pictures from the site."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Browser

from tests.browser.conftest import ARTEFACTS
from tests.browser.server import Server
from tests.browser.wechat_screens import CASES, SCREEN, WIDTH, Shot, article, shoot

pytestmark = pytest.mark.requires("chromium", "cjk-font")


@pytest.fixture(scope="module")
def shots(browser: Browser, server: Server) -> dict[str, Shot]:
    """Every case shot once (into tests/artefacts/wechat/, which git ignores)."""
    return {shot.name: shot for shot in shoot(browser, server.base_url, ARTEFACTS / "wechat")}


@pytest.mark.parametrize("name", CASES)
def test_nothing_is_wider_than_the_phone_and_every_picture_comes(name: str, shots: dict[str, Shot]) -> None:
    measured = shots[name].measured
    assert measured["scrollWidth"] <= WIDTH and measured["wide"] == [], measured["wide"]
    assert all(image["loaded"] for image in measured["images"]), measured["images"]
    if name == "knowledge":
        assert measured["images"], "the sample's knowledge story has pictures: none were shown"
    with Image.open(shots[name].picture) as picture:
        assert picture.width == 2 * WIDTH + 24 and picture.height > SCREEN["height"]


@pytest.mark.parametrize("name", CASES)
def test_every_footnote_number_has_its_entry(name: str, shots: dict[str, Shot]) -> None:
    measured = shots[name].measured
    made = article(shots[name].address)
    marks = {int(mark.strip("[]")) for mark in measured["marks"]}
    entries = [re.match(r"^\[(\d+)\] (\S+)", entry) for entry in measured["entries"]]
    assert all(entries), measured["entries"]
    numbers = [int(m.group(1)) for m in entries if m]
    assert numbers == list(range(1, len(made.links) + 1)), "引用链接 not numbered 1, 2, 3 …"
    assert marks == set(numbers), "a number in the text without its entry, or an entry nobody cites"
    assert [m.group(2) for m in entries if m] == made.links
    if name == "roundup":
        assert len(numbers) >= 2  # each story of the week is a footnote


def test_a_rumour_leads_with_its_verdict_banner(shots: dict[str, Shot]) -> None:
    blocks = shots["rumour"].measured["blocks"]
    kicker, banner = blocks[0], blocks[1]
    assert kicker["tag"] == "p" and "｜" in kicker["text"] and len(kicker["text"]) < 30  # the one-line section label
    assert banner["boxed"] and banner["text"].startswith("查证结论：谣言"), banner
    assert banner["top"] < SCREEN["height"] / 4, "the verdict is not on the first screen"
    claim = next(i for i, b in enumerate(blocks) if b["text"].startswith("网传（经查证："))
    assert claim > 1  # the claim after the verdict, marked


def test_a_roundup_gives_each_verdict_before_its_claim(shots: dict[str, Shot]) -> None:
    blocks = shots["roundup"].measured["blocks"]
    items = [b for b in blocks if re.match(r"^\d+\. 【", b["text"])]
    assert len(items) >= 2
    for item in items:
        verdict = re.match(r"^\d+\. 【(.+?)】", item["text"])
        assert verdict and item["text"].index(f"网传（经查证：{verdict.group(1)}）") > item["text"].index("\n")
