"""Waiting for the app to be done: workers finished, tables sized, before a check or a picture."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.worker import WorkerCancelled


async def settle(app, pilot) -> None:
    """Let every worker finish (a refresh may replace — cancel — an earlier one)."""
    for _ in range(10):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def _tables_pending(app) -> bool:
    """A DataTable sizes its new rows when idle (private state, read only here): under a
    loaded machine that comes after any fixed pause, and the picture shows cut columns."""
    return any(table._require_update_dimensions or table._new_rows or table._updated_cells
               for table in app.screen.query(DataTable))


async def settled_for_picture(pilot) -> None:
    """Workers done, every table sized (waited for, not guessed), then one more paint."""
    await settle(pilot.app, pilot)
    for _ in range(200):  # 10 s at most
        if not _tables_pending(pilot.app):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.05)
