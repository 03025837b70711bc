"""A rumour's fact: the one-line conclusion every output leads with, and when text repeats the claim.

The "truth sandwich": the fact first, the rumour named once and marked, the fact again.
The page's verdict banner, the share post, the card and the poster all take their fact
from `conclusion` here, so none of them can lead with the claim.
"""

from __future__ import annotations

import re
import unicodedata

from generator.content.problems import Problem, warning
from generator.core.sections import Role
from generator.core.story import Story
from generator.core.vocab import Term

CONCLUSION_LIMIT = 48  # characters the banner shows; past it the check warns and the page shortens
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
# Words that only frame a claim (网传 …) say nothing of its content.
_FRAMING = re.compile(r"^(网传|网上流传|有人说|据说|传言|近日)[:：，,]?")
_NOT_TEXT = re.compile(r"[\W_]+")
# A text repeats the claim when one of its clauses carries most of the claim's character
# pairs, or when nearly all of a clause's own pairs come from the claim (a long claim
# quoted in part). A denial ("饮酒不能预防新冠") shares words with its claim, but adds a
# negation the claim does not have: it states the fact, not the rumour.
CLAIM_SHARE = 0.6
TEXT_SHARE = 0.8
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
_NEGATION = set("不没非无未假谣勿别否")


def verdict(story: Story) -> Term | None:
    """The story's verdict, when its section has one (rumours)."""
    return story.get(Role.VERDICT, Term)


def claim(story: Story) -> str:
    """The claim as it circulated, or "" when the story makes none."""
    return story.get(Role.CLAIM, str) or ""


def _pairs(text: str) -> set[str]:
    # Spaces and zero-width marks from Word and IMEs fall between characters, not words.
    folded = "".join(
        c for c in unicodedata.normalize("NFKC", text).lower() if not (c.isspace() or unicodedata.category(c) == "Cf")
    )
    folded = _FRAMING.sub("", folded)
    pairs: set[str] = set()
    for run in _NOT_TEXT.split(folded):
        pairs.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            pairs.add(run)
    return pairs


def _denies(claim_pairs: set[str], pairs: set[str]) -> bool:
    return any(_NEGATION & set(pair) for pair in pairs - claim_pairs)


def repeats(claim_text: str, text: str) -> bool:
    """Whether reading `text` passes the claim on: a clause of it says what the claim says."""
    wanted = _pairs(claim_text)
    if not wanted:
        return False
    for clause in [text, *_CLAUSE_END.split(unicodedata.normalize("NFKC", text))]:
        given = _pairs(clause)
        if not given or _denies(wanted, given):
            continue
        shared = len(wanted & given)
        if shared / len(wanted) >= CLAIM_SHARE or (len(given) >= 4 and shared / len(given) >= TEXT_SHARE):
            return True
    return False


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its closing mark."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def conclusion(story: Story) -> str:
    """The one-line fact: `conclusion:`, else the summary's first sentence that is not the claim,
    else the verdict's own explanation; "" for a story without a verdict."""
    found = verdict(story)
    if found is None:
        return ""
    given = (story.get(Role.CONCLUSION, str) or "").strip()
    if given:
        return given
    said = claim(story)
    for sentence in sentences(story.summary):
        if not repeats(said, sentence):
            return sentence
    return found.explain


def description(story: Story) -> str:
    """What link cards and search engines show under the title: for a rumour its verdict and
    fact (a card must not carry the claim), for any other story its summary."""
    found = verdict(story)
    return f"【{found.label}】{conclusion(story)}" if found is not None else story.summary


def shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with …, never silently: the cut is marked."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip("，、；：,;: ") + "…"


def banner_first(story: Story) -> bool:
    """Whether the verdict banner goes above the title: when a long title would push it below
    the first screen of a 320×568 phone in large text (the browser tests measure the result)."""
    if verdict(story) is None:
        return False
    # Large text on a 320 px phone: about 10 title characters a line of 40 px, 11 of the
    # banner's a line of 42 px; 460 px between the header and the hotline bar.
    title_lines = -(-len(story.title) // 10)
    banner_lines = -(-len(shortened(conclusion(story), CONCLUSION_LIMIT)) // 11)
    needed = 44 + title_lines * 40 + 24 + 80 + banner_lines * 42
    return needed > 420


def problems(story: Story) -> list[Problem]:
    """Warnings for a rumour whose summary or conclusion repeats its claim, or whose fact is too long."""
    said = claim(story)
    if verdict(story) is None or not said:
        return []
    found: list[Problem] = []
    line = story.lines.get("summary", story.line(Role.CLAIM, 2))
    given = story.get(Role.CONCLUSION, str) or ""
    if given and repeats(said, given):
        found.append(
            warning(
                "rumour.conclusion-repeats-claim",
                story.path,
                story.line(Role.CONCLUSION, line),
                "conclusion（结论）重复了网传说法：结论要直接说出事实，例如「喝酒不能预防新冠肺炎」，不要复述谣言。",
            )
        )
    opening = next(iter(sentences(story.summary)), "")
    if "summary" in story.lines and opening and repeats(said, opening):
        found.append(
            warning(
                "rumour.summary-repeats-claim",
                story.path,
                line,
                "摘要的第一句重复了网传说法（claim）：摘要第一句就是转发到微博、微信群的文字，"
                "请改为直接说出事实，例如「喝酒不能预防新冠肺炎，过量饮酒反而伤身。」；"
                "转发文字已改用摘要中不重复谣言的句子。",
            )
        )
    if not given and len(conclusion(story)) > CONCLUSION_LIMIT:
        found.append(
            warning(
                "rumour.fact-too-long",
                story.path,
                line,
                f"标题下的查证结论取自摘要的第一句，超过 {CONCLUSION_LIMIT} 字，页面只显示前 {CONCLUSION_LIMIT - 1} 字；"
                f"请用 conclusion: 写一句 {CONCLUSION_LIMIT} 字以内的结论。",
            )
        )
    return found
