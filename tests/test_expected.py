"""Expected-output tests on what the core emits (page content, redirects, new-story templates),
not on the theme's HTML. Regenerate with `make expected` after an intended change."""

from __future__ import annotations

import difflib

import pytest

from tests.expected_output import on_disk, outputs

# Only the committed files' names are read at collection; the build runs once, in a fixture,
# so collecting (`pytest --collect-only`, `-k other`) builds nothing and a failing build is
# reported as the tests' error instead of stopping the whole collection.
COMMITTED = on_disk()


@pytest.fixture(scope="module")
def emitted() -> dict[str, str]:
    """What the code emits now, built once for this module."""
    return outputs()


def test_the_same_files_are_emitted(emitted: dict[str, str]) -> None:
    assert sorted(emitted) == sorted(COMMITTED), "run `make expected` and review the diff"


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_output_matches(name: str, emitted: dict[str, str]) -> None:
    got = emitted.get(name, "")
    want = COMMITTED[name]
    diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "expected", "emitted", lineterm=""))
    assert got == want, diff
