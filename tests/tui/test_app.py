"""The app on a real demo workspace, driven with Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from review_tui.demo import build_demo
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.footer import KeyFooter
from tests.tui.shown import shown


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("tui") / "ws"
    build_demo(root, year=2026)
    return Workspace(root)


def footer_text(app: ReviewApp) -> str:
    """The footer's labels, as shown (the footer must follow the language)."""
    return app.screen.query_one(KeyFooter).render().plain


def text_of(app: ReviewApp, selector: str) -> str:
    return shown(app.screen.query_one(selector, Static))


async def test_status_screen_shows_the_committee_and_switches_language(demo):
    app = ReviewApp(workspace=demo, lang="zh-TW")
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "溝通服務COACH" in text_of(app, "#committee")
        table = app.screen.query_one("#tracks", DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[0]) == "溝通服務專書閱讀心得報告"
        assert "不予受理" in text_of(app, "#summary")
        assert "切換語言" in footer_text(app)
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert "Language" in footer_text(app) and "切換語言" not in footer_text(app)
        assert str(app.screen.query_one("#tracks", DataTable).get_row_at(0)[0]) == \
            "Book-reading report"
        assert "Findings" in text_of(app, "#summary")
        await pilot.press("q")


async def test_an_empty_workspace_says_what_to_do(tmp_path: Path):
    app = ReviewApp(workspace=Workspace(tmp_path / "none"), lang="en")
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "review-tui demo" in text_of(app, "#committee")


async def test_status_after_seal_shows_the_stage_and_sealed_counts(tmp_path: Path):
    from review_tui.engine.sealing.seal import seal

    workspace = Workspace(tmp_path / "ws")
    build_demo(workspace.root, year=2026)
    seal(workspace, passphrase="correct horse battery staple 2026")
    app = ReviewApp(workspace=workspace, lang="en")
    async with app.run_test(size=(110, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "→  sealed  →" in text_of(app, "#pipeline")  # the current stage is highlighted
        table = app.screen.query_one("#tracks", DataTable)
        assert [str(c) for c in table.get_row_at(0)[1:]] == ["22", "17", "5"]


async def test_the_collector_pauses_while_the_first_screen_is_built_and_runs_after(demo):
    import gc

    from review_tui.tui import app as app_module

    seen: list[bool] = []

    class Recording(ReviewApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        def on_mount(self) -> None:  # runs before ReviewApp's own on_mount
            seen.append(gc.isenabled())

    assert gc.isenabled()
    app = Recording(workspace=demo, lang="en")
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled()  # the first frame is painted: collecting again
        oldest = {id(item) for item in gc.get_objects(generation=2)}
        assert id(app.screen) in oldest  # what start-up built is not walked by young ones
        await pilot.press("q")
    assert seen == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0
