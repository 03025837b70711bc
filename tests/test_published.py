"""Published addresses are protected by the content check, not by a hand-kept list.

The build writes every address its stories answer at into `published.json`; `check`
compares the stories now with the main branch (or a manifest file) and refuses a published
address that disappears without `status: withdrawn`, an alias or a successor. Adding a story
touches no test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import pipeline
from generator.commands import cli, published
from generator.core import addresses
from generator.core.story import Story
from tests.conftest import SAMPLE, sample_settings
from tests.test_hook import _content_repo, git

NURSE = Path("stories/exemplars/2020-02-12-nurse.md")


def sample_stories() -> list[Story]:
    outcome = pipeline.check(sample_settings())
    assert outcome.ok, [str(p) for p in outcome.problems if p.is_error]
    return outcome.stories


# -- the mechanism, over the sample's stories --------------------------------------------------


@given(data=st.data())
def test_an_address_is_lost_exactly_when_no_live_story_answers_at_it(data: st.DataObject) -> None:
    then = [s for s in STORIES if not s.draft]
    removed = data.draw(st.sets(st.sampled_from(range(len(then)))))
    # Some of the removed addresses are taken over by a kept story's aliases.
    kept = [s for i, s in enumerate(then) if i not in removed]
    taken = data.draw(st.sets(st.sampled_from(sorted(then[i].url for i in removed)))) if removed and kept else set()
    now = list(kept)
    if taken:
        now[0] = _with_aliases(now[0], tuple(sorted(taken)))
    drafted = data.draw(st.sets(st.sampled_from(range(len(now))))) if now else set()
    now = [_drafted(s) if i in drafted else s for i, s in enumerate(now)]
    before = published.parse_manifest(published.manifest(then), "published.json")
    lost = {a.url for a in published.lost(before, now)}
    answered = {s.url for s in now if not s.draft} | {a for s in now if not s.draft for a in s.aliases}
    expected = {a.url for a in before} - answered
    assert lost == expected
    assert {then[i].url for i in removed} - taken <= lost  # a removed story with no alias is always lost


def _with_aliases(story: Story, aliases: tuple[str, ...]) -> Story:
    import dataclasses

    return dataclasses.replace(story, aliases=story.aliases + aliases)


def _drafted(story: Story) -> Story:
    import dataclasses

    return dataclasses.replace(story, draft=True)


STORIES = sample_stories()


def test_the_manifest_holds_every_published_address_and_no_draft() -> None:
    data = json.loads(published.manifest(STORIES))
    live = [s for s in STORIES if not s.draft]
    assert set(data["addresses"]) == {s.url for s in live} | {a for s in live for a in s.aliases}
    assert not {s.url for s in STORIES if s.draft} & set(data["addresses"])
    nurse = next(s for s in STORIES if s.path.endswith("2020-02-12-nurse.md"))
    assert data["addresses"][nurse.url] == {"title": nurse.title, "path": nurse.path}


def test_the_build_writes_the_manifest_into_the_site() -> None:
    _, site = pipeline.build(sample_settings())
    assert site is not None
    written = [a for a in site.assets if a.src_uri == addresses.PUBLISHED_FILE]
    assert len(written) == 1
    assert published.parse_manifest(str(written[0].content), "published.json")
    assert addresses.generated_owner("/" + addresses.PUBLISHED_FILE) is not None  # no alias may take it


def test_a_manifest_that_is_not_one_is_refused_in_chinese(tmp_path: Path) -> None:
    for text in ("not json", "[]", '{"version": 99, "addresses": {}}'):
        (tmp_path / "p.json").write_text(text, "utf-8")
        with pytest.raises(published.PublishedError, match="已发布地址清单"):
            published.read(str(tmp_path / "p.json"), sample_settings())
    with pytest.raises(published.PublishedError, match="找不到"):
        published.read(str(tmp_path / "missing.json"), sample_settings())


# -- check, against the main branch -------------------------------------------------------------


def _said(out: str, where: str, rule: str) -> bool:
    """Whether `check --verbose` printed a problem at `where` breaking `rule`."""
    return any(line.startswith(where) and line.endswith(f" [{rule}]") for line in out.splitlines())


def run_check(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(repo)
    try:
        status = cli.main(["--config", str(repo / "mkdocs.yml"), "check", "--verbose", *args])
    finally:
        os.chdir(old)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A content repository on a district's branch off main, with the sample stories."""
    repo = _content_repo(tmp_path)
    git(repo, "branch", "-M", "main")
    assert git(repo, "checkout", "-qb", "district").returncode == 0
    return repo


