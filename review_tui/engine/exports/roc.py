"""Dates as a Taiwanese government document writes them: the 民國 (Republic of China) era,
year 1 = 1912 (2026 → 115)."""

from __future__ import annotations

from datetime import date

ROC_OFFSET = 1911


def roc_year(year: int) -> int:
    """The 民國 year of a western year (2026 → 115)."""
    return year - ROC_OFFSET


def roc_date(day: date | str) -> str:
    """「中華民國115年7月15日」 for 2026-07-15 (an ISO text or a date)."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"中華民國{roc_year(day.year)}年{day.month}月{day.day}日"


def roc_month(day: date | str) -> str:
    """「中華民國115年7月」 for 2026-07-15: a cover's date (an ISO text or a date)."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"中華民國{roc_year(day.year)}年{day.month}月"
