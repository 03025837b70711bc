"""Controlled vocabularies (districts, honours, verdicts, statuses), read from data files.

Every YAML file in `generator/vocabularies/` that is a list of terms is a vocabulary, named
by its file (`districts.yaml` is `districts`, which a field's `vocabulary` names); a term is
keyed by `code`, or by `name` where the name is the code (a district, an honour). The other
files there (questions.yaml, synonyms.yaml) are mappings or lists of lists, read by their own
modules.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable code, the Chinese label readers see, and extras."""

    code: str
    label: str
    slug: str
    icon: str = ""
    tone: str = ""
    explain: str = ""
    notice: str = ""
    vocabulary: str = ""
    rating: int | None = None  # a verdict's place on schema.org's Rating scale (JSON-LD)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        # Sent between worker processes by name; the vocabularies are the same in every process.
        return (_term, (self.vocabulary, self.code))


def _term(vocabulary: str, code: str) -> Term:
    return by_name(vocabulary).get(code)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of terms; a value may be given as its code or as its Chinese label."""

    name: str
    terms: tuple[Term, ...]

    @property
    def ratings(self) -> tuple[int, int] | None:
        """The worst and best rating its terms carry, if any carries one."""
        found = [t.rating for t in self.terms if t.rating is not None]
        return (min(found), max(found)) if found else None

    def find(self, value: str) -> Term | None:
        """Return the term whose code or label is `value`, if any."""
        for term in self.terms:
            if value in (term.code, term.label):
                return term
        return None

    def get(self, code: str) -> Term:
        """Return the term with this code; the code must exist."""
        term = self.find(code)
        if term is None:
            raise KeyError(code)
        return term

    def suggest(self, value: str) -> str | None:
        """The known value nearest to a mistyped one (a code for Latin input, else a label), or None."""
        latin = value.isascii()
        candidates = {t.label: t.label for t in self.terms if not latin} | {
            t.code: (t.code if latin else t.label) for t in self.terms if t.code != t.label
        }
        for known in candidates:
            # 渝中 for 渝中区, 石柱 for 石柱土家族自治县: containment beats edit distance (石柱县 is found by the latter).
            if value and (value in known or known in value) and len(value) >= 2:
                return candidates[known]
        close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.5)
        return candidates[close[0]] if close else None

    def labels(self, latin: bool = False) -> str:
        """All choices, joined the way messages list them; with `latin`, as `false（谣言）`."""
        return "、".join(f"{t.code}（{t.label}）" if latin and t.code != t.label else t.label for t in self.terms)


_FOLDER = "generator.vocabularies"
_KEYS = ("code", "name")


def _terms(name: str, rows: object) -> tuple[Term, ...] | None:
    """The terms of a vocabulary file, or None when the file is no list of terms."""
    if not isinstance(rows, list) or not rows or not all(isinstance(row, dict) for row in rows):
        return None
    key = next((k for k in _KEYS if all(k in row for row in rows)), None)
    if key is None:
        return None
    terms = []
    for row in rows:
        code = str(row[key])
        rating = row.get("rating")
        terms.append(
            Term(
                code=code,
                label=str(row.get("label", code)),
                slug=str(row.get("slug", code)).replace("_", "-"),
                icon=str(row.get("icon", "")),
                tone=str(row.get("tone", "")),
                explain=str(row.get("explain", "")),
                notice=str(row.get("notice", "")),
                vocabulary=name,
                rating=None if rating is None else int(rating),
            )
        )
    return tuple(terms)


# Read once per process: the files are part of the package, the same in every process.
@cache
def all_vocabularies() -> dict[str, Vocabulary]:
    """Every vocabulary of the folder, by name."""
    found: dict[str, Vocabulary] = {}
    for entry in sorted(resources.files(_FOLDER).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        name = entry.name.removesuffix(".yaml")
        terms = _terms(name, yaml.safe_load(entry.read_text("utf-8")))
        if terms is not None:
            found[name] = Vocabulary(name=name, terms=terms)
    return found


def by_name(name: str) -> Vocabulary:
    """Look a vocabulary up by the name the sections table uses (its file's name)."""
    return all_vocabularies()[name]


def districts() -> Vocabulary:
    """The 40 district and county federations the notice addresses, plus 市妇联."""
    return by_name("districts")


def honours() -> Vocabulary:
    """Honours an exemplar may carry."""
    return by_name("honours")


def verdicts() -> Vocabulary:
    """Verdicts of a rumour."""
    return by_name("verdicts")


def statuses() -> Vocabulary:
    """States of a story."""
    return by_name("statuses")


def corrections() -> Vocabulary:
    """Kinds of a correction-log entry (更正、更新、撤回)."""
    return by_name("corrections")
