"""A real `mkdocs build --strict` of the sample stories, read as a reader gets the pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.core.settings import load as load_settings
from tests.conftest import ROOT, SAMPLE, run_generator


def page(site: Path, address: str) -> str:
    """The HTML served at `address`."""
    path = site / address.strip("/") / "index.html" if address != "/" else site / "index.html"
    assert path.is_file(), f"no page at {address}"
    return path.read_text("utf-8")


def content(html: str) -> str:
    """The article area of a Material page, without header, navigation and footer."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>\s*</div>', html, re.S)
    assert match, "no content area"
    return match.group(1)


def test_story_pages_are_at_their_addresses(built_site: Path) -> None:
    for address in (
        "/knowledge/wear-masks/",
        "/knowledge/masks-early/",
        "/knowledge/home-care/",
        "/rumours/baijiu/",
        "/rumours/shuanghuanglian/",
        "/rumours/pets/",
        "/exemplars/nurse/",
        "/exemplars/zui-mei-jia-ting-yi-jia-ren-de/",
    ):
        assert "<h1>" in page(built_site, address)


def test_rumour_shows_claim_and_verdict_as_a_word(built_site: Path) -> None:
    html = page(built_site, "/rumours/baijiu/")
    assert "<title>喝高度白酒不能预防新冠肺炎 - 重庆妇联·科学防疫</title>" in html
    assert "网传喝高度白酒可以预防新冠肺炎？" in html
    assert "流传情况：微信群，2020-02-01" in html
    # The verdict leads, as a word with a shape, with the fact; the claim follows, marked.
    verdict = re.search(r'<div class="fed-verdict-banner[^"]*" data-verdict="false"[^>]*>(.*?)</div>', html, re.S)
    assert verdict and '<strong class="fed-verdict-banner__word">谣言</strong>' in verdict.group(1)
    assert '<svg class="fed-icon"' in verdict.group(1)  # a shape as well as a colour
    assert "饮酒不能预防新冠肺炎，过量饮酒反而伤身。" in verdict.group(1)
    claim = re.search(r'<div class="fed-claim" data-verdict="false">(.*?)</div>', html, re.S)
    assert (
        claim
        and "网传（经查证：谣言）" in claim.group(1)
        and '<span class="fed-badge__word">谣言</span>' in claim.group(1)
    )
    assert html.index("fed-verdict-banner") < html.index('<div class="fed-claim"')
    assert "查证依据" in html and 'href="http://www.nhc.gov.cn/"' in html
    # The Chinese label is accepted for a verdict, and shown the same way.
    assert 'data-verdict="misleading"' in page(built_site, "/rumours/shuanghuanglian/")


def test_knowledge_shows_review_dates_and_overdue_notice(built_site: Path) -> None:
    fresh = page(built_site, "/knowledge/wear-masks/")
    assert "最近审核" in fresh and "2020年3月18日</time>（市疾控中心专家）" in fresh
    assert "下次审核" in fresh and "2099年12月31日" in fresh
    assert "适用人群" in fresh
    assert '<a href="../../audiences/lao-nian-ren/">老年人</a>、<a href="../../audiences/er-tong/">儿童</a>' in fresh
    assert "内容可能已过时" not in fresh
    overdue = page(built_site, "/knowledge/home-care/")
    assert "内容可能已过时" in overdue and "2020年3月6日" in overdue


def test_exemplar_shows_person_and_honours(built_site: Path) -> None:
    html = page(built_site, "/exemplars/nurse/")
    assert "张某" in html and "护士长" in html and "某医院（示例）" in html
    assert "三八红旗手" in html
    assert (
        '<a href="../../honours/jinguo-jiangong-biaobing/">巾帼建功标兵</a>（2020年，市级，重庆市妇女联合会）' in html
    )


def test_outdated_and_withdrawn_stories_stay_with_a_notice(built_site: Path) -> None:
    outdated = page(built_site, "/knowledge/masks-early/")
    assert 'data-status="outdated"' in outdated and "本文内容已过时" in outdated
    assert '<a href="../wear-masks/">科学佩戴口罩</a>' in outdated
    withdrawn = page(built_site, "/rumours/pets/")
    assert 'data-status="withdrawn"' in withdrawn and "本文已撤回" in withdrawn


def test_dates_read_as_chinese_readers_write_them(built_site: Path) -> None:
    html = page(built_site, "/rumours/baijiu/")
    assert '<time datetime="2020-02-03">2020年2月3日</time>' in html


def test_drafts_are_left_out(built_site: Path) -> None:
    assert not (built_site / "rumours" / "draft-rumour").exists()
    for address in ("/", "/rumours/"):
        assert "吹风机" not in page(built_site, address)


def test_alias_redirects_to_the_story(built_site: Path) -> None:
    html = (built_site / "rumours" / "drink-baijiu" / "index.html").read_text("utf-8")
    target = "https://fangyi.cqwomen.example/rumours/baijiu/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
    assert f'<link rel="canonical" href="{target}">' in html


