"""The web editor in a real browser: `python -m generator editor` on a throwaway copy of the repository.

Chromium fills the Decap CMS form of each section (Chinese typed through IME composition
events), uploads a picture and publishes; what the local proxy writes must pass `check`
and build, and a private mobile number in the body must be refused by `check`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from playwright.sync_api import expect

from generator.core.sections import SECTIONS, Field, Kind, Section
from generator.render import cms
from tests.conftest import ROOT

pytestmark = pytest.mark.requires("chromium", "cjk-font", "node", "git")

# Where the forms' screenshots go: a temporary folder, or the committed ones when asked
# (`FEDERATION_SCREENSHOTS=docs/screenshots pytest tests/browser/test_editor.py -k screenshots`).
SCREENSHOTS_ENV = "FEDERATION_SCREENSHOTS"
STARTED = "网页编辑器已启动"


@dataclass
class Editor:
    """A running `editor` command over a copy of the repository."""

    root: Path
    preview: int
    proxy: int
    process: subprocess.Popen[str]

    @property
    def admin(self) -> str:
        return f"http://127.0.0.1:{self.preview}/admin/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _copy_repository(target: Path) -> Path:
    """The files the editor and the build read, in a fresh git repository."""
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, target / name)
    for name in ("site_src", "stories"):
        shutil.copytree(ROOT / name, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")  # decap-server, as `npm ci` leaves it
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return target


def start_editor(root: Path, background: bool = False) -> Editor:
    """`editor` on a copy; `background`: as `nohup … &` starts it, with SIGINT ignored."""
    preview, proxy = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    command = [sys.executable, "-m", "generator", "--config", str(root / "mkdocs.yml"), "editor"]
    command += ["--port", str(preview), "--proxy-port", str(proxy)]
    log = root.parent / f"editor-{preview}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if background else None,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        if STARTED in log.read_text("utf-8"):
            return Editor(root, preview, proxy, process)
        time.sleep(0.3)
    process.kill()
    pytest.fail("the editor did not start:\n" + log.read_text("utf-8"))


def stop_editor(editor: Editor) -> int:
    editor.process.send_signal(signal.SIGINT)
    try:
        return editor.process.wait(timeout=30)
    finally:
        if editor.process.poll() is None:
            editor.process.kill()


def listening(port: int) -> list[str]:
    """The local addresses a TCP port listens on (from /proc), e.g. ['127.0.0.1']."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(_address(address))
    return found


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:
        return socket.inet_ntop(socket.AF_INET, bytes.fromhex(hex_address)[::-1])
    words = [bytes.fromhex(hex_address[i : i + 8])[::-1] for i in range(0, 32, 8)]
    return socket.inet_ntop(socket.AF_INET6, b"".join(words))


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    running = start_editor(_copy_repository(tmp_path_factory.mktemp("repo")))
    yield running
    stop_editor(running)


# The browser is the package's (tests/browser/conftest.py): a second Playwright cannot start
# while that one runs in the thread.


# -- driving the form --------------------------------------------------------------------


