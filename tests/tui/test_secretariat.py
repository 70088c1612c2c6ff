"""Secretariat mode with the Pilot: intake findings, filters, import, seal and deal for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static

from review_tui.demo import build_demo
from review_tui.engine.intake.imports import load_entries
from review_tui.engine.pipeline import stage
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.dialogs import ConfirmDialog, PromptDialog, ResultDialog, WorkDialog
from review_tui.tui.line_table import LineTable
from review_tui.tui.secretariat import SecretariatScreen
from review_tui.tui.secretariat_dialogs import DealDialog, SealDialog
from tests.credentials import sign_in_roles
from tests.tui.settling import settle
from tests.tui.shown import shown
from tests.tui.visibility import visible

SIZE = (140, 40)
PASSPHRASE = "correct horse battery staple 2026"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tui-sec") / "ws"
    build_demo(root, year=2026)
    return root


@pytest.fixture
def workspace(template, tmp_path) -> Workspace:
    return Workspace(shutil.copytree(template, tmp_path / "ws"))


async def open_secretariat(app: ReviewApp, pilot) -> SecretariatScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, SecretariatScreen)
    await app.screen.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


PASSPHRASE_ONLY, SHARES_ONLY, BOTH = range(3)  # the seal dialog's methods, in order


async def open_seal_dialog(app: ReviewApp, pilot, method: int) -> SealDialog:
    """The secretariat's seal dialog, with ``method`` picked."""
    await open_secretariat(app, pilot)
    await pilot.press("s")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, SealDialog)
    dialog.query_one("#method").query("RadioButton")[method].value = True
    await pilot.pause()
    return dialog


def detail(screen) -> str:
    return shown(screen.query_one("#detail", Static))


def squeezed(text: str) -> str:
    return "".join(text.split())


async def test_findings_are_listed_filtered_and_explained(workspace):
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        table = screen.query_one("#intake", LineTable)
        ids = {e["id"] for e in load_entries(workspace)}
        assert ids <= set(screen.shown)  # every entry, plus manifest rows that were skipped
        skipped = set(screen.shown) - ids  # manifest rows that never became entries
        assert skipped and all(screen.shown[key].status == "skipped" for key in skipped)
        for key in skipped:  # no id: a dash, and the title says which manifest row it is
            cells = [str(cell) for cell in table.row(table.index_of(key))]
            code, title = cells[1], cells[4]
            manifest, row = key.rsplit(":", 1)
            assert code == "—" and title == f"{manifest} row {row}"
        assert table.column_widths[1] == len("E00001")
        status = shown(screen.query_one("#sec-status", Static))
        assert f"{len(ids)} entries" in status and "Reading the intake" not in status
        screen.query_one("#severity", Select).value = "reject"
        await pilot.pause()
        rejected = table.row_count
        assert 0 < rejected < len(load_entries(workspace))
        assert all(str(table.row(i)[2]) == "rejected" for i in range(rejected))
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        text = detail(screen)
        assert "reject" in text and "From " in text  # the finding and where it came from
        screen.query_one("#severity", Select).clear()
        await pilot.press("slash")
        await pilot.press(*"format")
        await pilot.pause()
        rows = table.row_count
        assert rows > 0 and all(
            any(rule.startswith("format") for _, rule, _ in screen.shown[key].findings)
            for key in screen.shown)
        assert "reminders" in detail(screen)  # the rule family's hint


