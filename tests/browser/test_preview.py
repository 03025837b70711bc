"""The preview as an editor sees it in Chromium: a broken story's own address, and the 待办 page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.server import start_python
from tests.conftest import preview_site

pytestmark = pytest.mark.requires("chromium", "cjk-font")


def test_a_broken_storys_address_and_the_todo_page_in_the_preview(browser: Browser, tmp_path: Path) -> None:
    server = start_python(preview_site(tmp_path))
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
