"""One command that works: `fed`, installed by `make site`; `new --slug`; the preview of a broken story."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from generator import pipeline
from generator.commands import scaffold
from generator.core.sections import section
from tests.conftest import FIXED_TODAY, ROOT, SAMPLE, preview_site, sample_settings

RUMOUR = section("rumours")
assert RUMOUR is not None
FED = Path(sys.executable).parent / ("fed.exe" if os.name == "nt" else "fed")


def test_fed_is_installed_and_runs_the_same_commands_as_python_m_generator() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert scripts == {"fed": "generator.commands.cli:run"}
    assert FED.is_file(), "make site installs the package, and with it the fed command"
    args = ["--config", str(ROOT / "mkdocs.yml"), "check", "--all", "--stories", str(SAMPLE)]
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    fed = subprocess.run([str(FED), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    module = subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert (fed.returncode, fed.stdout) == (module.returncode, module.stdout)
    assert fed.returncode == 0 and "没有错误" in fed.stdout
    usage = subprocess.run([str(FED), "nonsense"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and usage.stderr.startswith("usage: fed ")


def test_without_the_environment_the_editor_reads_one_chinese_line_not_a_traceback() -> None:
    # -S: a Python without the site's packages, as `python -m generator` is before `make site`.
    result = subprocess.run(
        [sys.executable, "-S", "-m", "generator", "check"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "请先运行 make site 准备环境" in result.stderr and r".venv\Scripts\fed check" in result.stderr


def test_the_readme_and_the_guide_give_the_same_commands_with_the_windows_one() -> None:
    for document in (ROOT / "README.md", ROOT / "site_src" / "guide" / "index.md"):
        text = document.read_text("utf-8")
        for command in ("make check", ".venv/bin/fed check", r".venv\Scripts\fed check"):
            assert command in text, (document.name, command)
    assert "python -m generator check" not in (ROOT / "site_src" / "guide" / "index.md").read_text("utf-8")


def test_new_with_a_slug_names_the_file_and_the_address(tmp_path: Path) -> None:
    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    settings = sample_settings(stories_dir=stories)
    path = scaffold.create(stories, RUMOUR, "喝板蓝根能预防新冠吗", FIXED_TODAY, settings, slug="banlangen")
    assert path.name == f"{FIXED_TODAY.isoformat()}-banlangen.md"
    text = path.read_text("utf-8").replace("claim:\n", "claim: 网传喝板蓝根能预防新冠？\n", 1)
    text = text.replace("verdict:\n", "verdict: false\n", 1)
    text = text.replace(
        "  - title:\n    url:\n", "  - title: 中国互联网联合辟谣平台\n    url: http://www.piyao.org.cn/\n"
    )
    path.write_text(
        text.replace("在这里写查证经过和解释：为什么这么说，权威机构怎么说。", "板蓝根不能预防新冠。"), "utf-8"
    )
    outcome = pipeline.check(settings)
    urls = {s.path: s.url for s in outcome.stories}
    assert urls.get(settings.display(path)) == "/rumours/banlangen/", [str(p) for p in outcome.problems]
    for bad, said in (("Ban Lan Gen", "无效"), ("page", "保留"), ("banlangen", "已被")):
        try:
            scaffold.create(stories, RUMOUR, "另一篇", FIXED_TODAY, settings, slug=bad)
        except scaffold.TitleError as refused:
            assert said in str(refused) and re.search(r"[\u4e00-\u9fff]", str(refused))
        else:
            raise AssertionError(f"--slug {bad} was accepted")


def test_the_preview_of_a_story_with_an_error_says_so_with_its_line_at_its_address(tmp_path: Path) -> None:
    site = preview_site(tmp_path)
    stories = tmp_path / "stories"
    page = (site / "rumours" / "broken" / "index.html").read_text("utf-8")
    assert "这篇文章暂时不能预览" in page
    assert "2020-03-01-broken.md:5" in page and "第 5 行" in page and "「假的」无效" in page
    # The public build publishes nothing at that address.
    outcome, published_site = pipeline.build(sample_settings(stories_dir=stories))
    assert published_site is None and not outcome.ok
