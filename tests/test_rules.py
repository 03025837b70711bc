"""Problems with ids (generator/content/rules.py): every rule is declared once with its hint,
every problem the code makes names a declared rule by a literal id, and the id shows only
where asked for (`check --verbose`), never in the report editors read by default."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator.content import problems, rules
from generator.content.rules import RULES
from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
ID = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")
# Where a rule's id is passed: the problem makers, the readers' and converters' own makers,
# and the records of the scanners (a `rule=` keyword), checked in every module.
MAKERS = {"error", "warning"}  # from generator.content.problems
METHODS = {"err", "warn", "_fail"}  # FieldReader's, frontmatter's converter's: the id first


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text("utf-8"))) for path in sorted(GENERATOR.rglob("*.py"))]


def _imports_makers(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "generator.content.problems" for node in ast.walk(tree)
    )


def _rule_arguments(tree: ast.Module) -> list[ast.expr]:
    """Every expression the module passes or assigns as a rule's id."""
    found: list[ast.expr] = []
    makers = _imports_makers(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            named = isinstance(func, ast.Name) and func.id in MAKERS and makers
            qualified = (
                isinstance(func, ast.Attribute)
                and func.attr in MAKERS
                and isinstance(func.value, ast.Name)
                and func.value.id == "problems"
            )
            method = isinstance(func, ast.Attribute) and func.attr in METHODS
            if (named or qualified or method) and node.args:
                found.append(node.args[0])
            if isinstance(func, ast.Name) and func.id == "Problem" and len(node.args) >= 5:
                found.append(node.args[4])
            found.extend(keyword.value for keyword in node.keywords if keyword.arg == "rule")
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "rule" for t in node.targets):
            found.append(node.value)
    return found


def _literals(expression: ast.expr) -> list[str] | None:
    """The literal ids an expression can be, [] for a forwarded one (`x.rule`, `rule`), None otherwise."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, ast.IfExp):
        body, orelse = _literals(expression.body), _literals(expression.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(expression, ast.Attribute) and expression.attr == "rule":
        return []  # a scanner's finding carries the id its own maker passed as a literal
    if isinstance(expression, ast.Name) and expression.id == "rule":
        return []  # a parameter or a variable assigned a literal (checked as an assignment)
    return None


def used_ids() -> dict[str, list[str]]:
    """Every literal rule id in generator/, with the places that pass it."""
    used: dict[str, list[str]] = {}
    not_literal = []
    for path, tree in _modules():
        for expression in _rule_arguments(tree):
            where = f"{path.relative_to(ROOT)}:{expression.lineno}"
            literals = _literals(expression)
            if literals is None:
                not_literal.append(where)
                continue
            for literal in literals:
                used.setdefault(literal, []).append(where)
    assert not not_literal, f"a rule's id must be a literal (or a finding's .rule): {not_literal}"
    return used


def test_every_rule_id_the_code_passes_is_a_literal_declared_in_the_registry() -> None:
    undeclared = {rule: places for rule, places in used_ids().items() if rule not in RULES}
    assert not undeclared, f"declare these ids in generator/content/rules.py: {undeclared}"


def test_every_declared_rule_is_used() -> None:
    assert sorted(RULES.keys() - used_ids().keys()) == [], "a rule no code breaks: delete it from rules.py"


def test_the_code_passes_some_hundred_ids_so_the_scan_sees_them() -> None:
    # Guards the scan itself: a change that made it see nothing would pass the two tests above.
    assert len(used_ids()) > 100


def test_each_id_is_short_grouped_and_has_a_chinese_hint() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id and ID.match(rule_id), rule_id
        assert len(rule_id) <= 40, rule_id
        assert rule.hint.endswith("。") and re.search(r"[\u4e00-\u9fff]", rule.hint), rule_id


def test_an_id_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        rules._declare(("front.tab-indent", "一"), ("front.tab-indent", "二"))


def test_a_problem_with_an_undeclared_id_is_a_bug_at_once() -> None:
    with pytest.raises(ValueError, match="undeclared rule id"):
        problems.error("front.no-such-rule", "stories/x.md", 1, "示例")


def test_the_id_shows_only_when_asked_for() -> None:
    found = [problems.error("front.tab-indent", "stories/x.md", 3, "这一行用了 Tab 键缩进。")]
    assert problems.report(found).splitlines()[0] == "stories/x.md:3: 错误：这一行用了 Tab 键缩进。"
    assert problems.report(found, verbose=True).splitlines()[0].endswith(" [front.tab-indent]")
    assert "front.tab-indent" not in problems.editor_report(found, {"stories/x.md"})
    assert "[front.tab-indent]" in problems.editor_report(found, {"stories/x.md"}, verbose=True)


def test_one_line_stays_one_line_whatever_its_rule() -> None:
    # The id is not compared: the same place and message reported twice is printed once.
    twice = [
        problems.error("front.tab-indent", "a.md", 1, "同一句。"),
        problems.error("front.empty", "a.md", 1, "同一句。"),
    ]
    assert problems.report(twice).count("同一句") == 1
