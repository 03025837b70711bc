"""The `editor` command's work: the web editor's local proxy and the preview, started and stopped together."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from generator.render import cms

HOST = cms.PROXY_HOST  # both servers listen on this machine only
PROXY_SCRIPT = Path("node_modules") / "decap-server" / "dist" / "index.js"
STARTUP_SECONDS = 120.0
STOP_SECONDS = 10.0


@dataclass(frozen=True)
class Ports:
    """Where the preview (and /admin/ in it) and the proxy listen."""

    preview: int = 8000
    proxy: int = cms.PROXY_PORT


class StopRequestedError(Exception):
    """Raised by SIGTERM, so a service manager's stop ends both servers as Ctrl-C does."""


def proxy_command(root: Path) -> list[str] | str:
    """The command that starts decap-server, or why it cannot start (a Chinese message)."""
    node = shutil.which("node")
    if node is None:
        return "找不到 Node.js：请先安装（apt-get install nodejs npm），再在项目根目录运行 npm ci。"
    script = root / PROXY_SCRIPT
    if not script.is_file():
        return f"找不到编辑器的本地服务 {PROXY_SCRIPT.as_posix()}：请在项目根目录运行一次 npm ci。"
    return [node, str(script)]


def run(root: Path, config_file: Path, ports: Ports, stories: str | None = None) -> int:
    """Start both servers, wait until either ends or the user stops them, then stop both."""
    proxy = proxy_command(root)
    if isinstance(proxy, str):
        print(proxy, file=sys.stderr)
        return 1
    for port in (ports.preview, ports.proxy):
        if _answers(port):
            print(f"端口 {port} 已被占用：可能已经开着一个编辑器；请先关闭它，或换一个端口。", file=sys.stderr)
            return 1
    env = dict(os.environ)
    env.update(
        {
            "BIND_HOST": HOST,
            "PORT": str(ports.proxy),
            "GIT_REPO_DIRECTORY": str(root),
            "MODE": "fs",  # files only: the editor commits, as with any other change
            "LOG_LEVEL": "warn",
            cms.PROXY_PORT_ENV: str(ports.proxy),
        }
    )
    preview = [sys.executable, "-m", "generator", "--config", str(config_file)]
    preview += ["serve", "--dev-addr", f"{HOST}:{ports.preview}"] + (["--stories", stories] if stories else [])
    children: list[subprocess.Popen[bytes]] = []
    previous = signal.signal(signal.SIGTERM, _stop)
    # Started in the background (`nohup … &`, a service script), this process ignores SIGINT,
    # and its children would inherit that and ignore the SIGINT that stops them: a handled
    # SIGINT here starts them with the default one. They have their own sessions, so a
    # terminal's Ctrl-C still reaches only this process.
    interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        # Own sessions: Ctrl-C reaches this process only, which stops the children in order.
        children.append(subprocess.Popen(proxy, cwd=root, env=env, start_new_session=True))
        children.append(subprocess.Popen(preview, cwd=root, env=env, start_new_session=True))
        if not _wait_ready(children, (ports.proxy, ports.preview)):
            print("编辑器没有启动成功：请查看上面的提示。", file=sys.stderr)
            return 1
        print(f"网页编辑器已启动：请用浏览器打开 http://{HOST}:{ports.preview}/admin/")
        print(f"预览网站：http://{HOST}:{ports.preview}/ （保存文章后自动刷新）；按 Ctrl-C 停止。", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("编辑器的一个服务意外停止了，另一个也已关闭；请查看上面的提示后重新运行。", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, StopRequestedError):
        print("\n正在关闭编辑器…", file=sys.stderr)
        return 0
    finally:
        _stop_all(children)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, interrupt)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise StopRequestedError


def _answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def _wait_ready(children: Sequence[subprocess.Popen[bytes]], ports: Sequence[int]) -> bool:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        if all(_answers(port) for port in ports):
            return True
        time.sleep(0.2)
    return False


def _stop_all(children: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGINT to each child's whole group (MkDocs stops on it), then SIGKILL to what is left."""
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGINT)
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            print(f"编辑器的一个服务（{_named(child)}）没有按时停止，已强制结束。", file=sys.stderr)


def _named(child: subprocess.Popen[bytes]) -> str:
    return "本地服务 decap-server" if "decap-server" in str(child.args) else "预览"
