"""A checked story: the typed values of one file, ready to render."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

from generator.core import addresses
from generator.core.sections import Role, Section
from generator.core.vocab import Term


@dataclass(frozen=True)
class Source:
    """An authority's page that supports the story."""

    title: str
    url: str


@dataclass(frozen=True)
class Honour:
    """An honour from the honours list, with the optional year, level and issuer."""

    term: Term
    year: int | None = None
    level: str = ""
    issuer: str = ""


@dataclass(frozen=True)
class Picture:
    """An image a story uses: how the story names it, where it is, what the site calls it."""

    ref: str
    source: Path
    name: str
    line: int

    @property
    def thumbnail(self) -> str:
        """The file name of the small variant listings show."""
        stem, dot, suffix = self.name.rpartition(".")
        return f"{stem}-small.{suffix}" if dot else f"{self.name}-small"


T = TypeVar("T")


@dataclass(frozen=True)
class Correction:
    """One entry of a story's correction log: when, what kind (更正、更新、撤回), and what changed."""

    date: datetime.date
    kind: Term
    note: str
    line: int = 0


@dataclass(frozen=True)
class Signoff:
    """One review level of a story signed (三审): the level as the site names it, and who did it."""

    level: str
    name: str
    line: int = 0


# Identity, not field-by-field equality: a story is one file, and comparing two stories'
# bodies whenever one is looked up in a list made listings quadratic.
@dataclass(frozen=True, eq=False)
class Story:
    """One published (or draft) story with every front-matter value typed and checked."""

    path: str
    section: Section
    slug: str
    title: str
    date: datetime.date
    summary: str
    body: str
    body_line: int
    tags: tuple[str, ...] = ()
    district: Term | None = None
    author: str = ""
    image: Picture | None = None
    image_alt: str = ""
    pictures: tuple[Picture, ...] = ()
    updated: datetime.date | None = None
    status: Term | None = None
    superseded_by: str = ""
    draft: bool = False
    aliases: tuple[str, ...] = ()
    review_due: datetime.date | None = None
    fields: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The story's address, `/<section>/<slug>/`."""
        return addresses.story_address(self.section.key, self.slug)

    @property
    def src_uri(self) -> str:
        """The path MkDocs knows the page by."""
        return f"{self.section.key}/{self.slug}.md"

    @property
    def sort_key(self) -> tuple[datetime.date, str]:
        """Newest first when sorted in reverse; the address breaks ties so order is stable."""
        return (self.date, self.url)

    @overload
    def get(self, key: str | Role) -> object: ...

    @overload
    def get(self, key: str | Role, kind: type[T]) -> T | None: ...

    def get(self, key: str | Role, kind: type[Any] = object) -> Any:
        """The value of any field of the story, by its key or by the role its section gives it:
        a common field (an attribute) or one of the section's own (in `fields`). None when the
        section has no such field, the story leaves it empty, or its value is not a `kind`."""
        spec = self.section.with_role(key) if isinstance(key, Role) else self.section.field(key)
        if spec is None:
            return None
        value = self.fields[spec.key] if spec.key in self.fields else getattr(self, spec.key, None)
        return value if isinstance(value, kind) else None

    def line(self, key: str | Role, default: int) -> int:
        """The line the field (by key or role) was written on, else `default`."""
        spec = self.section.with_role(key) if isinstance(key, Role) else self.section.field(key)
        return self.lines.get(spec.key, default) if spec is not None else default

    @property
    def corrections(self) -> tuple[Correction, ...]:
        """The correction log as written (oldest first as editors append), from `corrections:`."""
        found = self.fields.get("corrections", ())
        return tuple(c for c in found if isinstance(c, Correction)) if isinstance(found, tuple) else ()

    @property
    def signoffs(self) -> tuple[Signoff, ...]:
        """Who did each review level (`reviewers:`), in the order written."""
        found = self.fields.get("reviewers", ())
        return tuple(s for s in found if isinstance(s, Signoff)) if isinstance(found, tuple) else ()

    @property
    def modified(self) -> datetime.date:
        """When the story last changed in substance: `updated` or its latest correction, never before `date`."""
        days: list[datetime.date] = [self.date, *(c.date for c in self.corrections)]
        if self.updated is not None:
            days.append(self.updated)
        return max(days)

    def overdue(self, today: datetime.date) -> bool:
        """Whether the expert review is past due."""
        return self.review_due is not None and today > self.review_due
