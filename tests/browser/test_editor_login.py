"""The production login of the web editor, as far as it can be tried without a real Forgejo.

A stand-in Forgejo on 127.0.0.1 (a small Python HTTP server, below) answers the OAuth 2
authorize and token endpoints with PKCE, and the few API calls Decap's forgejo and gitea
backends make to log in and list a collection: the user, the repository and its
permissions, a folder's contents and its files. /admin/ is served from another origin
(`localhost`, so the local proxy entry for 127.0.0.1 stays unused, as on the public site)
with the configuration the build makes from mkdocs.yml, only the server's address
changed. Every call from the editor's origin is cross-origin, so the stand-in must send
the CORS headers docs/web-editor.md asks of the real server; without them, the login
fails. What only a real server can show is listed in docs/web-editor.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
import yaml

from generator.core.sections import SECTIONS
from generator.render import cms
from tests.browser.server import free_port
from tests.conftest import ROOT

pytestmark = pytest.mark.requires("chromium", "cjk-font")

ADMIN = ROOT / "site_src" / "admin"
STORIES = ROOT / "tests" / "sample" / "stories"
HEAD = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # the stand-in's main branch, one commit
USER = {"id": 7, "login": "yuzhong", "full_name": "渝中区妇联", "email": "yuzhong@cqwomen.example", "avatar_url": ""}


@dataclass
class Forge:
    """What the stand-in Forgejo was asked and what it handed out."""

    origin: str  # the editor's origin, the one CORS lets in
    repo: str
    client_id: str
    cors: bool = True
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class _ForgeHandler(BaseHTTPRequestHandler):
    forge: Forge

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- CORS: as Forgejo's [cors] section makes it answer --------------------------------

    def _cors(self) -> None:
        if self.forge.cors and self.headers.get("Origin") == self.forge.origin:
            self.send_header("Access-Control-Allow-Origin", self.forge.origin)
            self.send_header("Access-Control-Allow-Methods", "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type,User-Agent,Authorization")
            self.send_header("Vary", "Origin")

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self) -> None:
        self.forge.calls.append(f"OPTIONS {self.path}")
        self.send_response(204)
        self._cors()
        self.end_headers()

    # -- OAuth 2 with PKCE -------------------------------------------------------------------

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.forge.calls.append(f"GET {url.path}")
        if url.path == "/login/oauth/authorize":
            return self._authorize(parse_qs(url.query))
        if not url.path.startswith("/api/v1/"):
            return self._json(404, {"message": "not found"})
        if self.headers.get("Authorization", "").split(" ")[-1] not in self.forge.tokens:
            return self._json(401, {"message": "token is required"})
        return self._api(url.path.removeprefix("/api/v1"), parse_qs(url.query))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        self.forge.calls.append(f"POST {url.path}")
        if url.path != "/login/oauth/access_token":
            return self._json(404, {"message": "not found"})
        length = int(self.headers.get("Content-Length") or 0)
        asked = json.loads(self.rfile.read(length) or b"{}")
        self.forge.token_requests.append(asked)
        grant = self.forge.codes.pop(str(asked.get("code")), None)
        verifier = str(asked.get("code_verifier") or "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if (
            grant is None
            or asked.get("grant_type") != "authorization_code"
            or asked.get("client_id") != self.forge.client_id
            or asked.get("redirect_uri") != grant["redirect_uri"]
            or challenge != grant["challenge"]
        ):
            return self._json(400, {"error": "invalid_grant", "error_description": "授权码无效"})
        token = secrets.token_hex(20)
        self.forge.tokens.add(token)
        self._json(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600, "refresh_token": "r"})

    def _authorize(self, query: dict[str, list[str]]) -> None:
        """A real server shows its login and consent pages here; the stand-in's user has agreed."""
        asked = {key: values[0] for key, values in query.items()}
        if asked.get("client_id") != self.forge.client_id or asked.get("code_challenge_method") != "S256":
            return self._json(400, {"message": "unknown client or no PKCE"})
        code = secrets.token_hex(8)
        self.forge.codes[code] = {"redirect_uri": asked["redirect_uri"], "challenge": asked["code_challenge"]}
        self.send_response(302)
        self.send_header("Location", asked["redirect_uri"] + "?" + urlencode({"code": code, "state": asked["state"]}))
        self.end_headers()

    # -- the API: a user, a repository, a folder of stories ------------------------------------

    def _api(self, path: str, query: dict[str, list[str]]) -> None:
        repo = f"/repos/{self.forge.repo}"
        if path == "/user":
            return self._json(200, USER)
        if path == repo:
            owner, name = self.forge.repo.split("/")
            return self._json(
                200,
                {
                    "id": 1,
                    "name": name,
                    "full_name": self.forge.repo,
                    "owner": {"login": owner},
                    "default_branch": "main",
                    "permissions": {"admin": False, "push": True, "pull": True},
                },
            )
        if path == repo + "/branches/main":
            return self._json(200, {"name": "main", "commit": {"id": HEAD, "sha": HEAD}, "protected": True})
        if path == f"{repo}/git/trees/{HEAD}":  # forgejo: the whole tree, recursively
            return self._tree(STORIES, cms.stories_folder(ROOT, STORIES) + "/", recursive=True)
        if path.startswith(f"{repo}/git/trees/main:"):  # gitea: one folder, `main:<folder>`
            folder = unquote(path.removeprefix(f"{repo}/git/trees/main:"))
            relative = folder.removeprefix(cms.stories_folder(ROOT, STORIES)).strip("/")
            if not (STORIES / relative).is_dir():
                return self._json(404, {"message": "not found"})
            return self._tree(STORIES / relative, "", recursive=False)
        if path == repo + "/commits":  # each file's last commit: the one commit of main
            who = {"name": USER["full_name"], "email": USER["email"], "date": "2020-02-10T08:00:00+08:00"}
            return self._json(
                200, [{"sha": HEAD, "commit": {"author": who, "committer": who, "message": "稿件"}, "author": USER}]
            )
        if path.startswith(repo + "/git/blobs/"):
            return self._blob(path.removeprefix(repo + "/git/blobs/"))
        if path.startswith(repo + "/pulls") or path.startswith(repo + "/labels"):
            return self._json(200, [])  # no story in review yet
        return self._json(404, {"message": "not found"})

    def _tree(self, folder: Path, prefix: str, recursive: bool) -> None:
        """A tree as Forgejo and Gitea list it: paths under `prefix`, blobs with git's names."""
        rows = []
        for path in sorted(folder.rglob("*") if recursive else folder.iterdir()):
            relative = prefix + path.relative_to(folder).as_posix()
            data = path.read_bytes() if path.is_file() else b""
            sha = _blob_sha(data) if path.is_file() else hashlib.sha1(relative.encode()).hexdigest()
            kind, mode = ("blob", "100644") if path.is_file() else ("tree", "040000")
            rows.append({"path": relative, "mode": mode, "type": kind, "size": len(data), "sha": sha})
        self._json(200, {"sha": HEAD, "tree": rows, "truncated": False, "page": 1, "total_count": len(rows)})

    def _blob(self, sha: str) -> None:
        for path in STORIES.rglob("*"):
            if path.is_file() and _blob_sha(path.read_bytes()) == sha:
                data = path.read_bytes()
                return self._json(
                    200,
                    {"sha": sha, "size": len(data), "encoding": "base64", "content": base64.b64encode(data).decode()},
                )
        return self._json(404, {"message": "not found"})


