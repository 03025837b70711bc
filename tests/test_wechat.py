"""公众号 articles: parsed with a real HTML parser, for every sample story and generated bodies.

What the 公众号 editor keeps: inline `style` only (no class, id, <style>, <script>, <link>),
two levels of lists at most, links only to mp.weixin.qq.com; the draft API's limits.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings, strategies
from lxml import html as lxml_html

from generator import pipeline
from generator.content import fact
from generator.content.body import BodyRenderer
from generator.core.story import Story
from generator.render import wechat
from tests.conftest import SAMPLE, run_generator, sample_settings

SITE_HOST = "fangyi.cqwomen.example"
FORBIDDEN_ELEMENTS = {"style", "script", "link", "iframe", "object", "embed", "form", "input", "ul", "ol", "div"}


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    outcome = pipeline.check(sample_settings())
    assert outcome.ok
    return outcome.stories


def _parsed(content: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(content, create_parent="div")


def assert_pasteable(made: wechat.Article) -> None:
    """Every rule of the 公众号 editor and the draft API, on one article."""
    root = _parsed(made.content)
    for element in root.iterdescendants():
        assert element.tag not in FORBIDDEN_ELEMENTS, element.tag
        assert set(element.attrib) <= {"style", "href", "src", "alt", "colspan", "rowspan"}, element.attrib
        if element.tag == "a":
            assert urlsplit(element.get("href")).hostname in wechat.WECHAT_HOSTS
        if element.tag == "img":
            assert urlsplit(element.get("src")).hostname == SITE_HOST
            assert urlsplit(element.get("src")).scheme == "https"
    text = root.text_content()
    # Every outside address is listed once under 引用链接, numbered as the marks in the text.
    for number, url in enumerate(made.links, start=1):
        assert f"[{number}] {url}" in text
    assert text.count("引用链接") == (1 if made.links else 0)
    assert len(made.links) == len(set(made.links))
    marks = [int(sup.text_content().strip("[]")) for sup in root.iter("sup")]
    assert set(marks) == set(range(1, len(made.links) + 1))
    payload = made.payload()
    assert len(payload["title"]) <= wechat.TITLE_LIMIT
    assert len(payload["author"]) <= wechat.AUTHOR_LIMIT
    assert len(payload["digest"]) <= wechat.DIGEST_LIMIT
    assert payload["content_source_url"].startswith(f"https://{SITE_HOST}/")
    if len(made.content) >= wechat.CONTENT_CHARACTERS:
        assert any("正文" in warning for warning in made.warnings)


def test_every_sample_story_pastes_intact(stories: list[Story]) -> None:
    for story in stories:
        made = wechat.article(story, sample_settings(), BodyRenderer())
        assert_pasteable(made)
        assert "12338" in made.content
        assert made.title == story.title


def test_a_rumour_article_leads_with_the_verdict_and_marks_the_claim(stories: list[Story]) -> None:
    for story in (s for s in stories if s.section.key == "rumours"):
        text = _parsed(wechat.article(story, sample_settings(), BodyRenderer()).content).text_content()
        verdict = story.fields["verdict"].label  # type: ignore[attr-defined]
        claim = str(story.fields["claim"])
        assert text.index(f"查证结论：{verdict}") < text.index(claim)
        assert f"网传（经查证：{verdict}）" in text
        assert text.count(claim) == 1  # the rumour is named once
        assert fact.conclusion(story) in text.split(claim)[0]  # the fact before it
        assert text.rindex(f"记住：{verdict}") > text.index(claim)  # and the fact comes again


def test_sources_are_footnoted_with_their_authority(stories: list[Story]) -> None:
    story = next(s for s in stories if s.fields.get("sources"))
    made = wechat.article(story, sample_settings(), BodyRenderer())
    for source in story.fields["sources"]:  # type: ignore[attr-defined]
        assert source.url in made.links
        assert source.title in made.content


_words = strategies.text(alphabet="防疫口罩洗手新冠病毒 abc，。", min_size=1, max_size=12).map(str.strip).filter(bool)
_urls = strategies.sampled_from(
    [
        "https://www.nhc.gov.cn/a.html",
        "http://www.people.com.cn/",
        "https://mp.weixin.qq.com/s/abc",
        "https://www.who.int/zh",
        "../pets/",
        "/knowledge/wear-masks/",
        "mailto:fulian@example.cn",
    ]
)


@strategies.composite
def bodies(draw: strategies.DrawFn) -> str:
    """Markdown bodies with paragraphs, links, headings and lists nested three deep."""
    blocks = []
    for _ in range(draw(strategies.integers(1, 6))):
        kind = draw(strategies.sampled_from(["p", "link", "list", "h2", "quote"]))
        words = draw(_words)
        if kind == "link":
            blocks.append(f"看[{words}]({draw(_urls)})和 <{draw(_urls.filter(lambda u: u.startswith('http')))}>。")
        elif kind == "list":
            marker = draw(strategies.sampled_from(["-", "1."]))
            blocks.append(
                f"{marker} {words}\n    - 二级[{words}]({draw(_urls)})\n        - 三级 {words}\n{marker} 再一条"
            )
        elif kind == "h2":
            blocks.append(f"## {words}")
        elif kind == "quote":
            blocks.append(f"> {words}")
        else:
            blocks.append(words)
    return "\n\n".join(blocks)


@settings(max_examples=150, deadline=None)
@given(body=bodies())
def test_any_body_pastes_intact(stories: list[Story], body: str) -> None:
    story = dataclasses.replace(next(s for s in stories if s.section.key == "knowledge"), body=body)
    made = wechat.article(story, sample_settings(), BodyRenderer())
    assert_pasteable(made)
    text = _parsed(made.content).text_content()
    assert "三级" not in body or "◦ 三级" in text  # the third level is kept, at the second's depth
    if "- 二级" in body:
        assert "◦ 二级" in text


def test_long_fields_are_warned_before_the_draft_cuts_them(stories: list[Story]) -> None:
    story = dataclasses.replace(stories[0], title="长" * 40, summary="摘" * 130, author="作" * 20)
    made = wechat.article(story, sample_settings(), BodyRenderer())
    assert [w[:2] for w in made.warnings] == ["标题", "作者", "摘要"]
    assert made.payload()["title"] == "长" * 32
    # A long summary with a first sentence that fits gives that sentence as the digest.
    story = dataclasses.replace(story, summary="摘" * 20 + "。" + "要" * 120)
    made = wechat.article(story, sample_settings(), BodyRenderer())
    assert made.digest == "摘" * 20 + "。"
    assert [w[:2] for w in made.warnings] == ["标题", "作者"]
    long_body = dataclasses.replace(story, body="很长的正文。" * 4000)
    assert any(w.startswith("正文") for w in wechat.article(long_body, sample_settings(), BodyRenderer()).warnings)


def test_the_command_writes_the_page_and_the_draft_payload(tmp_path: Path) -> None:
    out = tmp_path / "out" / "baijiu.html"
    story = SAMPLE / "rumours" / "2020" / "2020-02-03-baijiu.md"
    result = run_generator("wechat", str(story), "--stories", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf<section")  # UTF-8 when opened from disk, no <meta> needed
    payload = json.loads(out.with_suffix(".json").read_text("utf-8"))
    assert payload["articles"][0]["content"] == raw.decode("utf-8-sig")
    missing = run_generator("wechat", "stories/nope.md", "--stories", str(SAMPLE), "--out", str(out))
    assert missing.returncode == 1 and "不是" in missing.stderr and "Traceback" not in missing.stderr


ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.mark.requires("chromium", "cjk-font")
def test_the_article_reads_at_a_phone_width(stories: list[Story], tmp_path: Path) -> None:
    """Each section's article at 375 px, as the 公众号 shows it: no sideways scroll; screenshots for review."""
    from playwright.sync_api import sync_playwright

    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=1)
        # Pictures live on the site's host, which the test has not got: answer them with nothing.
        page.route(
            "**/*",
            lambda route: route.fulfill(status=404) if route.request.url.startswith("https://") else route.continue_(),
        )
        for key in ("rumours", "knowledge", "exemplars"):
            story = next(s for s in stories if s.section.key == key and not s.draft)
            made = wechat.article(story, sample_settings(), BodyRenderer())
            file = tmp_path / f"{key}.html"
            # The 公众号's article column: 16 px margins on a phone.
            file.write_text(
                f'<meta charset="utf-8"><body style="margin:0;padding:0 16px">{made.content}</body>', "utf-8"
            )
            page.goto(file.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(ARTEFACTS / f"wechat-{key}.png"), full_page=True)
            if key == "rumours":
                box = page.get_by_text("查证结论：", exact=False).first.bounding_box()
                assert box is not None and box["y"] + box["height"] < 812
        browser.close()


