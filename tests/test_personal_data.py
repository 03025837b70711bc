"""Personal data as a family: every way an editor can paste a mobile or resident ID number,
in every place a story publishes text or makes an address, is refused; no message prints
the number in full; hotlines and other numbers pass.

`HYPOTHESIS_PROFILE=fuzz` runs each property 20,000 times.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import checks, frontmatter, privacy
from generator.content.problems import report
from generator.core.sections import section
from tests.conftest import sample_settings

SETTINGS = sample_settings()
STORIES = SETTINGS.stories_dir
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = sorted(privacy._REGIONS)

# Ways to write one digit: ASCII, full-width, circled, Chinese, entities, other scripts.
CIRCLED = "⓪①②③④⑤⑥⑦⑧⑨"
CHINESE = ["〇零", "一幺壹", "二两贰", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖"]
SPELLINGS = st.sampled_from(["ascii", "full", "circled", "chinese", "dec", "hex", "arabic", "bold", "paren"])
SEPARATORS = st.sampled_from(
    [
        "",
        "",
        "",
        " ",
        "\u00a0",
        "\u3000",
        "\u2002",
        "\u2009",
        "\u200a",
        "\u200b",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "-",
        "–",
        "—",
        "－",
        "‑",
        ".",
        "·",
        "．",
        "**",
        "*",
        "_",
        "\\_",
        "~~",
        "\n",
        "&nbsp;",
        "&#x2d;",
        "<b></b>",
    ]
)


def spell_digit(digit: str, how: str) -> str:
    if digit == "X":
        return {"full": "Ｘ", "dec": "&#88;", "hex": "&#x78;"}.get(how, "x" if how == "chinese" else "X")
    value = int(digit)
    return {
        "ascii": digit,
        "full": chr(0xFF10 + value),
        "circled": CIRCLED[value],
        "chinese": CHINESE[value][value % len(CHINESE[value])],
        "dec": f"&#{ord(digit)};",
        "hex": f"&#x{ord(digit):x};",
        "arabic": chr(0x0660 + value),
        "bold": chr(0x1D7CE + value),
        "paren": chr(0x2474 + value - 1) if value else "0",
    }[how]


@st.composite
def spelled(draw: st.DrawFn, digits: str, breaks: bool = True) -> str:
    """`digits` as a careless or hostile editor might type or paste them."""
    parts = []
    for index, digit in enumerate(digits):
        parts.append(spell_digit(digit, draw(SPELLINGS)))
        if index < len(digits) - 1:
            gap = draw(SEPARATORS)
            parts.append(gap if breaks or gap != "\n" else " ")
    return "".join(parts)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    return (
        "1"
        + draw(st.sampled_from("3456789"))
        + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    )


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = f"{draw(st.sampled_from(REGIONS))}{draw(st.integers(0, 9999)):04d}"
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1)))
    first17 = region + born.strftime("%Y%m%d") + f"{draw(st.integers(0, 999)):03d}"
    return first17 + privacy.id_check_digit(first17)


@st.composite
def numbers(draw: st.DrawFn, breaks: bool = True) -> tuple[str, str]:
    """(digits, as written): a private mobile (perhaps with +86 or 0086) or a resident ID."""
    if draw(st.booleans()):
        digits = draw(mobiles())
        prefix = draw(st.sampled_from(["", "", "+86 ", "+86", "0086 ", "86-", "（+86）", "＋86 "]))
        return digits, prefix + draw(spelled(digits, breaks))
    digits = draw(resident_ids())
    return digits, draw(spelled(digits, breaks))


AROUND = (
    st.sampled_from(["", "电话", "联系人王某，", "手机：", "身份证号 ", "请拨打"]),
    st.sampled_from(["", "。", "，谢谢", "（本人）"]),
)

# Where a number can sit in a story: each a function of the number as written.
PLACES = {
    "body": lambda n: ("", f"居民可以联系{n}。"),
    "body-link-text": lambda n: ("", f"[{n}](https://www.nhc.gov.cn/)"),
    "body-tel-link": lambda n: ("", f"[打电话](tel:{n})"),
    "body-url-query": lambda n: ("", f"<https://example.gov.cn/a?phone={n}>"),
    "body-picture-name": lambda n: ("", f"![照片](../images/{n}.jpg)"),
    "body-picture-alt": lambda n: ("", f"![联系{n}](../images/photo.jpg)"),
    "body-quote": lambda n: ("", f"> 她说：{n}"),
    "title": lambda n: (f"title: '防护{n}'\n", "正文。"),
    "summary": lambda n: (f"summary: '摘要{n}'\n", "正文。"),
    "tags": lambda n: (f"tags: ['{n}']\n", "正文。"),
    "author": lambda n: (f"author: '{n}'\n", "正文。"),
    "image-alt": lambda n: (f"image_alt: '{n}'\n", "正文。"),
    "source-title": lambda n: (f"reviewed_by: '{n}'\n", "正文。"),
}
SINGLE_LINE = {"title", "summary", "tags", "author", "image-alt", "source-title", "body-picture-name"}


def story(extra: str, body: str) -> bytes:
    front = (
        "---\ntitle: 防护知识\ndate: 2020-02-10\n"
        "sources:\n  - title: 中国疾病预防控制中心\n    url: http://www.chinacdc.cn/\n"
        "reviewed: 2020-02-10\nreview_due: 2099-12-31\n"
    )
    if extra.startswith("title:"):
        front = front.replace("title: 防护知识\n", "")
    return (front + extra + "---\n\n" + body + "\n").encode("utf-8")


def check(raw: bytes, name: str = "2020-02-10-fang-hu.md") -> list[str]:
    file = STORIES / "knowledge" / name
    parsed = frontmatter.parse("stories/knowledge/" + name, raw)
    _, problems = checks.check_file(parsed, file, section("knowledge"), SETTINGS)  # type: ignore[arg-type]
    return [p.shown(verbose=True) for p in problems]  # as `check --verbose` prints them: text and rule


def assert_never_in_full(lines: list[str], digits: str, written: str) -> None:
    text = "\n".join(lines)
    assert digits not in text
    assert written.strip() not in text or len(written.strip()) < 11
    assert privacy.findings(text) == [], text


@PROPERTY
@given(numbers(), st.sampled_from(sorted(PLACES)), *AROUND)
def test_a_number_in_any_form_anywhere_in_a_story_is_refused_and_never_printed(
    number: tuple[str, str], place: str, before: str, after: str
) -> None:
    digits, written = number
    if place in SINGLE_LINE:
        written = written.replace("\n", " ")
    extra, body = PLACES[place](before + written + after)
    lines = check(story(extra, body))
    rule = "privacy.mobile-number" if len(digits) == 11 else "privacy.id-number"
    assert any(line.endswith(f"[{rule}]") for line in lines), (written, lines)
    assert_never_in_full(lines, digits, written)


@PROPERTY
@given(numbers(breaks=False), st.sampled_from(["", "2020-02-10-"]), st.sampled_from([".md"]))
def test_a_number_in_a_file_name_is_refused_and_the_name_is_masked(
    number: tuple[str, str], dated: str, suffix: str
) -> None:
    digits, _ = number
    written = "-".join([digits[:3], digits[3:7], digits[7:]])
    lines = check(story("", "正文。"), dated + written + suffix)
    assert any(line.endswith("[privacy.number-in-file-name]") for line in lines), lines
    assert_never_in_full(lines, digits, written)


# Every message that quotes what the editor wrote: a slug, an alias, a vocabulary word, a
# key, a date, a picture name, a verdict; the masking in Problem covers all of them.
ECHOES = [
    lambda n: f"slug: '{n}'\n",
    lambda n: f"district: '{n}区'\n",
    lambda n: f"aliases: ['/knowledge/{n}/x y/']\n",
    lambda n: f"'{n}': x\n",
    lambda n: f"updated: '{n}'\n",
    lambda n: f"image: '{n}.jpg'\nimage_alt: 图\n",
    lambda n: f"superseded_by: '/knowledge/{n}/'\n",
    lambda n: f"status: '{n}'\n",
    lambda n: f"draft: '{n}'\n",
]


@PROPERTY
@given(numbers(breaks=False), st.integers(0, len(ECHOES) - 1))
def test_a_message_quoting_a_value_never_prints_the_number_in_full(number: tuple[str, str], which: int) -> None:
    digits, written = number
    written = written.replace("'", "")
    lines = check(story(ECHOES[which](written), "正文。"))
    assert any("错误" in line for line in lines)
    assert_never_in_full(lines, digits, written)


@PROPERTY
@given(mobiles())
def test_mask_hides_a_number_wherever_a_message_puts_it(digits: str) -> None:
    for text in (
        digits,
        f"网址短名「{digits}」无效",
        f"/knowledge/{digits}/",
        f"{digits[:3]} {digits[3:7]} {digits[7:]}",
    ):
        masked = privacy.mask(text)
        assert digits not in masked.replace(" ", "") and privacy.findings(masked) == []
        assert digits[:7] in masked.replace(" ", "")  # enough is left to find the place


HOTLINES = st.sampled_from(["12338", "12320", "12345", "110", "120", "119", "12356", "12315", "400-820-8820"])


@st.composite
def harmless(draw: st.DrawFn) -> str:
    """Numbers a story may hold: hotlines, landlines, dates, document numbers, short counts."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(HOTLINES)
    if kind == 1:
        return f"023-{draw(st.integers(60000000, 69999999))}"
    if kind == 2:
        day = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 1, 1)))
        return draw(st.sampled_from([day.isoformat(), day.strftime("%Y年%m月%d日"), day.strftime("%Y%m%d")]))
    if kind == 3:
        return f"渝妇发〔{draw(st.integers(2019, 2030))}〕{draw(st.integers(1, 99))}号"
    if kind == 4:  # a 12-prefixed 11-digit number is no mobile
        return "12" + str(draw(st.integers(100000000, 999999999)))
    return str(draw(st.integers(0, 99999)))


