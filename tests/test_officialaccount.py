"""`wechat-draft` against a stand-in for the 公众号 API on 127.0.0.1.

The stand-in answers as the real API documents (token, media/uploadimg,
material/add_material, draft/add) and checks what a real one would refuse: a wrong
secret, a missing token, a picture over 1 MB, JSON with \\u escapes, a draft over the limits,
and cover crops out of range, with more than six decimals or of the wrong ratio for the cover.
"""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from generator.render import wechat
from tests.conftest import ROOT, SAMPLE, run_generator

APPID, SECRET, TOKEN = "wx-test-appid", "test-secret", "ACCESS-TOKEN-1"
CROPS = {"pic_crop_235_1": 2.35, "pic_crop_1_1": 1.0}
_CROP = re.compile(r"^(0|1|0\.\d{1,6}|1\.0{1,6})(_(0|1|0\.\d{1,6}|1\.0{1,6})){3}$")


def crop_trouble(value: object, size: tuple[int, int], ratio: float) -> str:
    """Why the API would refuse a crop of a cover of `size` pixels: "" when it takes it."""
    if not isinstance(value, str) or not _CROP.match(value):
        return f"not X1_Y1_X2_Y2 in 0–1 with six decimals at most: {value!r}"
    x1, y1, x2, y2 = (float(v) for v in value.split("_"))
    if not (x1 < x2 and y1 < y2):
        return f"an empty crop: {value}"
    shape = (x2 - x1) * size[0] / ((y2 - y1) * size[1])
    if abs(shape / ratio - 1) > 0.01:
        return f"{value} is {shape:.3f}:1 on a {size[0]}×{size[1]} cover, not {ratio}:1"
    return ""


class StandIn(BaseHTTPRequestHandler):
    """The few endpoints a draft needs, with the checks the real API makes."""

    calls: ClassVar[list[tuple[str, Any]]] = []
    draft_limits_broken: ClassVar[list[str]] = []
    covers: ClassVar[dict[str, tuple[int, int]]] = {}  # media_id: the picture's size

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, answer: dict[str, Any]) -> None:
        body = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def do_GET(self) -> None:
        query = self._query()
        if urlsplit(self.path).path == "/cgi-bin/token":
            if query.get("appid") != APPID or query.get("secret") != SECRET:
                self._send({"errcode": 40125, "errmsg": "invalid appsecret"})
                return
            self.calls.append(("token", None))
            self._send({"access_token": TOKEN, "expires_in": 7200})
            return
        self._send({"errcode": 404, "errmsg": "not found"})

    def do_POST(self) -> None:
        path, query = urlsplit(self.path).path, self._query()
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if query.get("access_token") != TOKEN:
            self._send({"errcode": 40001, "errmsg": "invalid credential"})
            return
        if path in ("/cgi-bin/media/uploadimg", "/cgi-bin/material/add_material"):
            head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
            media = next(
                part for part in form.iter_parts() if part.get_param("name", header="content-disposition") == "media"
            )
            data = media.get_content()
            if path.endswith("uploadimg") and (
                len(data) >= 1_000_000 or media.get_content_type() not in ("image/jpeg", "image/png")
            ):
                self._send({"errcode": 40005, "errmsg": "invalid file type"})
                return
            self.calls.append((path.rsplit("/", 1)[1], media.get_filename()))
            if path.endswith("uploadimg"):
                self._send({"url": f"http://mmbiz.qpic.cn/test/{len(self.calls)}/0"})
            else:
                with Image.open(io.BytesIO(data)) as cover:
                    self.covers["COVER-MEDIA-ID"] = cover.size
                self._send({"media_id": "COVER-MEDIA-ID", "url": "http://mmbiz.qpic.cn/cover/0"})
            return
        if path == "/cgi-bin/draft/add":
            assert b"\\u" not in body, "the API needs raw UTF-8, not \\u escapes"
            articles = json.loads(body.decode("utf-8"))["articles"]
            for article in articles:
                if len(article["title"]) > 32 or len(article["author"]) > 16 or len(article["digest"]) > 128:
                    self.draft_limits_broken.append(article["title"])
                if len(article["content"]) >= 20_000 or not article.get("thumb_media_id"):
                    self.draft_limits_broken.append(article["title"])
                size = self.covers.get(article.get("thumb_media_id", ""))
                for name, ratio in CROPS.items():
                    trouble = crop_trouble(article[name], size, ratio) if name in article and size else ""
                    if trouble:
                        self._send({"errcode": 40097, "errmsg": f"invalid args: {name} {trouble}"})
                        return
            self.calls.append(("draft", articles))
            self._send({"media_id": "DRAFT-MEDIA-ID"})
            return
        self._send({"errcode": 404, "errmsg": "not found"})