@pytest.mark.requires("chromium", "cjk-font")
def test_the_copy_page_puts_the_article_on_the_clipboard_as_html(tmp_path: Path) -> None:
    """The share block's 复制到公众号 page: one tap copies text/html; without the Clipboard API, the selection."""
    import http.server
    import threading
    from functools import partial

    from playwright.sync_api import sync_playwright

    site = tmp_path / "site"
    assert run_generator("build", "--stories", str(SAMPLE), "--site-dir", str(site)).returncode == 0
    story_page = (site / "rumours" / "baijiu" / "index.html").read_text("utf-8")
    assert 'href="wechat.html"' in story_page  # the share block links it
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 375, "height": 740})
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
            page = context.new_page()
            page.route("https://**", lambda route: route.fulfill(status=404))  # the site's own host is not here
            page.goto(base + "/rumours/baijiu/wechat.html")
            page.click("#copy")
            page.wait_for_function("document.getElementById('status').textContent.indexOf('已复制') === 0")
            copied = page.evaluate(
                "navigator.clipboard.read().then(items => items[0].getType('text/html')).then(b => b.text())"
            )
            assert "查证结论：" in copied and "网传（经查证：" in copied and 'class="' not in copied
            article = page.inner_html("#article")
            assert lxml_html.fromstring(copied).text_content() == lxml_html.fromstring(article).text_content()
            # Without the Clipboard API (older WebViews): the article is selected and copied by command.
            page.add_init_script("delete window.ClipboardItem")
            page.reload()
            page.click("#copy")
            selected = page.evaluate("window.getSelection().toString()")
            assert "查证结论：" in selected
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
