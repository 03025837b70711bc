"""Family "every output stays inside the site folder, and no output overwrites another"
(issue "Nothing escapes"): one module (generator/core/addresses.py) decides every address and
output path; these properties generate the spellings a hostile or careless editor would
use, and the builds run on a copy of the whole project, so an escape would show as a
changed file anywhere in it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import pipeline
from generator.content import checks
from generator.core import addresses
from generator.core.outputs import Asset, Page, Site
from generator.core.story import Story
from tests.conftest import ROOT, SAMPLE, sample_settings

DOTS = ["..", ".", "%2e%2e", "%2E.", "%252e%252e", "%25252e.", "．．", "．", "‥", "…", "%E2%80%A5", "%EF%BC%8E."]
SLASHES = ["/", "\\", "%2f", "%2F", "%5c", "%255c", "／", "＼", "%EF%BC%8F", "//", "%252f"]
WORDS = ["rumours", "baijiu", "site_src", "stories", "site", "tags", "index.html", "INDEX.HTM", ".git", ".env"]
WORDS += ["feed.xml", "old.html", "x.htm", "~", "a-b", "A", "assets", "etc", "passwd", "C:", "%00", "\x00"]
ODD = ["?q=1", "#top", "%3f", "%23", " ", "\t", "\u200b", "http:", "https://evil.example", "%", "%%", "%zz"]
ODD += ["%ff", "\ufeff", "\u202e", "\n", "file:", "data:", "?", "#", ":", "@", "%40", "%u002e"]
PIECES = st.one_of(st.sampled_from(DOTS + SLASHES + WORDS + ODD), st.text(max_size=3))
HOSTILE = st.lists(PIECES, max_size=14).map("".join)


def _inside(relative: str) -> bool:
    joined = posixpath.normpath(posixpath.join("/site", relative))
    return joined.startswith("/site/") and ".." not in relative.split("/")


@given(HOSTILE)
def test_an_address_is_refused_or_stays_inside_the_site(text: str) -> None:
    try:
        address = addresses.normalise(text)
    except addresses.AddressError as reason:
        assert str(reason)  # a Chinese reason for the message
        return
    assert address.startswith("/") and "//" not in address
    assert addresses.normalise(address) == address  # normalised once, the same ever after
    segments = [s for s in address.strip("/").split("/") if s]
    assert all(s not in (".", "..") and not s.startswith(".") for s in segments), address
    assert not any(c in address for c in "\\?#%\x00 "), address
    relative = addresses.output_file(address)
    assert _inside(relative), relative
    assert addresses.confine(Path("/site"), relative).resolve().is_relative_to(Path("/site").resolve())


@given(st.text(max_size=40), st.text(max_size=40))
def test_every_output_path_is_confined_or_refused(first: str, second: str) -> None:
    relative = f"{first}/{second}"
    outputs = addresses.Outputs()
    outputs.add(relative, addresses.Source("x"))
    if outputs.outside:
        with pytest.raises(ValueError):
            addresses.confine(Path("/site"), relative)
    else:
        assert _inside(relative)
        assert not any(s.startswith(".") for s in relative.split("/"))


@given(st.text(max_size=30))
def test_a_picture_name_is_one_plain_file_name(name: str) -> None:
    cleaned = addresses.file_name(name)
    addresses.check_relative(cleaned)
    assert "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")
    assert not any(c in cleaned for c in "%?#")


@given(st.text(max_size=60))
def test_a_slug_from_any_title_or_file_name_is_one_plain_segment(text: str) -> None:
    from generator.core import slugs

    for slug in (slugs.from_title(text), slugs.from_file_name(text)):
        if slug is None:
            continue
        assert slugs.SLUG_PATTERN.match(slug), slug
        assert addresses.normalise(f"/rumours/{slug}/") == f"/rumours/{slug}/"


# -- the addresses generated pages own ---------------------------------------------------


@functools.cache
def sample_site() -> tuple[list[Story], Site]:
    outcome, site = pipeline.build(sample_settings())
    assert site is not None
    return outcome.stories, site


def generated_addresses() -> list[str]:
    """The address of every output of the sample site that is not a story's own."""
    stories, site = sample_site()
    own = {s.url for s in stories} | {a for s in stories for a in s.aliases}
    found = {p.url for p in site.pages if p.url not in own}
    found |= {"/" + a.src_uri for a in site.assets if not a.origin}
    return sorted(found)


def test_every_generated_output_is_in_the_namespace_aliases_may_not_take() -> None:
    unclaimed = [a for a in generated_addresses() if addresses.generated_owner(addresses.normalise(a)) is None]
    assert generated_addresses() and not unclaimed, unclaimed


