"""The preview as an editor sees it in Chromium: a broken story's own address, and the 待办 page."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.server import start_python
from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.requires("chromium", "cjk-font")


def _preview_site(tmp_path: Path) -> Path:
    """The sample plus a broken story, built as `serve` builds it (drafts, problems, preview pages)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    stories = tmp_path / "stories"
    shutil.copytree(SAMPLE, stories)
    (stories / "rumours" / "2020-03-01-broken.md").write_text(
        "---\ntitle: 坏文章\ndate: 2020-03-01\nclaim: 网传？\nverdict: 假的\nsources:\n"
        "  - title: 来源\n    url: http://example.org/\n---\n\n正文。\n",
        "utf-8",
    )
    config_file = tmp_path / "mkdocs.yml"
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "site_src"),
        "theme": {"custom_dir": str(ROOT / "site_src" / "overrides")},
    }
    config_file.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    site = tmp_path / "site"
    os.environ["FEDERATION_STORIES_DIR"] = str(stories)
    os.environ["FEDERATION_READ_ALOUD"] = "false"
    try:
        loaded = load_config(str(config_file), site_dir=str(site))
        loaded.plugins.on_startup(command="serve", dirty=False)
        build(loaded)
    finally:
        os.environ.pop("FEDERATION_STORIES_DIR", None)
        os.environ.pop("FEDERATION_READ_ALOUD", None)
    return site


def test_a_broken_storys_address_and_the_todo_page_in_the_preview(browser: Browser, tmp_path: Path) -> None:
    server = start_python(_preview_site(tmp_path))
    try:
        context = browser.new_context(base_url=server.base_url, viewport={"width": 390, "height": 844})
        page = context.new_page()
        response = page.goto("/rumours/broken/", wait_until="load")
        assert response is not None and response.status == 200
        assert page.get_by_role("heading", name="这篇文章暂时不能预览").is_visible()
        item = page.locator(".fed-problems__item").first
        assert "第 5 行" in item.inner_text() and "「假的」无效" in item.inner_text()
        assert page.locator(".fed-preview-errors").is_visible()  # the preview's banner, with its links
        page.locator(".fed-preview-errors").get_by_role("link", name="待办").click()
        page.wait_for_url("**/todo/")
        for heading in ("草稿（1 篇）", "需要重新审核的防控知识", "检查发现的问题"):
            assert page.get_by_role("heading", name=heading).is_visible(), heading
        assert page.get_by_role("link", name="草稿：吹风机能杀灭病毒吗").is_visible()
        page.get_by_role("link", name="查看每个问题的行号和改法").click()
        page.wait_for_url("**/check/")
        assert page.get_by_role("heading", name="检查结果").is_visible()
        context.close()
    finally:
        server.stop()
