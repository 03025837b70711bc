"""Bad-input and good-input cases as file pairs, in Python-Markdown's style.

Each case is two files under `tests/cases/`:

- `bad/<folder>/<name>.md` (the input) beside `bad/<folder>/<name>.expected` (the rules it
  breaks: one line per problem, `path:line: 错误 [rule.id]`, in the report's order), or the
  same under `good/` for input that must be accepted;
- a handful of cases keep checking the wording instead: their `<name>.report` holds the
  exact report editors read (messages, masking, the closing line). Rewording a message
  touches only those; every other case names its rules by id (generator/content/rules.py);
- `<folder>` is where the input goes under `stories/`: a section (`knowledge`, `rumours`,
  `exemplars`, with sub-folders such as `rumours/2020/`), any other name (`knowlege` for
  the unknown-section case), or `_root` for "directly in `stories/`";
- an input need not be Markdown (`bad/knowledge/通知.docx`) nor UTF-8 (the GBK and NUL
  cases are bytes, written with Python);
- an input that is not a regular file is described by one: `<name>.symlink` becomes a
  symbolic link `<name>` to the path the file holds, `<name>.fifo` a named pipe `<name>`
  (git keeps neither kind as it is).

Each case is checked together with the valid stories in `tests/cases/fixtures/stories/`
(which alone check with no problem at all), in a temporary copy, with today fixed at
2026-01-01; its ids (or, for a `.report`, the report), plus a final newline, must equal the
file byte for byte. A `bad/` case must report at least one problem; a `good/` case no error
(warnings are allowed, and then are in its expected file).

Adding a case is adding two files. To write or rewrite the expected files from what
the checker reports now, run

    REGENERATE_CASES=1 .venv/bin/python -m pytest tests/test_cases.py

then read every changed file in `git diff tests/cases/` before keeping it: a line is only
right if it names the right line and the rule that is broken, and a report only if it is in
Chinese and says what is wrong and how to fix it (`python -m generator check --verbose`
shows each message with its rule's id). A case that shows a bug in the checker keeps the report it *should* give,
written by hand, and fails until the bug is fixed; regenerating overwrites that with
what the checker says now, so put those files back (`git checkout -- <file>`) unless
the new report is right.

`tests/cases/.gitattributes` and `tests/cases/ruff.toml` keep git and ruff from
normalising or reformatting the inputs, which are bytes as editors saved them.
"""

from __future__ import annotations

import difflib
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.content.problems import Problem, report
from generator.core.settings import Settings
from generator.pipeline import Outcome, check

CASES = Path(__file__).resolve().parent / "cases"
FIXTURES = CASES / "fixtures" / "stories"
KINDS = ("bad", "good")
ROOT_FOLDER = "_root"
EXPECTED = ".expected"
WORDING = ".report"  # the few cases whose exact report is kept
EXPECTED_SUFFIXES = (EXPECTED, WORDING)
TODAY = date(2026, 1, 1)
REGENERATE = os.environ.get("REGENERATE_CASES") == "1"
CLEAN = "检查通过，没有发现问题。"
# Keep git and ruff from rewriting the inputs, which are bytes as editors saved them.
HOUSEKEEPING = {".gitattributes", "ruff.toml"}


def case_inputs() -> list[Path]:
    """Every case input under `bad/` and `good/`: any file that is not an expected one."""
    return sorted(
        path
        for kind in KINDS
        for path in (CASES / kind).rglob("*")
        if path.is_file() and path.suffix not in EXPECTED_SUFFIXES
    )


def case_id(path: Path) -> str:
    return path.relative_to(CASES).as_posix()


def expected_file(case: Path) -> Path:
    """The case's `.report` when it keeps the wording, else its `.expected` (ids)."""
    stem = case.stem if case.suffix == ".md" else case.name
    wording = case.with_name(stem + WORDING)
    return wording if wording.is_file() else case.with_name(stem + EXPECTED)


def rule_report(problems: list[Problem]) -> str:
    """One line per problem, in the report's order: where, how bad, and the rule's id."""
    lines = []
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line, 0 if p.is_error else 1, p.message)):
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        lines.append(f"{where}: {problem.severity.value} [{problem.rule}]")
    return "".join(line + "\n" for line in lines)


def place(case: Path, stories: Path) -> Path:
    """Where a case's input goes under `stories/`: its folder under `bad/` or `good/`, `_root` being `stories/`."""
    parts = case.relative_to(CASES).parts[1:]
    if parts[0] == ROOT_FOLDER:
        parts = parts[1:]
    return stories.joinpath(*parts)


def run_case(case: Path, tmp_path: Path) -> Outcome:
    """Check the fixtures plus one case input, as `python -m generator check` would."""
    stories = tmp_path / "stories"
    shutil.copytree(FIXTURES, stories)
    target = place(case, stories)
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.suffix == ".symlink":
        os.symlink(case.read_text("utf-8").strip(), target.with_suffix(""))
    elif case.suffix == ".fifo":
        os.mkfifo(target.with_suffix(""))
    else:
        shutil.copyfile(case, target)
    return check(settings(tmp_path), reserved=[])


def settings(root: Path) -> Settings:
    return Settings(root=root, stories_dir=root / "stories", docs_dir=root / "site_src", today=TODAY)


def diff(expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True), actual.splitlines(keepends=True), "expected", "actual"
    )
    return "".join(lines)


