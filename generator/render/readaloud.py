"""The read-aloud control on a story page (朗读本文): what it plays and what it skips.

A leaf for the page templates; the audio itself is made by speech.py. The same on every
machine, so the pages do not depend on whether the engine is installed.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import addresses
from generator.core.story import Story

# Parts of a story page that are not read: the section link, the byline, badges (the verdict
# is read in words), the read-aloud control itself, the share block, tags, sources, and
# what only print shows. As CSS selectors for the browser; class names for Python.
SKIP = (
    ".fed-kicker",
    ".fed-byline",
    ".fed-badge",
    ".fed-listen",
    ".fed-share",
    ".fed-tags",
    ".fed-sources",
    ".fed-print-cut",
    ".fed-ask-line",
)
# Read first, wherever the page puts them: a rumour's verdict and fact (the truth sandwich:
# never the claim, nor a title that may echo it, before the fact).
FIRST = (".fed-verdict-banner",)


@dataclass(frozen=True)
class Control:
    """What a story page's read-aloud control needs: its audio's address (relative to the page) and what to skip."""

    audio: str
    skip: str
    first: str


def control(story: Story) -> Control:
    """The read-aloud control of a story's page. The same on every machine: when no audio was
    made (no engine, or a preview), the browser's own voice reads, or the control says it cannot."""
    return Control(audio=addresses.LISTEN_FILE, skip=",".join(SKIP), first=",".join(FIRST))