@pytest.fixture
def api() -> Iterator[str]:
    StandIn.calls = []
    StandIn.draft_limits_broken = []
    StandIn.covers = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site") / "site"
    assert run_generator("build", "--stories", str(SAMPLE), "--site-dir", str(site)).returncode == 0
    return site


def _draft(api: str, site: Path, *story: str, secret: str = SECRET) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WECHAT_APPID=APPID, WECHAT_APPSECRET=secret, WECHAT_API=api)
    command = [sys.executable, "-m", "generator", "--config", str(ROOT / "mkdocs.yml"), "wechat-draft", *story]
    command += ["--stories", str(SAMPLE), "--site-dir", str(site)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_story_with_pictures_becomes_a_draft(api: str, built: Path) -> None:
    story = SAMPLE / "knowledge" / "2020-02-01-wear-masks.md"
    result = _draft(api, built, str(story))
    assert result.returncode == 0, result.stderr
    assert "DRAFT-MEDIA-ID" in result.stdout and "草稿箱" in result.stdout
    kinds = [kind for kind, _ in StandIn.calls]
    assert kinds[0] == "token" and kinds.count("token") == 1  # one token for the whole draft
    assert "add_material" in kinds and kinds[-1] == "draft"
    (articles,) = [value for kind, value in StandIn.calls if kind == "draft"]
    article = articles[0]
    assert article["thumb_media_id"] == "COVER-MEDIA-ID"
    assert article["title"] == "科学佩戴口罩"  # sent as raw UTF-8: the stand-in refuses \u escapes
    assert article["content_source_url"] == "https://fangyi.cqwomen.example/knowledge/wear-masks/"
    # Every picture inside the text (the body's one and the lead) now lives on WeChat's own host.
    assert article["content"].count("<img") == 2
    for src in article["content"].split('src="')[1:]:
        assert src.startswith("http://mmbiz.qpic.cn/"), src[:80]
    assert kinds.count("uploadimg") == article["content"].count("<img")
    assert StandIn.draft_limits_broken == []
    # The cover is the lead picture, cut by both crops (the stand-in refuses a wrong one).
    assert [name for kind, name in StandIn.calls if kind == "add_material"] == ["mask.jpg"]
    assert_cropped(article)


def assert_cropped(article: dict[str, Any]) -> None:
    """The draft names both crops of the cover, and the stand-in took them for its size."""
    size = StandIn.covers[article["thumb_media_id"]]
    for name, ratio in CROPS.items():
        assert crop_trouble(article[name], size, ratio) == "", name


def test_a_story_without_a_picture_has_its_card_as_cover(api: str, built: Path) -> None:
    result = _draft(api, built, str(SAMPLE / "rumours" / "2020" / "2020-02-03-baijiu.md"))
    assert result.returncode == 0, result.stderr
    (articles,) = [value for kind, value in StandIn.calls if kind == "draft"]
    assert [name for kind, name in StandIn.calls if kind == "add_material"] == ["baijiu.jpg"]
    assert StandIn.covers["COVER-MEDIA-ID"] == (1200, 630)  # the story's own card
    assert_cropped(articles[0])
    x1, y1, x2, y2 = (float(v) for v in articles[0]["pic_crop_1_1"].split("_"))
    assert (x1 * 1200, y1, x2 * 1200, y2) == pytest.approx((285, 0, 915, 1), abs=0.01)  # the card's centre square


def test_a_roundup_becomes_a_draft_with_its_poster_as_cover(api: str, built: Path) -> None:
    result = _draft(api, built, "--roundup", "rumours/week/2020-w06")
    assert result.returncode == 0, result.stderr
    (articles,) = [value for kind, value in StandIn.calls if kind == "draft"]
    assert [name for kind, name in StandIn.calls if kind == "add_material"] == ["2020-w06.jpg"]
    width, height = StandIn.covers["COVER-MEDIA-ID"]
    assert width == 1080 and height > width  # the roundup's poster
    assert_cropped(articles[0])
    assert articles[0]["pic_crop_235_1"].startswith("0_0_1_")  # from the top, where its name and period are
    assert articles[0]["content_source_url"].endswith("/roundups/rumours/week/2020-w06/")


@pytest.mark.parametrize(
    ("name", "crop"),
    [
        ("pic_crop_1_1", "0_0_1.2_1"),  # out of range
        ("pic_crop_1_1", "-0.1_0_0.425_1"),
        ("pic_crop_1_1", "0.2375_0_0.7625_1.0000001"),  # seven decimals
        ("pic_crop_235_1", "0_0_1_1"),  # the whole 1200×630 card is 1.9:1
        ("pic_crop_1_1", "0_0_1_1"),
        ("pic_crop_1_1", "0.5_0_0.5_1"),  # empty
    ],
)
def test_the_stand_in_refuses_a_crop_the_api_would(api: str, tmp_path: Path, name: str, crop: str) -> None:
    from generator.publish.officialaccount import Account, AccountError, Credentials

    card = tmp_path / "card.png"
    Image.new("RGB", (1200, 630), (179, 18, 62)).save(card)
    account = Account(Credentials(APPID, SECRET), api=api)
    good = {"title": "t", "author": "a", "digest": "d", "content": "<p>x</p>", "content_source_url": ""}
    good.update(thumb_media_id=account.upload_cover(card), pic_crop_235_1="0_0.094732_1_0.905268")
    good.update(pic_crop_1_1="0.2375_0_0.7625_1")
    assert account.add_draft([good]) == "DRAFT-MEDIA-ID"
    with pytest.raises(AccountError, match="40097"):
        account.add_draft([{**good, name: crop}])


def test_a_wrong_secret_is_said_in_chinese_with_what_to_do(api: str, built: Path) -> None:
    story = SAMPLE / "rumours" / "2020" / "2020-02-03-baijiu.md"
    result = _draft(api, built, str(story), secret="wrong")
    assert result.returncode == 1
    assert "错误码 40125" in result.stderr and "WECHAT_APPSECRET" in result.stderr
    assert "Traceback" not in result.stderr
    assert [kind for kind, _ in StandIn.calls] == []


def test_without_credentials_nothing_is_sent(api: str, built: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WECHAT_")}
    command = [sys.executable, "-m", "generator", "--config", str(ROOT / "mkdocs.yml"), "wechat-draft"]
    command += [str(SAMPLE / "rumours" / "2020-02-07-pets.md"), "--stories", str(SAMPLE), "--site-dir", str(built)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "WECHAT_APPID" in result.stderr
    assert StandIn.calls == []


def test_only_the_sites_own_files_are_uploaded(tmp_path: Path) -> None:
    from generator.publish.officialaccount import site_file

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "p.png").write_bytes(b"png")
    base = "https://x.example/sub/"
    assert site_file("https://x.example/sub/a/p.png", base, site) == (site / "a" / "p.png").resolve()
    assert site_file("https://other.example/sub/a/p.png", base, site) is None
    assert site_file("https://x.example/sub/../../etc/passwd", base, site) is None
    assert site_file("https://x.example/sub/a/%2e%2e/%2e%2e/%2e%2e/etc/passwd", base, site) is None
    assert site_file("http://x.example/sub/a/p.png", base, site) is None


def test_the_payload_limits_are_the_apis() -> None:
    assert (wechat.TITLE_LIMIT, wechat.AUTHOR_LIMIT, wechat.DIGEST_LIMIT) == (32, 16, 128)
