"""The reviewer's queue: one line per entry, drawn a line at a time (Textual's Line API).

A reviewer's sheet can hold every entry of a committee (200 or 2,000 rows when each reviewer
reads all of them). A DataTable measured and rendered each cell through Rich before the
first frame (a quarter of the reviewer's start at 200 rows, half at 2,000); this list only
measures its few short columns once and draws the lines on screen, so its cost does not
grow with the sheet. It looks like the app's tables (header, zebra stripes, block cursor)
and keeps their keys: ↑/↓, PgUp/PgDn, Home/End move the cursor; Enter or a click opens the
entry under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

HEADER_LINES = 1
ELLIPSIS = "…"


class QueueList(ScrollView, can_focus=True):
    """Rows of short text cells under a header; the last column takes what width is left."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"queue--header", "queue--cursor",
                                             "queue--even-row"}
    DEFAULT_CSS = """
    QueueList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .queue--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .queue--header { text-style: bold; background: $panel; color: $foreground; }
        & > .queue--even-row { background: $surface-lighten-1 50%; }
        &:dark > .queue--even-row { background: $surface-darken-1 40%; }
        & > .queue--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "move(-1)", "Cursor up", show=False),
        Binding("down", "move(1)", "Cursor down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "Top", show=False),
        Binding("end", "move_to(-1)", "Bottom", show=False),
    ]

    cursor: reactive[int] = reactive(0, repaint=False)  # watch_cursor redraws its two lines

    class Selected(Message):
        """Enter or a click on a row: the reviewer asks to open that entry."""

        def __init__(self, queue: QueueList, index: int) -> None:
            super().__init__()
            self.queue = queue
            self.index = index

        @property
        def control(self) -> QueueList:
            return self.queue

    def __init__(self, headers: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._headers = list(headers)
        self._rows: list[list[str]] = []
        self._widths = [cell_len(header) for header in self._headers]

    # --- content ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> list[str]:
        """The cells of row ``index``, as shown."""
        return list(self._rows[index])

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        """Show these rows (cells as text; None as empty), replacing any shown before."""
        self._rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
        self._widths = [max([cell_len(self._headers[column])] +
                            [cell_len(row[column]) for row in self._rows])
                        for column in range(len(self._headers))]
        self.virtual_size = Size(0, len(self._rows) + HEADER_LINES)
        self.cursor = min(self.cursor, max(0, len(self._rows) - 1))
        self.refresh()

    def set_cell(self, index: int, column: int, value: object) -> None:
        """Change one cell (an entry's state after a save); redraws that line only."""
        text = "" if value is None else str(value)
        if self._rows[index][column] == text:
            return
        self._rows[index][column] = text
        if cell_len(text) > self._widths[column]:
            self._widths[column] = cell_len(text)
            self.refresh()
        else:
            self.refresh_line(index + HEADER_LINES)

    # --- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y < HEADER_LINES:
            style = base + self.get_component_rich_style("queue--header")
            return self._line(self._headers, width, style)
        index = y - HEADER_LINES + int(self.scroll_offset.y)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        style = base
        if index % 2 == 0:
            style += self.get_component_rich_style("queue--even-row")
        if index == self.cursor:
            style += self.get_component_rich_style("queue--cursor")
        return self._line(self._rows[index], width, style)

    def _line(self, cells: Sequence[str], width: int, style: Style) -> Strip:
        """Cells padded to their column's width with one space each side; the last one
        fills the rest of the line, cut with "…" when it is longer. One segment a cell, so
        that each starts on its column wherever the line is drawn (an SVG screenshot too)."""
        texts = [f" {set_cell_size(cell, size)} "
                 for cell, size in zip(cells[:-1], self._widths[:-1], strict=True)]
        left = width - sum(size + 2 for size in self._widths[:-1]) - 2
        last = cells[-1] if cells else ""
        if left > 0:
            if cell_len(last) > left:
                last = set_cell_size(last, left - 1) + ELLIPSIS
            texts.append(f" {set_cell_size(last, left)} ")
        return Strip([Segment(text, style) for text in texts]).adjust_cell_length(width, style)

    # --- moving ----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()  # a scroll redraws every line
        for index in (old, new):  # lines in the list's own coordinates, header first
            self.refresh_line(index + HEADER_LINES)

    def scroll_to_cursor(self) -> None:
        """Scroll so that the cursor's row is on screen, below the header."""
        lines = max(1, self.scrollable_content_region.height - HEADER_LINES)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + lines:
            self.scroll_to(y=self.cursor - lines + 1, animate=False, immediate=True)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (kept within the rows)."""
        self.cursor = max(0, min(index, len(self._rows) - 1))

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor + step)

    def action_move_to(self, index: int) -> None:
        self.move_cursor(index if index >= 0 else len(self._rows) - 1)

    def action_page(self, direction: int) -> None:
        lines = max(1, self.scrollable_content_region.height - HEADER_LINES)
        self.move_cursor(self.cursor + direction * lines)

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_LINES:
            return
        index = offset.y - HEADER_LINES + int(self.scroll_offset.y)
        if index < len(self._rows):
            event.stop()
            self.move_cursor(index)
            self.post_message(self.Selected(self, index))

    def on_resize(self) -> None:
        self.scroll_to_cursor()
