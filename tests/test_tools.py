"""Every test that runs a tool beyond Python declares it, and `make test`'s provisioning stops
with one line naming the command when it cannot install."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import tools
from tests.conftest import ROOT

# How a test module would run each tool itself (fixtures that hand one out are checked at setup).
USES = {
    "node": re.compile(r"""\[\s*["']node["']"""),
    "git": re.compile(r"""\[\s*["']git["']"""),
    "chromium": re.compile(r"executable_path"),
    "nginx": re.compile(r"""\[\s*["']nginx["']"""),
}


def test_every_module_running_a_tool_declares_it() -> None:
    undeclared = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if path == Path(__file__):
            continue  # this file names the patterns
        source = path.read_text("utf-8")
        for tool, use in USES.items():
            if use.search(source) and not re.search(rf"""requires\([^)]*["']{tool}["']""", source):
                undeclared.append(f"{path.relative_to(ROOT)} runs {tool}")
    assert undeclared == []


def test_the_check_sees_an_undeclared_use() -> None:
    assert USES["node"].search('subprocess.run(["node", "-e", script])')
    assert not re.search(r"""requires\([^)]*["']node["']""", '@pytest.mark.requires("chromium")')


def test_without_root_or_sudo_it_stops_with_one_line_naming_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tools, "as_root", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        tools.install_packages(["chromium", "nginx"])
    assert stopped.value.code == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "请先运行：sudo apt-get install -y chromium nginx" in line
    assert "run: sudo apt-get install -y chromium nginx" in line


def test_every_tool_says_how_to_install_it() -> None:
    for name, tool in tools.TOOLS.items():
        assert tool.install().startswith(("sudo apt-get install -y ", "npm ci")), name


def test_a_missing_tool_names_its_packages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tools, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setitem(tools.TOOLS, "chromium", tools.Tool((tmp_path / "no-chromium").is_file, ("chromium",)))
    assert "chromium" in tools.missing_packages()
