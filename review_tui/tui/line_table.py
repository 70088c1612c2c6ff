"""A table drawn a line at a time (Textual's Line API): the app's long lists.

A DataTable measures and renders every cell through Rich when its rows change: at 20,000
entries the chair's ranking spent 6.5 s measuring cells and 3.5 s building Rich texts
before it showed a line (profiled with py-spy). This table keeps the rows as given,
measures each column over its distinct values, and spells out and draws only the lines on
screen, so its cost barely grows with the rows shown. It looks like the app's tables
(header, zebra stripes, block cursor) and keeps their keys: ↑/↓, PgUp/PgDn, Home/End move
the cursor.

Cells are shown literally (never read as markup; control characters spelt out, see
:func:`~..engine.safe_text.visible`). The last column takes what width is left; it, and any
other cell longer than ``max_width``, is cut with "…".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ..engine.safe_text import is_visible, visible

HEADER_LINES = 1
ELLIPSIS = "…"


class LineTable(ScrollView, can_focus=True):
    """Rows of text cells under a header, each row with a key; one row under the cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-table--header", "line-table--cursor",
                                             "line-table--even-row"}
    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        height: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .line-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .line-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .line-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .line-table--even-row { background: $surface-darken-1 40%; }
        & > .line-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Cursor up", show=False),
        Binding("down", "move(1)", "Cursor down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "Top", show=False),
        Binding("end", "move_to(-1)", "Bottom", show=False),
    ]

    cursor: reactive[int] = reactive(0, repaint=False)  # watch_cursor redraws its two lines

    class RowHighlighted(Message):
        """The cursor moved to another row (or the rows under it changed)."""

        def __init__(self, table: LineTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def key(self) -> Hashable | None:
            return self.table.key_at(self.index) if self.table.row_count else None

        @property
        def control(self) -> LineTable:
            return self.table

    def __init__(self, headers: Sequence[str] = (), *, id: str | None = None,
                 classes: str | None = None, max_width: int | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.max_width = max_width  # of every column but the last (a long name or list)
        self._headers = [visible(h) for h in headers]
        self._rows: list[Sequence[object]] = []  # cells as given: spelt out when drawn
        self._keys: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        self._widths = [cell_len(header) for header in self._headers]
        if self._headers:  # a table given its header shows it before its rows come
            self.set_reactive(LineTable.virtual_size, Size(0, HEADER_LINES))

    # --- content ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def headers(self) -> list[str]:
        return list(self._headers)

    @property
    def column_widths(self) -> list[int]:
        """Each column's width in cells, as measured (the last one also takes the rest)."""
        return list(self._widths)

    def row(self, index: int) -> list[str]:
        """The cells of row ``index``, as shown."""
        return [_text(cell) for cell in self._rows[index]]

    def key_at(self, index: int) -> Hashable:
        return self._keys[index]

    def index_of(self, key: Hashable) -> int:
        """The row holding ``key`` (KeyError when none does)."""
        return self._index[key]

    @property
    def cursor_key(self) -> Hashable | None:
        """The key of the row under the cursor; None when there are no rows."""
        return self._keys[self.cursor] if self._rows else None

    def set_rows(self, rows: Sequence[Sequence[object]], keys: Sequence[Hashable] | None = None,
                 *, headers: Sequence[str] | None = None, keep_cursor: bool = True,
                 widths: Sequence[int] | None = None) -> None:
        """Show these rows (cells as text, None as empty; each row's key, its index when
        ``keys`` is None), replacing any shown before; ``headers`` replaces the header. The
        cursor stays on its line (``keep_cursor``) or goes to the first.

        The rows are kept as given and a cell is spelt out (:func:`visible`) when its line
        is drawn. Each column is measured over its distinct values (:func:`column_width`),
        or is as wide as ``widths`` says: a screen that shows part of a list it measured
        once (a filter) keeps its columns where they were and measures nothing. Spelling
        and measuring every cell of a 20,000-entry ranking with its writers took 0.1–0.4 s
        of the chair's start."""
        if headers is not None:
            self._headers = [visible(h) for h in headers]
        self._rows = list(rows)
        if widths is None:
            widths = self.measure(self._rows)
        self._place_rows([max(cell_len(header), width)
                          for header, width in zip(self._headers, widths, strict=False)],
                         keys, keep_cursor)

    def measure(self, rows: Sequence[Sequence[object]]) -> list[int]:
        """Each column's width over ``rows`` as this table draws them (its cap included)."""
        return measure_columns(rows, len(self._headers), self.max_width)

    def _place_rows(self, widths: list[int], keys: Sequence[Hashable] | None,
                    keep_cursor: bool) -> None:
        self._keys = list(range(len(self._rows)) if keys is None else keys)
        self._index = {key: index for index, key in enumerate(self._keys)}
        self._widths = [self._capped(width) for width in widths]
        self.virtual_size = Size(0, len(self._rows) + HEADER_LINES)
        self.cursor = min(self.cursor, max(0, len(self._rows) - 1)) if keep_cursor else 0
        self.refresh(layout=True)
        self.post_message(self.RowHighlighted(self, self.cursor))

    def set_cell(self, index: int, column: int, value: object) -> None:
        """Change one cell (an entry's state after a save); redraws that line only."""
        text = _text(value)
        if _text(self._rows[index][column]) == text:
            return
        row = list(self._rows[index])
        row[column] = text
        self._rows[index] = row
        if self._capped(cell_len(text)) > self._widths[column]:
            self._widths[column] = self._capped(cell_len(text))
            self.refresh()
        else:
            self.refresh_line(index + HEADER_LINES)

    def _capped(self, width: int) -> int:
        return width if self.max_width is None else min(width, self.max_width)

    # --- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y < HEADER_LINES:
            style = base + self.get_component_rich_style("line-table--header")
            return self._line(self._headers, width, style)
        index = y - HEADER_LINES + int(self.scroll_offset.y)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        style = base
        if index % 2 == 0:
            style += self.get_component_rich_style("line-table--even-row")
        if index == self.cursor:
            style += self.get_component_rich_style("line-table--cursor")
        return self._line([_text(cell) for cell in self._rows[index]], width, style)

    def _line(self, cells: Sequence[str], width: int, style: Style) -> Strip:
        """Cells padded to their column's width with one space each side; the last one
        fills the rest of the line, cut with "…" when it is longer. A column the line
        ends in (a narrow terminal, a detail pane beside) is cut there with "…" too, so
        that a cut agency does not read as a whole one. One segment a cell, so that each
        starts on its column wherever the line is drawn (an SVG screenshot too)."""
        texts, used = [], 0
        for cell, size in zip(cells[:-1], self._widths[:-1], strict=True):
            room = width - used - 2
            if size > room:  # the line ends in this column
                if room > 0:
                    texts.append(f" {_fit(cell, room)} ")
                break
            texts.append(f" {_fit(cell, size)} ")
            used += size + 2
        else:
            left = width - used - 2
            if left > 0:
                texts.append(f" {_fit(cells[-1] if cells else '', left)} ")
        return Strip([Segment(text, style) for text in texts]).adjust_cell_length(width, style)

    # --- moving ----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()  # a scroll redraws every line
        for index in (old, new):  # lines in the table's own coordinates, header first
            self.refresh_line(index + HEADER_LINES)
        if old != new:
            self.post_message(self.RowHighlighted(self, new))

    def scroll_to_cursor(self) -> None:
        """Scroll so that the cursor's row is on screen, below the header; in a page that
        scrolls (the chair's, the agenda), the page too while the table has the focus."""
        lines = max(1, self.scrollable_content_region.height - HEADER_LINES)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + lines:
            self.scroll_to(y=self.cursor - lines + 1, animate=False, immediate=True)
        if self.has_focus:
            self.keep_cursor_in_page()

    def keep_cursor_in_page(self) -> None:
        """Scroll the page that holds this table (a :class:`TablePage`: the chair's, the
        agenda) so that the cursor's row is in its view. A table taller than the page's
        view (a short terminal) kept the cursor in its own lines and the page hid it."""
        page = self.parent
        if isinstance(page, Widget) and page.is_scrollable and self.is_mounted:
            line = (self.virtual_region.y + HEADER_LINES + self.cursor
                    - int(self.scroll_offset.y))
            page.scroll_to_region(Region(self.virtual_region.x, line, 1, 1), animate=False,
                                  immediate=True)

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

    def on_resize(self) -> None:
        self.scroll_to_cursor()


def _text(cell: object) -> str:
    """A cell as drawn: None as empty, control characters spelt out."""
    return "" if cell is None else visible(str(cell))


def measure_columns(rows: Sequence[Sequence[object]], count: int,
                    most: int | None = None) -> list[int]:
    """Each column's width over ``rows`` (:func:`column_width`); ``count`` zeros when there
    are no rows. A screen measures in its worker with it what its table would."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * count
    return [column_width(column, most) for column in columns]


def column_width(cells: Sequence[object], most: int | None = None) -> int:
    """The widest of ``cells`` as drawn (:func:`_text`), in terminal cells, or ``most`` if
    that is less: each distinct value once, a column of plain ASCII (codes, scores, English
    reasons) by length. Otherwise the values are grouped by their most possible width (an
    ASCII character is one cell, any other at most two), and the groups are measured from
    the widest bound down until none left could be wider: of 20,000 titles or writers'
    names a few are measured, and no value is sorted (sorting 20,000 titles took 30 ms of
    the secretariat's start)."""
    texts = {"" if cell is None else str(cell) for cell in set(cells)}
    joined = "".join(texts)
    if not is_visible(joined):  # a control character somewhere: spell out each value
        widest = max((cell_len(visible(text)) for text in texts), default=0)
    elif joined.isascii():
        widest = max(map(len, texts), default=0)
    else:
        by_bound: dict[int, list[str]] = defaultdict(list)
        for text in texts:
            by_bound[2 * len(text) - len(text.encode("ascii", "ignore"))].append(text)
        widest = 0
        for bound in sorted(by_bound, reverse=True):
            if bound <= widest or (most is not None and widest >= most):
                break
            for text in by_bound[bound]:
                widest = max(widest, cell_len(text))
                if widest >= bound or (most is not None and widest >= most):
                    break  # none of this group is wider, or the cap is reached
    return widest if most is None else min(widest, most)


def _fit(text: str, width: int) -> str:
    """``text`` padded to ``width`` cells, or cut to it with "…" when longer."""
    if cell_len(text) > width:
        # a wide character that does not fit leaves a space: the "…" goes right after the text
        return set_cell_size(set_cell_size(text, width - 1).rstrip(" ") + ELLIPSIS, width)
    return set_cell_size(text, width)


class TablePage(VerticalScroll):
    """A scrolling page of tables that keeps the focused table's cursor row in view when
    its own view changes size: the row's detail shown below the page takes lines from it
    (the cursor's row at the view's foot went out of sight)."""

    def on_resize(self) -> None:
        focused = self.screen.focused
        if isinstance(focused, LineTable) and focused.parent is self:
            focused.keep_cursor_in_page()
