"""What our code emits for the sample stories, as files: the expected-output tests compare with
them, and `make expected` (python -m tests.regenerate) rewrites them after an intended change."""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from generator.commands import scaffold
from generator.core.sections import SECTIONS
from tests.conftest import FIXED_TODAY, ROOT, sample_settings

EXPECTED = ROOT / "tests" / "expected"


def outputs() -> dict[str, str]:
    """Relative path under tests/expected → the text our code emits for it today."""
    outcome, site = pipeline.build(sample_settings())
    assert site is not None, [str(p) for p in outcome.problems]
    emitted: dict[str, str] = {}
    for page in site.pages:
        emitted[f"pages/{page.src_uri.removesuffix('.md')}.html"] = page.html
    for asset in site.assets:
        if isinstance(asset.content, str):
            emitted[f"files/{asset.src_uri}"] = asset.content
    for section in SECTIONS:
        emitted[f"new/{section.key}.md"] = scaffold.story_text(section, "示例标题：冒号也安全", FIXED_TODAY)
    return emitted


def on_disk() -> dict[str, str]:
    """The expected files as committed."""
    # Bytes, not text mode: a CSV's CRLF line ends must survive the round trip.
    return {
        p.relative_to(EXPECTED).as_posix(): p.read_bytes().decode("utf-8") for p in EXPECTED.rglob("*") if p.is_file()
    }


def write() -> None:
    """Replace tests/expected with what the code emits now."""
    for path in EXPECTED.rglob("*"):
        if path.is_file():
            path.unlink()
    for relative, text in outputs().items():
        target = EXPECTED / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def paths() -> list[Path]:
    """Committed expected files, for parametrised tests."""
    return sorted(EXPECTED.rglob("*"))
