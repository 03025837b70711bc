"""The federation's 公众号 (WeChat official account) through its API: a story as a draft.

Kept apart from the build: it needs the account's AppID and AppSecret (from the
environment only) and a computer whose public IP address is on the account's whitelist.
Pictures cannot be linked from another host inside an article, so each one is uploaded to
the account first (`media/uploadimg` for pictures in the text, `material/add_material` for
the cover), then `draft/add` creates the draft, which an editor checks and publishes in
the 公众号 back office.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from generator.render.wechat import Article

if TYPE_CHECKING:
    import requests

API = "https://api.weixin.qq.com"
PICTURE_LIMIT = 1_000_000  # media/uploadimg: JPEG or PNG under 1 MB
COVER_LIMIT = 10_000_000  # material/add_material, type image
_PICTURE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
# The errors an office meets first, with what to do about them.
_HINTS = {
    40001: "AppSecret 不对，或 access_token 已失效：请核对 WECHAT_APPSECRET。",
    40013: "AppID 不对：请核对 WECHAT_APPID。",
    40125: "AppSecret 不对：请在公众号后台「设置与开发 → 基本配置」重置后更新 WECHAT_APPSECRET。",
    40164: "这台电脑的公网 IP 不在公众号的 IP 白名单里：请在「设置与开发 → 基本配置 → IP 白名单」里添加。",
    45009: "今天调用接口的次数已用完：请明天再试。",
    48001: "公众号没有这个接口的权限（需要认证的服务号或订阅号）。",
}


class AccountError(Exception):
    """What the 公众号 API or the local files refused; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Credentials:
    """The account's AppID and AppSecret, from the environment."""

    appid: str
    secret: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Credentials:
        """WECHAT_APPID and WECHAT_APPSECRET, never from a file in the repository."""
        appid, secret = environ.get("WECHAT_APPID", ""), environ.get("WECHAT_APPSECRET", "")
        if not appid or not secret:
            raise AccountError(
                "请先在环境变量里设置 WECHAT_APPID 和 WECHAT_APPSECRET（公众号后台「设置与开发 → 基本配置」）。"
            )
        return cls(appid, secret)


class Account:
    """One 公众号, spoken to over its HTTPS API."""

    def __init__(self, credentials: Credentials, api: str | None = None, session: requests.Session | None = None):
        self.credentials = credentials
        self.api = (api or os.environ.get("WECHAT_API") or API).rstrip("/")
        import requests  # only a draft upload needs it: `check` and `build` start without it

        self.session = session or requests.Session()
        self._token = ""

    def _answer(self, response: requests.Response) -> dict[str, Any]:
        try:
            answer = response.json()
        except ValueError as exc:
            raise AccountError(f"公众号接口返回了无法识别的内容（HTTP {response.status_code}）。") from exc
        if not isinstance(answer, dict):
            raise AccountError("公众号接口返回了无法识别的内容。")
        code = answer.get("errcode", 0)
        if code:
            hint = _HINTS.get(int(code), "")
            raise AccountError(f"公众号接口拒绝了请求（错误码 {code}：{answer.get('errmsg', '')}）。{hint}")
        return answer

    def token(self) -> str:
        """An access token for the calls that follow."""
        if not self._token:
            query = {"grant_type": "client_credential", "appid": self.credentials.appid}
            query["secret"] = self.credentials.secret
            answer = self._answer(self.session.get(f"{self.api}/cgi-bin/token", params=query, timeout=30))
            self._token = str(answer["access_token"])
        return self._token

    def upload_picture(self, file: Path) -> str:
        """A picture for inside an article, uploaded; its address on WeChat's own host."""
        kind = _picture_type(file, PICTURE_LIMIT)
        with file.open("rb") as data:
            response = self.session.post(
                f"{self.api}/cgi-bin/media/uploadimg",
                params={"access_token": self.token()},
                files={"media": (file.name, data, kind)},
                timeout=60,
            )
        return str(self._answer(response)["url"])

    def upload_cover(self, file: Path) -> str:
        """The cover picture as permanent material; its media_id for the draft."""
        kind = _picture_type(file, COVER_LIMIT)
        with file.open("rb") as data:
            response = self.session.post(
                f"{self.api}/cgi-bin/material/add_material",
                params={"access_token": self.token(), "type": "image"},
                files={"media": (file.name, data, kind)},
                timeout=60,
            )
        return str(self._answer(response)["media_id"])

    def add_draft(self, articles: list[dict[str, Any]]) -> str:
        """A new draft holding these articles; its media_id."""
        # The API reads raw UTF-8: with \\u escapes the article would show them literally.
        body = json.dumps({"articles": articles}, ensure_ascii=False).encode("utf-8")
        response = self.session.post(
            f"{self.api}/cgi-bin/draft/add",
            params={"access_token": self.token()},
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
            timeout=60,
        )
        return str(self._answer(response)["media_id"])


def _picture_type(file: Path, limit: int) -> str:
    kind = _PICTURE_TYPES.get(file.suffix.lower())
    if kind is None:
        raise AccountError(f"{file.name} 不是 JPEG 或 PNG 图片：公众号只接受这两种格式。")
    if not file.is_file():
        raise AccountError(f"找不到图片 {file}：请先运行 make site 生成网站。")
    if file.stat().st_size >= limit:
        raise AccountError(
            f"{file.name} 有 {file.stat().st_size / 1e6:.1f} MB，超过公众号的 {limit / 1e6:.0f} MB 限制。"
        )
    return kind


def site_file(url: str, site_url: str, site_dir: Path) -> Path | None:
    """The built site's file behind one of its own absolute addresses; None for another host's."""
    base = urlsplit(site_url)
    target = urlsplit(url)
    if (target.scheme, target.netloc) != (base.scheme, base.netloc) or not target.path.startswith(base.path or "/"):
        return None
    relative = unquote(target.path[len(base.path.rstrip("/")) :]).lstrip("/")
    file = (site_dir / relative).resolve()
    if not file.is_relative_to(site_dir.resolve()):
        return None
    return file / "index.html" if file.is_dir() else file


def publish(article: Article, account: Account, site_url: str, site_dir: Path) -> str:
    """Upload the article's pictures and cover, then create the draft, cut as the cover's crops
    say; the draft's media_id."""
    if article.cover is None:
        raise AccountError("这篇文章没有封面图片：请先运行 make site 生成网站（需要中文字体）。")
    cover = site_file(article.cover.url, site_url, site_dir)
    if cover is None:
        raise AccountError(f"封面 {article.cover.url} 不在本网站上：请检查 mkdocs.yml 的 site_url。")
    root = lxml_html.fragment_fromstring(article.content, create_parent="div")
    for img in root.iter("img"):
        file = site_file(img.get("src", ""), site_url, site_dir)
        if file is None:
            raise AccountError(f"图片 {img.get('src')} 不在本网站上：公众号文章只能用上传过的图片。")
        img.set("src", account.upload_picture(file))
    content = "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    payload = article.payload()
    payload.update(content=content, thumb_media_id=account.upload_cover(cover))
    return account.add_draft([payload])
