"""Truth first: a rumour's fact leads its page and its share post, and text that repeats the claim is caught."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.commands import scaffold
from generator.content import fact
from generator.core import vocab
from generator.core.sections import section
from generator.core.story import Story
from generator.render import share
from tests.conftest import ROOT, sample_settings

SITE_URL = "https://fangyi.cqwomen.example"
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCTUATION = st.sampled_from(list("，。、；：？！（）「」 "))
TEXT = st.text(st.one_of(HAN, HAN, HAN, PUNCTUATION, st.characters(codec="utf-8")), min_size=0, max_size=300)


@cache
def _stories() -> dict[str, Story]:
    return {s.url: s for s in pipeline.check(sample_settings()).published(include_drafts=False)}


def rumour(**changes: object) -> Story:
    """The sample's baijiu rumour with some values changed."""
    story = _stories()["/rumours/baijiu/"]
    fields = {**story.fields, **{k: v for k, v in changes.items() if k in ("claim", "conclusion", "verdict")}}
    rest = {k: v for k, v in changes.items() if k not in fields}
    return dataclasses.replace(story, fields=fields, **rest)  # type: ignore[arg-type]


def _spellings(claim: str) -> st.SearchStrategy[str]:
    """The same claim as a careless editor copies it: framing words, spaces, full-width forms, other marks."""
    core = claim.removeprefix("网传").rstrip("？?")

    def spelt(frame: str, space: str, folded: bool, end: str) -> str:
        text = unicodedata.normalize("NFKC", core).replace("，", ",") if folded else core
        return frame + space.join(text) + end

    return st.builds(
        spelt,
        st.sampled_from(["", "网传", "网上流传：", "有人说，", "近日"]),
        st.sampled_from(["", " ", "\u3000"]),
        st.booleans(),
        st.sampled_from(["", "？", "。", "！", "?", "，这是谣言。", "，其实不然。"]),
    )


CLAIMS = [
    "网传喝高度白酒可以预防新冠肺炎？",
    "网传喝板蓝根可以预防新冠肺炎？",
    "网传每天用淡盐水漱口就能把新冠病毒杀死在喉咙里？",
    "网传家里的猫狗会传播新冠病毒？",
    "网传快递包裹会传播新冠病毒，收快递要用酒精喷三遍？",
]
DENIALS = {
    CLAIMS[0]: "饮酒不能预防新冠肺炎，过量饮酒反而伤身。",
    CLAIMS[1]: "板蓝根不能预防新冠肺炎。",
    CLAIMS[2]: "盐水漱口不能杀灭呼吸道里的病毒。",
    CLAIMS[3]: "目前没有证据表明猫狗会把病毒传给人。",
    CLAIMS[4]: "快递包裹传播病毒的风险极低，收件后洗手即可。",
}


@given(data=st.data(), claim=st.sampled_from(CLAIMS))
def test_a_claim_copied_in_any_spelling_repeats_it(data: st.DataObject, claim: str) -> None:
    copied = data.draw(_spellings(claim))
    assert fact.repeats(claim, copied), copied
    # …also as the first of two sentences, and before a denial in the same sentence.
    assert fact.repeats(claim, copied.rstrip("。？！?") + "。" + DENIALS[claim])


@given(claim=st.sampled_from(CLAIMS))
def test_a_denial_does_not_repeat_its_claim(claim: str) -> None:
    assert not fact.repeats(claim, DENIALS[claim])


@given(claim=TEXT, text=TEXT)
def test_repeats_never_fails_and_text_repeats_itself(claim: str, text: str) -> None:
    fact.repeats(claim, text)
    if len(fact._pairs(claim)) >= 2:
        assert fact.repeats(claim, claim)


@settings(max_examples=200)
@given(
    title=TEXT,
    claim=TEXT,
    summary=TEXT,
    conclusion=st.one_of(st.just(""), TEXT),
    verdict=st.sampled_from([t.code for t in vocab.verdicts().terms]),
)
def test_a_rumour_post_leads_with_its_verdict_and_fact_never_the_claim(
    title: str, claim: str, summary: str, conclusion: str, verdict: str
) -> None:
    term = vocab.verdicts().get(verdict)
    story = rumour(title=title, summary=summary, claim=claim, conclusion=conclusion, verdict=term)
    text = share.share_text(story, sample_settings())
    assert len(text) <= share.SHARE_TEXT_LIMIT
    assert text.startswith(f"【{term.label}】")
    tail = f" {SITE_URL}/rumours/baijiu/ #不信谣不传谣#"
    assert text.endswith(tail)
    said = text.removeprefix(f"【{term.label}】").removesuffix(tail).removesuffix("…")
    fact_text = fact.conclusion(story)
    assert fact_text.startswith(said), "the post says something other than the fact"
    if not conclusion.strip() and fact.repeats(claim, fact.sentences(summary)[0] if fact.sentences(summary) else ""):
        assert fact_text != fact.sentences(summary)[0], "the post took a sentence that repeats the claim"


def test_the_post_skips_a_summary_sentence_that_is_the_claim() -> None:
    story = rumour(summary="网传喝高度白酒可以预防新冠肺炎。饮酒不能预防新冠肺炎。")
    assert share.share_text(story, sample_settings()).startswith("【谣言】饮酒不能预防新冠肺炎。 https://")
    only_claim = rumour(summary="网传喝高度白酒可以预防新冠肺炎。")
    assert share.share_text(only_claim, sample_settings()).startswith("【谣言】经查证，说法不实。 https://")
    told = rumour(conclusion="酒精喝下去杀不了病毒。")
    assert share.share_text(told, sample_settings()).startswith("【谣言】酒精喝下去杀不了病毒。 https://")


def test_other_sections_keep_their_title_first() -> None:
    story = _stories()["/knowledge/wear-masks/"]
    assert share.share_text(story, sample_settings()).startswith(f"【{story.title}】")


def test_the_banner_goes_above_a_title_too_long_for_a_small_screen() -> None:
    assert not fact.banner_first(_stories()["/rumours/baijiu/"])
    assert fact.banner_first(_stories()["/rumours/long-title/"])
    assert not fact.banner_first(_stories()["/knowledge/wear-masks/"])


def test_the_guide_and_the_template_say_the_summary_opens_the_post() -> None:
    guide = (ROOT / "site_src" / "guide" / "index.md").read_text("utf-8")
    written = scaffold.story_text(section("rumours"), "喝板蓝根能预防新冠吗", date(2020, 2, 1))  # type: ignore[arg-type]
    for text in (guide, written):
        assert "第一句就是转发到微博、微信群的文字" in text
    assert "# conclusion:" in written and "`conclusion`" in guide