def test_pictures_are_published_beside_the_story(built_site: Path) -> None:
    html = content(page(built_site, "/knowledge/wear-masks/"))
    assert '<img src="mask.jpg" alt="一只浅蓝色一次性医用口罩"' in html
    assert 'src="mask-steps.png"' in html and 'loading="lazy"' in html
    assert (built_site / "knowledge" / "wear-masks" / "mask.jpg").is_file()
    assert (built_site / "knowledge" / "wear-masks" / "mask-steps.png").is_file()


def test_links_to_other_hosts_carry_rel(built_site: Path) -> None:
    html = content(page(built_site, "/knowledge/wear-masks/"))
    assert '<a href="https://www.who.int/" rel="noopener noreferrer">' in html


def test_section_listing_is_newest_first(built_site: Path) -> None:
    html = content(page(built_site, "/knowledge/"))
    titles = re.findall(r'class="fed-card__title" href="[^"]+">([^<]+)<', html)
    assert titles == ["居家隔离人员的家庭护理", "科学佩戴口罩", "口罩使用早期提示"]
    rumours = content(page(built_site, "/rumours/"))
    assert 'data-verdict="false"' in rumours and "谣言" in rumours


def test_home_lists_each_section_and_the_hotline(built_site: Path) -> None:
    html = page(built_site, "/")
    home = content(html)
    for label in ("防控知识", "辟谣", "巾帼风采"):
        assert f">{label}</a></h2>" in home
    assert 'href="tel:12338"' in home
    assert 'class="fed-hotline-bar" href="tel:12338"' in html  # in view on every page
    assert 'class="fed-hotline-bar"' in page(built_site, "/rumours/baijiu/")


def test_footer_shows_the_organisation(built_site: Path) -> None:
    html = page(built_site, "/")
    assert "主办单位：重庆市妇女联合会" in html
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">' in html
    assert "Material for MkDocs" not in html


def test_stories_stay_out_of_the_navigation(built_site: Path) -> None:
    # A story page must not list other stories: that would make the site grow with N².
    html = page(built_site, "/knowledge/home-care/")
    assert "喝高度白酒" not in html and "护士长张某" not in html


@pytest.mark.parametrize("address", ["/", "/knowledge/wear-masks/", "/rumours/", "/about/notice/"])
def test_nothing_is_loaded_from_another_host(built_site: Path, address: str) -> None:
    html = page(built_site, address)
    loads = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]+)"', html)
    loads += re.findall(r'<link\b[^>]*\bhref="([^"]+)"', html)
    outside = [u for u in loads if re.match(r"^(?:https?:)?//", u) and "fangyi.cqwomen.example" not in u]
    assert outside == []


def test_edit_link_points_at_the_story_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("FEDERATION_STORIES_DIR", str(SAMPLE))
    site = tmp_path / "site"
    config = load_config(
        str(ROOT / "mkdocs.yml"),
        site_dir=str(site),
        repo_url="https://git.example.org/federation/site",
        edit_uri="edit/main/site_src/",
    )
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    html = page(site, "/rumours/baijiu/")
    edit = re.search(r'<a href="([^"]+)" title="[^"]*" class="md-content__button md-icon"', html)
    assert edit is not None
    sample = SAMPLE.relative_to(ROOT).as_posix()
    assert (
        edit.group(1) == f"https://git.example.org/federation/site/edit/main/{sample}/rumours/2020/2020-02-03-baijiu.md"
    )


def test_the_real_stories_check_without_errors() -> None:
    outcome = pipeline.check(load_settings(ROOT / "mkdocs.yml", stories_dir=ROOT / "stories"))
    assert outcome.ok, "\n".join(str(p) for p in outcome.problems if p.is_error)
    assert {s.section.key for s in outcome.stories} == {"knowledge", "rumours", "exemplars"}
    for key in ("knowledge", "rumours", "exemplars"):
        assert sum(1 for s in outcome.stories if s.section.key == key) >= 5


def test_markup_in_front_matter_is_text_everywhere(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    (stories / "rumours" / "2020-03-01-markup.md").write_text(
        '---\ntitle: "</title><script>alert(1)</script>"\ndate: 2020-03-01\n'
        "summary: '\"><script>alert(2)</script>'\nclaim: <img src=x onerror=alert(3)>\nverdict: false\n"
        "sources:\n  - title: <b>来源</b>\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    site = tmp_path / "site"
    result = run_generator("build", "--stories", str(stories), "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    for path in [site / "rumours" / "markup" / "index.html", site / "rumours" / "index.html", site / "index.html"]:
        html = path.read_text("utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>来源" not in html, path
    story = (site / "rumours" / "markup" / "index.html").read_text("utf-8")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in story
