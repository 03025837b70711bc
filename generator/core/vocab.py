"""Controlled vocabularies (districts, honours, verdicts, statuses), read from data files."""

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

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        # Sent between worker processes by name; the vocabularies are the same in every process.
        return (_term, (self.vocabulary, self.code))


def _term(vocabulary: str, code: str) -> Term:
    return by_name(vocabulary).get(code)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of terms; a value may be given as its code or as its Chinese label."""

    name: str
    label: str
    terms: tuple[Term, ...]

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
            # 渝中 for 渝中区, 石柱县 for 石柱土家族自治县: containment beats edit distance.
            if value and (value in known or known in value) and len(value) >= 2:
                return candidates[known]
        close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.5)
        return candidates[close[0]] if close else None

    def labels(self, latin: bool = False) -> str:
        """All choices, joined the way messages list them; with `latin`, as `false（谣言）`."""
        return "、".join(f"{t.code}（{t.label}）" if latin and t.code != t.label else t.label for t in self.terms)


def _load(name: str, label: str, key: str) -> Vocabulary:
    text = resources.files("generator.vocabularies").joinpath(f"{name}.yaml").read_text("utf-8")
    rows = yaml.safe_load(text)
    terms = []
    for row in rows:
        code = str(row[key])
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
            )
        )
    return Vocabulary(name=name, label=label, terms=tuple(terms))


@cache
def districts() -> Vocabulary:
    """The 40 district and county federations the notice addresses, plus 市妇联."""
    return _load("districts", "区县", "name")


@cache
def honours() -> Vocabulary:
    """Honours an exemplar may carry."""
    return _load("honours", "荣誉", "name")


@cache
def verdicts() -> Vocabulary:
    """Verdicts of a rumour."""
    return _load("verdicts", "结论", "code")


@cache
def statuses() -> Vocabulary:
    """States of a story."""
    return _load("statuses", "状态", "code")


@cache
def corrections() -> Vocabulary:
    """Kinds of a correction-log entry (更正、更新、撤回)."""
    return _load("corrections", "更正类型", "code")


def by_name(name: str) -> Vocabulary:
    """Look a vocabulary up by the name the sections table uses."""
    return {
        "districts": districts,
        "honours": honours,
        "verdicts": verdicts,
        "statuses": statuses,
        "corrections": corrections,
    }[name]()
