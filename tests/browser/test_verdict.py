"""Truth first: on every rumour page the verdict is on the first screen of a small phone, in both text sizes."""

from __future__ import annotations

import pytest

from generator import pipeline
from generator.content import fact
from tests.browser.conftest import Opener, screenshot
from tests.conftest import sample_settings

pytestmark = pytest.mark.requires("chromium", "nginx")

STORAGE_KEY = "fed-large-text"
SCREENS = {"320x568": (320, 568), "360x740": (360, 740)}
RUMOURS = sorted(
    s.url for s in pipeline.check(sample_settings()).published(include_drafts=False) if fact.verdict(s) is not None
)

_MEASURE = """() => {
  const banner = document.querySelector('.fed-verdict-banner');
  const bar = document.querySelector('.fed-hotline-bar');
  const claim = document.querySelector('.fed-claim');
  const word = banner && banner.querySelector('.fed-verdict-banner__word');
  return {
    banner: banner ? banner.getBoundingClientRect().bottom : null,
    top: banner ? banner.getBoundingClientRect().top : null,
    claim: claim ? claim.getBoundingClientRect().top : null,
    bar: bar && getComputedStyle(bar).display !== 'none' ? bar.getBoundingClientRect().height : 0,
    height: window.innerHeight,
    word: word ? word.textContent : '',
    wordSize: word ? parseFloat(getComputedStyle(word).fontSize) : 0,
    bodySize: parseFloat(getComputedStyle(document.querySelector('.fed-body')).fontSize),
  };
}"""


def test_the_sample_has_rumours_with_a_very_long_title_and_claim() -> None:
    stories = [s for s in pipeline.check(sample_settings()).stories if s.url in RUMOURS]
    assert max(len(s.title) for s in stories) >= 60 and max(len(fact.claim(s)) for s in stories) >= 100


@pytest.mark.parametrize("size", ["default", "large"])
@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("address", RUMOURS)
def test_verdict_is_on_the_first_screen(address: str, screen: str, size: str, visit: Opener) -> None:
    width, height = SCREENS[screen]
    page = visit(address, "phone").page
    page.set_viewport_size({"width": width, "height": height})
    if size == "large":
        page.evaluate(f"() => localStorage.setItem('{STORAGE_KEY}', '1')")
    page.reload()
    large = page.evaluate("() => document.documentElement.classList.contains('fed-large')")
    assert large == (size == "large")
    found = page.evaluate(_MEASURE)
    assert found["banner"] is not None, f"{address} has no verdict banner"
    assert found["word"], f"{address}: the banner has no verdict word"
    assert found["wordSize"] >= 1.4 * found["bodySize"], f"{address}: verdict word {found['wordSize']} px"
    assert found["claim"] > found["top"], f"{address}: the claim comes before the verdict"
    assert found["banner"] <= found["height"] - found["bar"], (
        f"{address} at {screen} ({size} text): the verdict ends at {found['banner']:.0f} px, "
        f"below the first screen ({found['height']} px less the hotline bar's {found['bar']:.0f} px)"
    )
    if screen == "320x568" and address in ("/rumours/baijiu/", "/rumours/long-title/"):
        screenshot(page, f"verdict-320x568-{size}-{address.strip('/').split('/')[-1]}", full_page=False)
