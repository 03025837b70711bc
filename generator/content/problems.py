"""Problems found in the content, and the report editors read.

Each problem is one rule broken (`generator/content/rules.py`: its stable id and its fix), as
Django's `CheckMessage` has its `id` and `hint`: tests assert the id, editors read the Chinese
message; `check --verbose` shows the id after it and the rule's hint below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from generator.content import privacy
from generator.content.rules import RULES

# The one line MkDocs prints when the plugin stops a build; the report above it says why.
CHECK_FAILED = "内容检查未通过，见上方的错误。"


class Severity(Enum):
    """An error stops the build; a warning is only printed."""

    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line, said in Chinese with its fix."""

    path: str
    line: int
    severity: Severity
    message: str
    # The rule broken (rules.RULES); not compared, so that one report line stays one line.
    rule: str = field(compare=False)

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"problem with an undeclared rule id {self.rule!r}: declare it in content/rules.py")
        # The one place personal data is masked in what editors and logs read: every message
        # (a slug, an alias, a YAML slip or a suggestion may quote a value) and the file's name.
        object.__setattr__(self, "path", privacy.mask(self.path))
        object.__setattr__(self, "message", privacy.mask(self.message))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity.value}：{self.message}"

    def shown(self, verbose: bool = False) -> str:
        """The report's line; with `verbose`, the rule's id after it (`[front.colon-space]`)."""
        return f"{self} [{self.rule}]" if verbose else str(self)

    def hint(self) -> str:
        """The rule's hint: its fix in general, beside the message's own (rules.py)."""
        return RULES[self.rule].hint

    @property
    def is_error(self) -> bool:
        """Whether this problem stops the build."""
        return self.severity is Severity.ERROR


def error(rule: str, path: str, line: int, message: str) -> Problem:
    """An error at `path:line`, breaking the rule of that id (a literal declared in rules.py)."""
    return Problem(path, line, Severity.ERROR, message, rule)


def warning(rule: str, path: str, line: int, message: str) -> Problem:
    """A warning at `path:line`, breaking the rule of that id (a literal declared in rules.py)."""
    return Problem(path, line, Severity.WARNING, message, rule)


def _order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, 0 if problem.is_error else 1, problem.message)


def _listed(problems: Iterable[Problem], verbose: bool) -> list[str]:
    """Each problem's line; with `verbose`, its id after it and its rule's hint on the next line."""
    lines = []
    for problem in problems:
        lines.append(problem.shown(verbose))
        if verbose:
            lines.append(f"    怎么改：{problem.hint()}")
    return lines


def report(problems: Iterable[Problem], verbose: bool = False) -> str:
    """Every problem, one per line in file order, then a one-line summary."""
    ordered = sorted(set(problems), key=_order)
    return "\n".join([*_listed(ordered, verbose), _summary(ordered, "")])


def _summary(problems: list[Problem], whose: str) -> str:
    """The closing line: how many errors and warnings `whose` (「你的文章」 or everyone's) have."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if errors:
        return f"{whose}共 {errors} 个错误、{warnings} 个警告。请按提示修改；有错误时网站不会生成或更新。"
    if warnings:
        return f"{whose}没有错误，{warnings} 个警告。"
    return f"{whose}检查通过，没有发现问题。"


def editor_report(problems: Iterable[Problem], own: set[str], verbose: bool = False) -> str:
    """The editor's own files' problems first, then others' errors; others' warnings in one line."""
    everything = sorted(set(problems), key=_order)
    mine = [p for p in everything if p.path in own]
    others_errors = [p for p in everything if p.path not in own and p.is_error]
    others_warnings = sum(1 for p in everything if p.path not in own and not p.is_error)
    lines = _listed(mine, verbose)
    if others_errors:
        lines += ["", "其他文章的错误（网站要等它们改好才能生成）："] if mine else []
        lines += _listed(others_errors, verbose)
    lines.append(_summary(mine, "你的文章"))
    if others_warnings:
        lines.append(f"另有 {others_warnings} 个警告属于其他文章（运行 check --all 查看）。")
    return "\n".join(lines)
