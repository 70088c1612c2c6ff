"""Table cells shown exactly as given.

A ``str`` handed to a DataTable is parsed as Rich markup: a title such as ``[心得] 微笑`` or
an agency name with brackets would lose its brackets or take on a style, and parsing is the
slowest part of filling a long table (a 200-entry sheet spent 0.15 s in it). A ``Text`` is
taken as it is.
"""

from __future__ import annotations

from rich.text import Text


def plain_cells(*values: object) -> list[Text]:
    """One cell per value, its text literal (numbers as written, None as empty)."""
    return [Text("" if value is None else str(value), end="", no_wrap=True) for value in values]
