"""Small parsers for what agencies type into manifests: names, lists, yes/no, ROC dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

LIST_SEPARATORS = re.compile(r"[、;；,，/\n]")
ROC_OFFSET = 1911  # 民國元年 = 1912

_YES = {"是", "y", "yes", "true", "1", "✓", "✔", "v", "o", "○", "同意", "有", "屬實", "願意"}
_NO = {"否", "n", "no", "false", "0", "x", "✗", "✘", "不同意", "無", "不願意"}

_STAFF_ALIASES = {
    "編制內": ("編制內", "正式", "公務人員", "編制"),
    "約聘": ("約聘",),
    "約僱": ("約僱", "約雇"),
    "教師": ("教師", "老師"),
    "職工": ("職工", "技工", "工友", "駕駛"),
    "臨時": ("臨時",),
}


# CJK ideographs: extension A, the unified block, the compatibility block.
_IDEOGRAPH_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


# Full-width punctuation every Chinese text has, with what NFKC makes of it. Replacing these
# first (a fast scan each) usually leaves a text NFKC already has nothing to do for.
_COMMON_FULL_WIDTH = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"),
                      ("？", "?"), ("！", "!"), ("\u3000", " "))


def normalise(text: str) -> str:
    """NFKC, trimmed, inner whitespace removed, 台→臺: the form names are compared in."""
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):
        for wide, narrow in _COMMON_FULL_WIDTH:  # the same result as NFKC, sooner
            text = text.replace(wide, narrow)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).replace("台", "臺")  # split() knows the same whitespace


def split_list(value: str) -> list[str]:
    """Split a manifest list cell (``王小明、李大華`` or ``a; b``) into trimmed items."""
    if not value or not value.strip():
        return []
    return [part.strip() for part in LIST_SEPARATORS.split(value) if part.strip()]


def parse_bool(value: object) -> bool | None:
    """是/否, Y/N, ✓, true/false … → bool; empty → None; anything else raises ValueError."""
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(text)


_DATE_PATTERN = re.compile(
    r"^(?:民國)?\s*(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: object) -> date | None:
    """ISO, slashed, or 民國 dates (``115/06/30``, ``民國115年6月30日``); empty → None.

    A year below 1000 is read as a Republic-of-China (民國) year. Raises ValueError otherwise.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        return None
    compact = re.fullmatch(r"(\d{3})(\d{2})(\d{2})", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text)
    match = compact or _DATE_PATTERN.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(g) for g in match.groups())
    if year < 1000:
        year += ROC_OFFSET
    return date(year, month, day)


def canonical_staff_type(value: str) -> str | None:
    """Map 約雇, 約聘人員, 編制內公務人員 … to one of the six staff types; None if unknown."""
    text = normalise(value)
    if not text:
        return None
    for canonical, aliases in _STAFF_ALIASES.items():
        if any(text.startswith(alias) for alias in aliases):
            return canonical
    return None


def strip_book_title(value: str) -> str:
    """``《微笑的力量》(天下雜誌出版)`` → ``微笑的力量``: the bare title, for comparison."""
    text = normalise(value)
    text = re.sub(r"[（(].*?[)）]", "", text)
    return text.strip("《》〈〉「」『』\"'“”")


def count_chars(paragraphs: list[str]) -> int:
    """字數: non-whitespace characters after the first non-empty paragraph (the title)."""
    for index, paragraph in enumerate(paragraphs):
        if paragraph.strip():
            return sum(len("".join(p.split())) for p in paragraphs[index + 1:])
    return 0


def cjk_ratio(paragraphs: list[str]) -> float:
    """Share of CJK ideographs among the letters of the text (to tell Chinese from not).

    Ideographs are deleted first (long runs, one fast pass); only what is left, mostly
    punctuation in a Chinese text, is looked at letter by letter.
    """
    text = "".join(paragraphs)
    rest = _IDEOGRAPH_RUNS.sub("", text)
    ideographs = len(text) - len(rest)
    letters = ideographs + len(_NOT_LETTERS.sub("", rest))
    return ideographs / letters if letters else 0.0