class _AdminHandler(BaseHTTPRequestHandler):
    """The site's /admin/ as the public build ships it, its config.yml naming the stand-in."""

    config: str

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/admin/config.yml":
            body, kind = self.config.encode("utf-8"), "text/yaml; charset=utf-8"
        elif path.startswith("/admin/") and (ADMIN / (path.removeprefix("/admin/") or "index.html")).is_file():
            file = ADMIN / (path.removeprefix("/admin/") or "index.html")
            kind = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}.get(file.suffix, "text/plain")
            body = file.read_bytes()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, int]:
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


def production_config(forge_url: str, backend: str) -> tuple[str, dict[str, Any]]:
    """The public build's configuration (mkdocs.yml's extra.editor), the server's address replaced."""
    production = cms.backend_in(ROOT / "mkdocs.yml")
    assert production is not None
    production = dict(production)
    production["backend"] = dict(
        production["backend"], name=backend, base_url=forge_url, api_root=f"{forge_url}/api/v1"
    )
    if backend == "gitea":  # Decap's gitea backend has no editorial workflow (the build refuses it)
        production.pop("publish_mode", None)
    config = cms.editor_config(cms.stories_folder(ROOT, STORIES), production)
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False), config


@pytest.fixture
def stand_in() -> Iterator[tuple[Forge, str]]:
    admin_port = free_port()
    origin = f"http://localhost:{admin_port}"
    forge = Forge(origin=origin, repo="cqwomen/fangyi", client_id="")
    forge_server, forge_port = _serve(type("Handler", (_ForgeHandler,), {"forge": forge}))
    forge.base_url = f"http://127.0.0.1:{forge_port}"
    yield forge, origin
    forge_server.shutdown()
    forge_server.server_close()


