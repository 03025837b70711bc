"""Validity of the files machines read: feeds and sitemaps must parse, or the build fails.

The input boundary (`characters`) keeps every character XML forbids out of the stories;
this is the second line, read from the files as written, so no other source (a site name
in mkdocs.yml, a vocabulary file, a template) can ship a feed a reader's app rejects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

XML_PATTERNS = ("feed.xml", "*/feed.xml", "sitemap*.xml")
JSON_PATTERNS = ("feed.json", "*/feed.json")


@dataclass(frozen=True)
class Invalid:
    """A written file a strict parser refuses: which, at what line, and the parser's reason."""

    file: str
    line: int
    reason: str


def invalid_outputs(site_dir: Path) -> list[Invalid]:
    """Every feed and sitemap under `site_dir` that a strict XML or JSON parser refuses."""
    found: list[Invalid] = []
    for pattern in XML_PATTERNS:
        for path in sorted(site_dir.glob(pattern)):
            try:
                ElementTree.fromstring(path.read_bytes())
            except ElementTree.ParseError as exc:
                found.append(Invalid(path.relative_to(site_dir).as_posix(), exc.position[0], str(exc)))
    for pattern in JSON_PATTERNS:
        for path in sorted(site_dir.glob(pattern)):
            try:
                json.loads(path.read_bytes().decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                found.append(Invalid(path.relative_to(site_dir).as_posix(), getattr(exc, "lineno", 1), str(exc)))
    return found
