"""The start screen: role picker, reviewer PINs, help, the command palette, and snapshots of
every main screen in both languages."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import DataTable, Input, Static

from review_tui.engine.access.pins import set_pin
from review_tui.tui.app import ReviewApp
from review_tui.tui.chair import ChairScreen
from review_tui.tui.dialogs import PinDialog
from review_tui.tui.help import HelpScreen
from review_tui.tui.reviewer import ReviewerScreen
from review_tui.tui.secretariat import SecretariatScreen
from tests.credentials import CREDENTIALS, sign_in_roles
from tests.engine.seal_fixtures import score_everything
from tests.tui.settling import settle, settled_for_picture
from tests.tui.shown import shown
from tests.tui.test_reviewer import SIZE, template  # noqa: F401 - the shared sealed demo
from tests.tui.test_secretariat import template as intake_template  # noqa: F401


@pytest.fixture
def dealt(template, tmp_path):  # noqa: F811
    from review_tui.engine.workspace import Workspace

    return Workspace(shutil.copytree(template, tmp_path / "ws"))


async def test_the_start_screen_shows_the_pipeline_and_the_roles(dealt):
    app = ReviewApp(workspace=sign_in_roles(dealt), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "scoring 0/5" in shown(app.screen.query_one("#pipeline", Static))
        assert app.focused is app.screen.query_one("#reviewers", DataTable)  # pick a name at once
        await pilot.click("#role-secretariat")
        await settle(app, pilot)
        assert isinstance(app.screen, SecretariatScreen)
        await pilot.press("escape", "c")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
        await pilot.press("c")  # a mode key of the start screen does nothing here
        await pilot.pause()
        assert isinstance(app.screen, ChairScreen) and len(app.screen_stack) == 3


async def test_a_reviewer_with_a_pin_must_enter_it(dealt):
    set_pin(dealt, "J02", "2468")
    app = ReviewApp(workspace=dealt, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#reviewers", DataTable)
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        await pilot.press("enter")  # nothing typed: asked for, not a wrong try
        await pilot.pause()
        assert shown(app.screen.query_one("#error", Static)) == (
            "The PIN is empty: type it (this was not counted as a try).")
        await pilot.press(*"1111", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        assert "Wrong PIN" in shown(app.screen.query_one("#error", Static))
        assert app.screen.query_one("#pin", Input).value == ""
        await pilot.press(*"2468", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen) and app.screen.sheet.reviewer == "J02"


async def test_a_sixth_wrong_pin_says_how_long_to_wait(dealt):
    set_pin(dealt, "J02", "2468")
    app = ReviewApp(workspace=dealt, lang="en", role="reviewer:J02")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(5):
            await pilot.press(*"1111", "enter")
            await pilot.pause()
        assert "Wrong PIN" in shown(app.screen.query_one("#error", Static))
        await pilot.press(*"2468", "enter")  # the right PIN, but it must wait now
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        said = shown(app.screen.query_one("#error", Static))
        assert "5 wrong tries in a row; wait" in said and "seconds" in said


async def test_a_reviewer_without_a_pin_walks_in_and_escape_leaves_the_pin_prompt(dealt):
    set_pin(dealt, "J01", "13579")
    app = ReviewApp(workspace=dealt, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)  # --as reviewer asks too
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewerScreen | PinDialog)


async def test_an_app_opened_for_a_reviewer_leaves_the_sheet_only_with_the_secretariat(dealt):
    """Issue 20: Esc at the PIN prompt, then c, s, the palette, the chair's credential: none
    leaves J01's own view; the secretariat's credential does, and the chair's mode still
    asks the chair's."""
    from review_tui.engine.access.credentials import sign_out
    from review_tui.tui.dialogs import SecretDialog

    set_pin(sign_in_roles(dealt), "J01", "13579")
    sign_out(dealt)  # a fresh app: nobody signed in
    app = ReviewApp(workspace=dealt, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # leave the PIN prompt
        await settle(app, pilot)
        start = app.screen
        rows = start.query_one("#reviewers", DataTable)
        assert [str(rows.get_row_at(i)[0]) for i in range(rows.row_count)] == ["J01"]
        for key in ("c", "s"):
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, SecretDialog)
            assert "opened for reviewer J01" in shown(app.screen.query_one(".heading", Static))
            await pilot.press("escape")
            await settle(app, pilot)
        for command in app.get_system_commands(app.screen):
            if command.title in ("Chair", "Secretariat"):
                await command.callback()
                await settle(app, pilot)
                assert isinstance(app.screen, SecretDialog)
                await pilot.press("escape")
                await settle(app, pilot)
        await pilot.press("c", *CREDENTIALS["chair"], "enter")  # the chair's does not release
        await settle(app, pilot)
        assert "Wrong credential for the secretariat" in shown(app.screen.query_one("#error"))
        assert not any(isinstance(s, ChairScreen | SecretariatScreen) for s in app.screen_stack)
        await pilot.press(*CREDENTIALS["secretariat"], "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SecretDialog)  # released; now the chair's own credential
        assert "chair's credential" in shown(app.screen.query_one(".heading", Static))
        await pilot.press(*CREDENTIALS["chair"], "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
        assert app.kept_reviewer is None
    from review_tui.engine.access.credentials import signed_in

    assert signed_in(dealt, "chair") is None and signed_in(dealt, "secretariat") is None


async def test_a_committee_without_credentials_cannot_release_a_reviewers_app(dealt):
    app = ReviewApp(workspace=dealt, lang="en", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("escape", "c")
        await settle(app, pilot)
        assert not any(isinstance(s, ChairScreen | SecretariatScreen) for s in app.screen_stack)
        assert any("opened for reviewer J01" in str(n.message) for n in app._notifications)


async def test_help_lists_the_keys_of_the_current_mode(dealt):
    app = ReviewApp(workspace=dealt, lang="zh-TW", role="reviewer:J01")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.query_one("#keys", DataTable)
        described = {str(keys.get_row_at(i)[1]) for i in range(keys.row_count)}
        assert {"送出評分表", "下一件", "說明"} <= described
        guide = app.screen.query_one("#guide", Static)
        assert "遮蔽" in "".join(s.text for s in guide.render_lines(guide.region.reset_offset))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewerScreen)


@pytest.mark.parametrize("role", [None, "reviewer:J01", "secretariat", "chair"])
async def test_help_is_broken_into_lines_as_chinese_is_typeset(dealt, role):
    from review_tui.tui.reading import NO_LINE_START

    app = ReviewApp(workspace=sign_in_roles(sign_in_roles(dealt)), lang="zh-TW", role=role)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        guide = app.screen.query_one("#guide", Static)
        lines = [strip.text.strip() for strip in guide.render_lines(guide.region.reset_offset)]
        assert len([line for line in lines if line]) > 2
        assert not [line for line in lines if line[:1] in NO_LINE_START]


async def test_the_command_palette_offers_every_key_of_the_screen(dealt):
    score_everything(dealt, spread=30)
    app = ReviewApp(workspace=sign_in_roles(dealt), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Commit", "Unseal", "Export", "Discrepancy", "Reopen sheet"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Help")
        await command.callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("role", [None, "reviewer:J01"])
async def test_ctrl_p_opens_the_command_palette(dealt, role):
    from textual.command import CommandPalette

    app = ReviewApp(workspace=sign_in_roles(sign_in_roles(dealt)), lang="zh-TW", role=role)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l")  # a language switch relabels the keys: Ctrl+P must stay
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


# --- snapshots: each main screen, both languages, at a fixed size --------------------------

@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_start_snapshot(dealt, snap_compare, lang):
    assert snap_compare(ReviewApp(workspace=dealt, lang=lang), terminal_size=SIZE,
                        run_before=settled_for_picture)


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_secretariat_snapshot(intake_template, tmp_path, snap_compare, lang):  # noqa: F811
    from review_tui.engine.workspace import Workspace

    workspace = Workspace(shutil.copytree(intake_template, tmp_path / "ws"))
    app = ReviewApp(workspace=sign_in_roles(workspace), lang=lang, role="secretariat")
    assert snap_compare(app, terminal_size=SIZE, run_before=settled_for_picture)


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_chair_snapshot(dealt, snap_compare, lang):
    score_everything(dealt, spread=30)
    assert snap_compare(ReviewApp(workspace=sign_in_roles(dealt), lang=lang, role="chair"),
                        terminal_size=SIZE, run_before=settled_for_picture)


def test_reviewer_snapshot_in_english(dealt, snap_compare):
    assert snap_compare(ReviewApp(workspace=dealt, lang="en", role="reviewer:J04"),
                        terminal_size=SIZE, run_before=settled_for_picture)


def test_help_snapshot(dealt, snap_compare):
    async def open_help(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("question_mark")
        await settled_for_picture(pilot)

    assert snap_compare(ReviewApp(workspace=dealt, lang="zh-TW"), terminal_size=SIZE,
                        run_before=open_help)


async def test_on_a_short_terminal_every_reviewer_can_be_reached(dealt):
    app = ReviewApp(workspace=dealt, lang="zh-TW")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#reviewers", DataTable)
        assert app.screen.focused is table and table.row_count >= 5
        table.move_cursor(row=table.row_count - 1)
        await pilot.pause()
        found, _ = app.screen.get_widget_at(table.region.x + 1, table.region.bottom - 1)
        assert found is table  # the last reviewer's line is drawn, not under the footer


async def test_end_and_home_go_to_the_last_and_the_first_reviewer(dealt):
    """As in every other list of the app: Textual's DataTable scrolls to the rightmost
    column on End, and the cursor stayed on the first reviewer, off the view."""
    app = ReviewApp(workspace=dealt, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#reviewers", DataTable)
        assert app.screen.focused is table
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


@pytest.mark.parametrize("key", ["c", "s", "enter"])
async def test_rules_changed_after_the_seal_are_named_and_no_mode_opens_on_them(dealt, key):
    from review_tui.tui.start import StartScreen

    config = dealt.config_path
    config.write_text(config.read_text(encoding="utf-8").replace("quota = 10\n", "quota = 3\n",
                                                                 1), encoding="utf-8")
    app = ReviewApp(workspace=type(dealt)(dealt.root), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "tracks[reading].quota" in shown(app.screen.query_one("#committee", Static))
        await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, StartScreen)  # no reviewer list to pick from, either
        if key != "enter":
            assert any("changed after the seal" in str(n.message)
                       for n in app._notifications)


async def test_the_chair_is_asked_every_time_the_mode_is_entered(dealt):
    """The credential opens the mode once; leaving signs the chair out, and a wrong one
    is said in the dialog and changes nothing."""
    from review_tui.engine.access.credentials import set_credential, sign_out, signed_in
    from review_tui.tui.dialogs import SecretDialog

    set_credential(dealt, "chair", CREDENTIALS["chair"], demo=True)  # as `review-tui demo`
    sign_out(dealt)
    app = ReviewApp(workspace=dealt, lang="zh-TW")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, SecretDialog)
        assert "召集人的通行碼" in shown(app.screen.query_one(".heading", Static))
        assert "135792" in shown(app.screen.query_one(".hint", Static))  # the demo's, shown
        await pilot.press("enter")  # nothing typed: asked for, not counted as a wrong try
        await settle(app, pilot)
        assert shown(app.screen.query_one("#error", Static)) == (
            "召集人的通行碼是空的：請輸入（這不算一次嘗試）。")
        await pilot.press(*"000000", "enter")
        await settle(app, pilot)
        error = shown(app.screen.query_one("#error", Static))
        assert "召集人的通行碼不正確（連續第 1 次）" in error  # the empty one was not counted
        await pilot.press(*CREDENTIALS["chair"], "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen) and signed_in(dealt, "chair")
        await pilot.press("escape")
        await settle(app, pilot)
        assert signed_in(dealt, "chair") is None
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, SecretDialog)


async def test_a_committee_without_a_credential_sets_one_when_the_mode_is_first_entered(
        dealt):
    from review_tui.engine.access.credentials import is_set
    from review_tui.tui.sign_in import NewCredentialDialog

    app = ReviewApp(workspace=dealt, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NewCredentialDialog)
        first, again = app.screen.query("Input").results()
        first.value, again.value = "123456", "123456"
        app.screen.submit()
        await pilot.pause()
        assert "too easy to guess" in shown(app.screen.query_one("#error", Static))
        first.value, again.value = "a phrase for the office 26", "a phrase for the office 27"
        app.screen.submit()
        await pilot.pause()
        assert "differ" in shown(app.screen.query_one("#error", Static))
        assert not is_set(dealt, "secretariat")
        again.value = first.value
        await pilot.pause()
        assert "bits" in shown(app.screen.query_one("#strength", Static))
        app.screen.submit()
        await settle(app, pilot)
        assert isinstance(app.screen, SecretariatScreen) and is_set(dealt, "secretariat")
    records = [r for r in dealt.audit.records() if r["action"] == "roles.set"]
    assert records and records[-1]["role"] == "secretariat" and records[-1]["sig"]


async def test_a_new_credential_is_typed_twice_with_enter_between(dealt):
    """Enter in the first field goes on to the second (it used to submit at once, and say
    the two differ)."""
    from review_tui.engine.access.credentials import is_set
    from review_tui.tui.sign_in import NewCredentialDialog

    app = ReviewApp(workspace=dealt, lang="en", role="secretariat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NewCredentialDialog)
        await pilot.press(*"a phrase for the office 26", "enter")
        await pilot.pause()
        assert shown(app.screen.query_one("#error", Static)) == ""
        assert app.screen.focused is app.screen.query_one("#again")
        await pilot.press(*"a phrase for the office 26", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SecretariatScreen) and is_set(dealt, "secretariat")


async def test_a_mode_opened_at_start_signed_in_has_no_start_screen_under_it(dealt):
    """With --as chair and the credential given, the chair's screen opens straight away:
    no start screen is built under it (at 20,000 entries its reading of 2,000 sheets
    competed with the chair's own, and building it delayed the chair's); back from the
    mode, the start screen is built, reads and shows the committee."""
    from review_tui.tui.start import StartScreen

    app = ReviewApp(workspace=sign_in_roles(dealt), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
        assert not any(isinstance(s, StartScreen) for s in app.screen_stack)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, StartScreen) and app.screen.loaded is not None
        assert "Committee:" in shown(app.screen.query_one("#committee", Static))


async def test_a_mode_refused_at_start_leaves_the_start_screen_reading(dealt):
    from review_tui.tui.start import StartScreen

    app = ReviewApp(workspace=dealt, lang="en", role="chair")  # no credential given
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # the credential's dialog, cancelled
        await settle(app, pilot)
        assert isinstance(app.screen, StartScreen) and app.screen.loaded is not None