def _start_admin(origin: str, config: str) -> ThreadingHTTPServer:
    port = int(origin.rsplit(":", 1)[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), type("Admin", (_AdminHandler,), {"config": config}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _log_in(browser: Any, origin: str, backend: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{origin}/admin/")
    # In Chinese for both backends (preview.js supplies the words Decap lacks for Forgejo).
    page.get_by_role("button", name=f"使用 {backend.capitalize()} 登录").click()
    return page, requested


@pytest.mark.parametrize("backend", ["forgejo", "gitea"])
def test_login_with_pkce_and_the_story_list_through_a_stand_in_forgejo(
    stand_in: tuple[Forge, str], browser: Any, backend: str
) -> None:
    forge, origin = stand_in
    text, config = production_config(forge.base_url, backend)
    forge.client_id = config["backend"]["app_id"]
    admin = _start_admin(origin, text)
    try:
        page, requested = _log_in(browser, origin, backend)
        # Logged in: the first collection's stories, read through the API from the repository.
        first = SECTIONS[0]
        page.locator(f"a[href*='/collections/{first.key}/entries/']").first.wait_for(timeout=30000)
        shown = page.locator(f"a[href*='/collections/{first.key}/entries/']").count()
        page.close()
    finally:
        admin.shutdown()
        admin.server_close()
    assert shown == len(list((STORIES / first.folder).glob("*.md")))
    # The code was exchanged once, with the verifier of the challenge sent to authorize.
    assert [r["grant_type"] for r in forge.token_requests] == ["authorization_code"]
    assert forge.token_requests[0]["redirect_uri"] == f"{origin}/admin/"
    assert "GET /login/oauth/authorize" in forge.calls and "GET /api/v1/user" in forge.calls
    assert f"GET /api/v1/repos/{forge.repo}" in forge.calls
    # Cross-origin calls with Authorization are preflighted: the CORS rule is exercised.
    assert any(call.startswith("OPTIONS /api/v1/") for call in forge.calls)
    # Decap looks for the local proxy on localhost and 127.0.0.1 only (never on the public site).
    proxy = urlsplit(cms.proxy_url()).netloc
    hosts = {urlsplit(url).netloc for url in requested if url.startswith("http")} - {proxy}
    assert hosts == {urlsplit(origin).netloc, urlsplit(forge.base_url).netloc}


def test_without_cors_headers_the_login_fails(stand_in: tuple[Forge, str], browser: Any) -> None:
    forge, origin = stand_in
    forge.cors = False
    text, config = production_config(forge.base_url, "forgejo")
    forge.client_id = config["backend"]["app_id"]
    admin = _start_admin(origin, text)
    try:
        page, _ = _log_in(browser, origin, "forgejo")
        # The browser sends the token request but may not read the answer: back at 登录.
        page.get_by_role("button", name="登录").wait_for(timeout=30000)
        page.wait_for_timeout(2000)
        listed = page.locator("a[href*='/collections/']").count()
        page.close()
    finally:
        admin.shutdown()
        admin.server_close()
    assert listed == 0
    # The token request's preflight was answered without CORS headers: the browser stopped there.
    assert "OPTIONS /login/oauth/access_token" in forge.calls
    assert forge.tokens == set() and "GET /api/v1/user" not in forge.calls
