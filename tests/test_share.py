"""Links that travel: head tags, JSON-LD, the share block and its QR code, share text and images."""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import resvg_py
import zxingcpp
from PIL import Image
from pyld import jsonld

from generator import pipeline
from generator.content import fact
from generator.core.sections import SECTIONS
from generator.core.story import Story
from generator.render import share, shareimage, storyimage
from tests.conftest import ROOT, SAMPLE, run_generator, sample_settings

SITE_URL = "https://fangyi.cqwomen.example"
# One story of each kind, and what its link card must say.
STORIES = {
    "knowledge": "/knowledge/wear-masks/",
    "rumours": "/rumours/baijiu/",
    "exemplars": "/exemplars/nurse/",
}


class Head(HTMLParser):
    """The parts of a page that link previews and aggregators read."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.title = ""
        self.jsonld: list[str] = []
        self._in: str = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in values:
            key = values.get("property") or values.get("name") or "itemprop:" + values.get("itemprop", "")
            self.meta.setdefault(key, []).append(values["content"])
        elif tag == "link" and values.get("rel") == "canonical":
            self.meta.setdefault("canonical", []).append(values.get("href", ""))
        elif tag == "title" or (tag == "script" and values.get("type") == "application/ld+json"):
            self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = ""

    def one(self, key: str) -> str:
        """The single value of a meta tag; two different values would confuse a crawler."""
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]


def page_html(site: Path, address: str) -> str:
    return (site / address.strip("/") / "index.html" if address != "/" else site / "index.html").read_text("utf-8")


def head(site: Path, address: str) -> Head:
    parsed = Head()
    parsed.feed(page_html(site, address))
    return parsed


def sample_stories() -> dict[str, Story]:
    outcome = pipeline.check(sample_settings())
    return {s.url: s for s in outcome.published(include_drafts=False)}


def site_file(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL + "/"), url
    return site / url.removeprefix(SITE_URL + "/")


def _schema_org(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    # No network here: schema.org's context maps every term into https://schema.org/.
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}


def expanded(site: Path, address: str) -> dict[str, Any]:
    """The page's JSON-LD, parsed and expanded by a JSON-LD processor."""
    scripts = head(site, address).jsonld
    assert len(scripts) == 1
    nodes = jsonld.expand(json.loads(scripts[0]), {"documentLoader": _schema_org})
    assert len(nodes) == 1
    node: dict[str, Any] = nodes[0]
    return node


def value(node: dict[str, Any], name: str) -> Any:
    """The one value of a schema.org property in expanded JSON-LD (a literal, or a node)."""
    values = node.get(f"https://schema.org/{name}", [])
    assert len(values) == 1, f"{name}: {values}"
    found = values[0]
    return found.get("@value", found)


def values(node: dict[str, Any], name: str) -> list[Any]:
    return [v.get("@value", v) for v in node.get(f"https://schema.org/{name}", [])]


def decode_qr(svg: str) -> str:
    """Rasterise an inline SVG QR code and read it back with zxing-cpp."""
    standalone = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    png = resvg_py.svg_to_bytes(svg_string=standalone, width=400, height=400, background="#ffffff")
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(bytes(png))).convert("L"))
    assert len(found) == 1
    return str(found[0].text)


# -- link previews ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(STORIES))
def test_story_head_tags_make_a_link_card(built_site: Path, kind: str) -> None:
    address = STORIES[kind]
    story = sample_stories()[address]
    tags = head(built_site, address)
    url = SITE_URL + address
    assert tags.title.strip() == f"{story.title} - 重庆妇联·科学防疫"
    # A rumour's card says its verdict and fact, never the claim; other stories their summary.
    described = f"【{story.fields['verdict'].label}】{fact.conclusion(story)}" if kind == "rumours" else story.summary  # type: ignore[attr-defined]
    assert tags.one("description") == described != ""
    assert tags.one("canonical") == url
    assert tags.one("og:title") == tags.one("twitter:title") == story.title
    assert tags.one("og:description") == tags.one("twitter:description") == described
    assert tags.one("og:url") == url
    assert tags.one("og:type") == "article"
    assert tags.one("og:site_name") == "重庆妇联·科学防疫"
    assert tags.one("og:locale") == "zh_CN"
    assert tags.one("twitter:card") == "summary_large_image"
    assert tags.one("article:published_time") == story.date.isoformat()
    image = tags.one("og:image")
    assert image == tags.one("twitter:image")
    with Image.open(site_file(built_site, image)) as picture:
        assert picture.size == (int(tags.one("og:image:width")), int(tags.one("og:image:height")))
        assert min(picture.size) >= 300
        assert Image.MIME[picture.format or ""] == tags.one("og:image:type")
    assert site_file(built_site, image).stat().st_size < 300_000
    assert tags.one("og:image:alt")


