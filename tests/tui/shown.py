"""The text a Static shows, for assertions about what a screen says."""

from __future__ import annotations

from textual.widgets import Static

from review_tui.tui.plain import Plain


def shown(widget: Static) -> str:
    """A :class:`Plain`'s text as given (it is drawn broken into lines, see
    tests/tui/test_plain.py), or any other Static's rendered content."""
    if isinstance(widget, Plain):
        return widget.text
    return str(widget.render())
