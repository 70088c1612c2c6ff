"""Line breaking for the reading pane: the width is kept, the typesetting rules where they
can be, and no character is lost."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len
from rich.console import Console

from review_tui.tui.reading import (
    BREAK_SPACES,
    NO_LINE_END,
    NO_LINE_START,
    ReadingText,
    break_lines,
)

ESSAY = ("《工作與生活的雙贏智慧》是一本讓人讀了會想停下腳步的書，它提醒我服務的本質並不在流程，"
         "而在人。有一次，一位年長的阿伯因為看不懂申請表而在服務台前發脾氣，我先請他坐下，"
         "倒了一杯水。他說：「謝謝你。」我們在 2026 年導入 ISO 9001 品質管理系統……")


def without_spaces(text: str) -> str:
    return "".join(ch for ch in text if ch not in BREAK_SPACES)


def test_a_line_never_starts_with_a_closing_mark_nor_ends_with_an_opening_one():
    for width in range(6, 60):
        lines = break_lines(ESSAY, width)
        assert len(lines) > 1
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, line)
            assert cell_len(line) <= width


def test_the_mark_takes_the_character_before_it_to_the_next_line():
    # 10 cells hold five characters; "，" would start the second line, so "次" goes with it.
    assert break_lines("流程，而在人。有一次，一位", 10) == ["流程，而在", "人。有一", "次，一位"]


def test_latin_words_and_numbers_are_kept_whole_and_the_break_space_dropped():
    assert break_lines("我們在 2026 年導入 ISO 9001 系統", 14) == [
        "我們在 2026 年", "導入 ISO 9001", "系統"]


def test_a_word_wider_than_the_line_is_folded():
    url = "https://example.gov.tw/" + "a" * 40
    lines = break_lines(url, 20)
    assert all(cell_len(line) <= 20 for line in lines)
    assert "".join(lines) == url


def test_a_paragraph_that_fits_is_one_line_even_when_empty():
    assert break_lines("短句。", 40) == ["短句。"]
    assert break_lines("", 40) == [""]


def test_random_texts_keep_every_character_and_the_width():
    rng = random.Random(8)
    alphabet = list("服務民眾公務人員溝通信任") + list("，。、；：？！「」『』（）《》…—") + [
        " ", "　", "ISO", "9001", "a", "Z"]
    for _ in range(400):
        paragraph = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        width = rng.randint(1, 50)
        lines = break_lines(paragraph, width)
        assert without_spaces("".join(lines)) == without_spaces(paragraph)
        assert all(cell_len(line) <= max(width, 2) for line in lines), (paragraph, width)


@pytest.mark.parametrize("width", [1, 2, 3])
def test_narrow_widths_still_show_everything(width):
    lines = break_lines("「好」，", width)
    assert without_spaces("".join(lines)) == "「好」，"


def test_the_renderable_breaks_for_the_width_it_is_given():
    text = ReadingText("第一段。\n" + ESSAY)
    console = Console(width=24, record=True, color_system=None)
    console.print(text)
    shown = console.export_text().splitlines()
    assert shown == text.lines(24)
    assert shown[0] == "第一段。"
    assert not any(line and line[0] in NO_LINE_START for line in shown)