def test_each_story_shares_its_own_card_with_its_lead_picture(built_site: Path) -> None:
    tags = head(built_site, "/knowledge/wear-masks/")
    assert tags.one("og:image") == SITE_URL + "/share/cards/knowledge/wear-masks.jpg"
    assert tags.one("og:image:alt") == "科学佩戴口罩"
    story = sample_stories()["/knowledge/wear-masks/"]
    assert story.image is not None and storyimage.sheet(story, sample_settings()).picture == str(story.image.source)
    rumour = head(built_site, "/rumours/baijiu/")
    assert rumour.one("og:image") == SITE_URL + "/share/cards/rumours/baijiu.jpg"
    assert rumour.one("og:image:alt") == "查证结论：谣言。喝高度白酒不能预防新冠肺炎"


@pytest.mark.parametrize(
    ("address", "image", "kind"),
    [
        ("/", "site", "website"),
        ("/knowledge/", "knowledge", "website"),
        ("/exemplars/", "exemplars", "website"),
        ("/about/notice/", "site", "website"),
        ("/guide/", "site", "website"),
    ],
)
def test_every_other_page_has_a_link_card_too(built_site: Path, address: str, image: str, kind: str) -> None:
    tags = head(built_site, address)
    assert tags.one("og:url") == tags.one("canonical") == SITE_URL + address
    assert tags.one("og:title") and tags.one("og:description") and tags.one("description")
    assert tags.one("og:type") == kind and tags.one("og:locale") == "zh_CN"
    assert tags.one("og:image") == f"{SITE_URL}/share/{image}.png"
    assert site_file(built_site, tags.one("og:image")).is_file()
    assert len(tags.title) <= 40, tags.title  # a short <title>, which WeChat shows as the card's title


def test_home_title_is_the_site_name_once(built_site: Path) -> None:
    assert head(built_site, "/").title.strip() == "重庆妇联·科学防疫"


# -- structured data ------------------------------------------------------------------------


def test_every_section_has_a_schema_and_a_hashtag() -> None:
    for section in SECTIONS:
        assert re.fullmatch(r"[A-Z][A-Za-z]+", section.schema.type)
        assert re.fullmatch(r"#[^#\s]+#", section.hashtag)
        for spec in section.fields:
            for path in spec.schema:
                steps, transform = share.schema_paths(path)
                assert transform in share.TRANSFORMS, (spec.key, path)
                assert all(re.fullmatch(r"[a-z][A-Za-z]*", name) for name, _, _ in steps), (spec.key, path)
                assert all(re.fullmatch(r"(?:[A-Z][A-Za-z]+)?", kind) for _, kind, _ in steps), (spec.key, path)


def test_rumour_is_a_claim_review(built_site: Path) -> None:
    node = expanded(built_site, "/rumours/baijiu/")
    assert node["@type"] == ["https://schema.org/ClaimReview"]
    assert value(node, "url") == SITE_URL + "/rumours/baijiu/"
    assert value(node, "claimReviewed") == "网传喝高度白酒可以预防新冠肺炎？"
    assert value(node, "datePublished") == "2020-02-03"
    assert value(value(node, "author"), "name") == "重庆市妇女联合会"
    rating = value(node, "reviewRating")
    assert rating["@type"] == ["https://schema.org/Rating"]
    assert value(rating, "alternateName") == "谣言"
    assert value(rating, "ratingValue") == 1
    claim = value(node, "itemReviewed")
    assert claim["@type"] == ["https://schema.org/Claim"]
    assert value(value(claim, "appearance"), "description") == "微信群，2020-02-01"
    assert value(claim, "datePublished") == "2020-02-01"


