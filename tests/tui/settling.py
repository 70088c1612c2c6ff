"""Waiting for the app to be done: workers finished, tables sized, before a check or a picture."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from review_tui.tui.dialogs import Dialog
from review_tui.tui.line_table import LineTable
from review_tui.tui.meeting import AgendaScreen


def busy_workers(app) -> list:
    """Workers still doing something. An action (a ``@work`` coroutine in a ``*-action``
    group) awaiting a dialog's answer is at rest until the person answers; a progress
    dialog's own worker counts while it runs."""
    asking = isinstance(app.screen, Dialog | AgendaScreen)  # the agenda waits for a choice
    return [w for w in app.workers if w.is_running
            and not (asking and (w.group or "").endswith("-action"))]


async def settle(app, pilot) -> None:
    """Let every worker finish (a refresh may replace — cancel — an earlier one), an
    action's worker included once it waits for the person, for at most 30 s."""
    quiet = 0
    for _ in range(600):
        await pilot.pause(0.05 if quiet == 0 else None)
        quiet = 0 if busy_workers(app) else quiet + 1
        if quiet >= 2:  # nothing running at two looks in a row: a result has been shown
            return
    raise AssertionError(f"workers still busy: {busy_workers(app)}")


def _tables_state(app) -> tuple[bool, tuple[int, ...]]:
    """Whether any DataTable still has rows to size (private state, read only here: it sizes
    them when idle, which under a loaded machine comes after any fixed pause), and the row
    counts (a table filled from a worker's result may still be empty at the first look)."""
    tables = list(app.screen.query(DataTable))
    pending = any(t._require_update_dimensions or t._new_rows or t._updated_cells
                  for t in tables)
    lines = [t.row_count for t in app.screen.query(LineTable)]  # sized as they are filled
    return pending, tuple([t.row_count for t in tables] + lines)


async def settled_for_picture(pilot) -> None:
    """Workers done, every table sized and unchanged for three looks in a row, then the
    screen itself unchanged for three looks (waited for, not guessed: under load a fixed
    pause gave pictures with cut columns, a table not yet drawn, a dialog half laid out)."""
    await settle(pilot.app, pilot)
    for _ in range(200):  # the start screen reads its status in a worker that may not
        if getattr(pilot.app.screen, "loaded", True) is not None:  # have begun at the
            break                                                   # first look
        await pilot.pause(0.05)
    await settle(pilot.app, pilot)
    calm, last = 0, None
    for _ in range(200):  # 10 s at most
        pending, counts = _tables_state(pilot.app)
        calm = calm + 1 if not pending and counts == last else 0
        if calm >= 3:
            break
        last = counts
        await pilot.pause(0.05)
    for field in pilot.app.screen.query(Input):  # a blinking cursor is a coin toss
        field.cursor_blink = False
    calm, picture = 0, None
    for _ in range(100):  # 10 s at most
        await pilot.pause(0.1)
        now = pilot.app.export_screenshot()
        calm = calm + 1 if now == picture else 0
        if calm >= 2:
            return
        picture = now
