"""Personal data: a table of numbers that must be refused and numbers that must pass."""

from __future__ import annotations

import pytest

from generator.content.privacy import findings, id_check_digit, is_resident_id


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # Resident IDs: valid region, birth date and ISO 7064 MOD 11-2 check digit.
        ("身份证 11010519491231002X", ["居民身份证号码"]),
        ("身份证 11010519491231002x", ["居民身份证号码"]),
        ("身份证 110105 19491231 002X", ["居民身份证号码"]),
        ("身份证 １１０１０５１９４９１２３１００２Ｘ", ["居民身份证号码"]),
        ("旧号码 110105491231002", ["居民身份证号码（15 位旧号码）"]),
        # A wrong check digit is not an ID; neither is a made-up region or birth date.
        ("编号 110105194912310021", []),
        ("编号 990105194912310023", []),
        ("编号 110105194913310029", []),
        # Private mobiles, with or without +86 and separators, full-width too.
        ("手机 13812345678", ["手机号码"]),
        ("手机 138-1234-5678", ["手机号码"]),
        ("手机 138 1234 5678", ["手机号码"]),
        ("手机 +86 13812345678", ["手机号码"]),
        ("手机 8613812345678", ["手机号码"]),
        ("手机 １３９１２３４５６７８", ["手机号码"]),
        # Hotlines, landlines, dates, document and story numbers are fine.
        ("热线 12338、12320、12345、110、120", []),
        ("电话 023-63855555", []),
        ("2020年1月31日，渝妇发〔2020〕6号", []),
        ("日期 2020-02-01、20200201", []),
        ("编号 20200131001234", []),
        ("工号 123456789012", []),
        ("12812345678 不是手机号段", []),
        # Numbers inside a link address are part of the link, not text.
        ("见 http://www.nhc.gov.cn/xcs/13812345678.shtml", []),
    ],
)
def test_personal_data_table(text: str, kinds: list[str]) -> None:
    assert [f.kind for f in findings(text)] == kinds


def test_check_digit() -> None:
    assert id_check_digit("11010519491231002") == "X"
    assert is_resident_id("11010519491231002X")
    assert not is_resident_id("110105194912310021")


def test_masks_keep_only_enough_to_find_the_number() -> None:
    (mobile,) = findings("13800138000")
    assert mobile.masked == "1380013****"
    (resident,) = findings("11010519491231002X")
    assert resident.masked == "110105********002X"
