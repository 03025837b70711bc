"""The house by layers (issue 13), read from the source with ast: the packages of generator/
are layers, lowest first, and a module imports only from its own layer or those below; no
import cycle, no project import hidden inside a function, MkDocs and Material only in the
adapter, and no module-global cache of a build's results (they live in pipeline.Cache).

Each rule is a function over a package folder, so the tests also run it over small
packages written here with the fault planted, and see it reported."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
# Lowest first. `pipeline` is a module of its own: the spine above rendering and publishing.
LAYERS = ("core", "content", "render", "publish", "pipeline", "adapter", "commands", "__main__")
THEME_PACKAGES = ("mkdocs", "material")
ADAPTER = "adapter"
# `global` statements that are not caches: the work handed to forked workers (read there, once).
GLOBALS_ALLOWED = {("generator.core.workers", "_task")}
# What a memoised (@cache) function may be keyed on: plain values, never a story, page or settings.
PLAIN_TYPES = {"str", "int", "float", "bool", "bytes", "Path"}


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is, and whether it runs inside a function."""

    module: str  # the importing module
    target: str  # the imported module, as far as it is one of the package's (else as written)
    line: int
    in_function: bool


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package under `package`, by dotted name."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _targets(node: ast.Import | ast.ImportFrom, here: str, is_package: bool, known: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = here.split(".") if is_package else here.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    # `from generator.render import pages` imports the module generator.render.pages.
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


def imports(package: Path) -> list[Import]:
    """Every import statement of every module of the package."""
    found = modules(package)
    known = set(found)
    result = []
    for name, path in found.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))

        def visit(node: ast.AST, in_function: bool, name: str = name, path: Path = path) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    for target in _targets(child, name, path.name == "__init__.py", known):
                        result.append(Import(name, target, child.lineno, in_function))
                inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                visit(child, inner)

        visit(tree, False)
    return result


def _own(target: str, root: str) -> bool:
    return target == root or target.startswith(root + ".")


def graph(package: Path) -> dict[str, set[str]]:
    """Which of the package's modules each module imports (at any depth of the code)."""
    names = modules(package)
    edges: dict[str, set[str]] = {name: set() for name in names}
    for found in imports(package):
        target = found.target
        while target and target not in names:
            target = target.rpartition(".")[0]  # `generator.core.story.Story` → its module
        if target and target != found.module and names[target].name != "__init__.py":
            edges[found.module].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def layer(module: str, root: str = "generator") -> str:
    """The layer of a module: its subpackage, or the top-level module itself ("" for the package)."""
    rest = module.removeprefix(root).lstrip(".")
    return rest.split(".")[0]


def inner_imports(package: Path) -> list[Import]:
    """The package's own modules imported inside a function (a cycle or a cost hidden there)."""
    root = package.name
    return [i for i in imports(package) if i.in_function and _own(i.target, root)]


def theme_imports(package: Path) -> list[Import]:
    """Imports of MkDocs or Material outside the adapter package."""
    return [
        i
        for i in imports(package)
        if i.target.split(".")[0] in THEME_PACKAGES and layer(i.module, package.name) != ADAPTER
    ]


def upward_imports(package: Path, layers: tuple[str, ...] = LAYERS) -> list[tuple[str, str]]:
    """(module, imported module) where a module imports from a layer above its own."""
    rank = {name: n for n, name in enumerate(layers)}
    root = package.name
    wrong = []
    for module, targets in graph(package).items():
        for target in targets:
            if rank[layer(target, root)] > rank[layer(module, root)]:
                wrong.append((module, target))
    return sorted(wrong)


def caches(package: Path) -> list[str]:
    """Module-global caches: `global` rebinding, empty containers at module level, and @cache
    functions keyed on something other than plain values. Each as `module:line what`."""
    found = []
    for name, path in modules(package).items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in tree.body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            empty = (isinstance(value, ast.Dict | ast.List | ast.Set) and not _items(value)) or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in ("dict", "set", "list")
                and not value.args
                and not value.keywords
            )
            if empty:
                found.append(f"{name}:{node.lineno} an empty container at module level")
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found += [f"{name}:{node.lineno} global {n}" for n in node.names if (name, n) not in GLOBALS_ALLOWED]
            if isinstance(node, ast.FunctionDef) and any(_is_cache(d) for d in node.decorator_list):
                keys = [a for a in node.args.args if _annotation(a) not in PLAIN_TYPES]
                found += [f"{name}:{node.lineno} @cache {node.name} keyed on {a.arg}" for a in keys]
    return found


def _items(node: ast.Dict | ast.List | ast.Set) -> list[ast.expr | None]:
    return list(node.keys) if isinstance(node, ast.Dict) else list(node.elts)


