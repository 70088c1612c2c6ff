"""The secretariat's sheets in the app (p): paper sheets, packets, returned sheets, PINs."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, RadioSet, Static

from review_tui.engine.access.pins import has_pin
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.dialogs import PromptDialog, ResultDialog
from review_tui.tui.sheets import ACTIONS, SheetsDialog
from tests.credentials import sign_in_roles
from tests.tui.settling import settle
from tests.tui.shown import shown
from tests.tui.test_reviewer import template  # noqa: F401 - the shared sealed, dealt demo
from tests.tui.test_secretariat import open_secretariat

SIZE = (120, 40)


@pytest.fixture
def workspace(template, tmp_path) -> Workspace:  # noqa: F811
    return sign_in_roles(Workspace(shutil.copytree(template, tmp_path / "ws")))


async def sheets(app: ReviewApp, pilot, action: str, *, reviewer: str = "",
                 path: str = "", replace: bool = False) -> None:
    """Press p, pick ``action``, fill the fields (``replace``: tick "the paper stands")
    and press OK."""
    await pilot.press("p")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, SheetsDialog)
    dialog.query_one("#action", RadioSet).query("RadioButton")[ACTIONS.index(action)] \
        .value = True
    await pilot.pause()
    dialog.query_one("#reviewer", Input).value = reviewer
    if path:
        dialog.query_one("#path", Input).value = path
    assert dialog.query_one("#replace", Checkbox).display == (action == "import")
    if replace:
        await pilot.click("#replace")
        assert dialog.query_one("#replace", Checkbox).value
    await pilot.click("#ok")
    await settle(app, pilot)


async def import_said(app: ReviewApp, pilot, path: Path, *, replace: bool = False) -> str:
    """Import ``path`` through the form; what the result says."""
    await sheets(app, pilot, "import", path=str(path), replace=replace)
    return await result_lines(app, pilot)


async def result_lines(app: ReviewApp, pilot) -> str:
    assert isinstance(app.screen, ResultDialog), app.screen
    said = shown(app.screen.query_one("#lines", Static))
    await pilot.click("#close")
    await settle(app, pilot)
    return said


async def test_paper_sheets_go_out_and_come_back_in_the_app(workspace, tmp_path):
    app = ReviewApp(workspace=workspace, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await open_secretariat(app, pilot)
        await sheets(app, pilot, "template", path=str(tmp_path / "paper"))
        said = await result_lines(app, pilot)
        written = sorted(p.name for p in (tmp_path / "paper").iterdir())
        assert written == [f"評分表_J0{n}.csv" for n in range(1, 6)]
        assert all(name in said for name in written)
        # J01 fills the sheet in by hand; the secretariat types it in and imports it
        sheet = tmp_path / "paper" / "評分表_J01.csv"
        rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
        header, body = rows[0], rows[1:]
        for row in body:
            track = next(t for t in workspace.config.tracks
                         if row[1].startswith(f"{t.code_prefix}-"))
            for criterion in track.criteria:  # 80% of each criterion's points
                row[header.index(criterion.id)] = str(criterion.points * 8 // 10)
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([header, *body])
        sheet.write_text(out.getvalue(), encoding="utf-8-sig")
        said = await import_said(app, pilot, sheet)
        assert "J01" in said and "refused" not in said, said
    stored = ScoreSheet(Workspace(workspace.root), "J01").scores()
    assert len(stored) == len(body) and all(row.get("scores") for row in stored.values())


async def test_a_refused_sheet_says_each_bad_line_and_imports_nothing(workspace, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("reviewer,code,insight\nJ01,R-NONE,99\n", encoding="utf-8")
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await open_secretariat(app, pilot)
        said = await import_said(app, pilot, bad)
        assert "整份未匯入" in said and "第 2 列：作品 R-NONE 未分派給委員 J01" in said, said
    assert not any(row.get("scores") for row in
                   ScoreSheet(Workspace(workspace.root), "J01").scores().values())


async def test_a_paper_sheet_overwrites_a_reviewers_draft_only_once_the_box_is_ticked(
        workspace, tmp_path):
    """The app's own way to let the paper stand (the CLI's --replace): refused first,
    with the hint saying what to tick; imported once ticked, each replaced value said."""
    draft = ScoreSheet(workspace, "J01")
    code, criterion = draft.queue[0].code, draft.criteria_of(draft.queue[0].code)[0]
    draft.save(code, criterion.id, "10")  # typed by the reviewer in the app
    draft.save_comment(code, "手寫評語")  # which the paper sheet leaves blank
    paper = tmp_path / "J01.csv"
    paper.write_text(f"reviewer,code,{criterion.id}\nJ01,{code},12\n", encoding="utf-8")
    app = ReviewApp(workspace=workspace, lang="en", role="secretariat")
    name = criterion.name_en or criterion.name
    async with app.run_test(size=SIZE) as pilot:
        await open_secretariat(app, pilot)
        said = await import_said(app, pilot, paper)
        assert f"{name}: stored 10, this sheet has 12" in said and "tick" in said, said
        assert "comment: stored 手寫評語, this sheet has (blank)" in said, said
        assert "--replace" not in said  # a flag of the CLI means nothing here
        said = await import_said(app, pilot, paper, replace=True)
        assert f"Replaced: reviewer J01, entry {code}, {name}: 10 → 12" in said, said
        assert f"Replaced: reviewer J01, entry {code}, comment: 手寫評語 → (blank)" in said
    stored = ScoreSheet(Workspace(workspace.root), "J01").scores()[code]["scores"]
    assert stored[criterion.id] == "12"


async def test_a_packet_for_one_reviewer_and_a_pin_typed_twice(workspace, tmp_path):
    app = ReviewApp(workspace=workspace, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await open_secretariat(app, pilot)
        await sheets(app, pilot, "packet", reviewer="j02", path=str(tmp_path / "usb"))
        said = await result_lines(app, pilot)
        assert (tmp_path / "usb" / "packet-J02.json").exists() and "J02" in said
        assert [p.name for p in (tmp_path / "usb").iterdir()] == ["packet-J02.json"]
        await sheets(app, pilot, "packet", reviewer="J02", path=str(tmp_path / "usb"))
        assert "is not overwritten: choose another folder" in shown(
            app.screen.query_one("#error", Static))  # the packet already given out is kept
        await pilot.click("#close")
        await settle(app, pilot)
        await sheets(app, pilot, "pin", reviewer="J03")
        for typed in ("2468", "2468"):
            assert isinstance(app.screen, PromptDialog)
            app.screen.query_one("#answer", Input).value = typed
            await pilot.click("#ok")
            await settle(app, pilot)
    assert has_pin(Workspace(workspace.root), "J03")


async def test_a_long_step_says_what_it_is_doing_file_by_file():
    """Export's conversion (and import, seal) report each file: the dialog says which
    phase and how far, not only an unlabelled bar (issue 23 point 6)."""
    import threading

    from textual.app import App

    from review_tui.i18n import Messages
    from review_tui.tui.dialogs import WorkDialog

    gate = threading.Event()

    def job(progress):
        progress("convert", 3, 8)
        gate.wait(10)
        return "done"

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(WorkDialog(Messages("zh-TW"), "匯出中", job))

    app = Host()
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if shown(app.screen.query_one("#phase", Static)):
                break
        assert shown(app.screen.query_one("#phase", Static)) == "轉成 ODT／PDF：3／8"
        gate.set()
