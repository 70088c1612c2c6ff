"""The meeting in the chair's app, with the Pilot: the roll, the quorum before commit, and
the agenda walked from its first open matter."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import Input, SelectionList

from review_tui.engine.decisions.tally import tally
from review_tui.engine.meeting.agenda import agenda
from review_tui.engine.meeting.attendance import quorum
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.chair import ChairScreen
from review_tui.tui.chair_dialogs import DiscrepancyDialog
from review_tui.tui.dialogs import ConfirmDialog, PromptDialog, ResultDialog
from review_tui.tui.line_table import LineTable
from review_tui.tui.meeting import AgendaScreen, AttendanceDialog, PaperDialog
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import score_everything
from tests.engine.test_exports import doc_text
from tests.tui.settling import settle, settled_for_picture
from tests.tui.shown import shown
from tests.tui.test_chair_actions import toasts
from tests.tui.test_reviewer import SIZE, template  # noqa: F401 - the shared sealed demo


@pytest.fixture
def meeting(template, tmp_path) -> Workspace:  # noqa: F811
    """The demo scored with disagreements, before anyone's attendance is recorded."""
    workspace = sign_in_roles(Workspace(shutil.copytree(template, tmp_path / "ws")))
    score_everything(workspace, spread=30, attend=False)
    return workspace


async def _chair(app: ReviewApp, pilot) -> ChairScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, ChairScreen)
    return app.screen


async def test_the_roll_is_ticked_with_the_quorum_said_as_it_changes(meeting):
    app = ReviewApp(workspace=meeting, lang="zh-TW", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        await pilot.press("k")  # no roll yet: said before anything is confirmed
        await pilot.pause()
        assert isinstance(app.screen, ChairScreen)
        assert toasts(app)[-1] == "尚未登記出席委員，不能定案；請按 a 登記出席委員。"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceDialog)
        summary = app.screen.query_one("#quorum")
        assert shown(summary) == "出席 0／5 位（需 3 位），其中外聘 0 位（需 2 位）：未達法定人數。"
        await pilot.press("space", "down", "down", "space", "down", "space")  # J01 J03 J04
        await pilot.pause()
        assert app.screen.query_one(SelectionList).selected == ["J01", "J03", "J04"]
        assert shown(summary) == "出席 3／5 位（需 3 位），其中外聘 1 位（需 2 位）：未達法定人數。"
        await pilot.press("down", "space")  # J05, external
        await pilot.pause()
        assert shown(summary) == "出席 4／5 位，其中外聘 2 位：已達法定人數。"
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
        assert toasts(app)[-1] == "出席 4／5 位，其中外聘 2 位：已達法定人數。"
    states = {m.id: m.present for m in quorum(meeting).members}
    assert states == {"J01": True, "J02": False, "J03": True, "J04": True, "J05": True}
    assert [r["action"] for r in meeting.audit.records()][-1] == "meeting.attend"


async def test_a_roll_with_nobody_ticked_is_refused_in_place(meeting):
    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceDialog)
        assert shown(app.screen.query_one("#error")).startswith("Name the members present")
    assert not quorum(meeting).recorded


async def test_the_agenda_is_walked_from_its_first_open_matter(meeting):
    first = next(m for m in agenda(meeting) if m.open)
    assert first.kind == "discrepancy"  # a spread of 30% flags some
    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
        matters = app.screen.query_one("#matters", LineTable)
        assert matters.cursor_key == first.id
        assert shown(app.screen.query_one("#agenda-quorum")).endswith(": no quorum.")
        assert "robustness" in shown(app.screen.query_one("#robustness"))
        await pilot.press("enter")  # the discrepancy's own dialog, over the chair's screen
        await settle(app, pilot)
        assert isinstance(app.screen, DiscrepancyDialog)
        assert first.codes[0] in shown(app.screen.query_one(".heading"))
        await pilot.press("enter")  # keep, the option chosen: submitted
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)  # back, for the next matter
        matters = app.screen.query_one("#matters", LineTable)
        row = matters.row(matters.index_of(first.id))
        assert str(row[1]) == "✓"
        assert matters.cursor_key != first.id
        near = next((m for m in agenda(meeting) if m.kind == "cutoff"), None)
        if near is not None:  # a note decides an entry near the cut-off
            matters.move_cursor(matters.index_of(near.id))
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await pilot.press(*"discussed, kept", "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, AgendaScreen)
            noted = next(m for m in agenda(meeting) if m.id == near.id)
            assert not noted.open and noted.note == "discussed, kept"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
    row = next(r for r in tally(meeting, record=False).rows(first.track or "")
               if r.code == first.codes[0])
    assert row.discrepancy.outcome is not None and row.discrepancy.outcome.action == "keep"


@pytest.mark.parametrize("lines", [10, 24])
async def test_the_agendas_last_matter_is_on_screen_when_the_cursor_is_on_it(meeting, lines):
    """End puts the cursor on the last matter, and its row is drawn: the agenda's table
    was as long as its matters, and on a terminal too short for them the page did not
    follow the cursor below its view."""
    from tests.tui.visibility import cursor_row_drawn

    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=(80, lines)) as pilot:
        await _chair(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        matters = app.screen.query_one("#matters", LineTable)
        await pilot.press("end")
        await pilot.pause()
        assert matters.cursor == matters.row_count - 1
        assert cursor_row_drawn(app.screen, matters)


async def test_with_a_quorum_the_commit_is_asked_for(meeting):
    from review_tui.engine.meeting.attendance import record_attendance

    record_attendance(meeting, ["J01", "J02", "J05"])
    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)