def test_unproven_rumour_has_a_verdict_word_but_no_number(built_site: Path) -> None:
    rating = value(expanded(built_site, "/rumours/pets/"), "reviewRating")
    assert value(rating, "alternateName") == "尚无定论"
    assert "https://schema.org/ratingValue" not in rating


def test_knowledge_is_a_medical_page_with_its_review(built_site: Path) -> None:
    node = expanded(built_site, "/knowledge/wear-masks/")
    assert node["@type"] == ["https://schema.org/MedicalWebPage"]
    assert value(node, "lastReviewed") == "2020-03-18"
    assert value(value(node, "reviewedBy"), "name") == "市疾控中心专家"
    assert value(node, "dateModified") == "2020-03-18"
    assert value(node, "image") == SITE_URL + "/share/cards/knowledge/wear-masks.jpg"
    assert sorted(value(a, "audienceType") for a in values(node, "audience")) == ["儿童", "老年人"]
    assert [value(c, "url") for c in values(node, "citation")] == ["http://www.nhc.gov.cn/"]


def test_exemplar_is_an_article_about_a_person(built_site: Path) -> None:
    node = expanded(built_site, "/exemplars/nurse/")
    assert node["@type"] == ["https://schema.org/NewsArticle"]
    assert value(node, "headline") == "护士长张某：主动请战驰援湖北"
    person = value(node, "about")
    assert person["@type"] == ["https://schema.org/Person"]
    assert value(person, "name") == "张某"
    assert value(person, "jobTitle") == "护士长"
    assert value(value(person, "worksFor"), "name") == "某医院（示例）"
    assert values(person, "award") == ["三八红旗手", "巾帼建功标兵（2020年，市级，重庆市妇女联合会）"]


def test_json_ld_cannot_close_its_script() -> None:
    text = share.script_json({"name": "</script><script>alert(1)</script>"})
    assert "<" not in text and json.loads(text)["name"].startswith("</script>")


# -- the share block ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(STORIES))
def test_share_block_has_the_qr_code_of_the_page(built_site: Path, kind: str) -> None:
    address = STORIES[kind]
    html = page_html(built_site, address)
    block = re.search(r'<section class="fed-share".*?</section>', html, re.S)
    assert block, "no share block"
    svg = re.search(r'<svg [^>]*class="fed-share__qr".*?</svg>', block.group(0), re.S)
    assert svg, "no inline QR code"
    assert decode_qr(svg.group(0)) == SITE_URL + address
    assert "微信扫一扫，分享给亲友" in block.group(0)
    assert f'class="fed-share__copy-link" data-copy="{SITE_URL + address}"' in block.group(0)
    assert '<button type="button" class="fed-share__copy-text"' in block.group(0)


