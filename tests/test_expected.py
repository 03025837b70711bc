"""Expected-output tests on what the core emits (page content, redirects, new-story templates),
not on the theme's HTML. Regenerate with `make expected` after an intended change."""

from __future__ import annotations

import difflib

import pytest

from tests.expected_output import on_disk, outputs

EMITTED = outputs()
COMMITTED = on_disk()


def test_the_same_files_are_emitted() -> None:
    assert sorted(EMITTED) == sorted(COMMITTED), "run `make expected` and review the diff"


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_output_matches(name: str) -> None:
    got = EMITTED.get(name, "")
    want = COMMITTED[name]
    diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "expected", "emitted", lineterm=""))
    assert got == want, diff
