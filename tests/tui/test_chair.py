"""Chair mode: the progress board and the ranking, read from a scored committee."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import Static

from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.chair import ChairScreen, distribution
from review_tui.tui.line_table import LineTable
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import score_everything
from tests.tui.shown import shown
from tests.tui.test_reviewer import SIZE, template  # noqa: F401 - the shared sealed demo


@pytest.fixture
def scored(template, tmp_path) -> Workspace:  # noqa: F811
    workspace = Workspace(shutil.copytree(template, tmp_path / "ws"))
    score_everything(workspace, spread=30)
    return workspace


async def chair_read(app: ReviewApp, pilot) -> ChairScreen:
    """The chair's screen once its worker has read everything and the page is drawn."""
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ChairScreen)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_the_chair_sees_progress_ranking_flags_and_the_distribution(scored):
    app = ReviewApp(workspace=sign_in_roles(scored), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await chair_read(app, pilot)
        assert not screen.query_one("#chair-reading").display  # everything read: no hint
        board = screen.query_one("#board", LineTable)
        assert board.row_count == 5
        assert [str(board.row(i)[3]) for i in range(5)] == ["submitted"] * 5
        reading = screen.query_one("#rank-reading", LineTable)
        assert reading.row_count == 17
        first = [str(c) for c in reading.row(0)]
        assert first[0] == "1" and first[1].startswith("R-")
        case = screen.query_one("#rank-case", LineTable)  # the demo's cases are grouped
        rows = [[str(c) for c in case.row(i)] for i in range(case.row_count)]
        flags = [str(reading.row(i)[4]) for i in range(reading.row_count)]
        flags += [row[5] for row in rows]  # the group comes first
        problems = shown(screen.query_one("#problems", Static))
        assert ("⚠" in flags) == ("differ by" in problems)
        assert "█" in shown(screen.query_one("#chart-reading", Static))
        assert [row[0] for row in rows] == sorted(
            (row[0] for row in rows), key=["一級機關", "區公所"].index)
        firsts = [row[1] for row in rows if row[1] == "1"]
        assert len(firsts) == 2  # each group's ranks start at 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ChairScreen)


async def test_a_damaged_sheet_is_named_where_the_rankings_would_be(scored):
    """The screen says it is reading until it has read; a sheet that cannot be read is
    named instead, and the file is left as it was."""
    damaged = sorted((scored.root / "scores").glob("*.json"))[0]
    damaged.write_bytes(b'{"_default": {"1": {"code": ')
    app = ReviewApp(workspace=sign_in_roles(scored), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChairScreen)
        assert shown(screen.query_one("#chair-reading", Static)) == (
            "Reading the scores and the decisions…")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query_one("#chair-reading").display
        problems = shown(screen.query_one("#problems", Static))
        assert "is damaged and cannot be read" in problems and damaged.name in problems
        assert screen.query_one("#rank-reading", LineTable).row_count == 0
    assert damaged.read_bytes() == b'{"_default": {"1": {"code": '


async def test_a_sheet_reopened_meanwhile_is_tallied_again(scored):
    """Every few seconds the screen looks (in a worker) for a sheet written since it read
    them, and reads them all again only then."""
    from review_tui.engine.scoring.scores import reopen_sheet

    app = ReviewApp(workspace=sign_in_roles(scored), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChairScreen)

        async def look() -> None:  # what the screen's timer does
            screen._load_if_changed()
            for _ in range(2):  # the look, then the reading it may start
                await screen.workers.wait_for_complete()
                await pilot.pause()

        await look()
        first = screen.decisions
        await look()
        assert screen.decisions is first  # nothing written since: nothing read again
        reopen_sheet(scored, "J02", "late")
        await look()
        assert screen.decisions is not first and screen.decisions.provisional
        assert shown(screen.query_one("#provisional", Static)).startswith(
            "PROVISIONAL: score sheets not submitted yet: 1")


def test_distribution_bars_per_ten_point_band():
    lines = distribution(["95.50", "91.00", "84.00", "100.00", ""], width=4)
    assert lines == [" 90–100 ████ 3", " 80–89  █ 1"]


async def test_the_last_row_of_a_ranking_is_on_screen_when_the_cursor_is_on_it(scored):
    """The page shows a ranking, the entry's detail below it and a heading: End puts the
    cursor on the last entry, and that row is drawn. A table up to 20 lines high left it
    below the view when the terminal was short for it (the demo's 17 entries at 20
    lines, 2,000 at 24)."""
    from tests.tui.visibility import cursor_row_drawn

    app = ReviewApp(workspace=sign_in_roles(scored), lang="en", role="chair")
    async with app.run_test(size=(80, 20)) as pilot:
        screen = app.screen
        await screen.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#rank-reading", LineTable)
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == table.row_count - 1
        assert cursor_row_drawn(screen, table)


async def test_a_sheet_changed_since_it_was_submitted_says_so_on_the_board(scored):
    """Edited by hand after its submission, a sheet's row says it is not counted, and the
    open matters name it."""
    from tests.engine.test_tally import edit_submitted_sheet

    edit_submitted_sheet(scored, "J02")
    app = ReviewApp(workspace=sign_in_roles(scored), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await chair_read(app, pilot)
        board = screen.query_one("#board", LineTable)
        states = {str(board.row(i)[0]): str(board.row(i)[3]) for i in range(board.row_count)}
        assert states["J02"] == "changed since submitted: not counted"
        assert states["J01"] == "submitted"
        problems = shown(screen.query_one("#problems", Static))
        assert "Reviewer J02's sheet was changed after it was submitted" in problems


async def test_a_file_changed_since_its_step_is_named_among_the_open_matters(scored):
    """A review taken out of a queue in deal.json by hand: the ranking the chair sees
    is read from the file as it is, so the open matters say so (the commit refuses it)."""
    from tests.cli.test_decision_integrity import drop_a_review

    drop_a_review(scored.root)
    path = scored.root / "deal.json"
    app = ReviewApp(workspace=sign_in_roles(scored), lang="zh-TW", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await chair_read(app, pilot)
        problems = shown(screen.query_one("#problems", Static))
        assert f"{path} 與寫入它的步驟所記錄的不符" in problems
        banner = screen.query_one("#provisional")  # above the page: never scrolled away
        assert banner.display and f"{path} 與寫入它的步驟所記錄的不符" in shown(banner)
