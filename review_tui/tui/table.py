"""The app's table: Textual's DataTable, minus a stale first paint.

A DataTable measures its columns when it is next idle, after rows are added. Lines drawn
before that (a table filled from a worker is often painted at once) are cached under a key
that does not change when the widths do, so the table kept showing columns as narrow as
their labels ("E000", "《微笑的") until the cursor moved. Textual issues #4470 and #3533
describe it; still so in Textual 8.2. :class:`Table` drops the drawn lines after each
measurement. It costs one redraw of the visible lines, and only after a change to the rows,
which has already invalidated every line drawn before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class Table(DataTable[Any]):
    """A DataTable whose lines are redrawn once its columns have been measured; Home and
    End go to its first and last row, as in every other list of the app (a DataTable's own
    go to its first and last column, and the cursor stayed where it was)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
