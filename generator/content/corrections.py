"""The correction log's rules (`corrections:`), as fact-checkers keep one.

Each published change of substance gets an entry: 更正 (an error of fact fixed), 更新 (news
added later) or 撤回 (the story taken back). Entries are never rewritten; the page lists them
newest first, the feeds and `dateModified` follow the newest, and /corrections/ lists them all.

Withdrawal: a story is taken back with `status: withdrawn` (the notice at its top, the old
address kept) *and* a 撤回 entry saying when and why. A newest entry of 撤回 without the status
is an error (the page would not say it is withdrawn); the status without any 撤回 entry is a
warning (stories withdrawn before the log existed stay valid). A story put back after a
withdrawal records that as a later 更新 and returns to `status: current`.

A published rumour's verdict may change only with a new entry, and a published entry is never
deleted (commands/published.py compares with the published manifest): `verdict_change` and
`entries_removed` say so, naming what readers saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from generator.content.editorial import FUTURE_TOLERANCE, Finding
from generator.content.problems import Problem, error
from generator.core import vocab
from generator.core.sections import Role
from generator.core.story import Correction, Story

WITHDRAWAL = "withdrawal"
WITHDRAWN = "withdrawn"


def newest_first(corrections: Sequence[Correction]) -> list[Correction]:
    """The log as readers see it: the newest entry first; entries of one day in the reverse of their order."""
    return [c for _, c in sorted(enumerate(corrections), key=lambda pair: (pair[1].date, pair[0]), reverse=True)]


def findings(values: dict[str, object], lines: dict[str, int], today: date) -> list[Finding]:
    """Every rule of one story's log, with the entry's line."""
    log = values.get("corrections")
    if not isinstance(log, tuple) or not log:
        return _status_without_withdrawal((), values, lines)
    entries = tuple(c for c in log if isinstance(c, Correction))
    published = values.get("date")
    found = before_publication(entries, published if isinstance(published, date) else None)
    found += in_future(entries, today)
    found += empty_notes(entries)
    found += _withdrawal_without_status(entries, values)
    found += _status_without_withdrawal(entries, values, lines)
    return found


def before_publication(entries: Sequence[Correction], published: date | None) -> list[Finding]:
    """An entry dated before the story was published: a typo in the year or the month."""
    if published is None:
        return []
    return [
        Finding(
            c.line,
            True,
            f"更正记录的日期 {c.date.isoformat()} 早于文章的发布日期 date（{published.isoformat()}）：更正只能在发布之后；"
            "请检查年份和月份是否打错。",
            rule="correction.before-publication",
        )
        for c in entries
        if c.date < published
    ]


def in_future(entries: Sequence[Correction], today: date) -> list[Finding]:
    """An entry dated after today (beyond the tolerance every date of the site has)."""
    return [
        Finding(
            c.line,
            True,
            f"更正记录的日期 {c.date.isoformat()} 比今天（{today.isoformat()}）晚 {(c.date - today).days} 天："
            "请写实际更正的日期，不能写将来的日子。",
            rule="correction.in-future",
        )
        for c in entries
        if c.date > today + FUTURE_TOLERANCE
    ]


def empty_notes(entries: Sequence[Correction]) -> list[Finding]:
    """An entry whose note says nothing readers can use."""
    return [
        Finding(
            c.line,
            True,
            "更正记录的 note 是空的：请用一句话写明改了什么，例如 第二段的数字写错了，已改正。",
            rule="correction.note-empty",
        )
        for c in entries
        if not c.note.strip()
    ]


def _withdrawal_without_status(entries: Sequence[Correction], values: dict[str, object]) -> list[Finding]:
    newest = newest_first(entries)[0]
    status = values.get("status")
    if newest.kind.code != WITHDRAWAL or getattr(status, "code", "") == WITHDRAWN:
        return []
    return [
        Finding(
            newest.line,
            True,
            "最新的更正记录是「撤回」，但 status 不是 withdrawn：页面不会显示撤回提示。请同时写 status: withdrawn；"
            "如果文章已恢复发布，请再加一条「更新」记录说明恢复的原因。",
            rule="correction.withdrawal-without-status",
        )
    ]


def _status_without_withdrawal(
    entries: Sequence[Correction], values: dict[str, object], lines: dict[str, int]
) -> list[Finding]:
    status = values.get("status")
    if getattr(status, "code", "") != WITHDRAWN or any(c.kind.code == WITHDRAWAL for c in entries):
        return []
    return [
        Finding(
            lines.get("status", 2),
            False,
            "本文已撤回（status: withdrawn），但 corrections 中没有「撤回」记录：请加一条，写明撤回的日期和原因，"
            "例如 corrections: [{date: 2020-03-01, kind: 撤回, note: 依据已更新，本文不再适用}]；"
            "文章顶部和「更正与更新」页面会显示它。",
            rule="correction.status-without-withdrawal",
        )
    ]


def verdict_change(story: Story, previous: str, previous_entries: int) -> Problem | None:
    """An error when a published rumour's verdict changed without a new correction entry."""
    verdict = story.get(Role.VERDICT, vocab.Term)
    if story.draft or not isinstance(verdict, vocab.Term) or not previous or verdict.code == previous:
        return None
    if len(story.corrections) > previous_entries:
        return None
    before = vocab.verdicts().find(previous)
    shown = before.label if before is not None else previous
    return error(
        "correction.verdict-changed",
        story.path,
        story.line(Role.VERDICT, 2),
        f"已发布的查证结论从「{shown}」改成了「{verdict.label}」，但没有新的更正记录：读者看到过原来的结论，"
        f"改结论必须公开说明。请在 corrections 中加一条，例如 - {{date: 今天的日期, kind: 更正, "
        f"note: 查证结论由{shown}改为{verdict.label}，因为……}}；或改回「{shown}」。",
    )


def entries_removed(story: Story, previous_entries: int) -> Problem | None:
    """An error when the story has fewer correction entries than it had when published."""
    now = len(story.corrections)
    if story.draft or now >= previous_entries:
        return None
    return error(
        "correction.entry-removed",
        story.path,
        story.lines.get("corrections", story.lines.get("title", 2)),
        f"已发布的更正记录少了 {previous_entries - now} 条（发布时有 {previous_entries} 条，现在有 {now} 条）："
        "更正记录只能增加，不能删除或合并，读者和订阅者已经看到过它们。请把删掉的记录恢复原样；"
        "记录写错了，就再加一条「更正」说明。",
    )
