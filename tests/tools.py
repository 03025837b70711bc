"""The tools beyond Python that some tests need: how to tell each is here, and how to install it.

`tests/conftest.py` reads this table for the `requires` marker; `make test` runs this module
first (`python -m tests.tools`), which installs what is missing through apt (as root or with
passwordless sudo) and axe-core and es-check through `npm ci`, or stops with the one command to run.
Standard library only: it runs before anything else is known to work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ES_CHECK = ROOT / "node_modules" / "es-check" / "lib" / "cli" / "index.js"
NPM_STAMP = ROOT / "node_modules" / ".installed"


@dataclass(frozen=True)
class Tool:
    """A tool some tests need: a probe, the Debian packages that bring it, else the command that does."""

    ready: Callable[[], bool]
    packages: tuple[str, ...] = ()
    command: str = ""

    def install(self) -> str:
        """The command a person runs to install it."""
        return self.command or "sudo apt-get install -y " + " ".join(self.packages)


def nginx_binary() -> str | None:
    """Debian's nginx with its mime.types, when installed."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).is_file() and Path("/etc/nginx/mime.types").is_file() else None


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


TOOLS: dict[str, Tool] = {
    "node": Tool(lambda: shutil.which("node") is not None, ("nodejs", "npm")),
    "chromium": Tool(CHROMIUM.is_file, ("chromium",)),
    "nginx": Tool(lambda: nginx_binary() is not None, ("nginx",)),
    # fontconfig brings fc-list, which is how the probe (and Chromium) finds the font.
    "cjk-font": Tool(_has_cjk_font, ("fontconfig", "fonts-noto-cjk")),
    "axe": Tool(AXE.is_file, command="npm ci"),
    # holds the shipped scripts to ES5 (tests/test_scripts.py)
    "es-check": Tool(ES_CHECK.is_file, command="npm ci"),
    # the pre-commit hook's test makes a repository of its own
    "git": Tool(lambda: shutil.which("git") is not None, ("git",)),
    # read-aloud: the offline engine whose Mandarin voice speaks each story (generator/speech.py)
    "espeak": Tool(lambda: shutil.which("espeak-ng") is not None, ("espeak-ng",)),
}


def missing_packages() -> list[str]:
    """The Debian packages that would bring every missing tool, in the table's order."""
    wanted = [p for tool in TOOLS.values() if tool.packages and not tool.ready() for p in tool.packages]
    if shutil.which("npm") is None:
        wanted += ["nodejs", "npm"]  # `npm ci` brings axe-core
    return list(dict.fromkeys(wanted))


def stop(command: str) -> None:
    """The one line a person needs when this cannot install for them, and exit."""
    print(f"测试所需的软件缺失，请先运行：{command}  /  The tests need software that is missing; run: {command}")
    sys.exit(1)


def as_root() -> list[str] | None:
    """The prefix that runs a command as root here without a password, or None."""
    if os.geteuid() == 0:
        return []
    if (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    ):
        return ["sudo", "-n"]
    return None


def install_packages(packages: list[str]) -> None:
    """Install Debian packages through apt, or stop naming the command."""
    command = "sudo apt-get install -y " + " ".join(packages)
    prefix = as_root()
    if prefix is None or shutil.which("apt-get") is None:
        stop(command)
    assert prefix is not None
    print(f"installing for the tests: {' '.join(packages)}", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = [*prefix, "apt-get"]
    if subprocess.run([*apt, "update", "-qq"], env=env, check=False).returncode != 0:
        stop(command)
    install = [*apt, "install", "-y", "-qq", "--no-install-recommends", *packages]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        stop(command)


def install_axe() -> None:
    """axe-core and es-check at the versions package-lock.json pins, unless already installed from this lock."""
    lock = ROOT / "package-lock.json"
    installed = AXE.is_file() and ES_CHECK.is_file()
    if installed and NPM_STAMP.is_file() and NPM_STAMP.stat().st_mtime >= lock.stat().st_mtime:
        return
    done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=False)
    if done.returncode != 0 or not AXE.is_file() or not ES_CHECK.is_file():
        stop(f"cd {ROOT} && npm ci")
    NPM_STAMP.touch()


def provision() -> None:
    """Make every tool of the table ready, or stop at once with the command that would."""
    packages = missing_packages()
    if packages:
        install_packages(packages)
    install_axe()
    still = [name for name, tool in TOOLS.items() if not tool.ready()]
    if still:
        stop(" && ".join(dict.fromkeys(TOOLS[name].install() for name in still)))


if __name__ == "__main__":
    provision()
