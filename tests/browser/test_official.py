"""A site that looks official, as a reader and an inspector see it in Chromium through the
deployed server: the footer's fields, the government page metadata, 线索与求证 and its mailto:
link, 我要求证 on every rumour, the feeds opened in a browser, the first tab, 编辑指南 out of the
readers' menu, and 朗读本文 with the browser's voice and with the audio the build made."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from tests.browser.conftest import Opener, screenshot
from tests.conftest import ROOT

pytestmark = pytest.mark.requires("chromium", "cjk-font")

EXTRA = yaml.safe_load(
    (ROOT / "mkdocs.yml").read_text("utf-8").replace("!ENV", "")  # the tags are not the point here
)["extra"]
ORG = EXTRA["organisation"]
PAGES = {
    "home": "/",
    "story": "/rumours/baijiu/",
    "listing": "/knowledge/",
    "about": "/about/",
    "ask": "/about/ask/",
    "browse": "/tags/",
}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_footer_shows_the_fields_government_sites_show(visit: Opener, viewport: str) -> None:
    seen = visit("/knowledge/", viewport)
    footer = seen.page.locator("footer .fed-org")
    text = footer.inner_text()
    for label, key in (("主办单位：", "name"), ("承办单位：", "organiser"), ("地址：", "address"), ("电话：", "phone")):
        assert f"{label}{ORG[key]}" in " ".join(text.split()).replace("： ", "："), (label, text)
    icp = footer.get_by_role("link", name=ORG["icp"])
    assert icp.get_attribute("href") == "https://beian.miit.gov.cn/"
    police = footer.get_by_role("link", name=ORG["police_record"])
    code = parse_qs(urlsplit(police.get_attribute("href") or "").fragment.split("?", 1)[1])["code"]
    assert code == ["".join(c for c in ORG["police_record"] if c.isdigit())]
    assert urlsplit(police.get_attribute("href") or "").netloc == "beian.mps.gov.cn"
    for name in ("网站地图", "线索与求证", "订阅更新", "无障碍与适老化声明", "关于本站"):
        link = footer.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), name
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, (name, box)
    assert seen.errors == []
    screenshot(seen.page, f"official-footer-{viewport}")


def test_the_site_map_lists_every_column_and_is_linked_from_the_footer(visit: Opener) -> None:
    seen = visit("/", "desktop")
    seen.page.locator("footer").get_by_role("link", name="网站地图", exact=True).click()
    seen.page.wait_for_load_state("load")
    assert urlsplit(seen.page.url).path == "/about/sitemap/"
    tree = seen.page.locator(".fed-sitemap")
    for name in ("首页", "防控知识", "辟谣", "巾帼风采", "区县动态", "标签", "线索与求证", "无障碍与适老化声明"):
        assert tree.get_by_text(name, exact=True).count() >= 1, name
    assert tree.get_by_text("编辑指南").count() == 0  # for editors: linked from 关于本站 only


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_carries_the_government_metadata(visit: Opener, kind: str) -> None:
    seen = visit(PAGES[kind], "desktop")
    meta = seen.page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('meta[name]')].map(m => [m.name, m.content]))"
    )
    assert meta["SiteName"] == "重庆妇联·科学防疫"
    assert meta["SiteDomain"] == "fangyi.cqwomen.example"
    assert meta["ColumnName"] and meta["Keywords"] and meta["Description"]
    assert "SiteIDCode" not in meta  # mkdocs.yml gives no 网站标识码: none is invented
    if kind == "story":
        heading = seen.page.locator("h1").inner_text().strip()
        assert meta["ArticleTitle"] == heading
        assert meta["ColumnName"] == "辟谣"
        assert meta["PubDate"] == seen.page.locator(".fed-byline time").first.get_attribute("datetime")
        assert meta["ContentSource"]
    else:
        assert "ArticleTitle" not in meta and "PubDate" not in meta
    expected_column = {"home": "首页", "listing": "防控知识", "about": "关于", "ask": "关于", "browse": "分类浏览"}
    if kind in expected_column:
        assert meta["ColumnName"] == expected_column[kind]


def test_the_ask_page_prepares_the_mail_and_names_the_national_channels(visit: Opener) -> None:
    seen = visit("/about/ask/", "phone")
    page = seen.page
    mail = page.locator("a.fed-ask__mail")
    href = mail.get_attribute("href") or ""
    assert href.startswith(f"mailto:{EXTRA['ask']['email']}?")
    query = href.split("?", 1)[1]
    fields = dict(part.split("=", 1) for part in query.split("&"))
    assert set(fields) == {"subject", "body"}
    # Percent-encoded as RFC 6068 asks: no raw space, line break or non-ASCII character left.
    assert all(c.isascii() and c not in " \r\n" for c in query), query
    assert unquote(fields["subject"]) == EXTRA["ask"]["subject"]
    body = unquote(fields["body"])
    assert body == EXTRA["ask"]["body"].replace("\n", "\r\n")
    for asked in ("链接", "截图", "在哪里看到", "什么时候看到"):
        assert asked in body, asked
    phone = page.locator('[data-way="phone"] a')
    assert phone.get_attribute("href") == "tel:" + "".join(c for c in EXTRA["ask"]["phone"] if c in "+0123456789-")
    assert page.get_by_role("link", name="中国互联网联合辟谣平台").get_attribute("href") == "https://www.piyao.org.cn/"
    assert page.locator('a[href="https://www.12377.cn/"]').count() >= 2  # the channels and the notice
    notice = page.locator("#notice ~ ul").inner_text()
    assert "真实" in notice and "不会公开" in notice and "12377" in notice
    for target in (mail, phone):
        box = target.bounding_box()
        assert box is not None and box["height"] >= 44
    assert seen.errors == []
    screenshot(page, "official-ask-phone")


def test_every_rumour_page_has_a_way_to_ask(visit: Opener, site_dir: Path) -> None:
    rumours = sorted(  # the story pages (not the listing's pages, nor an alias's redirect)
        p.parent.name for p in (site_dir / "rumours").glob("*/index.html") if 'class="fed-story' in p.read_text("utf-8")
    )
    assert len(rumours) >= 5
    for slug in rumours:
        seen = visit(f"/rumours/{slug}/", "phone")
        link = seen.page.get_by_role("link", name="我要求证")
        assert link.count() == 1, slug
        # Under the claim: after the verdict and the claim, as the reader reaches it.
        order = seen.page.evaluate(
            """() => {
              const ask = document.querySelector('.fed-ask-link'), claim = document.querySelector('.fed-claim');
              return !!(claim.compareDocumentPosition(ask) & Node.DOCUMENT_POSITION_FOLLOWING);
            }"""
        )
        assert order, slug
    link.click()
    seen.page.wait_for_load_state("load")
    assert urlsplit(seen.page.url).path == "/about/ask/"
    assert seen.page.locator("h1").inner_text().strip() == "线索与求证"


def test_the_feed_opens_in_a_browser_as_a_chinese_list(visit: Opener) -> None:
    seen = visit("/feed.xml", "desktop")
    page = seen.page
    # No browser banner: neither "no style information" nor an XSLT deprecation warning.
    assert page.evaluate("() => document.querySelector('xslt-warning-banner') === null")
    text = page.evaluate("() => document.documentElement.textContent")
    assert "This XML file does not appear" not in page.content()
    assert "订阅源" in text and "最新文章" in text
    entries = page.evaluate(
        """() => [...document.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry')].map(e => ({
             display: getComputedStyle(e).display,
             title: e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'title')[0].textContent,
             link: e.querySelector('a.fed-feed-link') && e.querySelector('a.fed-feed-link').href,
             id: e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'id')[0].textContent,
             idShown: getComputedStyle(e.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'id')[0]).display,
           }))"""
    )
    assert len(entries) >= 5
    for entry in entries:
        assert entry["display"] == "list-item" and entry["idShown"] == "none"
        assert entry["link"] == entry["id"]  # 阅读全文 goes to the story
    help_link = page.locator("a", has_text="订阅说明")
    assert urlsplit(help_link.get_attribute("href") or "").path == "/about/feeds/"
    assert seen.foreign_requests() == [] and seen.errors == []
    screenshot(page, "official-feed-desktop", full_page=False)


def test_feeds_are_explained_from_the_footer_not_the_home_page(visit: Opener) -> None:
    home = visit("/", "phone")
    content = home.page.locator("article, .md-content").first.inner_text()
    assert "Atom" not in content and "JSON Feed" not in content
    home.page.locator("footer").get_by_role("link", name="订阅更新", exact=True).click()
    home.page.wait_for_load_state("load")
    assert urlsplit(home.page.url).path == "/about/feeds/"
    rows = home.page.locator(".fed-feeds-table tbody tr")
    assert rows.count() == 5  # the whole site, each section, and 更正与更新
    assert "阅读器" in home.page.locator(".md-content").inner_text()


def test_home_is_the_first_tab_and_the_guide_is_out_of_the_readers_menu(visit: Opener) -> None:
    seen = visit("/", "desktop")
    tabs = seen.page.locator(".md-tabs__link")
    assert tabs.first.inner_text().strip() == "首页"
    assert "编辑指南" not in seen.page.locator(".md-tabs, .md-nav--primary").first.inner_text()
    assert seen.page.locator(".md-nav--primary").get_by_text("编辑指南").count() == 0
    about = visit("/about/", "desktop")
    assert about.page.get_by_role("link", name="编辑指南").count() == 1


NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"
# A browser with a Chinese voice: records what it is asked to say, and ends each utterance at once.
FAKE_VOICE = """
(() => {
  const said = [];
  window.__said = said;
  class Utterance { constructor(text) { this.text = text; } }
  const synth = {
    getVoices: () => [{ lang: 'zh-CN', name: '中文', default: true }],
    speak(u) { said.push(u.text); setTimeout(() => u.onend && u.onend(), 5); },
    cancel() {}, pause() {}, resume() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
})();
"""


@pytest.mark.requires("chromium", "cjk-font", "espeak")
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_without_a_chinese_voice_the_built_audio_plays_and_pauses(visit: Opener, viewport: str) -> None:
    seen = visit("/rumours/baijiu/", viewport)
    page = seen.page
    page.add_init_script(NO_SPEECH)
    page.reload(wait_until="load")
    assert page.evaluate("() => !('speechSynthesis' in window)")
    button = page.get_by_role("button", name="朗读本文")
    assert button.is_visible()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    button.click()
    page.wait_for_function(
        "() => { const a = document.querySelector('audio.fed-listen__audio'); return a && a.readyState >= 1; }",
        timeout=15_000,
    )
    audio = page.evaluate(
        "() => { const a = document.querySelector('audio.fed-listen__audio');"
        " return { src: a.currentSrc, duration: a.duration, error: a.error && a.error.code }; }"
    )
    assert urlsplit(audio["src"]).path == "/rumours/baijiu/listen.mp3"
    assert audio["error"] is None and audio["duration"] > 5
    pressed = page.locator("[data-fed-listen-button]")
    assert pressed.get_attribute("aria-pressed") == "true"
    assert page.locator(".fed-listen__label").inner_text() == "暂停朗读"
    pressed.click()
    assert page.evaluate("() => document.querySelector('audio.fed-listen__audio').paused")
    assert page.locator(".fed-listen__label").inner_text() == "继续朗读"
    assert pressed.get_attribute("aria-pressed") == "false"
    assert seen.errors == []


def test_with_a_chinese_voice_the_browser_reads_the_verdict_first(visit: Opener) -> None:
    seen = visit("/rumours/baijiu/", "phone")
    page = seen.page
    page.add_init_script(FAKE_VOICE)
    page.reload(wait_until="load")
    page.get_by_role("button", name="朗读本文").click()
    page.wait_for_function("() => document.querySelector('.fed-listen__status').textContent.includes('朗读完毕')")
    said: list[str] = page.evaluate("() => window.__said")
    fact = page.locator(".fed-verdict-banner__fact").inner_text().strip()
    claim = page.locator(".fed-claim__text").inner_text().strip()
    assert said[0].startswith("查证结论") and said[1].startswith(fact.rstrip("。"))
    joined = "\n".join(said)
    assert joined.index(fact.rstrip("。")) < joined.index(claim.rstrip("？?。"))  # the truth sandwich
    for skipped in ("分享本文", "我要求证", "标签："):
        assert skipped not in joined, skipped
    assert not any(r.url.endswith("listen.mp3") for r in seen.requests)
    assert page.locator(".fed-listen__label").inner_text() == "朗读本文"


def test_the_read_aloud_button_is_hidden_without_javascript(visit: Opener) -> None:
    seen = visit("/rumours/baijiu/", "phone", javascript=False)
    assert not seen.page.locator(".fed-listen").is_visible()
