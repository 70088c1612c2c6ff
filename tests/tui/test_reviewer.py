"""Reviewer mode driven with the Pilot: type, refuse, move, submit — checked in the store."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual import events
from textual.widgets import DataTable, Input, Static

from review_tui.demo import build_demo
from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing import pseudonyms
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.footer import KeyFooter
from review_tui.tui.queue import QueueList
from review_tui.tui.reading import NO_LINE_START
from review_tui.tui.reviewer import ConfirmSubmit, ReviewerScreen
from tests.tui.settling import settled_for_picture
from tests.tui.shown import shown

SIZE = (140, 40)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The demo, sealed with fixed codes (so snapshots are stable) and dealt."""
    root = tmp_path_factory.mktemp("tui-rev") / "ws"
    build_demo(root, year=2026)
    fixed = random.Random(2026)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pseudonyms.secrets, "choice", fixed.choice)
        seal(Workspace(root), passphrase="correct horse battery staple 2026")
    deal(Workspace(root), seed=7, per_entry=3)
    declared(Workspace(root))
    return root


def declared(workspace: Workspace) -> Workspace:
    """Every dealt reviewer has confirmed the declaration (asked on first opening: its own
    tests are in test_meeting.py), so a test opens the sheet itself."""
    from review_tui.engine.scoring.deal import load_deal
    from review_tui.engine.scoring.declaration import confirm_declaration

    for reviewer in load_deal(workspace).queues:
        confirm_declaration(workspace, reviewer)
    return workspace


@pytest.fixture
def workspace(template, tmp_path) -> Workspace:
    return Workspace(shutil.copytree(template, tmp_path / "ws"))


def text(screen, selector: str) -> str:
    return shown(screen.query_one(selector, Static))


def on_screen(widget) -> str:
    """Everything ``widget`` draws, its lines joined without the line breaks' spaces."""
    return "".join("".join(strip.text.split())
                   for strip in widget.render_lines(widget.region.reset_offset))


def burst(app: ReviewApp, *keys: str) -> None:
    """Send keys in one burst, as a fast typist or a slow disk delivers them: none waits
    for the one before it to be handled."""
    characters = {"enter": "\r", "tab": "\t"}
    for key in keys:
        app.post_message(events.Key(key, characters.get(key, key if len(key) == 1 else None)))


async def test_a_typed_score_is_saved_and_a_bad_one_refused(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewerScreen)
        code, track = screen.sheet.queue[0].code, screen.sheet.queue[0].track
        first, second = screen.sheet.criteria_of(code)[:2]
        await pilot.press("3", "0", "enter")
        await pilot.pause()
        assert "saved" in text(screen, "#saved")
        assert ScoreSheet(workspace, "J01").scores()[code]["scores"] == {first.id: "30"}
        assert app.focused is screen.query_one(f"#c-{track}-{second.id}", Input)
        await pilot.press("9", "9", "9", "enter")
        await pilot.pause()
        assert f"0 to {second.points}" in text(screen, "#refusal")
        assert screen.query_one(f"#c-{track}-{second.id}", Input).has_class("invalid")
        assert second.id not in ScoreSheet(workspace, "J01").scores()[code]["scores"]
        assert "Total 30 / 100" in text(screen, "#total")
        assert second.name_en in text(screen, "#refusal")  # its name, not id
        await pilot.press("1", "5", "enter")  # the refused value was selected: keys replace it
        await pilot.pause()
        assert ScoreSheet(workspace, "J01").scores()[code]["scores"][second.id] == "15"
        assert "Total 45 / 100" in text(screen, "#total")


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_refused_value_never_traps_the_reviewer(workspace):
    """After a refused score, a key that leaves the entry (Ctrl+↓, Esc) says why it stays
    and that the same key again drops the value; pressed again, the field gets back what was
    saved and the reviewer moves on (issue 23, point 1: they were stuck, told nothing)."""
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        code, track = screen.sheet.queue[0].code, screen.sheet.queue[0].track
        first, second = screen.sheet.criteria_of(code)[:2]
        await pilot.press("3", "0", "enter", "3", "x", "enter")
        await pilot.pause()
        field = screen.query_one(f"#c-{track}-{second.id}", Input)
        assert field.has_class("invalid")
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert screen.index == 0 and app.focused is field
        assert "“3x” was not saved" in toasts(app)[-1]
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert screen.index == 1  # moved on; the refused value was dropped, not saved
        assert "Dropped the unsaved “3x”" in toasts(app)[-1]
        assert ScoreSheet(workspace, "J01").scores()[code]["scores"] == {first.id: "30"}
        await pilot.press("9", "9", "9", "escape")  # Esc refuses once, then leaves
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewerScreen)


