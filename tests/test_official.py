"""A production build refuses mkdocs.yml's placeholders, each named by key and line; a real
configuration passes. The government metadata, the feeds page and the read-aloud text and audio."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from generator import pipeline
from generator.content import official
from generator.core.sections import SECTIONS
from generator.render import govmeta, speech
from tests.conftest import ROOT, SAMPLE, run_generator, sample_settings

REAL_SITE = "https://fangyi.cqwomen.org.cn/"
ACCOUNT_QR = "http://weixin.qq.com/r/8Dq-real-account"


def _qr(folder: Path, text: str, name: str = "qr.png") -> str:
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = Image.fromarray(code.to_image(scale=6, add_quiet_zones=True))
    image.save(folder / name)
    return name


def _real(tmp_path: Path, qr_text: str = ACCOUNT_QR) -> dict[str, object]:
    """A configuration as the federation would publish it (invented, but no placeholder)."""
    return {
        "site_name": "重庆妇联·科学防疫",
        "site_url": REAL_SITE,
        "extra": {
            "organisation": {
                "name": "重庆市妇女联合会",
                "organiser": "重庆市妇女联合会宣传部",
                "address": "重庆市渝北区",
                "phone": "023-63001234",
                "icp": "渝ICP备12345678号-1",
                "police_record": "渝公网安备 50010302001234号",
            },
            "ask": {
                "phone": "023-63001234",
                "email": "qiuzheng@cqwomen.org.cn",
                "subject": "线索求证：",
                "body": "链接：",
            },
            "media_matrix": [
                {"platform": "微信公众号", "name": "重庆女性", "qr": _qr(tmp_path, qr_text)},
                {"platform": "微博", "name": "@重庆女性", "url": "https://weibo.com/cqwomen"},
            ],
        },
    }


def _problems(tmp_path: Path, config: dict[str, object]) -> list[str]:
    file = tmp_path / "mkdocs.yml"
    file.write_text(json.dumps(config, ensure_ascii=False, indent=1), "utf-8")  # JSON is YAML, one key a line
    return [p.shown(verbose=True) for p in official.problems(file, tmp_path)]  # text and [rule.id]


def _line_of(tmp_path: Path, text: str) -> int:
    lines = (tmp_path / "mkdocs.yml").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_a_real_configuration_is_accepted(tmp_path: Path) -> None:
    assert _problems(tmp_path, _real(tmp_path)) == []


# Each kind of placeholder: (where it goes, the value, the rule it breaks).
KINDS = [
    (("organisation", "address"), "重庆市渝中区（示例地址）", "official.example-text"),
    (("organisation", "icp"), "渝ICP备00000000号", "official.zeros"),
    (("organisation", "phone"), "023-000000", "official.zeros"),
    (("ask", "email"), "qiuzheng@cqwomen.example", "official.example-host"),
    (("organisation", "police_record"), "见 https://www.example.com/ 备案", "official.example-host"),
]


@pytest.mark.parametrize(("where", "value", "rule"), KINDS, ids=[".".join(k[0]) for k in KINDS])
def test_each_placeholder_kind_is_refused_naming_the_key_and_line(
    tmp_path: Path, where: tuple[str, str], value: str, rule: str
) -> None:
    config = _real(tmp_path)
    config["extra"][where[0]][where[1]] = value  # type: ignore[index]
    found = _problems(tmp_path, config)
    key = f"extra.{where[0]}.{where[1]}"
    assert len(found) == 1, found
    line = _line_of(tmp_path, json.dumps(value, ensure_ascii=False))
    assert found[0].startswith(f"mkdocs.yml:{line}: 错误：{key}") and found[0].endswith(f"[{rule}]")


def test_the_example_site_url_is_refused(tmp_path: Path) -> None:
    config = _real(tmp_path)
    config["site_url"] = "https://fangyi.cqwomen.example/"
    (found,) = _problems(tmp_path, config)
    assert found.startswith("mkdocs.yml:3: 错误：site_url（网站地址）") and found.endswith("[official.example-host]")


def test_a_qr_code_of_the_site_itself_is_refused(tmp_path: Path) -> None:
    config = _real(tmp_path, qr_text=REAL_SITE)
    (found,) = _problems(tmp_path, config)
    assert "extra.media_matrix[0].qr" in found and found.endswith("[official.qr-own-site]")


def test_the_shipped_example_qr_decodes_to_the_site_and_is_refused() -> None:
    found = [p for p in official.problems(ROOT / "mkdocs.yml", ROOT / "site_src")]
    assert any("extra.media_matrix[0].qr" in p.message and p.rule == "official.qr-own-site" for p in found), found


def test_a_picture_without_a_code_or_a_missing_picture_is_refused(tmp_path: Path) -> None:
    config = _real(tmp_path)
    Image.new("L", (90, 90), 255).save(tmp_path / "blank.png")
    config["extra"]["media_matrix"][0]["qr"] = "blank.png"  # type: ignore[index]
    (found,) = _problems(tmp_path, config)
    assert found.endswith("[official.qr-no-code]")
    config["extra"]["media_matrix"][0]["qr"] = "gone.png"  # type: ignore[index]
    (found,) = _problems(tmp_path, config)
    assert found.endswith("[official.qr-unreadable]")


def test_an_account_linked_to_its_platforms_home_page_is_refused(tmp_path: Path) -> None:
    config = _real(tmp_path)
    config["extra"]["media_matrix"][1]["url"] = "https://weibo.com/"  # type: ignore[index]
    (found,) = _problems(tmp_path, config)
    assert "extra.media_matrix[1].url" in found and found.endswith("[official.platform-home]")


def test_a_site_without_its_icp_number_is_refused(tmp_path: Path) -> None:
    config = _real(tmp_path)
    del config["extra"]["organisation"]["icp"]  # type: ignore[attr-defined]
    (found,) = _problems(tmp_path, config)
    assert found.startswith("mkdocs.yml: ") and found.endswith("[official.icp-missing]")


_TEXT = st.text(st.characters(whitelist_categories=("Lo",), max_codepoint=0x9FFF), min_size=1, max_size=12)
_FIELDS = st.sampled_from(["name", "organiser", "address", "phone", "police_record"])


@given(field=_FIELDS, before=_TEXT, after=_TEXT)
def test_any_value_marked_as_an_example_is_refused(field: str, before: str, after: str) -> None:
    value = official.Value(f"extra.organisation.{field}", 7, f"{before}示例{after}")
    (found,) = official.value_problems(value, "mkdocs.yml")
    assert (found.line, found.rule) == (7, "official.example-text")
    assert found.message.startswith(f"extra.organisation.{field}")


@given(field=_FIELDS, text=_TEXT, zeros=st.integers(3, 12), tail=st.sampled_from(["", "号", "-1"]))
def test_any_number_of_zeros_only_is_refused(field: str, text: str, zeros: int, tail: str) -> None:
    value = official.Value(f"extra.organisation.{field}", 3, f"{text}{'0' * zeros}{tail}")
    assert official.value_problems(value, "mkdocs.yml")


@given(digits=st.from_regex(r"[1-9][0-9]{7}", fullmatch=True))
def test_a_real_looking_number_with_zeros_inside_is_accepted(digits: str) -> None:
    value = official.Value("extra.organisation.icp", 3, f"渝ICP备{digits}号")
    assert official.value_problems(value, "mkdocs.yml") == []


@given(
    label=st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), tld=st.sampled_from(["example", "test", "invalid"])
)
def test_any_reserved_example_domain_is_named(label: str, tld: str) -> None:
    assert official.example_hosts(f"https://{label}.{tld}/path") == [f"{label}.{tld}"]
    assert official.example_hosts(f"someone@{label}.{tld}") == [f"{label}.{tld}"]
    assert official.example_hosts(f"https://{label}.gov.cn/") == []


def _config_file(tmp_path: Path, **changes: object) -> Path:
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "site_src"),
        "theme": {"custom_dir": str(ROOT / "site_src" / "overrides")},
        **changes,
    }
    file = tmp_path / "mkdocs.yml"
    file.write_text(json.dumps(config, ensure_ascii=False, indent=1), "utf-8")
    return file


def test_build_production_refuses_the_shipped_placeholders_and_publishes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run_generator("build", "--production", "--stories", str(SAMPLE), "--site-dir", str(site))
    assert result.returncode == 1
    assert not site.exists()
    lines = (ROOT / "mkdocs.yml").read_text("utf-8").splitlines()
    icp_line = next(n for n, line in enumerate(lines, start=1) if line.strip().startswith("icp:"))
    assert f"mkdocs.yml:{icp_line}: 错误：extra.organisation.icp（ICP 备案号）" in result.stderr
    assert "extra.media_matrix[0].qr" in result.stderr and "原网站" in result.stderr


def test_an_ordinary_build_warns_once_about_the_placeholders(built_site: Path) -> None:
    found = official.reminder(ROOT / "mkdocs.yml", ROOT / "site_src")
    assert [(p.is_error, p.rule) for p in found] == [(False, "official.placeholders-left")]
    assert "--production" in found[0].message  # it names the command that lists them
    assert (built_site / "index.html").is_file()  # warned, and built


def test_a_production_build_of_a_real_configuration_is_published(tmp_path: Path) -> None:
    real = _real(tmp_path)
    # The web editor's backend too: the shipped one is on the example domain, with an all-zero id.
    real["extra"]["editor"] = {  # type: ignore[index]
        "backend": {
            "name": "forgejo",
            "repo": "cqwomen/fangyi",
            "branch": "main",
            "base_url": "https://git.cqwomen.org.cn",
            "api_root": "https://git.cqwomen.org.cn/api/v1",
            "app_id": "3f2b8c1e-7d4a-4e9b-9c1f-2a6d5e8b7c41",
        },
        "publish_mode": "editorial_workflow",
    }
    # The QR picture must sit under docs_dir, as the footer serves it from there.
    qr = ROOT / "site_src" / "assets" / "images" / "test-account-qr.png"
    (tmp_path / real["extra"]["media_matrix"][0]["qr"]).replace(qr)  # type: ignore[index]
    try:
        real["extra"]["media_matrix"][0]["qr"] = "assets/images/test-account-qr.png"  # type: ignore[index]
        config = _config_file(tmp_path, site_url=REAL_SITE, extra=real["extra"])
        site = tmp_path / "site"
        env_free = run_generator(
            "--config", str(config), "build", "--production", "--stories", str(SAMPLE), "--site-dir", str(site)
        )
    finally:
        qr.unlink(missing_ok=True)
    assert env_free.returncode == 0, env_free.stderr[-2000:]
    html = (site / "index.html").read_text("utf-8")
    assert "渝ICP备12345678号-1" in html and "示例" not in html.split("<footer", 1)[1]


def test_the_feeds_page_lists_every_sections_feed(built_site: Path) -> None:
    html = (built_site / "about" / "feeds" / "index.html").read_text("utf-8")
    for section in SECTIONS:
        assert f'data-feed="{section.key}/"' in html and f"{section.key}/feed.xml" in html, section.key
    assert 'data-feed="all"' in html
    assert 'data-feed="corrections/"' in html and (built_site / "corrections" / "feed.xml").is_file()


def test_every_page_of_the_built_site_names_the_site_and_its_column(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("*.html") if "admin" not in p.parts and p.name != "wechat.html"]
    framed = [p for p in pages if 'data-md-component="header"' in p.read_text("utf-8")]  # not redirects
    assert len(framed) > 50
    for page in framed:
        html = page.read_text("utf-8")
        for name in ("SiteName", "SiteDomain", "Keywords", "Description"):
            assert f'<meta name="{name}" content="' in html, (page, name)
        if page.name != "404.html":
            assert re.search(r'<meta name="ColumnName" content="[^"]+">', html), page


def test_a_configured_site_id_code_is_printed() -> None:
    site = govmeta.Site.from_extra("站", "https://a.gov.cn/", {"organisation": {"site_id_code": "5000000042"}})
    tags = govmeta.head_tags(site, "辟谣", "标题", "说明", {"published": "2020-02-03", "tags": ["白酒"]})
    assert '<meta name="SiteIDCode" content="5000000042">' in tags
    assert (
        '<meta name="PubDate" content="2020-02-03">' in tags and '<meta name="SiteDomain" content="a.gov.cn">' in tags
    )
    plain = govmeta.head_tags(govmeta.Site("站", "https://a.gov.cn/"), "辟谣", "<b>标</b>", "说明", {})
    assert "SiteIDCode" not in plain and "ArticleTitle" not in plain and "<b>" not in plain


def test_every_rumours_read_aloud_text_starts_with_the_verdict_and_fact() -> None:
    settings = sample_settings()
    outcome = pipeline.check(settings)
    rumours = [s for s in outcome.stories if s.section.key == "rumours" and not s.draft]
    assert len(rumours) >= 5
    for story in rumours:
        text = speech.story_text(story, None, settings)
        first, second = text.splitlines()[:2]
        assert first == f"查证结论：{story.fields['verdict'].label}。", story.path  # type: ignore[attr-defined]
        claim = str(story.fields["claim"])
        assert text.index(second) < text.index(claim[:10]), story.path
        for skipped in ("分享本文", "我要求证", "标签：", "复制到公众号"):
            assert skipped not in text, (story.path, skipped)


class _Counting(speech.Engine):
    """Speaks a text as its bytes, and logs each text spoken (workers are other processes: to a file)."""

    name = "counting"

    def __init__(self, log: Path) -> None:
        self.log = log

    @property
    def spoken(self) -> list[str]:
        return self.log.read_text("utf-8").split("\0")[:-1] if self.log.is_file() else []

    def identity(self) -> str | None:
        return "counting v1"

    def speak(self, text: str) -> bytes:
        with self.log.open("a", encoding="utf-8") as log:
            log.write(text + "\0")
        return text.encode("utf-8")


def test_audio_is_cached_by_what_is_read_and_made_again_when_it_changes(tmp_path: Path) -> None:
    settings = sample_settings(root=tmp_path)
    stories = pipeline.check(settings).published(include_drafts=False)
    engine = _Counting(tmp_path / "spoken.log")
    site, notes = speech.render(stories, settings, engine)
    assert notes == [] and len(site.assets) == len(stories) and len(engine.spoken) == len(stories)
    assert {a.src_uri for a in site.assets} == {f"{s.url.strip('/')}/listen.mp3" for s in stories}
    again, _ = speech.render(stories, settings, engine)
    assert len(engine.spoken) == len(stories)  # nothing spoken twice
    assert [a.source for a in again.assets] == [a.source for a in site.assets]
    changed = sample_settings(root=tmp_path, today=settings.today.replace(year=settings.today.year + 1))
    speech.render(stories, changed, engine)  # overdue notices may change what is read: only those again
    assert len(engine.spoken) - len(stories) == sum(
        1 for s in stories if s.overdue(settings.today) != s.overdue(changed.today)
    )


def test_without_the_engine_the_build_warns_and_makes_no_audio(tmp_path: Path) -> None:
    settings = sample_settings(root=tmp_path)
    stories = pipeline.check(settings).published(include_drafts=False)
    site, (note,) = speech.render(stories, settings, speech.EspeakEngine(program=str(tmp_path / "no-espeak-ng")))
    assert site.assets == [] and (note.is_error, note.rule) == (False, "build.speech-engine-missing")
    assert "sudo apt-get install -y espeak-ng" in note.message  # the command that installs it


class _Missing(speech.Engine):
    name = "missing-engine"

    def missing(self) -> str:
        return "install it"


def test_a_missing_engine_is_a_warning_naming_how_to_install_it(tmp_path: Path) -> None:
    settings = sample_settings(root=tmp_path)
    stories = pipeline.check(settings).published(include_drafts=False)
    site, (note,) = speech.render(stories, settings, _Missing())
    assert site.assets == [] and not note.is_error
    assert "missing-engine" in note.message and "install it" in note.message


def test_a_preview_and_a_build_with_read_aloud_off_make_no_audio(tmp_path: Path) -> None:
    stories = pipeline.check(sample_settings()).published(include_drafts=False)
    for settings in (
        sample_settings(root=tmp_path, include_drafts=True),
        sample_settings(root=tmp_path, read_aloud=False),
    ):
        engine = _Counting(tmp_path / "spoken.log")
        assert speech.render(stories, settings, engine) == (speech.pages.Site(), [])
        assert engine.spoken == []


@pytest.mark.requires("espeak")
def test_espeak_speaks_mandarin_to_a_small_mono_mp3() -> None:
    engine = speech.EspeakEngine()
    assert engine.identity() is not None and "cmn" in (engine.identity() or "")
    audio = engine.speak("查证结论：谣言。喝高度白酒不能预防新冠肺炎。")
    # MPEG-2.5 Layer III frames: sync bits, then 16 kbit/s mono (the header's channel mode 11).
    header = int.from_bytes(audio[:4], "big")
    assert header >> 21 == 0x7FF and (header >> 19) & 0b11 == 0b00 and (header >> 6) & 0b11 == 0b11
    assert 3 < speech.seconds(audio) < 30
    assert len(audio) < 60_000
    assert engine.speak("查证结论：谣言。") != audio


@pytest.mark.requires("espeak")
def test_the_built_site_has_each_storys_audio_beside_its_page(built_site: Path) -> None:
    outcome = pipeline.check(sample_settings())
    for story in outcome.published(include_drafts=False):
        audio = built_site / speech.audio_address(story)
        assert audio.is_file() and audio.stat().st_size > 1000, story.path
        html = (built_site / story.url.strip("/") / "index.html").read_text("utf-8")
        assert 'data-audio="listen.mp3"' in html


def test_the_read_aloud_text_of_a_page_follows_its_markup() -> None:
    html = (
        '<article><p class="fed-kicker"><a>辟谣</a></p><h1>标题</h1>'
        '<div class="fed-verdict-banner"><p>查证结论：<strong>谣言</strong></p><p>事实</p></div>'
        '<div class="fed-claim"><p>网传<span class="fed-badge">✕谣言</span></p><p>说法？</p></div>'
        '<p hidden>藏起来</p><p aria-hidden="true">也藏</p><figure><img alt="图"><figcaption>图注</figcaption></figure>'
        '<section class="fed-share"><h2>分享本文</h2></section></article>'
    )
    assert speech.page_text(html) == "查证结论：谣言。\n事实。\n标题。\n网传。\n说法？"


def test_the_audio_address_is_what_the_page_points_at() -> None:
    story = next(iter(pipeline.check(sample_settings()).stories))
    assert speech.audio_address(story).endswith("/" + speech.control(story).audio)