async def test_a_bad_manifest_path_is_reported_and_changes_nothing(workspace):
    before = len(load_entries(workspace))
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await open_secretariat(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")  # empty is refused in place
        assert "required" in shown(app.screen.query_one("#error", Static))
        app.screen.query_one("#answer", Input).value = str(workspace.root / "nope.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, WorkDialog)
        assert "nope.csv" in shown(app.screen.query_one("#error", Static))
        assert not app.screen.query_one("#bar").display  # no bar pulsing on after a failure
        assert shown(app.screen.query_one(".heading", Static)) == "Not done"  # not "Importing…"
        await pilot.click("#close")
        await pilot.pause()
        assert isinstance(app.screen, SecretariatScreen)
    assert len(load_entries(workspace)) == before


async def test_the_secretariat_seals_then_deals(workspace, tmp_path):
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SealDialog)
        await pilot.press(*"short")
        assert "too weak" in shown(dialog.query_one("#strength", Static))
        await pilot.click("#ok")
        await pilot.pause()
        assert shown(dialog.query_one("#error", Static))  # refused, dialog still open
        assert isinstance(app.screen, SealDialog)
        dialog.query_one("#pass1", Input).value = PASSPHRASE
        dialog.query_one("#pass1", Input).focus()
        await pilot.press("enter")  # on to the second field
        await pilot.press(*PASSPHRASE, "x", "enter")
        await pilot.pause()
        assert "differ" in shown(dialog.query_one("#error", Static))
        dialog.query_one("#pass2", Input).value = PASSPHRASE
        dialog.query_one("#pass2", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused is app.screen.query_one("#no", Button)  # Enter is safe
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        assert "sealed" in shown(app.screen.query_one("#lines", Static)).lower()
        await pilot.click("#close")
        await settle(app, pilot)
        assert stage(workspace) == "sealed"
        assert screen.query_one("#intake", LineTable).row_count == 34  # the coded entries

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DealDialog)
        seed = app.screen.query_one("#seed", Input).value
        assert seed.isdigit()  # drawn now and shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert seed in shown(app.screen.query_one(".hint", Static))
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        said = shown(app.screen.query_one("#lines", Static))
        loads = set(load_deal(workspace).loads.values())
        each = f"{min(loads)}" if len(loads) == 1 else f"{min(loads)}–{max(loads)}"
        assert f"({each} each)" in said and f"seed {seed}" in said
        await pilot.click("#close")
        await settle(app, pilot)
    assert load_deal(workspace).seed == int(seed)
    assert stage(workspace) == "dealt"


async def test_a_refusal_goes_once_the_passphrase_is_typed_again(workspace):
    """Issue 23: "too short" stayed beside "strong" after a strong passphrase was typed."""
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await open_secretariat(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        await pilot.press(*"short")
        await pilot.click("#ok")
        await pilot.pause()
        assert shown(dialog.query_one("#error", Static))
        dialog.query_one("#pass1", Input).focus()  # back to the field, as a person would
        await pilot.press(*" but now it is a long and strong one")
        await pilot.pause()
        assert not shown(dialog.query_one("#error", Static))
        assert "strong" in shown(dialog.query_one("#strength", Static))


async def test_deal_before_seal_and_seal_after_seal_are_refused_before_any_dialog(workspace):
    from review_tui.engine.sealing.seal import seal

    app = ReviewApp(workspace=sign_in_roles(workspace), lang="zh-TW", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is screen  # no seed asked for, nothing to confirm
        assert "「分派」須先完成「彌封」。" in [n.message for n in app._notifications]
    seal(sign_in_roles(workspace), passphrase=PASSPHRASE)  # the app signed out on leaving
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen is screen  # no passphrase typed twice for nothing
        assert any("已經彌封" in n.message for n in app._notifications)


async def test_seal_with_shares_writes_them_outside_the_workspace(workspace, tmp_path):
    shares = tmp_path / "shares"
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="zh-TW", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_seal_dialog(app, pilot, SHARES_ONLY)
        dialog.query_one("#share-dir", Input).value = str(workspace.root / "inside")
        dialog.query_one("#share-dir", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "工作資料夾" in shown(dialog.query_one("#error", Static))
        dialog.query_one("#share-dir", Input).value = str(shares)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
    assert len(list(shares.iterdir())) == 5
    assert stage(workspace) == "sealed"


async def test_brackets_in_paths_and_titles_are_shown_as_written(workspace):
    from review_tui.engine.intake.imports import import_manifest
    from tests.builders import body_text, make_docx, row, write_manifest

    intake = workspace.root.parent / "[2026] 收件"
    make_docx(intake / "a.docx", "標題", body_text(1200))
    odd_title = "[/b] 我的[red]服務[/]日記"
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title=odd_title)]))
    missing = str(workspace.root / "[/][b]沒有這個.csv")
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        key = next(k for k, r in screen.shown.items() if r.title == odd_title)
        table = screen.query_one("#intake", LineTable)
        table.focus()
        table.move_cursor(table.index_of(key))
        await pilot.pause()
        assert odd_title in detail(screen)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#answer", Input).value = missing
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, WorkDialog)
        assert "[/][b]沒有這個.csv" in shown(app.screen.query_one("#error", Static))


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_every_field_of_the_seal_dialog_can_be_reached_on_a_small_terminal(workspace,
                                                                                  size):
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="zh-TW", role="secretariat")
    async with app.run_test(size=size) as pilot:
        dialog = await open_seal_dialog(app, pilot, BOTH)  # every field shown
        seen = []
        for _ in range(len(dialog.focus_chain)):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(dialog.focused.id)
            assert visible(dialog, dialog.focused), f"{dialog.focused} hidden at {size}"
        assert {"pass1", "pass2", "count", "threshold", "share-dir", "ok"} <= set(seen)
        dialog.query_one("#pass1", Input).focus()
        await pilot.press(*"abc", "enter", *"abd", "enter")  # too weak: refused, and said so
        await pilot.pause()
        error = dialog.query_one("#error", Static)
        assert shown(error) and visible(dialog, error)


async def test_escape_in_the_filter_goes_back_to_the_table_not_out_of_the_screen(workspace):
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        table = screen.query_one("#intake", LineTable)
        everything = table.row_count
        await pilot.press("slash", *"format", "escape")
        await pilot.pause()
        assert app.screen is screen and screen.focused is table
        assert 0 < table.row_count < everything  # the filter is kept
        await pilot.press("escape")  # from the table: back to the start
        await pilot.pause()
        assert app.screen is not screen


