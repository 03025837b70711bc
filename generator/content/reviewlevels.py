"""Review levels (三审), optional per site: who did each level, named on the story.

A site that sets `review_levels` in mkdocs.yml (for example 编辑、初审、复审、终审, the 三审 of
政务新媒体) requires every story that is not a draft to carry `reviewers:`, one line per
level (`初审: 李四`), each level by a different person; the names are printed at the story's
foot. A site without levels changes nothing: `reviewers:` is then only a warning.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from generator.content.editorial import Finding
from generator.core.story import Signoff


def findings(values: dict[str, object], lines: dict[str, int], levels: Sequence[str], draft: bool) -> list[Finding]:
    """Every rule of one story's signatures against the site's levels, each with its line."""
    given = values.get("reviewers")
    signoffs = tuple(s for s in given if isinstance(s, Signoff)) if isinstance(given, tuple) else ()
    line = lines.get("reviewers", 2)
    if not levels:
        return unused(signoffs, line)
    found = unknown_levels(signoffs, levels)
    if not draft:
        found += missing_levels(signoffs, levels, line)
    found += one_person_two_levels(signoffs)
    return found


def unused(signoffs: Sequence[Signoff], line: int) -> list[Finding]:
    """Signatures on a site that sets no levels: kept, but not shown."""
    if not signoffs:
        return []
    return [
        Finding(
            line,
            False,
            "填写了 reviewers（审核签名），但网站没有设置审核级别（mkdocs.yml 的 review_levels），签名不会显示；"
            "不需要三审时可以删掉它。",
            rule="review.levels-unused",
        )
    ]


def unknown_levels(signoffs: Sequence[Signoff], levels: Sequence[str]) -> list[Finding]:
    """A level the site does not have: most often a typo (出审 for 初审)."""
    found: list[Finding] = []
    for signoff in signoffs:
        if signoff.level in levels:
            continue
        close = difflib.get_close_matches(signoff.level, list(levels), n=1, cutoff=0.4)
        hint = f"你是不是想写「{close[0]}」？" if close else ""
        found.append(
            Finding(
                signoff.line,
                True,
                f"审核级别「{signoff.level}」不是本站设置的级别；{hint}本站的级别：{'、'.join(levels)}。",
                rule="review.level-unknown",
            )
        )
    return found


def missing_levels(signoffs: Sequence[Signoff], levels: Sequence[str], line: int) -> list[Finding]:
    """Levels nobody signed, on a story about to be published."""
    signed = {s.level for s in signoffs}
    missing = [level for level in levels if level not in signed]
    if not missing:
        return []
    example = "\n".join(f"  {level}: 姓名" for level in missing)
    what = "缺少 reviewers（审核签名）" if not signoffs else f"审核签名缺少「{'、'.join(missing)}」"
    return [
        Finding(
            line,
            True,
            f"{what}：本站发布前要经过 {'、'.join(levels)} 各级审核，每一级写审核人的姓名，例如\nreviewers:\n{example}\n"
            "还没审完的文章请先加 draft: true 作为草稿保存。",
            rule="review.level-missing",
        )
    ]


def one_person_two_levels(signoffs: Sequence[Signoff]) -> list[Finding]:
    """One name in two levels: each level must be another person's eyes."""
    found: list[Finding] = []
    first: dict[str, Signoff] = {}
    for signoff in signoffs:
        key = "".join(signoff.name.split()).casefold()
        if key in first:
            found.append(
                Finding(
                    signoff.line,
                    True,
                    f"「{signoff.name}」同时签了「{first[key].level}」和「{signoff.level}」：每一级审核必须由不同的人完成，"
                    f"请把「{signoff.level}」改成另一位审核人的姓名。",
                    rule="review.same-person",
                )
            )
        else:
            first[key] = signoff
    return found
