"""The built site served as it will be deployed: nginx with deploy/site.conf, else Python's server."""

from __future__ import annotations

import mimetypes
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

from tests.conftest import ROOT

SITE_RULES = ROOT / "deploy" / "site.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")

NGINX_CONF = """\
# Written by tests/browser/server.py: a throw-away nginx around the deployed site's rules.
worker_processes 1;
pid {work}/nginx.pid;
{user}
events {{ worker_connections 128; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {rules};
    }}
}}
"""


@dataclass
class Server:
    """A running server of the built site."""

    base_url: str
    kind: str
    stop: Callable[[], None]


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(base_url: str, give_up: Callable[[], str | None]) -> None:
    """Return once the server answers; fail with what `give_up` says when it has died."""
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(base_url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            reason = give_up()
            if reason is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server at {base_url} did not start: {reason or 'timed out'}") from None
            time.sleep(0.05)


def start_nginx(binary: str, site: Path, work: Path) -> Server:
    """nginx in the foreground on a free loopback port, with the deployed rules."""
    port = free_port()
    conf = work / "nginx.conf"
    # As root, nginx would run its workers as `nobody`, who cannot read pytest's private temp folder.
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(
        NGINX_CONF.format(work=work, user=user, mime_types=MIME_TYPES, port=port, site=site, rules=SITE_RULES),
        "utf-8",
    )
    log = work / "error.log"
    process = subprocess.Popen(
        [binary, "-p", str(work), "-c", str(conf), "-e", str(log), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def died() -> str | None:
        if process.poll() is None:
            return None
        return log.read_text("utf-8", "replace") if log.exists() else f"exit {process.returncode}"

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/", died)
    except RuntimeError:
        stop()
        raise
    return Server(base_url, "nginx", stop)


class _StaticHandler(SimpleHTTPRequestHandler):
    """What deploy/site.conf does that matters to a reader: .gz files, and the 404 page."""

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.is_dir() or not path.is_file():
            return super().send_head() if path.is_dir() else self._not_found()
        packed = path.with_name(path.name + ".gz")
        gzip = "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file()
        body = (packed if gzip else path).open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self._type(path))
        self.send_header("Content-Length", str(os.fstat(body.fileno()).st_size))
        self.send_header("Vary", "Accept-Encoding")
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        return body

    def _not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        data = page.read_bytes() if page.is_file() else b"404"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _type(self, path: Path) -> str:
        guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return guessed + "; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("javascript") else guessed

    def log_message(self, format: str, *args: object) -> None:
        pass


def start_python(site: Path) -> Server:
    """Python's static server, with the deployed rules that change what a reader gets."""

    def handler(*args: Any) -> _StaticHandler:
        return _StaticHandler(*args, directory=str(site))

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()
        thread.join()

    base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    wait_until_up(base_url + "/", lambda: None)
    return Server(base_url, "python", stop)
