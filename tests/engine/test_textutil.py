"""Parsers for what agencies type: dates, yes/no, lists, staff types, character counts."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from review_tui.engine.intake.typed_values import (
    canonical_staff_type,
    count_chars,
    parse_bool,
    parse_date,
    split_list,
    strip_book_title,
)


@pytest.mark.parametrize("text, expected", [
    ("2026-06-30", date(2026, 6, 30)), ("2026/6/30", date(2026, 6, 30)),
    ("115/06/30", date(2026, 6, 30)), ("115.6.30", date(2026, 6, 30)),
    ("民國115年6月30日", date(2026, 6, 30)), ("1150630", date(2026, 6, 30)),
    ("20260630", date(2026, 6, 30)), ("１１５/０６/３０", date(2026, 6, 30)),
    (datetime(2026, 6, 30, 9, 0), date(2026, 6, 30)), ("", None),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["六月", "2026-13-01", "115/02/30", "soon"])
def test_bad_dates_raise(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_yes_no():
    assert [parse_bool(v) for v in ("是", "Y", "✓", "true", "V", "否", "n", "", None)] == \
        [True, True, True, True, True, False, False, None, None]
    with pytest.raises(ValueError):
        parse_bool("也許")


def test_lists_and_staff_types():
    assert split_list("王小明、李大華；陳一") == ["王小明", "李大華", "陳一"]
    assert split_list(" a ; b ") == ["a", "b"]
    assert [canonical_staff_type(v) for v in ("編制內公務人員", "約聘人員", "約雇", "教師",
                                               "技工", "臨時人員", "志工")] == \
        ["編制內", "約聘", "約僱", "教師", "職工", "臨時", None]


def test_character_count_skips_the_title_and_whitespace():
    assert count_chars(["", "標題", "一二 三\t四", "", "五，六。"]) == 8
    assert count_chars([]) == 0


def test_book_titles_compare_without_brackets_or_publishers():
    assert strip_book_title("《微笑的力量》（天下雜誌出版）") == "微笑的力量"
    assert strip_book_title(" 「工作與生活的雙贏智慧」") == "工作與生活的雙贏智慧"


def test_the_fast_normalise_is_exactly_nfkc_with_whitespace_removed():
    import random
    import unicodedata

    from review_tui.engine.intake.typed_values import normalise

    def reference(text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        return "".join(text.split()).replace("台", "臺")

    pool = ("王小明，：；（）？！\u3000ｅ\u0301ｱﾞ①㈱ｶ台臺科長 ,.\t\n溝通服務"
            "\uff01\uff5e\u2460\u00a0\u3000\ufb01")
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert normalise(text) == reference(text), text


def test_cjk_ratio_counts_ideographs_among_letters_char_by_char():
    import random
    import re

    from review_tui.engine.intake.typed_values import cjk_ratio

    def reference(text: str) -> float:
        ideographs = sum(1 for c in text if "\u3400" <= c <= "\u4dbf" or "\u4e00" <= c <= "\u9fff"
                         or "\uf900" <= c <= "\ufaff")
        others = sum(1 for c in text if re.fullmatch(r"[^\W\d_]", c)) - ideographs
        return ideographs / (ideographs + others) if ideographs + others else 0.0

    pool = "王小明溝通服務臺㐀䶵豈鶴，。：「」 \n\tabcXYZ123_éßアカ한글①ⅷ\u4dc0ｱ!?"
    rng = random.Random(11)
    for _ in range(2000):
        paragraphs = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 20)))
                      for _ in range(rng.randint(0, 4))]
        assert cjk_ratio(paragraphs) == pytest.approx(reference("".join(paragraphs))), paragraphs
    assert cjk_ratio(["Plain English only."]) == 0.0
    assert cjk_ratio(["全是中文，沒有別的。"]) == 1.0


def test_the_length_hint_says_what_is_counted():
    """Issue 23, point 9: the hint said punctuation was left out; the count keeps it."""
    from review_tui.i18n import translate

    assert count_chars(["標題", "一、二。 三"]) == 5  # punctuation in, spaces out
    assert "含標點" in translate("tui.hint.length", "zh-TW")
    assert "punctuation included" in translate("tui.hint.length", "en")