@pytest.mark.requires("git")
def test_deleting_a_published_story_is_refused_naming_the_address_and_the_fix(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (branch / NURSE).unlink()
    status, out = run_check(branch, capsys)
    assert status == 1
    assert _said(out, "stories/exemplars/2020-02-12-nurse.md: ", "address.published-gone")
    assert "status: withdrawn" in out and "aliases: [/exemplars/nurse/]" in out  # both fixes, ready to paste
    # Withdrawn instead of deleted: the address keeps answering, with a notice.
    git(branch, "checkout", "--", str(NURSE))
    text = (branch / NURSE).read_text("utf-8")
    (branch / NURSE).write_text(text.replace("consent: true\n", "consent: true\nstatus: withdrawn\n"), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 0, out


@pytest.mark.requires("git")
def test_a_published_story_that_cannot_be_read_is_not_called_deleted(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A YAML slip in a published story (a full-width colon) stops it being read this run: its own
    # error says so; saying that the file was deleted or renamed would send the editor astray.
    text = (branch / NURSE).read_text("utf-8")
    (branch / NURSE).write_text(text.replace("consent: true\n", "consent：true\n"), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 1 and _said(out, "stories/exemplars/2020-02-12-nurse.md:", "front.full-width-colon"), out
    assert "address.published-" not in out and "删除或改名" not in out
    # Deleted, it is called deleted again.
    (branch / NURSE).unlink()
    status, out = run_check(branch, capsys)
    assert status == 1 and _said(out, "stories/exemplars/2020-02-12-nurse.md: ", "address.published-gone")


@pytest.mark.requires("git")
def test_a_moved_story_is_refused_until_its_old_address_is_an_alias(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (branch / NURSE).read_text("utf-8")
    (branch / NURSE).write_text(text.replace("consent: true\n", "consent: true\nslug: head-nurse\n"), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 1
    assert _said(out, "stories/exemplars/2020-02-12-nurse.md:", "address.published-moved")
    assert "/exemplars/head-nurse/" in out and "aliases: [/exemplars/nurse/]" in out
    (branch / NURSE).write_text(
        text.replace("consent: true\n", "consent: true\nslug: head-nurse\naliases: [/exemplars/nurse/]\n"), "utf-8"
    )
    status, out = run_check(branch, capsys)
    assert status == 0, out


@pytest.mark.requires("git")
def test_a_published_story_turned_draft_is_refused(branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (branch / NURSE).read_text("utf-8")
    (branch / NURSE).write_text(text.replace("consent: true\n", "consent: true\ndraft: true\n"), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 1 and _said(out, "stories/exemplars/2020-02-12-nurse.md:", "address.published-now-draft")
    assert "status: withdrawn" in out


@pytest.mark.requires("git")
def test_a_story_added_and_removed_on_the_branch_was_never_published(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = branch / "stories" / "exemplars" / "2020-03-01-new-one.md"
    shutil.copy(branch / NURSE, story)
    text = story.read_text("utf-8").replace("title:", "slug: new-one\ntitle:", 1)
    story.write_text(text, "utf-8")
    git(branch, "add", "-A")
    assert git(branch, "commit", "-qm", "a new story", "--no-verify").returncode == 0
    story.unlink()
    status, out = run_check(branch, capsys)
    assert status == 0, out


@pytest.mark.requires("git")
def test_the_hook_refuses_the_deletion_of_a_published_story(branch: Path) -> None:
    git(branch, "rm", "-q", str(NURSE))
    refused = git(branch, "commit", "-qm", "delete another district's story")
    assert refused.returncode != 0
    assert "已发布的地址 /exemplars/nurse/" in refused.stdout + refused.stderr


@pytest.mark.requires("git")
def test_adding_a_story_needs_nothing_but_the_story(branch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = branch / "stories" / "exemplars" / "2020-03-02-brand-new.md"
    story.write_text((branch / NURSE).read_text("utf-8").replace("title:", "slug: brand-new\ntitle:", 1), "utf-8")
    status, out = run_check(branch, capsys)
    assert status == 0, out


# -- check, against a manifest file --------------------------------------------------------------


def test_check_against_the_last_builds_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(root / "site_src", project / "site_src")
    shutil.copytree(SAMPLE, project / "stories")
    manifest = tmp_path / "published.json"
    manifest.write_text(published.manifest(STORIES), "utf-8")
    (project / NURSE).unlink()
    status, out = run_check(project, capsys, "--published", str(manifest))
    # The manifest names the file where the built site's stories were (here, tests/sample/).
    assert status == 1 and _said(out, "tests/sample/stories/exemplars/2020-02-12-nurse.md: ", "address.published-gone")
    status, out = run_check(project, capsys, "--published", str(tmp_path / "nowhere.json"))
    assert status == 2 and "无法比较已发布的地址" in out
    status, out = run_check(project, capsys, "--published", "none")
    assert status == 0, out


@pytest.mark.requires("git")
def test_a_deleted_story_with_aliases_is_one_error_naming_every_address(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = next(p for p in (branch / "stories").rglob("*.md") if "aliases:" in p.read_text("utf-8"))
    text = story.read_text("utf-8")
    aliases = re.search(r"^aliases: \[(.*)\]$", text, re.M)
    assert aliases is not None
    story.unlink()
    status, out = run_check(branch, capsys)
    assert status == 1
    errors = [line for line in out.splitlines() if ": 错误：" in line]
    assert len(errors) == 1, out
    for alias in aliases.group(1).split(", "):
        assert alias in errors[0]
