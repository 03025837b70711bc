"""The `new` command's work: a new story file from its section's template, never overwriting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from generator import slugs
from generator.pages import environment
from generator.sections import SECTIONS, Section


def find_section(name: str) -> Section | None:
    """A section by its folder name or its Chinese label."""
    for section in SECTIONS:
        if name in (section.key, section.label):
            return section
    return None


def story_text(section: Section, title: str, today: date) -> str:
    """The text of a new story: every field of the section, explained in Chinese comments."""
    required = [f for f in section.fields if f.required]
    optional = [f for f in section.fields if not f.required]
    template = environment().get_template("new.md")
    # Dumped, not pasted, so a title with a colon or a leading quote stays valid YAML.
    title_yaml = yaml.safe_dump(title, allow_unicode=True, default_style=None).strip().removesuffix("...").strip()
    return (
        template.render(
            section=section, title=title_yaml, today=today.isoformat(), required=required, optional=optional
        )
        + "\n"
    )


def create(stories_dir: Path, section: Section, title: str, today: date) -> Path:
    """Write a new story under `stories/<section>/` and return its path; an existing file is never touched."""
    folder = stories_dir / section.folder
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{today.isoformat()}-{slugs.from_title(title)}"
    text = story_text(section, title, today)
    for counter in range(1, 1000):
        path = folder / (f"{stem}.md" if counter == 1 else f"{stem}-{counter}.md")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{folder / stem}.md")
