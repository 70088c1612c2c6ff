"""The reviewer's queue list, in a small app of its own: keys, clicks, scrolling, drawing."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from review_tui.tui.queue import QueueList

ROWS = [(f"E{i:03d}", "未評", 1000 + i, f"《微笑的力量》讀後心得之{i}") for i in range(60)]


class QueueApp(App[None]):
    CSS = "QueueList { height: 12; width: 40; }"

    def __init__(self, rows: list[tuple[object, ...]] = ROWS) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield QueueList(["編號", "狀態", "字數", "題目"], id="queue")

    def on_mount(self) -> None:
        self.query_one(QueueList).set_rows(self.rows)

    def on_queue_list_selected(self, event: QueueList.Selected) -> None:
        self.selected.append(event.index)


def drawn(queue: QueueList) -> list[str]:
    """The queue's lines as they are drawn now."""
    return [queue.render_line(y).text for y in range(queue.scrollable_content_region.height)]


async def test_keys_move_the_cursor_and_enter_selects():
    app = QueueApp()
    async with app.run_test() as pilot:
        queue = app.query_one(QueueList)
        queue.focus()
        await pilot.press("down", "down", "enter")
        assert queue.cursor == 2 and app.selected == [2]
        await pilot.press("up", "enter")
        assert app.selected == [2, 1]
        await pilot.press("end")
        assert queue.cursor == len(ROWS) - 1
        await pilot.press("down")  # past the last row: stays
        assert queue.cursor == len(ROWS) - 1
        await pilot.press("home", "up")
        assert queue.cursor == 0
        await pilot.press("pagedown")
        assert queue.cursor == queue.scrollable_content_region.height - 1  # a page: header aside


async def test_the_cursors_row_stays_on_screen_below_the_header():
    app = QueueApp()
    async with app.run_test() as pilot:
        queue = app.query_one(QueueList)
        queue.focus()
        for target in (30, 59, 5, 0):
            queue.move_cursor(target)
            await pilot.pause()
            lines = drawn(queue)
            assert lines[0].split()[:2] == ["編號", "狀態"]  # the header does not scroll away
            assert any(line.split()[:1] == [f"E{target:03d}"] for line in lines[1:])


async def test_a_click_opens_the_row_under_it():
    app = QueueApp()
    async with app.run_test() as pilot:
        queue = app.query_one(QueueList)
        queue.move_cursor(40)
        await pilot.pause()
        top = int(queue.scroll_offset.y)
        await pilot.click(QueueList, offset=(3, 4))  # the fourth row on screen
        assert app.selected == [top + 3] and queue.cursor == top + 3
        await pilot.click(QueueList, offset=(3, 0))  # the header: nothing
        assert app.selected == [top + 3]


async def test_columns_line_up_and_a_long_title_is_cut_with_an_ellipsis():
    app = QueueApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        queue = app.query_one(QueueList)
        lines = drawn(queue)
        width = queue.scrollable_content_region.width
        assert all(cell_len(line) == width for line in lines)
        assert all(line.rstrip().endswith("…") for line in lines[1:])  # titles too long here
        state_column = {cell_len(line[:line.index(state)]) for line, state in
                        zip(lines, ["狀態"] + ["未評"] * (len(lines) - 1), strict=True)}
        assert len(state_column) == 1  # "狀態" and every "未評" start on the same cell


async def test_changing_a_cell_widens_its_column_when_needed():
    app = QueueApp()
    async with app.run_test() as pilot:
        queue = app.query_one(QueueList)
        queue.set_cell(0, 1, "untouched")
        await pilot.pause()
        assert queue.row(0)[1] == "untouched"
        first, second = drawn(queue)[1:3]
        assert "untouched" in first
        assert cell_len(first[:first.index("1000")]) == cell_len(second[:second.index("1001")])


async def test_an_empty_queue_draws_its_header_and_ignores_enter():
    app = QueueApp(rows=[])
    async with app.run_test() as pilot:
        queue = app.query_one(QueueList)
        queue.focus()
        await pilot.press("down", "enter")
        assert app.selected == [] and queue.cursor == 0
        assert drawn(queue)[0].split()[0] == "編號"


def highlighted(queue: QueueList) -> list[str]:
    """Codes of the rows drawn in the cursor's colour, as the screen would draw them now
    (through the widget's cache of drawn lines, as a partial repaint uses it)."""
    lines = queue.render_lines(queue.region.reset_offset)[1:]
    colours = [next(iter(s.style.bgcolor for s in strip if s.style), None) for strip in lines]
    unique = [c for c in set(colours) if colours.count(c) == 1]
    return [strip.text.split()[0] for strip, colour in zip(lines, colours, strict=True)
            if colour in unique]


async def test_moving_the_cursor_in_a_scrolled_queue_repaints_the_right_rows():
    app = QueueApp()
    async with app.run_test() as pilot:
        queue = app.query_one(QueueList)
        queue.focus()
        queue.move_cursor(40)  # scrolled: row 40 at the bottom
        await pilot.pause()
        assert highlighted(queue) == ["E040"]
        for key, row in (("up", "E039"), ("up", "E038"), ("down", "E039")):
            await pilot.press(key)
            await pilot.pause()
            assert highlighted(queue) == [row]
        queue.set_cell(39, 1, "完成")
        await pilot.pause()
        assert any("E039" in s.text and "完成" in s.text
                   for s in queue.render_lines(queue.region.reset_offset))