def _respell(address: str, data: st.DataObject) -> str:
    """The same address as an editor might write it: case, index file, percent-encoding, width."""
    text = address
    if text.endswith("/") and data.draw(st.booleans()):
        text += data.draw(st.sampled_from(["index.html", "INDEX.HTM", "index.htm"]))
    elif text.endswith("/") and text != "/" and data.draw(st.booleans()):
        text = text.rstrip("/")
    chars = []
    for char in text:
        how = data.draw(st.sampled_from(["keep", "keep", "upper", "percent", "double", "wide"]))
        if how == "upper" and char.isalpha():
            chars.append(char.upper())
        elif how == "percent" and char != "/":
            chars.append(f"%{ord(char):02X}" if char.isascii() else quote(char, safe=""))
        elif how == "double" and char.isascii() and char != "/":
            chars.append(f"%25{ord(char):02X}")
        elif how == "wide" and "!" <= char <= "~":
            chars.append(chr(ord(char) + 0xFEE0))
        else:
            chars.append(char)
    if data.draw(st.booleans()):
        return "".join(chars).lstrip("/")
    return "".join(chars)


def _alias_problems(alias_text: str) -> list[str]:
    stories, _ = sample_site()
    story = stories[0]
    try:
        alias = addresses.normalise(alias_text)
    except addresses.AddressError:
        return ["refused as an address"]
    changed = dataclasses.replace(story, aliases=(alias,), lines={**story.lines, "aliases": 3})
    others = [s for s in stories if s is not story]
    reserved = pipeline.hand_written_addresses(ROOT / "site_src")
    found = checks.check_site([changed, *others], sample_settings(), reserved)
    return [p.rule for p in found if p.is_error and p.path == story.path and p.rule.startswith("address.alias-")]


def test_an_alias_of_its_own_is_accepted() -> None:
    """The control for the two properties below: a fresh old address passes."""
    assert _alias_problems("/2020/old-pets-page.html") == []
    assert _alias_problems("rumours/old-pets") == []


@given(st.data())
def test_an_alias_never_takes_a_generated_page_however_it_is_spelled(data: st.DataObject) -> None:
    address = data.draw(st.sampled_from(generated_addresses()))
    assert _alias_problems(_respell(address, data)), address


@given(st.data())
def test_an_alias_never_takes_another_story_or_a_hand_written_page(data: st.DataObject) -> None:
    stories, _ = sample_site()
    taken = [s.url for s in stories[1:]] + pipeline.hand_written_addresses(ROOT / "site_src")
    address = data.draw(st.sampled_from(taken))
    assert _alias_problems(_respell(address, data)), address


def test_two_outputs_on_one_file_are_an_error_naming_both() -> None:
    site = Site(
        pages=[Page(src_uri="tags/x/index.md", url="/tags/x/", title="标签", html="")],
        assets=[
            Asset("tags/x/index.html", "a", origin="stories/rumours/a.md 的 aliases"),
            Asset("rumours/a/p.jpg", b"", origin="stories/rumours/a.md 的图片「p.jpg」"),
            Asset("rumours/a/p.jpg/index.html", "b", origin="stories/rumours/b.md 的 aliases"),
            Asset("Rumours/A/P.JPG", b"", origin="stories/rumours/c.md 的图片「P.JPG」"),
            Asset("../site_src/x.html", "c", origin="stories/rumours/d.md 的 aliases"),
        ],
    )
    taken = [("guide/index.html", addresses.Source("site_src/guide/index.md"))]
    site.pages.append(Page(src_uri="guide/index.md", url="/guide/", title="指南", html=""))
    messages = [str(p) for p in pipeline.output_problems(site, taken)]
    assert any("stories/rumours/a.md 的 aliases" in m and "生成器（/tags/x/）" in m for m in messages), messages
    assert any("stories/rumours/b.md 的 aliases" in m and "stories/rumours/a.md 的图片" in m for m in messages)
    assert any("stories/rumours/c.md 的图片" in m and "stories/rumours/a.md 的图片" in m for m in messages)
    assert any("../site_src/x.html" in m and "stories/rumours/d.md" in m for m in messages)
    assert any("site_src/guide/index.md" in m for m in messages), messages
    assert len(messages) == 5, messages


def test_the_sample_site_has_no_clash_and_every_output_is_confined() -> None:
    _, site = sample_site()
    assert pipeline.output_problems(site) == []


# -- builds on a copy of the project: nothing outside the site folder changes ------------


def project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copytree(SAMPLE, project / "stories")
    return project