@PROPERTY
@given(st.lists(harmless(), min_size=1, max_size=4), st.sampled_from(["、", "，", "；", " 和 ", "\n\n"]))
def test_hotlines_landlines_dates_and_document_numbers_pass(numbers_: list[str], joiner: str) -> None:
    text = "请拨打" + joiner.join(numbers_) + "咨询。"
    assert privacy.findings(text) == [], text
    assert not any("[privacy." in line for line in check(story("", text)))


@PROPERTY
@given(resident_ids(), st.integers(0, 9))
def test_an_id_with_a_wrong_check_digit_is_no_id(digits: str, wrong: int) -> None:
    other = str(wrong) if str(wrong) != digits[-1] else ("X" if digits[-1] != "X" else "0")
    assert privacy.findings(digits[:17] + other) == []
    assert [f.kind for f in privacy.findings(digits)] == ["居民身份证号码"]


def test_a_number_broken_across_a_line_is_found_on_its_first_line() -> None:
    lines = check(story("", "第一段。\n\n请联系 138 0013\n8000 王某。"))
    assert any(
        ":13: " in line and "「1380013****」" in line and line.endswith("[privacy.mobile-number]") for line in lines
    )


def test_a_paragraph_break_ends_a_number() -> None:
    assert privacy.findings("138 0013\n\n8000") == []


