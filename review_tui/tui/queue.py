"""The reviewer's queue: one line per entry, a :class:`.LineTable` that opens an entry.

A reviewer's sheet can hold every entry of a committee (200 or 2,000 rows when each reviewer
reads all of them). A DataTable measured and rendered each cell through Rich before the
first frame (a quarter of the reviewer's start at 200 rows, half at 2,000); the line table
draws only the lines on screen. Enter or a click opens the entry under the cursor.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from .line_table import HEADER_LINES, LineTable


class QueueList(LineTable):
    """The entries dealt to a reviewer; Enter or a click asks to open one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Select", show=False)]

    class Selected(Message):
        """Enter or a click on a row: the reviewer asks to open that entry."""

        def __init__(self, queue: QueueList, index: int) -> None:
            super().__init__()
            self.queue = queue
            self.index = index

        @property
        def control(self) -> QueueList:
            return self.queue

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_LINES:
            return
        index = offset.y - HEADER_LINES + int(self.scroll_offset.y)
        if index < self.row_count:
            event.stop()
            self.move_cursor(index)
            self.post_message(self.Selected(self, index))