# --- snapshots: the roll and the agenda, both languages, small and wide --------------------

SIZES = [(80, 24), (160, 45)]


def _opened_with(key: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(key)
        await settled_for_picture(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_attendance_snapshot(meeting, snap_compare, lang, size):
    app = ReviewApp(workspace=meeting, lang=lang, role="chair")
    assert snap_compare(app, terminal_size=size, run_before=_opened_with("a"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_agenda_snapshot(meeting, snap_compare, lang, size):
    app = ReviewApp(workspace=meeting, lang=lang, role="chair")
    assert snap_compare(app, terminal_size=size, run_before=_opened_with("g"))


async def test_the_minutes_are_written_from_the_chairs_screen(meeting, tmp_path):
    app = ReviewApp(workspace=meeting, lang="zh-TW", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PaperDialog)
        await pilot.press(*"第一會議室")
        app.screen.query_one("#day", Input).value = "15/7"
        app.screen.query_one("#folder", Input).value = str(tmp_path / "out")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PaperDialog)  # a day it cannot read: said in place
        assert shown(app.screen.query_one("#error")) == "日期「15/7」看不懂，請寫成 2026-07-15。"
        app.screen.query_one("#day", Input).value = "2026-07-15"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        assert str(tmp_path / "out" / "會議紀錄.docx") in shown(app.screen.query_one(".hint"))
    text = doc_text(tmp_path / "out" / "會議紀錄.docx")
    assert "地點：第一會議室" in text and "時間：中華民國115年7月15日" in text


async def test_the_sign_in_sheet_is_written_from_the_secretariats_screen(meeting, tmp_path):
    app = ReviewApp(workspace=meeting, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PaperDialog)
        app.screen.query_one("#folder", Input).value = str(tmp_path / "out")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
    assert (tmp_path / "out" / "簽到表.docx").exists()
    assert meeting.audit.records()[-1]["action"] == "meeting.sign_in"


async def test_a_reviewer_withdraws_from_an_entry_with_a_reason(template, tmp_path):  # noqa: F811
    from review_tui.engine.scoring.scores import ScoreSheet
    from review_tui.tui.line_table import LineTable as Queue
    from review_tui.tui.reviewer import ReviewerScreen

    workspace = Workspace(shutil.copytree(template, tmp_path / "ws"))
    code = ScoreSheet(workspace, "J01").queue[0].code
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewerScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")  # a reason is required
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"I know the writer", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewerScreen)
        assert str(screen.query_one("#queue", Queue).row(0)[1]) == "withdrawn"
        assert all(field.disabled for field in screen.query(".criteria Input"))
        assert "You withdrew from this entry (I know the writer)" in shown(
            screen.query_one("#saved"))
        assert "submitted" not in shown(screen.query_one("#progress"))  # the sheet is not
        assert toasts(app)[-1] == f"You withdrew from {code}."
    sheet = ScoreSheet(workspace, "J01")
    assert sheet.scores()[code]["recused"]["reason"] == "I know the writer"
    assert code not in sheet.unscored()


async def test_the_secretariat_fills_recusals_from_its_screen(template, tmp_path):  # noqa: F811
    from review_tui.engine.scoring.recusal import record_recusal, unreplaced
    from review_tui.engine.scoring.scores import ScoreSheet

    workspace = sign_in_roles(Workspace(shutil.copytree(template, tmp_path / "ws")))
    app = ReviewApp(workspace=workspace, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f")  # nothing to fill: said, nothing asked
        await pilot.pause()
        assert toasts(app)[-1] == "No recusal is waiting for a replacement."
        code = ScoreSheet(workspace, "J02").queue[0].code
        record_recusal(workspace, "J02", code, "親屬")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        assert f"{code}: dealt to J0" in shown(app.screen.query_one("#lines"))
    assert unreplaced(workspace) == []


def _undeclared(template, tmp_path) -> Workspace:  # noqa: F811
    workspace = Workspace(shutil.copytree(template, tmp_path / "ws"))
    with workspace.store.write("scores/J01") as db:  # the fixture confirmed it for everyone
        db.replace_all("declaration", [])
    return workspace


async def test_the_sheet_opens_only_after_the_declaration(template, tmp_path):  # noqa: F811
    from review_tui.engine.scoring.declaration import needs_declaration
    from review_tui.tui.dialogs import DeclarationDialog
    from review_tui.tui.reviewer import ReviewerScreen
    from review_tui.tui.start import StartScreen

    workspace = _undeclared(template, tmp_path)
    assert needs_declaration(workspace, "J01")
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DeclarationDialog)
        assert "本人擔任本次評審委員" in shown(app.screen.query_one("#declaration"))
        await pilot.click("#no")  # back: the sheet stays closed, nothing recorded
        await settle(app, pilot)
        assert isinstance(app.screen, StartScreen)
        assert needs_declaration(workspace, "J01")
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DeclarationDialog)
        await pilot.press("enter")  # the agree button has the focus
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewerScreen)
    assert not needs_declaration(workspace, "J01")
    logged = [r for r in workspace.audit.records() if r["action"] == "sheet.declare"][-1]
    assert logged["role"] == "reviewer:J01" and logged["details"]["reviewer"] == "J01"
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:  # confirmed once: not asked again
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewerScreen)


