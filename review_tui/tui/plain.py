"""Text shown exactly as given, never parsed as markup.

A ``str`` handed to a DataTable or a Static is parsed as markup: a title such as ``[心得]
微笑``, a folder named ``[2026] 評審`` or an error message holding ``[/]`` would lose its
brackets, take on a style or end the app with a MarkupError. Everything the app shows from
the store, the file system or the message catalogue goes through these instead; markup is
kept for the few styles written in code. For long tables it is also cheaper: markup parsing
was the slowest part of filling a 200-row sheet.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static

from ..engine.safe_text import visible
from .reading import ReadingText


def plain_cells(*values: object) -> list[Text]:
    """One table cell per value, its text literal (numbers as written, None as empty;
    control characters and escapes spelt out, see :func:`~..engine.safe_text.visible`)."""
    return [Text("" if value is None else visible(str(value)), end="", no_wrap=True)
            for value in values]


class Plain(Static):
    """A Static whose text is never read as markup, broken into lines as Chinese is
    typeset (no line starts with "。"); ``classes="heading"`` shows it bold."""

    DEFAULT_CSS = "Plain.heading { text-style: bold; }"

    def __init__(self, content: str = "", **kwargs: Any) -> None:
        content = visible(content)
        super().__init__(ReadingText(content), markup=False, **kwargs)
        self.text = content

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content``: a string as plain text, anything else as Static shows it."""
        if isinstance(content, str):
            content = self.text = visible(content)
            content = ReadingText(content)
        super().update(content, layout=layout)