@pytest.mark.parametrize("kind", sorted(STORIES))
def test_share_text_is_shown_and_printed_by_the_command(built_site: Path, kind: str) -> None:
    address = STORIES[kind]
    story = sample_stories()[address]
    shown = re.search(r'<p class="fed-share__text">(.*?)</p>', page_html(built_site, address), re.S)
    assert shown
    # As a reader sees and copies it (share.js copies the text): the markup only marks line breaks.
    text = html.unescape(re.sub(r"<[^>]+>", "", shown.group(1)))
    assert text == share.share_text(story, sample_settings())
    assert len(text) <= 140
    verdict = story.fields.get("verdict")
    # A rumour's post leads with its verdict and the fact, never the title or the claim.
    assert text.startswith(f"【{verdict.label}】" if verdict else f"【{story.title}】")  # type: ignore[attr-defined]
    assert f" {SITE_URL}{address} " in text and text.endswith(story.section.hashtag)
    result = run_generator("share", str(ROOT / story.path), "--stories", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout == text + "\n"


def test_share_text_fits_140_characters_whatever_the_story_says() -> None:
    story = sample_stories()["/knowledge/wear-masks/"]
    long = Story(**{**story.__dict__, "title": "长" * 90, "summary": "很长的摘要" * 40 + "。第二句。"})
    text = share.share_text(long, sample_settings())
    assert len(text) == 140
    assert text.endswith(f" {SITE_URL}/knowledge/wear-masks/ #疫情防控#")
    assert "…" in text and "第二句" not in text
    plain = Story(**{**story.__dict__, "summary": "第一句说清楚。第二句不进转发文字！"})
    assert share.share_text(plain, sample_settings()).startswith(f"【{story.title}】第一句说清楚。 https://")


def test_share_command_refuses_a_file_that_is_no_story() -> None:
    result = run_generator("share", str(ROOT / "README.md"), "--stories", str(SAMPLE))
    assert result.returncode == 1
    assert "不是" in result.stderr and "文章" in result.stderr and result.stdout == ""


# -- share images ------------------------------------------------------------------------


def test_share_images_are_small_real_pngs(built_site: Path) -> None:
    names = sorted(p.name for p in (built_site / "share").iterdir() if p.is_file())
    assert names == sorted(["site.png", *(f"{s.key}.png" for s in SECTIONS)])
    for name in names:
        file = built_site / "share" / name
        assert file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert file.stat().st_size < 300_000
        with Image.open(file) as picture:
            assert picture.size == share.IMAGE_SIZE and min(picture.size) >= 300
            # Text was drawn: a fair share of the card is light ink on the dark background.
            light = sum(picture.convert("L").histogram()[200:])
            assert light > 0.02 * picture.size[0] * picture.size[1]


def test_chinese_wraps_between_characters_and_keeps_punctuation_with_its_word() -> None:
    path = shareimage.font_file()
    assert path is not None
    font = shareimage._font(path, "Regular", 42)
    text = "科学防控知识：口罩、洗手、居家护理、心理健康，以及对留守老人和儿童的关爱。（使用 N95 口罩）"
    lines = shareimage.wrap(text, font, 420)
    assert len(lines) > 3
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert font.getlength(line) <= 420 + font.getlength("。")  # closing punctuation may hang
        assert line[0] not in shareimage.NO_LINE_START
        assert line[-1] not in shareimage.NO_LINE_END
    assert any("N95" in line for line in lines)  # a Latin word is never cut
    assert shareimage.wrap(text, font, 420, max_lines=2)[-1].endswith("…")


def test_a_character_the_font_lacks_stops_the_build(tmp_path: Path) -> None:
    path = shareimage.font_file()
    assert path is not None
    font = shareimage._font(path, "Bold", 40)
    assert shareimage.missing_glyphs(font, "防疫𪚥😷") == ["𪚥", "😷"]
    problems = shareimage.problems(sample_settings(site_name="科学防疫😷"))
    assert [(p.is_error, p.rule) for p in problems] == [(True, "build.glyph-missing")]
    assert "「😷」" in problems[0].message  # it names the character
    outcome, site = pipeline.build(sample_settings(site_name="科学防疫😷"))
    assert site is None and not outcome.ok


def test_a_build_without_the_font_fails_clearly(tmp_path: Path) -> None:
    # A font package without its font file stands in for a machine where it is not installed.
    fake = tmp_path / "fake" / "manimgx_fonts_cjk"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("", "utf-8")
    site = tmp_path / "site"
    env_path = f"{tmp_path / 'fake'}"
    command = [sys.executable, "-m", "generator", "--config", str(ROOT / "mkdocs.yml"), "build"]
    command += ["--stories", str(SAMPLE), "--site-dir", str(site)]
    result = subprocess.run(
        command, cwd=ROOT, env={**os.environ, "PYTHONPATH": env_path}, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "找不到绘制分享图片所需的中文字体" in result.stderr and "make site" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


# -- 关注我们 ---------------------------------------------------------------------------


def test_footer_shows_the_media_matrix(built_site: Path) -> None:
    html = page_html(built_site, "/rumours/baijiu/")
    follow = re.search(r'<section class="fed-follow" aria-label="关注我们">.*?</section>', html, re.S)
    assert follow, "no 关注我们 block"
    assert "微信公众号：重庆女性（示例）" in follow.group(0)
    assert '<a href="https://weibo.com/" rel="noopener noreferrer">@重庆女性（示例）</a>' in follow.group(0)
    qr = re.search(r'<img class="fed-follow__qr" src="([^"]+)"', follow.group(0))
    assert qr and (built_site / "rumours" / "baijiu" / qr.group(1)).resolve().is_file()