def test_a_changed_declaration_is_asked_again_and_none_asks_nothing(template, tmp_path):  # noqa: F811
    from review_tui.engine.decisions.frozen_rules import amend_rules
    from review_tui.engine.scoring.declaration import needs_declaration

    workspace = sign_in_roles(Workspace(shutil.copytree(template, tmp_path / "ws")))
    assert not needs_declaration(workspace, "J02")
    settings = workspace.config_path
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("本人擔任本次評審委員", "本人擔任本屆評審委員"),
                        encoding="utf-8")
    amend_rules(workspace, "the declaration's wording")
    assert needs_declaration(Workspace(workspace.root), "J02")
    start = text.index('declaration = """')
    end = text.index('"""', start + 20) + 3
    settings.write_text(text[:start] + text[end:], encoding="utf-8")
    amend_rules(Workspace(workspace.root), "no declaration")
    assert not needs_declaration(Workspace(workspace.root), "J02")


async def test_the_discrepancy_dialog_shows_a_rescored_reviewers_first_round(meeting):
    from review_tui.engine.decisions.tally import resolve_discrepancy
    from review_tui.engine.scoring.scores import ScoreSheet

    flagged = next(m for m in agenda(meeting) if m.kind == "discrepancy")
    code = flagged.codes[0]
    row = next(r for r in tally(meeting, record=False).rows(flagged.track or "")
               if r.code == code)
    low = min(row.reviews, key=lambda r: float(r.total))
    resolve_discrepancy(meeting, code, "rescore", reviewer=low.reviewer)
    sheet = ScoreSheet(meeting, low.reviewer)
    criterion = sheet.criteria_of(code)[0]
    sheet.save(code, criterion.id, "0")  # lower still: the spread stays flagged
    sheet.save_comment(code, "重讀後調低")
    sheet.submit()
    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _chair(app, pilot)
        table = screen.query_one(f"#rank-{flagged.track}", LineTable)
        table.focus()
        table.move_cursor(table.index_of(code))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DiscrepancyDialog)
        assert f"(first round {low.total})" in shown(app.screen.query_one(".hint"))


