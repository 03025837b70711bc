"""The JavaScript target (docs/design.md, "Scripts"): every script the public's browsers run is
ES5, for WeChat's X5 and the old Android WebViews and for Safari from iOS 9.

es-check (npm, pinned in package-lock.json) parses each one as ES5: the site's own scripts,
the vendored polyfills and the inline scripts of the templates. The site's own scripts are
also checked for the built-ins past ES5 they may use; each of those is feature-tested where
it is used (search.js sends a browser without Promise to the search page), so it is allowed
by name here, and a new one fails until it is added with its test. The web editor
(`site_src/admin/`) is for editors' own browsers and is not held to this.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.tools import ES_CHECK, ROOT

pytestmark = pytest.mark.requires("node", "es-check")

OWN = sorted((ROOT / "site_src" / "assets" / "javascripts").glob("*.js"))
VENDORED = sorted((ROOT / "site_src" / "assets" / "vendor").glob("*/*.js"))
TEMPLATES = sorted((ROOT / "site_src" / "overrides").rglob("*.html")) + sorted(
    (ROOT / "generator" / "templates").rglob("*.html")
)
# Built-ins past ES5 that the site's scripts use behind a feature test (see the docstring).
FEATURE_TESTED = ("Promise", "PromiseResolve", "Float64Array", "Uint8Array")
_INLINE = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def es_check(files: list[Path], *options: str) -> subprocess.CompletedProcess[str]:
    """es-check's verdict on `files` as ES5."""
    command = ["node", str(ES_CHECK), "es5", *map(str, files), "--noColor", *options]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def inline_scripts(tmp_path: Path) -> list[Path]:
    """Each template's inline scripts as a file, with Jinja's expressions as `null`."""
    found = []
    for template in TEMPLATES:
        for number, script in enumerate(_INLINE.findall(template.read_text("utf-8"))):
            name = template.relative_to(ROOT).as_posix().replace("/", "__")
            target = tmp_path / f"{name}.{number}.js"
            target.write_text(_JINJA.sub("null", script), "utf-8")
            found.append(target)
    return found


def test_every_shipped_script_is_es5(tmp_path: Path) -> None:
    inline = inline_scripts(tmp_path)
    assert OWN and VENDORED and len(inline) >= 3, (OWN, VENDORED, inline)  # the globs still find them
    result = es_check([*OWN, *VENDORED, *inline])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_sites_own_scripts_use_no_built_in_past_es5_untested() -> None:
    result = es_check(OWN, "--checkFeatures", "--allowList", ",".join(FEATURE_TESTED))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "script",
    ["var twice = [1, 2].map((n) => n * 2);", "let count = 1;", "var text = `${1}`;", "class Box {}"],
)
def test_the_check_refuses_syntax_past_es5(script: str, tmp_path: Path) -> None:
    written = tmp_path / "new.js"
    written.write_text(script, "utf-8")
    result = es_check([written])
    assert result.returncode != 0, result.stdout


def test_the_check_refuses_a_built_in_past_es5_not_allowed(tmp_path: Path) -> None:
    written = tmp_path / "new.js"
    written.write_text("var seen = new Set([1]);", "utf-8")
    result = es_check([written], "--checkFeatures", "--allowList", ",".join(FEATURE_TESTED))
    assert result.returncode != 0, result.stdout