@pytest.mark.parametrize("case", case_inputs(), ids=case_id)
def test_case_report(case: Path, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    expected_path = expected_file(case)
    full = report(outcome.problems)
    actual = full + "\n" if expected_path.suffix == WORDING else rule_report(outcome.problems)
    if REGENERATE:
        expected_path.write_bytes(actual.encode("utf-8"))
    if not expected_path.is_file():
        pytest.fail(f"{case_id(case)} has no {expected_path.name}; write it by hand or with REGENERATE_CASES=1")
    expected = expected_path.read_bytes().decode("utf-8")
    assert actual == expected, (
        f"{case_id(case)}: the report differs from {expected_path.name}:\n{diff(expected, actual)}"
    )
    kind = case.relative_to(CASES).parts[0]
    if kind == "good":
        assert outcome.ok, f"{case_id(case)} must be accepted:\n{full}"
    else:
        assert full.strip() != CLEAN, f"{case_id(case)} must report at least one problem"


def test_every_case_has_its_expected_report_and_no_file_is_stray() -> None:
    stray = []
    for path in sorted(p for p in CASES.rglob("*") if p.is_file()):
        relative = path.relative_to(CASES)
        if relative.as_posix() in HOUSEKEEPING or any(p.startswith(".") for p in relative.parts[:-1]):
            continue  # tools' caches are not cases
        if relative.parts[0] == "fixtures" and relative.parts[1:2] == ("stories",):
            continue
        if relative.parts[0] not in KINDS or len(relative.parts) < 3:
            stray.append(f"{relative.as_posix()}: not a case (cases live in bad/<folder>/ or good/<folder>/)")
        elif path.suffix in EXPECTED_SUFFIXES:
            inputs = [
                p for p in path.parent.iterdir() if p.suffix not in EXPECTED_SUFFIXES and expected_file(p) == path
            ]
            if not inputs:
                stray.append(f"{relative.as_posix()}: no input beside it (or both a .expected and a .report)")
        elif not expected_file(path).is_file():
            stray.append(f"{relative.as_posix()}: no {expected_file(path).name} beside it")
    assert not stray, "\n".join(stray)
    assert case_inputs(), "no cases found"
    wording = [p for p in CASES.rglob("*" + WORDING)]
    assert 5 <= len(wording) <= 20, f"a handful of cases keep checking the wording, not {len(wording)}"


def test_fixtures_alone_check_with_no_problem(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "stories")
    outcome = check(settings(tmp_path), reserved=[])
    assert report(outcome.problems) == CLEAN
    assert sorted(s.url for s in outcome.stories) == [
        "/exemplars/base-exemplar/",
        "/knowledge/base-knowledge/",
        "/rumours/base-rumour/",
    ]


def test_a_chinese_file_name_gets_the_title_pinyin_as_its_address(tmp_path: Path) -> None:
    case = CASES / "good" / "knowledge" / "勤洗手.md"
    outcome = run_case(case, tmp_path)
    urls = {s.path: s.url for s in outcome.stories}
    assert "stories/knowledge/勤洗手.md" in urls, report(outcome.problems)
    assert urls["stories/knowledge/勤洗手.md"] == "/knowledge/qin-xi-shou-chang-tong-feng/"


GOOD_VALUES = {
    "good/knowledge/tags-comma-string.md": lambda story: story.tags == ("口罩", "勤洗手"),
    "good/rumours/verdict-chinese-word.md": lambda story: story.fields["verdict"].code == "false",
    "good/rumours/verdict-false-unquoted.md": lambda story: story.fields["verdict"].code == "false",
    "good/exemplars/honours-both-forms.md": lambda story: (
        [(h.term.label, h.year) for h in story.fields["honours"]] == [("巾帼志愿者", None), ("三八红旗手", 2020)]
    ),
    "good/exemplars/honours-comma-string.md": lambda story: (
        [h.term.label for h in story.fields["honours"]] == ["三八红旗手", "最美家庭"]
    ),
    "good/knowledge/bom-crlf.md": lambda story: story.title == "居家消毒要适度" and "\r" not in story.body,
    "good/rumours/2020/2020-02-11-salt-water.md": lambda story: story.url == "/rumours/salt-water/",
    "good/knowledge/tags-in-full-width-brackets.md": lambda story: (
        story.tags == ("大蒜", "偏方") and story.fields["audience"] == ("老年人", "儿童")
    ),
    # Title lines as `new` writes them (scaffold.title_yaml), read back as typed.
    "good/rumours/title-as-new-writes-quotes-colons-hash.md": lambda story: (
        story.title == "- \"双黄连\" & '板蓝根'：能预防? #1 \\ 😷"
    ),
    "good/rumours/title-as-new-writes-yaml-words.md": lambda story: story.title == "null",
    "good/rumours/title-as-new-writes-leading-dash-and-braces.md": lambda story: (
        story.title == "-{{ 口罩 }} & [勤洗手]: *别信*"
    ),
}


@pytest.mark.parametrize("name", sorted(GOOD_VALUES))
def test_a_good_case_is_read_as_meant(name: str, tmp_path: Path) -> None:
    """A clean report is not enough: the value must also be read as the editor meant it."""
    case = CASES / name
    outcome = run_case(case, tmp_path)
    path = "stories/" + place(case, Path()).as_posix()
    stories = [s for s in outcome.stories if s.path == path]
    assert len(stories) == 1, f"{name} was not accepted:\n{report(outcome.problems)}"
    assert GOOD_VALUES[name](stories[0]), stories[0]