async def test_a_criterion_comment_and_the_comment_a_low_total_asks_for(template, tmp_path):  # noqa: F811
    from review_tui.engine.scoring.scores import ScoreSheet
    from review_tui.tui.reviewer import ReviewerScreen

    workspace = Workspace(shutil.copytree(template, tmp_path / "ws"))
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewerScreen)
        code = screen.sheet.queue[0].code
        for criterion in screen.sheet.criteria_of(code):  # half the points each: 50 in all
            await pilot.press(*str(criterion.points // 2), "enter")
        await pilot.pause()
        assert "低於 60 分，須填寫評語" in shown(screen.query_one("#total"))
        first = screen.query(".criteria Input").first()
        first.focus()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"創見不足", "enter")
        await settle(app, pilot)
        assert app.screen is screen and first.border_subtitle == "✎"
        assert "須填寫評語" not in shown(screen.query_one("#total"))
    remarks = ScoreSheet(workspace, "J01").scores()[code]["criterion_comments"]
    assert list(remarks.values()) == ["創見不足"]


async def test_the_projectors_high_contrast_stays_set_for_the_committee(meeting):
    from review_tui.tui.display import CONTRAST, saved_theme

    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        assert app.theme != CONTRAST and saved_theme(meeting) is None
        await pilot.press("p")
        await pilot.pause()
        assert app.theme == CONTRAST and saved_theme(meeting) == CONTRAST
        assert toasts(app)[-1].startswith("Projector: high contrast")
    app = ReviewApp(workspace=meeting, lang="en")  # the next session, any role
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == CONTRAST
        app.theme = "nord"  # as the palette's theme command sets it
        await pilot.pause()
    assert saved_theme(meeting) == "nord"


async def test_the_meeting_walked_end_to_end(meeting, tmp_path):
    """Attendance → the agenda, every matter decided from it → a quorum-checked commit →
    the minutes, with every decision and the commit hash."""
    from review_tui.engine.decisions.commit import frozen_decisions

    app = ReviewApp(workspace=meeting, lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await _chair(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space", "down", "space", "down", "down", "down", "space")
        await pilot.press("tab", "enter")  # J01, J02, J05: three present, all external
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        for _ in range(40):  # each open matter in turn, from the agenda
            assert isinstance(app.screen, AgendaScreen)
            open_matters = [m for m in app.screen.matters if m.open]
            if not open_matters:
                break
            matter = open_matters[0]
            table = app.screen.query_one("#matters", LineTable)
            assert table.cursor_key == matter.id  # the agenda goes on from the first open
            if matter.kind in ("discrepancy", "tie"):
                await pilot.press("enter")
                await settle(app, pilot)
                await pilot.press("enter")  # keep / the ladder's own choice
                await settle(app, pilot)
            else:
                await pilot.press("n")
                await pilot.pause()
                await pilot.press(*"discussed", "enter")
                await settle(app, pilot)
        else:
            raise AssertionError("the agenda did not empty")
        assert all(not m.open for m in agenda(meeting))
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)  # the hash, to be written down
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#folder", Input).value = str(tmp_path / "papers")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
    digest = frozen_decisions(meeting)["sha256"]
    text = doc_text(tmp_path / "papers" / "會議紀錄.docx")
    assert digest in text and "未決" not in text
    for matter in agenda(meeting):
        assert all(code in text for code in matter.codes)
    record = [r for r in meeting.audit.records() if r["action"] == "commit"][-1]
    assert record["details"]["quorum"]["present_ids"] == ["J01", "J02", "J05"]


async def test_the_secretariat_records_a_recusal_from_its_screen(template, tmp_path):  # noqa: F811
    from review_tui.engine.scoring.recusal import recusals
    from review_tui.engine.scoring.scores import ScoreSheet
    from review_tui.tui.meeting import RecusalDialog

    workspace = sign_in_roles(Workspace(shutil.copytree(template, tmp_path / "ws")))
    code = ScoreSheet(workspace, "J03").queue[0].code
    app = ReviewApp(workspace=workspace, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, RecusalDialog)
        await pilot.press(*"j03", "tab", *code.lower(), "enter")
        await pilot.pause()
        assert shown(app.screen.query_one("#error")) == "This is required."  # no reason yet
        await pilot.press(*"a relative", "enter")
        await settle(app, pilot)
        assert toasts(app)[-1] == (f"Recorded: J03 withdraws from {code}; their score on it "
                                   "is not counted.")
    assert [(r.reviewer, r.code, r.by) for r in recusals(workspace)] == [
        ("J03", code, "secretariat")]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_an_english_criterion_keeps_its_range_in_view_at_any_width(template, tmp_path,  # noqa: F811
                                                                         size):
    """Issue 23 point 16: the English names are long, and the field's title was cut before
    the range ("Insight and originality (…"), which the typed value then hides."""
    import html

    workspace = Workspace(shutil.copytree(template, tmp_path / "ws"))
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen
        item = screen.sheet.queue[0]
        for criterion in screen.sheet.criteria_of(item.code):
            await pilot.press(*str(criterion.points // 2), "enter")  # the placeholder goes
        await pilot.pause()
        drawn = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        for criterion in screen.sheet.criteria_of(item.code):
            assert f"0–{criterion.points} · " in drawn, criterion.id


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
async def test_a_roll_of_200_members_fits_the_dialog_at_80x24(meeting, lang):
    """The list scrolls inside the dialog; the heading, the quorum and the buttons stay in
    sight (with 200 members the box itself scrolled and hid them)."""
    from textual.app import App

    from review_tui.engine.meeting.attendance import Member, Quorum
    from review_tui.i18n import Messages
    from tests.tui.visibility import visible

    rules = quorum(meeting).rules
    many = Quorum(tuple(Member(f"J{i:04d}", f"委員{i}", i % 2 == 0, None) for i in range(200)),
                  rules)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(AttendanceDialog(Messages(lang), many))

    async with Host().run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, AttendanceDialog)
        for selector in (".heading", "#quorum", "#ok", "#no"):
            assert visible(dialog, dialog.query_one(selector)), selector
        await pilot.press("end")
        await pilot.pause()
        assert visible(dialog, dialog.query_one("#ok"))