def test_an_authority_document_address_is_not_read_but_its_query_is() -> None:
    assert privacy.findings("见 http://www.nhc.gov.cn/xcs/13812345678.shtml") == []
    assert [f.kind for f in privacy.findings("https://x.gov.cn/a.shtml?tel=13812345678")] == ["手机号码"]
    assert [f.kind for f in privacy.findings("https://wa.me/8613812345678")] == ["手机号码"]


def test_allowed_numbers_match_however_they_are_written() -> None:
    lines = check(story("allow_numbers: ['+86 138-0013-8000']\n", "单位热线 13800138000。"))
    assert [line.rsplit(" ", 1)[-1] for line in lines] == ["[privacy.number-allowed]"], lines


def test_thousands_of_numbers_make_a_short_report() -> None:
    lines = check(story("", "\n\n".join(f"手机 1380013{n:04d}" for n in range(2000))))
    assert len(lines) <= checks.MAX_NUMBERS_REPORTED + 1
    assert lines[-1].endswith("[privacy.more-numbers]") and "1980" in lines[-1]


def test_the_report_of_a_file_named_with_a_number_masks_it(tmp_path: Path) -> None:
    from generator.content.problems import error

    line = report([error("privacy.number-in-file-name", "stories/knowledge/2020-02-10-13800138000.md", 1, "示例")])
    assert "13800138000" not in line and "1380013****" in line
