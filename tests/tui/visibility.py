"""Whether a widget is drawn where it lies: not clipped away by a scrolled or short box."""

from __future__ import annotations

from textual.errors import NoWidget


def visible(screen, widget) -> bool:
    """Whether the middle of ``widget`` is drawn by it (or by one of its children)."""
    region = widget.region
    if not region:
        return False
    try:
        found, _ = screen.get_widget_at(*region.center)
    except NoWidget:  # off the screen
        return False
    return found is widget or widget in found.ancestors


def cursor_row_drawn(screen, table) -> bool:
    """Whether the row under a :class:`LineTable`'s cursor is drawn by the table (not
    below the view of a page that holds it)."""
    from review_tui.tui.line_table import HEADER_LINES

    line = table.region.y + HEADER_LINES + table.cursor - int(table.scroll_offset.y)
    try:
        found, _ = screen.get_widget_at(table.region.x + 2, line)
    except NoWidget:  # below the screen
        return False
    return found is table