class Form:
    """One entry form of the editor, filled the way an editor would."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def field(self, key: str, within: Any = None) -> Any:
        return (within or self.page).locator(f"[id^='{key}-field-']").first

    def type_chinese(self, text: str) -> None:
        """Compose pinyin as an IME does, then commit the Han characters."""
        for end in range(1, 4):
            self.cdp.send("Input.imeSetComposition", {"text": "pin"[:end], "selectionStart": end, "selectionEnd": end})
        self.cdp.send("Input.insertText", {"text": text})

    def text(self, key: str, value: str, within: Any = None) -> None:
        self.field(key, within).click()
        if value.isascii():
            self.page.keyboard.type(value)
        else:
            self.type_chinese(value)

    def choose(self, key: str, label: str) -> None:
        self.field(key).click()
        self.page.keyboard.type(label)
        self.page.keyboard.press("Enter")

    def body(self, text: str, preview: bool = True) -> None:
        box = self.field("body")
        box.click()
        expect(box).to_be_focused()
        self.type_chinese(text)
        if not preview:  # a phone shows the preview only when asked
            expect(box).to_have_value(text)
            return
        # The preview pane shows the body once the form holds it.
        try:
            self.page.frame_locator("iframe").last.get_by_text(text).wait_for(timeout=10000)
        except Exception:
            self.page.screenshot(path="/tmp/editor-body.png")
            raise

    def type_markdown(self, key: str, pieces: list[str]) -> None:
        """Type into a text box: ASCII marks from the keyboard, Chinese through the IME, "\n" as Enter."""
        self.field(key).click()
        for piece in pieces:
            if piece == "\n":
                self.page.keyboard.press("Enter")
            elif piece.isascii():
                self.page.keyboard.type(piece)
            else:
                self.type_chinese(piece)

    def picture(self, file: Path) -> None:
        self.page.get_by_role("button", name="选择图片").click()
        self.page.locator("input[type=file]").set_input_files(str(file))
        self.page.get_by_text(file.name).wait_for()
        self.page.get_by_role("button", name="选用已选中项目").click()

    def publish(self) -> None:
        self.page.get_by_role("button", name="发布").first.click()
        self.page.get_by_text("立即发布").click()
        try:
            self.page.get_by_text("修改已保存").wait_for(timeout=20000)
        except Exception as exc:  # the form refused: say what it said
            self.page.screenshot(
                path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "editor-refused.png"), full_page=True
            )
            raise AssertionError("the form did not save:\n" + self.page.inner_text("body")) from exc


def fill_by_table(form: Form, section: Section, day: int) -> dict[str, str]:
    """Every required field of the section, filled by its kind; returns what the file must hold."""
    expected: dict[str, str] = {}
    for spec in section.fields:
        if not (spec.required or spec.kind is Kind.SLUG):
            continue
        expected.update(_fill(form, section, spec, day))
    return expected


def _fill(form: Form, section: Section, spec: Field, day: int) -> dict[str, str]:
    if spec.kind is Kind.TEXT:
        value = f"网页编辑器测试{section.label}{spec.label}"
        form.text(spec.key, value)
        return {spec.key: value}
    if spec.kind is Kind.DATE:
        value = f"2020-02-{day:02d}"
        form.field(spec.key).fill(value)
        return {spec.key: value}
    if spec.kind is Kind.SLUG:
        value = f"web-editor-{section.key}"
        form.text(spec.key, value)
        return {spec.key: value}
    if spec.kind is Kind.TERM:
        first = cms.widget(spec)["options"][0]
        form.choose(spec.key, first["label"])
        return {spec.key: first["value"]}
    if spec.kind is Kind.BOOL:
        form.field(spec.key).click()
        return {spec.key: "true"}
    if spec.kind is Kind.SOURCES:
        container = form.field(spec.key)
        container.get_by_role("button", name=f"新增{spec.label}").click()
        form.text("title", "国家卫生健康委", within=container)
        form.text("url", "http://www.nhc.gov.cn/", within=container)
        return {}
    raise AssertionError(f"no way to fill a required {spec.kind} field yet: {spec.key}")


def _story_file(root: Path, section: Section, expected: dict[str, str]) -> Path:
    return root / "stories" / section.folder / f"{expected['date']}-{expected['slug']}.md"


PHONE = 360


def _open_form(browser: Any, editor: Editor, section: Section, width: int = 1280) -> tuple[Any, Form, list[str]]:
    if width <= PHONE:  # as tests/browser/conftest.VIEWPORTS["phone"]: a small Android phone
        page = browser.new_page(
            viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, locale="zh-CN"
        )
    else:
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(editor.admin)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{editor.admin}#/collections/{section.key}/new")
    page.locator("[id^='title-field-']").wait_for()
    return page, Form(page), requested


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    command = [sys.executable, "-m", "generator", "--config", str(root / "mkdocs.yml"), *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


def _foreign(requested: list[str]) -> list[str]:
    return [url for url in requested if not re.match(r"^(?:https?://127\.0\.0\.1[:/]|data:|blob:|about:)", url)]


# -- the tests ---------------------------------------------------------------------------


def test_one_story_of_each_section_through_the_form(editor: Editor, browser: Any, tmp_path: Path) -> None:
    picture = tmp_path / "web-editor-photo.jpg"
    Image.new("RGB", (800, 500), (179, 18, 62)).save(picture)
    written: list[tuple[Path, dict[str, str]]] = []
    for day, section in enumerate(SECTIONS, start=10):
        page, form, requested = _open_form(browser, editor, section)
        expected = fill_by_table(form, section, day)
        if section.key == "rumours":
            form.picture(picture)
            form.text("image_alt", "一杯白酒的示意图")
            expected.update(image=picture.name, image_alt="一杯白酒的示意图")
        form.body(f"这是用网页编辑器写的{section.label}正文。")
        story = _story_file(editor.root, section, expected)
        if section.key == "rumours":  # saved as a draft first, then published
            form.field("draft").click()
            form.publish()
            assert front_matter(story)["draft"] == "true"
            form.field("draft").click()
        form.publish()
        assert front_matter(story).get("draft", "false") == "false"
        assert _foreign(requested) == [], "the editor loaded from another host"
        page.close()
        written.append((story, expected))

    for path, expected in written:
        assert path.is_file(), f"{path} was not written"
        front = front_matter(path)
        assert {key: front.get(key) for key in expected} == expected, path
        assert "用网页编辑器写的" in path.read_text("utf-8")
    assert (editor.root / "stories" / "images" / picture.name).is_file()
    for path, expected in written:  # the running preview rebuilt with the new stories
        shown = _preview_page(editor, f"/{path.parent.name}/{expected['slug']}/")
        assert expected["title"] in shown, path

    checked = _run(editor.root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    site = editor.root / "built"
    built = _run(editor.root, "build", "--site-dir", str(site))
    assert built.returncode == 0, built.stdout + built.stderr
    for path, expected in written:
        section = path.parent.name
        page_file = site / section / expected["slug"] / "index.html"
        assert page_file.is_file(), f"no page for {path.name}"
        assert expected["title"] in page_file.read_text("utf-8")


def _preview_page(editor: Editor, address: str, seconds: float = 90) -> str:
    """A page of the running preview, once its rebuild after a save has made it."""
    url = f"http://127.0.0.1:{editor.preview}{address}"
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def front_matter(path: Path) -> dict[str, Any]:
    """A story's front matter with every value as the text written (YAML's base loader)."""
    text = path.read_text("utf-8")
    assert text.startswith("---\n"), text[:80]
    front = yaml.load(text.split("---\n", 2)[1], Loader=yaml.BaseLoader)
    assert isinstance(front, dict)
    return front


def test_admin_loads_nothing_from_another_host(editor: Editor, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(editor.admin)
    page.get_by_role("button", name="登录").wait_for()
    page.get_by_role("button", name="登录").click()
    # The stories listed: read through the local proxy from the repository's stories/.
    page.locator("a[href*='/collections/knowledge/entries/']").first.wait_for()
    page.close()
    assert any(url.endswith("/admin/config.yml") for url in requested)
    assert any(f":{editor.proxy}/api/v1" in url for url in requested), "the form did not use the local proxy"
    assert _foreign(requested) == []


def test_a_private_mobile_number_in_the_body_is_refused_by_check(editor: Editor, browser: Any) -> None:
    rumours = next(s for s in SECTIONS if s.key == "rumours")
    page, form, _ = _open_form(browser, editor, rumours)
    expected = fill_by_table(form, rumours, 20)
    form.text("slug", "-private")  # appended to the table's value
    form.body("有问题请联系张阿姨，手机 13812345678。")
    form.publish()
    page.close()
    story = editor.root / "stories" / "rumours" / f"{expected['date']}-{expected['slug']}-private.md"
    assert story.is_file()
    try:
        checked = _run(editor.root, "check")
        assert checked.returncode == 1
        line = next(n for n, text in enumerate(story.read_text("utf-8").splitlines(), 1) if "13812345678" in text)
        assert f"stories/rumours/{story.name}:{line}" in checked.stdout, checked.stdout
        assert "手机" in checked.stdout
    finally:
        story.unlink()  # the other tests of this module check the same copy


# -- the preview, the phone layout and the screenshots -------------------------------------

# A body with a heading, a list and emphasis, typed as an editor would (Markdown marks from
# the keyboard, Chinese through the IME).
MARKDOWN_BODY = [
    "## ",
    "为什么不对",
    "\n",
    "\n",
    "- ",
    "酒精",
    " *",
    "不能",
    "* ",
    "杀死体内病毒",
    "\n",
    "- ",
    "过量饮酒",
    " **",
    "伤身",
    "**",
    "\n",
    "\n",
    "请不要转发。",
]
# What the preview and the site's page are compared on: the stylesheets' work, not the markup.
STYLES = ["font-size", "font-weight", "color", "background-color", "border-left-color", "line-height"]


def _styles(locator: Any) -> dict[str, str]:
    return dict(locator.evaluate("(e, names) => names.map(n => [n, getComputedStyle(e).getPropertyValue(n)])", STYLES))


def test_the_preview_renders_the_body_in_the_sites_stylesheets(editor: Editor, browser: Any) -> None:
    rumours = next(s for s in SECTIONS if s.key == "rumours")
    page, form, requested = _open_form(browser, editor, rumours)
    fill_by_table(form, rumours, 21)
    form.type_markdown("body", MARKDOWN_BODY)
    preview = page.frame_locator("iframe").last
    body = preview.locator(".fed-body")
    expect(body.locator("h2")).to_have_text("为什么不对")
    expect(body.locator("ul > li")).to_have_count(2)
    expect(body.locator("li em")).to_have_text("不能")
    expect(body.locator("li strong")).to_have_text("伤身")
    assert "##" not in body.inner_text() and "*" not in body.inner_text()
    # The verdict banner first, then the claim marked as claimed and checked.
    story = preview.locator("article.fed-story--rumours")
    order = story.evaluate(
        "a => [...a.querySelectorAll('.fed-verdict-banner, .fed-claim, .fed-body')].map(e => e.className)"
    )
    assert [name.split()[0] for name in order] == ["fed-verdict-banner", "fed-claim", "fed-body"]
    verdict = cms.widget(rumours.field("verdict"))["options"][0]  # type: ignore[arg-type]
    expect(story.locator(".fed-verdict-banner__word")).to_have_text(verdict["label"])
    expect(story.locator(".fed-claim__text")).to_have_text(f"网页编辑器测试辟谣{rumours.field('claim').label}")  # type: ignore[union-attr]
    width = int(page.locator("iframe").last.evaluate("f => f.clientWidth"))
    shown = {
        "heading": _styles(body.locator("h2")),
        "item": _styles(body.locator("li").first),
        "banner": _styles(story.locator(".fed-verdict-banner")),
        "verdict": _styles(story.locator(".fed-verdict-banner__word")),
        "claim": _styles(story.locator(".fed-claim")),
    }
    page.close()
    assert _foreign(requested) == []

    # The same story kinds on the site's own page, in a window as wide as the preview.
    site = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    site.goto(f"http://127.0.0.1:{editor.preview}/rumours/baijiu/")
    built = site.locator("article.fed-story--rumours")
    assert built.locator(".fed-verdict-banner").get_attribute("data-verdict") == verdict["value"]
    expected = {
        "heading": _styles(built.locator(".fed-body h2").first),
        "item": _styles(built.locator(".fed-body li").first),
        "banner": _styles(built.locator(".fed-verdict-banner")),
        "verdict": _styles(built.locator(".fed-verdict-banner__word")),
        "claim": _styles(built.locator(".fed-claim")),
    }
    site.close()
    assert shown == expected
    # Styles that are the site's, not a browser's defaults: the verdict's tone, not the text's colour.
    assert shown["banner"]["color"] == shown["banner"]["border-left-color"] != shown["item"]["color"]


def _outside(page: Any, width: int) -> list[str]:
    """Inputs, labels, buttons and links of the page that reach past either side of the screen."""
    return list(
        page.evaluate(
            """width => [...document.querySelectorAll(
'input, textarea, select, label, button, [role=button], a')]
               .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
               .filter(e => !e.closest('[class*="a11yText"]') && e.type !== 'file')
               .map(e => [e, e.getBoundingClientRect()])
               .filter(([e, r]) => r.width > 1 && (r.left < -0.5 || r.right > width + 0.5))
               .map(([e, r]) => `${e.tagName} ${(e.innerText || e.id || e.name || '').slice(0, 20)} [${r.left}..${r.right}]`)""",
            width,
        )
    )


def test_the_form_fits_a_phone(editor: Editor, browser: Any, tmp_path: Path) -> None:
    picture = tmp_path / "phone-photo.jpg"
    Image.new("RGB", (600, 400), (20, 90, 160)).save(picture)
    for day, section in enumerate(SECTIONS, start=22):
        page, form, requested = _open_form(browser, editor, section, width=PHONE)
        page.get_by_text(section.fields[-1].label).first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, section.key
        fill_by_table(form, section, day)
        for button in page.get_by_role("button", name=re.compile("^新增")).all():
            button.click()  # every list open, with its inner fields
        form.picture(picture)
        form.body("在手机上写的正文。", preview=False)
        assert _outside(page, PHONE) == [], section.key
        for control in page.locator("#nc-root input:visible, #nc-root button:visible").all():
            box = control.bounding_box()
            if box and control.get_attribute("type") not in ("checkbox", "radio", "file"):
                assert box["height"] >= 40, f"{section.key}: a control {box['height']} px high"
        # The eye button shows the preview in the whole width instead of the form.
        page.locator("[class*='-ViewControls'] button").first.click()
        frame = page.locator("iframe").last
        frame.wait_for()
        box = frame.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE + 0.5
        expect(page.frame_locator("iframe").last.locator(".fed-body")).to_contain_text("在手机上写的正文")
        page.locator("[class*='-ViewControls'] button").first.click()
        expect(page.locator("[id^='title-field-']").first).to_be_visible()
        page.close()
        assert _foreign(requested) == []


def test_the_story_list_and_the_picture_library_fit_a_phone(editor: Editor, browser: Any) -> None:
    knowledge = next(s for s in SECTIONS if s.key == "knowledge")
    page, _, requested = _open_form(browser, editor, knowledge, width=PHONE)
    page.goto(f"{editor.admin}#/collections/knowledge")
    page.locator("a[href*='/collections/knowledge/entries/']").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert _outside(page, PHONE) == []
    page.goto(f"{editor.admin}#/collections/knowledge/new")
    page.get_by_role("button", name="选择图片").click()
    upload = page.locator("label").filter(has_text=re.compile("^上传$"))
    upload.wait_for()
    assert _outside(page, PHONE) == []
    for control in (upload, page.get_by_role("button", name="选用已选中项目")):
        box = control.bounding_box()
        assert box is not None and box["height"] >= 40 and box["x"] + box["width"] <= PHONE
    page.close()
    assert _foreign(requested) == []


def fill_for_review(form: Form, section: Section, day: int, picture: Path) -> None:
    """A story as a reviewer should see it: every required field in Chinese, a picture, a rendered body."""
    fill_by_table(form, section, day)
    form.text("summary", f"一则用网页编辑器填写的{section.label}示例。")
    form.choose("district", "渝中区")
    form.text("author", "渝中区妇联")
    form.picture(picture)
    form.text("image_alt", "一只医用口罩的示意图")
    honours = section.field("honours")
    if honours is not None:  # one honour, chosen from its list
        container = form.field("honours")
        container.get_by_role("button", name=f"新增{honours.label}").click()
        form.field("title", within=container).click()
        form.page.keyboard.type(cms.widget(honours)["fields"][0]["options"][0]["label"])
        form.page.keyboard.press("Enter")
        form.text("year", "2020", within=container)
    form.type_markdown("body", MARKDOWN_BODY)


@pytest.mark.parametrize("width", [1280, PHONE])
def test_screenshots_of_the_filled_forms(editor: Editor, browser: Any, width: int, tmp_path: Path) -> None:
    """One filled story of each section, as a reviewer sees it (committed under docs/screenshots/,
    small PNGs): at 1280 px the form with the rendered preview beside it, at 360 px the form
    and, in a second picture, the preview the eye button shows."""
    folder = ROOT / os.environ[SCREENSHOTS_ENV] if os.environ.get(SCREENSHOTS_ENV) else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    picture = tmp_path / "kouzhao.jpg"  # a drawing of a mask, from the sample stories
    shutil.copy2(ROOT / "tests" / "sample" / "stories" / "images" / "mask.jpg", picture)
    for day, section in enumerate(SECTIONS, start=24):
        page, form, requested = _open_form(browser, editor, section, width=width)
        fill_for_review(form, section, day, picture)
        honours = section.field("honours")
        # Tall enough to show the preview's body under the picture.
        page.set_viewport_size({"width": width, "height": 1500 if width > PHONE else 1300})
        page.locator("[id^='title-field-']").first.scroll_into_view_if_needed()
        shots = [folder / f"editor-{section.key}-{width}.png"]
        if width > PHONE:
            expect(page.frame_locator("iframe").last.locator(".fed-body h2")).to_be_visible()
            expect(page.frame_locator("iframe").last.locator(".fed-lead img")).to_be_visible()
            if honours is not None:
                expect(page.frame_locator("iframe").last.locator(".fed-honours li")).to_have_count(1)
        page.screenshot(path=str(shots[0]))
        if width <= PHONE:
            page.locator("[class*='-ViewControls'] button").first.click()
            expect(page.frame_locator("iframe").last.locator(".fed-body h2")).to_be_visible()
            shots.append(folder / f"editor-{section.key}-{width}-preview.png")
            page.screenshot(path=str(shots[1]))
        page.close()
        assert _foreign(requested) == []
        for shot in shots:
            with Image.open(shot) as image:
                assert image.width == width
            _shrink(shot)


def _shrink(shot: Path) -> None:
    """A palette PNG: the forms are flat colours, so 128 of them look the same at a tenth of the size."""
    with Image.open(shot) as image:
        small = image.convert("RGB").quantize(colors=128)
    small.save(shot, optimize=True)


def test_editor_command_listens_on_this_host_only_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    running = start_editor(_copy_repository(tmp_path))
    try:
        for port in (running.preview, running.proxy):
            assert listening(port) == ["127.0.0.1"], port
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass
        children = _children(running.process.pid)
        assert len(children) >= 2, "the proxy and the preview should be child processes"
    finally:
        status = stop_editor(running)
    assert status == 0
    for port in (running.preview, running.proxy):
        assert listening(port) == [], f"port {port} still open after Ctrl-C"
    assert [pid for pid in children if Path(f"/proc/{pid}").exists() and not _zombie(pid)] == []


def test_editor_started_in_the_background_stops_both_servers_cleanly_on_sigterm(tmp_path: Path) -> None:
    """`nohup … &` leaves SIGINT ignored; the servers must still take the SIGINT that stops them."""
    running = start_editor(_copy_repository(tmp_path), background=True)
    running.process.send_signal(signal.SIGTERM)
    try:
        status = running.process.wait(timeout=60)
    finally:
        if running.process.poll() is None:
            running.process.kill()
    log = (tmp_path.parent / f"editor-{running.preview}.log").read_text("utf-8")
    assert status == 0, log
    assert "强制结束" not in log  # each server stopped on its SIGINT, none killed
    for port in (running.preview, running.proxy):
        assert listening(port) == [], f"port {port} still open after SIGTERM"


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{pid}$", text, re.M):
            found.append(int(status.parent.name))
    return found


def _zombie(pid: int) -> bool:
    try:
        return "State:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