def test_the_rule_filter_finds_words_of_the_message_too():
    """Issue 23, point 13: typing 格式 found nothing; ids are English."""
    from review_tui.present import IntakeRow, filter_rows

    rows = [IntakeRow("E1", "reading", "甲", "一", "rejected",
                      [("reject", "format.font", "字型應為標楷體（格式）。")]),
            IntakeRow("E2", "reading", "乙", "二", "accepted",
                      [("warn", "length.out_of_range", "字數 900 字，不在 1000–1500 字之間。")]),
            IntakeRow("E3", "reading", "乙", "三", "accepted", [])]  # no finding
    assert [r.key for r in filter_rows(rows, rule="格式")] == ["E1"]
    assert [r.key for r in filter_rows(rows, rule="format")] == ["E1"]
    assert [r.key for r in filter_rows(rows, rule="字數")] == ["E2"]
    assert filter_rows(rows, rule="格式", severity="warn") == []
    assert [r.key for r in filter_rows(rows, severity="warn")] == ["E2"]
    assert [r.key for r in filter_rows(rows, agency="乙")] == ["E2", "E3"]
    assert [r.key for r in filter_rows(rows, rule=" ")] == ["E1", "E2", "E3"]  # no filter


async def test_enter_on_the_confirm_cancels_and_says_so(workspace):
    """Issue 23, point 5: Enter on a confirm (Cancel has the focus) cancelled silently."""
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_seal_dialog(app, pilot, PASSPHRASE_ONLY)
        dialog.query_one("#pass1", Input).value = PASSPHRASE
        dialog.query_one("#pass2", Input).value = PASSPHRASE
        dialog.query_one("#pass2", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # on Cancel
        await settle(app, pilot)
        assert isinstance(app.screen, SecretariatScreen)
        assert "Cancelled: nothing was changed." in [n.message for n in app._notifications]
    assert stage(workspace) == "intake"


async def test_an_open_drop_down_is_drawn_whole_and_its_key_said_in_chinese(workspace):
    """The severity list, opened over the table at 80×24: each choice drawn whole (the
    table's column edges under it no longer split a Chinese character, tui/wide_chars.py),
    and the footer's Esc in Chinese (Textual's own "Dismiss menu" before)."""
    from review_tui.tui.footer import KeyFooter

    app = ReviewApp(workspace=sign_in_roles(workspace), lang="zh-TW", role="secretariat")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_secretariat(app, pilot)
        screen.query_one("#severity", Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "esc 關閉選單" in screen.query_one(KeyFooter).render().plain
        drawn = "".join(line.text for line in screen._compositor.render_strips())
        assert all(choice in drawn for choice in ("所有嚴重度", "不予受理", "提醒"))


async def test_the_secretariat_changes_its_own_credential_in_the_app(workspace):
    """Issue 23: `roles set` was the CLI's only. Ctrl+K asks the current credential (even
    signed in: someone may sit down at an open screen), then the new one twice; the old one
    no longer opens the mode and the change is in the signed record."""
    from review_tui.engine.access.credentials import sign_in, sign_out
    from review_tui.engine.errors import ReviewError
    from review_tui.tui.dialogs import SecretDialog
    from review_tui.tui.sign_in import NewCredentialDialog
    from tests.credentials import CREDENTIALS

    new = "a longer passphrase for the office 2026"
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_secretariat(app, pilot)
        from review_tui.tui.help import screen_keys

        assert ("^k", "Change credential") in [(k.key, k.description)
                                               for k in screen_keys(screen)]
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, SecretDialog)
        await pilot.press(*"wrong one", "enter")  # refused, asked again
        await pilot.pause()
        assert isinstance(app.screen, SecretDialog)
        await pilot.press(*CREDENTIALS["secretariat"], "enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCredentialDialog)
        await pilot.press(*new, "enter", *new, "enter")
        await pilot.pause()
        assert isinstance(app.screen, SecretariatScreen)
        assert "fingerprint" in [str(n.message) for n in app._notifications][-1]
    sign_out(workspace)
    sign_in(workspace, "secretariat", new)
    with pytest.raises(ReviewError):
        sign_in(workspace, "secretariat", CREDENTIALS["secretariat"])
    changes = [r for r in workspace.audit.records() if r["action"] == "roles.set"]
    assert changes[-1]["details"]["by"] == "secretariat"


async def test_the_detail_is_drawn_anew_at_each_entry_of_the_same_height_or_not(workspace):
    """Moving between entries whose details are as high redraws the detail in place (no
    layout of the screen); one of another height is laid out at its own height."""
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_secretariat(app, pilot)
        table = screen.query_one("#intake", LineTable)
        panel = screen.query_one("#detail", Static)
        table.focus()
        heights = set()
        for _ in range(min(table.row_count - 1, 12)):
            await pilot.press("down")
            await pilot.pause()
            row = screen.shown[str(table.cursor_key)]
            drawn = "".join(panel.render_line(y).text for y in range(panel.size.height))
            assert drawn.startswith(row.code)  # this entry's, not the one before
            assert squeezed(drawn) == squeezed(detail(screen))  # all of it, none cut
            heights.add(panel.size.height)
        assert len(heights) > 1  # both paths were taken
