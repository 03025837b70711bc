"""The package is complete: the wheel carries every file generator/ loads and, installed alone
with the editors' lock into a fresh venv outside the checkout, builds the sample site; every
third-party package generator/ imports is a declared dependency."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from generator.render import shareimage
from tests.conftest import ROOT, SAMPLE

GENERATOR = ROOT / "generator"


def _declared() -> set[str]:
    """The distributions pyproject.toml's [project] dependencies name, normalised."""
    requirements = metadata.requires("federation-site") or []
    return {_normal(re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0]) for r in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported() -> dict[str, str]:
    """Each top-level module generator/ imports from outside the standard library, with a file that does."""
    found: dict[str, str] = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "generator":
                    found.setdefault(top, path.relative_to(ROOT).as_posix())
    return found


def test_every_imported_package_is_a_declared_dependency() -> None:
    imported = _imported()
    assert {"mkdocs", "yaml", "zlib_ng", "numpy"} <= imported.keys()  # the scan sees imports at all
    providers = metadata.packages_distributions()
    declared = _declared()
    undeclared = {
        module: (where, providers.get(module))
        for module, where in imported.items()
        if not {_normal(d) for d in providers.get(module, [])} & declared
    }
    assert undeclared == {}, "imported but not in [project] dependencies"


def test_the_font_package_loaded_by_name_is_declared() -> None:
    (distribution,) = metadata.packages_distributions()[shareimage.FONT_PACKAGE]
    assert _normal(distribution) in _declared()


def _run(*command: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "FEDERATION_STORIES_DIR")}
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_wheel_installed_alone_builds_the_sample_site(tmp_path: Path) -> None:
    # Built from a copy: setuptools builds in the source tree, whose build/ may hold stale files.
    source, wheels = tmp_path / "source", tmp_path / "wheels"
    shutil.copytree(GENERATOR, source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", source)
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source, cwd=tmp_path)
    (wheel,) = wheels.glob("federation_site-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    ours = {
        p.relative_to(ROOT).as_posix()
        for p in GENERATOR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert ours - shipped == set(), "files of generator/ missing from the wheel"
    assert {"generator/templates/browse/atom.xml", "generator/templates/browse/robots.txt"} <= shipped

    # A fresh venv, the editors' lock (hash-checked) and the wheel: no checkout on the path.
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    pip = (python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile")
    _run(*pip, "--require-hashes", "-r", ROOT / "requirements.txt", cwd=tmp_path)
    _run(*pip, "--no-deps", wheel, cwd=tmp_path)
    _run(python, "-m", "pip", "check", cwd=tmp_path)

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copytree(SAMPLE, project / "stories")
    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=project)
    assert Path(where.strip()).is_relative_to(venv), where
    _run(python, "-m", "generator", "build", cwd=project)
    site = project / "site"
    for page in ("index.html", "rumours/baijiu/index.html", "feed.xml", "robots.txt", "search/index.html"):
        assert (site / page).is_file(), f"{page} not built"