def _is_cache(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in ("cache", "lru_cache")


def _annotation(argument: ast.arg) -> str:
    return ast.unparse(argument.annotation) if argument.annotation is not None else ""


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_ADDRESS_LITERAL = re.compile(r"""(['"])/[^'"]*\1""")


def template_addresses(text: str) -> list[str]:
    """Site addresses a template writes itself (a quoted `/…` in a Jinja expression), instead
    of taking them from core/addresses.py through the environment's filters and globals."""
    return [m.group(0) for block in _JINJA.findall(text) for m in _ADDRESS_LITERAL.finditer(block)]


# The project itself.


def test_the_scan_sees_the_project() -> None:
    names = modules(PACKAGE)
    assert {"generator.pipeline", "generator.core.story", "generator.adapter.plugin"} <= names.keys()
    edges = graph(PACKAGE)
    assert "generator.core.story" in edges["generator.render.pages"]
    assert any(i.target.startswith("mkdocs") for i in imports(PACKAGE))


def test_every_module_is_in_a_layer() -> None:
    unplaced = [m for m in modules(PACKAGE) if m != "generator" and layer(m) not in LAYERS]
    assert unplaced == [], f"modules outside the layers {LAYERS}"


def test_no_import_cycle() -> None:
    assert cycles(graph(PACKAGE)) == []


def test_no_project_import_inside_a_function() -> None:
    assert inner_imports(PACKAGE) == []


def test_only_the_adapter_imports_mkdocs_or_material() -> None:
    assert theme_imports(PACKAGE) == []


def test_the_content_layer_imports_nothing_from_render_or_publish() -> None:
    wrong = [
        (module, target)
        for module, targets in graph(PACKAGE).items()
        for target in targets
        if layer(module) in ("core", "content") and layer(target) not in ("core", "content")
    ]
    assert wrong == []


def test_each_layer_imports_only_from_itself_and_below() -> None:
    assert upward_imports(PACKAGE) == []


def test_no_module_global_cache() -> None:
    assert caches(PACKAGE) == []


def test_templates_take_every_address_from_the_addresses_module() -> None:
    templates = sorted(p for p in (PACKAGE / "templates").rglob("*") if p.is_file())
    assert len(templates) > 20
    written = {t.relative_to(PACKAGE).as_posix(): template_addresses(t.read_text("utf-8")) for t in templates}
    assert {name: found for name, found in written.items() if found} == {}


# The rules, over packages with the fault planted.


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "generator"
    for relative, text in {"__init__.py": "", **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text, "utf-8")
    return root


def test_a_cycle_through_a_late_import_is_found(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "render/pages.py": "from generator.core import story\n\ndef f():\n    from generator.render import browse\n",
            "render/browse.py": "from generator.render.pages import f\n",
            "core/story.py": "",
        },
    )
    assert cycles(graph(package)) == [["generator.render.browse", "generator.render.pages"]]
    assert [(i.module, i.target, i.line) for i in inner_imports(package)] == [
        ("generator.render.pages", "generator.render.browse", 4)
    ]


def test_a_longer_cycle_and_a_relative_import_are_found(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "core/a.py": "from . import b\n",
            "core/b.py": "from generator.core.c import x\n",
            "core/c.py": "import generator.core.a\nx = 1\n",
            "core/d.py": "from generator.core import a\n",
        },
    )
    assert cycles(graph(package)) == [["generator.core.a", "generator.core.b", "generator.core.c"]]


def test_mkdocs_outside_the_adapter_is_found(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "adapter/plugin.py": "from mkdocs.plugins import BasePlugin\n",
            "render/pages.py": "def f():\n    import material.plugins\n",
            "commands/cli.py": "from mkdocs.commands import build\n",
        },
    )
    assert sorted((i.module, i.target) for i in theme_imports(package)) == [
        ("generator.commands.cli", "mkdocs.commands"),
        ("generator.render.pages", "material.plugins"),
    ]


def test_an_import_from_a_higher_layer_is_found(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "content/checks.py": "from generator.render import pages\nfrom generator.core import story\n",
            "render/pages.py": "from generator import pipeline\n",
            "pipeline.py": "from generator.render import pages\n",
            "core/story.py": "",
        },
    )
    assert upward_imports(package) == [
        ("generator.content.checks", "generator.render.pages"),
        ("generator.render.pages", "generator.pipeline"),
    ]
    assert cycles(graph(package)) == [["generator.pipeline", "generator.render.pages"]]


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("_MEMO: dict[int, str] = {}\n", "an empty container at module level"),
        ("_SEEN = set()\n", "an empty container at module level"),
        ("_r = None\ndef get():\n    global _r\n    _r = 1\n", "global _r"),
        (
            "from functools import cache\n@cache\ndef draw(card: Card, path: Path) -> bytes:\n    return b''\n",
            "@cache draw keyed on card",
        ),
        ("import functools\n@functools.lru_cache(8)\ndef f(story):\n    pass\n", "@cache f keyed on story"),
    ],
)
def test_a_module_global_cache_is_found(tmp_path: Path, source: str, what: str) -> None:
    package = _package(tmp_path, {"render/share.py": source})
    assert [c.split(" ", 1)[1] for c in caches(package)] == [what]


def test_plain_memos_and_tables_are_not_caches(tmp_path: Path) -> None:
    source = (
        "from functools import cache\nTABLE = {'a': 1}\nNAMES = ['x']\n"
        "@cache\ndef font(path: Path, size: int) -> object:\n    return None\n"
        "@cache\ndef table() -> dict[int, str]:\n    return {}\n"
    )
    package = _package(tmp_path, {"render/share.py": source})
    assert caches(package) == []


def test_an_address_written_in_a_template_is_found() -> None:
    text = (
        "<a href=\"{{ link('/districts/' ~ story.district.slug ~ '/') }}\">x</a>"
        '{% set home = "/" %}<a href="/plain/">{{ link(tag | tag_address) }}</a>'
    )
    assert template_addresses(text) == ["'/districts/'", "'/'", '"/"']