def build(project: Path, *args: str, command: str = "build") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "--config", str(project / "mkdocs.yml"), command, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def digest(root: Path, skip: tuple[str, ...] = (".cache",)) -> dict[str, str]:
    """Every file and link under `root` (but the cache) with a hash, to see whether anything changed."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.split("/")[0] in skip:
            continue
        if path.is_symlink():
            found[relative] = "link:" + os.readlink(path)
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[relative + "/"] = ""
    return found


def add_aliases(project: Path, aliases: str) -> None:
    story = project / "stories" / "rumours" / "2020-02-07-pets.md"
    text = story.read_text("utf-8")
    story.write_text(text.replace("status: withdrawn\n", f"status: withdrawn\naliases: {aliases}\n"), "utf-8")


def test_an_alias_climbing_out_of_the_site_writes_nothing_anywhere(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    assert build(project, "--site-dir", str(project / "site")).returncode == 0
    add_aliases(project, '["/../../site_src/pwned/", "/%2e%2e/%2e%2e/stories/pwned/", "/../site/index.html"]')
    before = digest(tmp_path)
    result = build(project, "--site-dir", str(project / "site"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "原网站" in result.stderr and "保持不变" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(tmp_path) == before  # the live home page, site_src/ and stories/ alike


def test_a_build_failing_after_the_check_leaves_the_live_site_whole(tmp_path: Path) -> None:
    """A build that fails late (here a picture from another host in a hand-written page,
    found only in the written site) swaps nothing in: the live home page stays."""
    project = project_copy(tmp_path)
    assert build(project, "--site-dir", str(project / "site")).returncode == 0
    guide = project / "site_src" / "guide" / "index.md"
    guide.write_text(guide.read_text("utf-8") + '\n<img src="https://evil.example/x.png" alt="x">\n', "utf-8")
    before = digest(tmp_path)
    result = build(project, "--site-dir", str(project / "site"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "其他网站" in result.stderr and "原网站" in result.stderr
    assert digest(tmp_path) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """MkDocs' own command line, as someone who never heard of `generator build` runs it."""
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("strict", [False, True])
def test_a_plain_mkdocs_build_failing_late_leaves_the_live_site_whole(strict: bool, tmp_path: Path) -> None:
    """`mkdocs build` stages and swaps as `generator build` does: a late failure (found only
    in the written site) or strict mode's abort after the last event changes nothing."""
    project = project_copy(tmp_path)
    site = project / "site"
    assert mkdocs_build(project, "-d", str(site)).returncode == 0
    assert (site / "index.html").is_file() and (site / "rumours").is_dir()
    guide = project / "site_src" / "guide" / "index.md"
    if strict:  # a broken link: only a warning, which --strict turns into an abort after on_post_build
        guide.write_text(guide.read_text("utf-8") + "\n[断链](no-such-page.md)\n", "utf-8")
    else:
        guide.write_text(guide.read_text("utf-8") + '\n<img src="https://evil.example/x.png" alt="x">\n', "utf-8")
    before = digest(tmp_path)
    result = mkdocs_build(project, "-d", str(site), *(["--strict"] if strict else []))
    assert result.returncode != 0, result.stdout + result.stderr
    assert "原网站" in result.stderr and "保持不变" in result.stderr, result.stderr
    assert digest(tmp_path) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_a_plain_mkdocs_build_replaces_the_site_whole(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "left-over.html").write_text("old", "utf-8")
    result = mkdocs_build(project, "-d", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").is_file() and not (site / "left-over.html").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize(
    "where", ["stories", "stories/rumours", "site_src", "site_src/guide", ".", "..", ".cache", ".cache/photos"]
)
def test_a_site_folder_that_is_holds_or_lies_in_the_sources_is_refused_before_anything_is_deleted(
    where: str, tmp_path: Path
) -> None:
    project = project_copy(tmp_path)
    (project / ".cache" / "photos").mkdir(parents=True)
    (project / ".cache" / "photos" / "kept.jpg").write_bytes(b"kept")
    before = digest(tmp_path, skip=())
    result = build(project, "--site-dir", str(project / where))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "不能构建" in result.stderr and "请换一个输出文件夹" in result.stderr
    assert digest(tmp_path, skip=()) == before


@pytest.mark.parametrize("where", ["stories", "site_src/guide", ".", ".cache"])
def test_mkdocs_build_into_the_sources_is_refused_by_the_plugin(where: str, tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    (project / ".cache").mkdir(exist_ok=True)
    before = digest(tmp_path, skip=())
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / where)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "不能构建" in result.stderr or "should not be within" in result.stderr, result.stderr
    assert digest(tmp_path, skip=()) == before