async def test_moving_between_entries_and_submitting(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J02")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        queue = screen.sheet.queue
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert screen.index == 1
        assert queue[1].code in on_screen(screen.query_one("#entry-title", Static))
        assert screen.query_one("#queue", QueueList).cursor == 1
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert screen.index == 0
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)
        assert str(len(queue)) in shown(app.screen.query_one(".hint"))
        await pilot.click("#yes")
        await pilot.pause()
        assert ScoreSheet(workspace, "J02").status() == "submitted"
        assert all(field.disabled for field in screen.query("#form Input"))
        # Said where it is seen (the progress line, the narrow status), and not offered again.
        assert "✓Submitted,readonly0/" in on_screen(screen.query_one("#progress", Static))
        footer = app.screen.query_one(KeyFooter).render().plain
        assert "Submit" not in footer and "Next entry" in footer
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # no dialog
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "Submitted,readonly" in on_screen(screen.query_one("#narrow-status", Static))


async def test_the_reviewer_sees_no_identity(workspace):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J03")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = app.screen.query("Static, Label")
        rendered = " ".join(on_screen(w) for w in shown)
        assert app.screen.sheet.queue[0].title in rendered  # the check reads the screen
        for agency in ("高雄市政府", "衛生局", "民政局"):
            assert agency not in rendered


async def test_picking_a_reviewer_from_the_status_screen(workspace):
    app = ReviewApp(workspace=workspace, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#reviewers", DataTable)
        assert table.row_count == 5
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen) and app.screen.sheet.reviewer == "J01"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewerScreen)


def test_reviewer_screen_snapshot(workspace, snap_compare):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J04")
    assert snap_compare(app, terminal_size=SIZE, run_before=settled_for_picture)


async def test_a_reviewer_started_directly_goes_back_to_the_status(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J05")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Committee" in shown(app.screen.query_one("#committee", Static))
        rows = app.screen.query_one("#reviewers", DataTable)  # their own progress only
        assert rows.row_count == 1 and str(rows.get_row_at(0)[0]) == "J05"


async def test_a_full_disk_refuses_the_save_and_keeps_what_was_saved(workspace, monkeypatch):
    import errno
    import os

    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J03")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        code = screen.sheet.queue[0].code
        first = screen.sheet.criteria_of(code)[0]
        await pilot.press("2", "0", "enter")
        await pilot.pause()
        real_replace = os.replace

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", full)
        screen.query_one(f"#c-{screen.sheet.queue[0].track}-{first.id}", Input).focus()
        await pilot.press("backspace", "backspace", "3", "0", "enter")
        await pilot.pause()
        assert "No space left" in text(screen, "#refusal")  # said, not crashed
        monkeypatch.setattr(os, "replace", real_replace)
    assert ScoreSheet(workspace, "J03").scores()[code]["scores"][first.id] == "20"


async def test_a_reviewer_scores_two_entries_with_the_keyboard_alone(workspace):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J05")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        typed: dict[str, dict[str, str]] = {}
        for index in range(2):
            item = screen.sheet.queue[index]
            typed[item.code] = {}
            for criterion in screen.sheet.criteria_of(item.code):
                value = str(criterion.points - 3)
                await pilot.press(*value, "enter")  # saved, and on to the next field
                typed[item.code][criterion.id] = value
            await pilot.press(*"條理清楚", "enter")  # the comment
            await pilot.press("ctrl+down")
            await pilot.pause()
        assert screen.index == 2
        assert "2/" in text(screen, "#progress")
    stored = ScoreSheet(workspace, "J05").scores()
    assert {code: row["scores"] for code, row in stored.items()} == typed
    assert all(row["comment"] == "條理清楚" for row in stored.values())


async def test_titles_are_shown_as_written_never_read_as_markup(tmp_path):
    root = tmp_path / "ws"
    build_demo(root, year=2026)
    workspace = Workspace(root)
    seal(workspace, passphrase="correct horse battery staple 2026")
    odd = "[/b] 我的 C:\\[2026] [心得]"
    with workspace.store.write("entries") as db:
        rows = db.rows("_default")
        rows[0]["title"] = odd
        db.replace_all("_default", rows)
    deal(workspace, seed=7, per_entry=3)
    declared(workspace)
    reviewer = next(r for r in ("J01", "J02", "J03", "J04", "J05")
                    if any(i.title == odd for i in ScoreSheet(workspace, r).queue))
    app = ReviewApp(workspace=workspace, lang="en", role=f"reviewer:{reviewer}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        index = next(i for i, item in enumerate(screen.sheet.queue) if item.title == odd)
        screen.show_entry(index)
        await pilot.pause()
        drawn = on_screen(screen.query_one("#entry-title", Static))
        assert drawn.endswith("".join(odd.split()))  # as drawn, spaces aside
        queue = screen.query_one("#queue", QueueList)
        assert queue.row(index)[3] == odd
        line = queue.render_line(index - int(queue.scroll_offset.y) + 1).text
        assert "[/b] 我的" in line  # drawn as written (cut to the pane's width)


async def test_the_text_is_broken_into_lines_as_chinese_is_typeset(workspace):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        pane = screen.query_one("#entry-text", Static)
        shown = [strip.text.strip() for strip in pane.render_lines(pane.region.reset_offset)]
        assert len(shown) > 10
        assert not any(line[:1] in NO_LINE_START for line in shown)
        assert on_screen(pane) == "".join(screen.sheet.queue[0].text(workspace).split())


async def test_on_an_80_column_terminal_the_text_gets_the_queues_width(workspace):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J02")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one("#queue-pane").display
        reading = screen.query_one("#reading")
        assert reading.size.width >= 40  # ~20 Chinese characters a line, not 8
        status = screen.query_one("#narrow-status", Static)
        total = len(screen.sheet.queue)
        assert on_screen(status).startswith("評審委員J02") and f"0/{total}" in on_screen(status)
        for criterion in screen.sheet.criteria_of(screen.sheet.queue[0].code):
            await pilot.press(*str(criterion.points), "enter")
        await pilot.pause()
        assert f"1/{total}" in on_screen(status)  # the progress follows without the queue
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert screen.index == 1
        await pilot.resize_terminal(140, 40)  # wider again: the queue is back
        await pilot.pause()
        assert screen.query_one("#queue-pane").display and not status.display


async def test_the_text_keeps_a_readable_width_at_every_terminal_width(workspace):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J02")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for width in (80, 100, 110, 119, 120, 140, 180):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            text = screen.query_one("#entry-text").size.width
            assert text >= 36, (width, text)  # 18 Chinese characters a line at least
            queue = screen.query_one("#queue-pane")
            assert queue.display == (width >= 120), width
            assert not queue.display or queue.size.width <= text, width  # the text comes first


async def test_what_is_typed_is_saved_without_enter_and_a_bad_value_holds_the_entry(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J03")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        code, track = screen.sheet.queue[0].code, screen.sheet.queue[0].track
        first, second = screen.sheet.criteria_of(code)[:2]
        await pilot.press("2", "5", "tab")  # Tab, not Enter: saved all the same
        await pilot.pause()
        assert ScoreSheet(workspace, "J03").scores()[code]["scores"] == {first.id: "25"}
        assert "Total 25 / 100" in text(screen, "#total")
        await pilot.press(*str(second.points + 1), "ctrl+down")  # out of range, then on
        await pilot.pause()
        assert screen.index == 0  # held on the entry, the reason shown, nothing written
        assert f"0 to {second.points}" in text(screen, "#refusal")
        assert app.focused is screen.query_one(f"#c-{track}-{second.id}", Input)
        assert second.id not in ScoreSheet(workspace, "J03").scores()[code]["scores"]
        await pilot.press("1", "0", "ctrl+down")  # corrected (it replaces the selection)
        await pilot.pause()
        assert screen.index == 1
        assert ScoreSheet(workspace, "J03").scores()[code]["scores"][second.id] == "10"
        screen.query_one("#comment", Input).focus()
        await pilot.press(*"typed, never entered", "escape")  # leaving the sheet: kept
        await pilot.pause()
        assert not isinstance(app.screen, ReviewerScreen)
    other = ScoreSheet(workspace, "J03").scores()[screen.sheet.queue[1].code]
    assert other["comment"] == "typed, never entered"


async def test_moving_on_before_a_new_tracks_form_is_filled_changes_no_score(workspace):
    """Ctrl+↓ twice, faster than a new track's fields are filled, must not save their
    blank values (clearing stored scores) nor the previous entry's comment."""
    reviewer, index = next(
        (r, i) for r in ("J01", "J02", "J03", "J04", "J05")
        for i, item in enumerate(ScoreSheet(workspace, r).queue[1:], start=1)
        if item.track != ScoreSheet(workspace, r).queue[0].track)
    sheet = ScoreSheet(workspace, reviewer)
    target = sheet.queue[index]  # the first entry of the other track in the queue
    for criterion in sheet.criteria_of(target.code):
        sheet.save(target.code, criterion.id, str(criterion.points // 2))
    sheet.save_comment(sheet.queue[index - 1].code, "about the entry before")
    before = ScoreSheet(workspace, reviewer).scores()[target.code]
    app = ReviewApp(workspace=workspace, lang="en", role=f"reviewer:{reviewer}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.show_entry(index - 1)
        await pilot.pause()
        screen.action_next_entry()  # to the other track: its fields are filled later …
        screen.action_next_entry()  # … and we leave before that
        await pilot.pause()
        assert screen.index == index + 1
    assert ScoreSheet(workspace, reviewer).scores()[target.code] == before


async def test_the_title_is_broken_by_the_same_rules_and_stays_bold(workspace):
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J02")
    async with app.run_test(size=(80, 24)) as pilot:  # a narrow pane: long titles wrap
        await pilot.pause()
        screen = app.screen
        title = screen.query_one("#entry-title", Static)
        wrapped = 0
        for index in range(len(screen.sheet.queue)):
            screen.show_entry(index)
            await pilot.pause()
            strips = title.render_lines(title.region.reset_offset)
            lines = [strip.text.strip() for strip in strips if strip.text.strip()]
            wrapped += len(lines) > 1
            assert not any(line[:1] in NO_LINE_START for line in lines), lines
            assert all(segment.style and segment.style.bold
                       for strip in strips for segment in strip if segment.text.strip())
        assert wrapped  # some titles were long enough to be broken


async def test_keys_typed_ahead_of_ctrl_down_are_saved_on_their_own_entry(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J04")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        code = screen.sheet.queue[0].code
        first = screen.sheet.criteria_of(code)[0]
        burst(app, "2", "5", "ctrl+down")
        await pilot.pause()
        assert screen.index == 1
    assert ScoreSheet(workspace, "J04").scores()[code]["scores"] == {first.id: "25"}


async def test_a_click_on_the_queue_opens_that_entry_and_keeps_what_was_typed(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J04")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        code = screen.sheet.queue[0].code
        first = screen.sheet.criteria_of(code)[0]
        await pilot.press("3", "0")  # typed, not entered
        await pilot.click("#queue", offset=(2, 4))  # the header, then the queue's fourth row
        await pilot.pause()
        assert screen.index == 3
        assert screen.sheet.queue[3].code in on_screen(screen.query_one("#entry-title", Static))
        assert ScoreSheet(workspace, "J04").scores()[code]["scores"] == {first.id: "30"}
        queue = screen.query_one("#queue", QueueList)
        assert "draft" in queue.render_line(1).text  # the first entry's state, redrawn
        await pilot.press("shift+tab", "shift+tab")  # from the first field: text, queue
        assert app.focused is queue
        await pilot.press("up", "up", "enter")  # the keys of a table: move, then open
        await pilot.pause()
        assert screen.index == 1


async def test_scores_typed_ahead_of_enter_and_tab_land_in_their_own_fields(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J05")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        criteria = screen.sheet.criteria_of(code := screen.sheet.queue[0].code)
        burst(app, "3", "enter", "2", "tab", *"typed")
        await pilot.pause()
        fields = [screen.query_one(f"#c-{screen.sheet.queue[0].track}-{c.id}", Input)
                  for c in criteria]
        assert [f.value for f in fields[:2]] == ["3", "2"]
        if len(criteria) == 2:  # Tab from the last score goes to the comment
            assert screen.query_one("#comment", Input).value == "typed"
        await pilot.press("ctrl+down")
        await pilot.pause()
    saved = ScoreSheet(workspace, "J05").scores()[code]
    assert saved["scores"][criteria[0].id] == "3" and saved["scores"][criteria[1].id] == "2"


async def test_an_enter_typed_ahead_of_the_submit_dialog_does_not_answer_it(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J05")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.focused
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit) and app.focused is not None
        field.post_message(events.Key("enter", "\r"))  # was on its way to the field
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmit)  # still asking
    assert ScoreSheet(workspace, "J05").status() != "submitted"


async def test_a_sheet_opens_at_the_first_entry_still_to_score(workspace):
    """Issue 23, point 19: a reopened or half-done sheet started at the first entry."""
    from review_tui.engine.scoring.scores import ScoreSheet

    sheet = ScoreSheet(workspace, "J02")
    for item in sheet.queue[:2]:  # the first two scored in full
        for criterion in sheet.criteria_of(item.code):
            sheet.save(item.code, criterion.id, str(criterion.points // 2))
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J02")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen)
        assert app.screen.index == 2


async def test_a_very_wide_terminal_keeps_a_reading_measure_and_widens_the_queue(workspace):
    """At 200 columns the text ran to ~58 Chinese characters a line and the queue's titles
    were still cut: the text now keeps about 40 a line and the queue takes the rest."""
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J02")
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        text = screen.query_one("#entry-text", Static)
        assert text.content_region.width <= 82  # 41 Chinese characters at most
        queue = screen.query_one("#queue-pane")
        assert queue.region.width > 44
        longest = max(cell_len(item.title) for item in screen.sheet.queue)
        assert screen.query_one("#queue", QueueList).column_widths[-1] >= longest  # uncut
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="reviewer:J02")
    async with app.run_test(size=(140, 40)) as pilot:  # a wide one is as it was
        await pilot.pause()
        assert app.screen.query_one("#queue-pane").region.width == 44


async def test_on_a_packets_laptop_the_signed_sheet_is_written_for_the_chair(workspace, tmp_path):
    """Issue 23, point 2: `packet return` was the CLI's only; the laptop's reviewer now
    writes the signed sheet from the app (Ctrl+T, and asked again on submitting), and the
    chair imports what was written."""
    import json

    from review_tui.engine.scoring.packets import (
        export_packet,
        import_signed_sheet,
        open_packet,
    )
    from review_tui.tui.dialogs import PromptDialog

    export_packet(workspace, "J03", tmp_path / "p.json")
    laptop = declared(open_packet(tmp_path / "p.json", tmp_path / "laptop"))
    stick = tmp_path / "usb"
    app = ReviewApp(workspace=laptop, lang="en")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewerScreen)
        assert "Write the sheet" in screen.query_one(KeyFooter).render().plain
        await pilot.press("3", "0", "enter", "ctrl+t")  # an interim sheet, one score in
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        field = app.screen.query_one("#answer", Input)
        assert field.value == str((tmp_path / "laptop").resolve().parent / "sheet-J03.json")
        field.value = str(tmp_path / "laptop")  # a folder: refused, nothing written
        await pilot.press("enter")
        await pilot.pause()
        assert "Cannot write" in toasts(app)[-1] and isinstance(app.screen, ReviewerScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)  # submitting asks where, at once
        app.screen.query_one("#answer", Input).value = str(stick / "sheet-J03.json")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen)
        assert "Signed score sheet written" in toasts(app)[-1]
    returned = json.loads((stick / "sheet-J03.json").read_text(encoding="utf-8"))
    assert (returned["status"], returned["counter"]) == ("submitted", 1)
    assert import_signed_sheet(workspace, stick / "sheet-J03.json").submitted == ["J03"]


async def test_a_committee_workspace_offers_no_sheet_writing_key(workspace):
    app = ReviewApp(workspace=workspace, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Write the sheet" not in app.screen.query_one(KeyFooter).render().plain
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen)
