"""The chair's decisions with the Pilot: discrepancy, tie, reopen, commit, unseal, export."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import Input, Static

from review_tui.engine.decisions.commit import frozen_decisions
from review_tui.engine.decisions.records import (
    DecisionRow,
    Status,
    TieRecord,
    problem_to_json,
)
from review_tui.engine.decisions.tally import tally
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.chair import ChairScreen
from review_tui.tui.chair_dialogs import DiscrepancyDialog, TieDialog, UnsealDialog
from review_tui.tui.dialogs import ConfirmDialog, PromptDialog, ResultDialog
from review_tui.tui.line_table import LineTable
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    score_everything,
    tie_reading_entries,
)
from tests.tui.settling import settle
from tests.tui.shown import shown
from tests.tui.test_reviewer import SIZE, template  # noqa: F401 - the shared sealed demo
from tests.tui.visibility import visible


@pytest.fixture
def disputed(template, tmp_path) -> Workspace:  # noqa: F811
    workspace = Workspace(shutil.copytree(template, tmp_path / "ws"))
    score_everything(workspace, spread=30)
    return workspace


async def open_chair(app: ReviewApp, pilot) -> ChairScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, ChairScreen)
    return app.screen


def cursor_to(table: LineTable, code: str) -> None:
    table.focus()
    table.move_cursor(table.index_of(code))


def shown_row(table: LineTable, code: str) -> str:
    """The cells of one row as they are drawn, joined."""
    return " ".join(str(cell) for cell in table.row(table.index_of(code)))


def open_problems(workspace: Workspace) -> list[str]:
    return [p.kind for p in tally(workspace, record=False).problems]


async def test_a_discrepancy_is_kept_with_a_note(disputed):
    flagged = next(problem_to_json(p) for p in tally(disputed, record=False).problems
                   if p.kind == "discrepancy")
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        table = screen.query_one(f"#rank-{flagged['track']}", LineTable)
        cursor_to(table, flagged["code"])
        flag = table.headers.index("Flag")  # a grouped track has its group first
        assert str(table.row(table.cursor)[flag]) == "⚠"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DiscrepancyDialog)
        assert "Reviewer J0" in shown(app.screen.query_one(".hint", Static))
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"agreed", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
        assert str(table.row(table.index_of(flagged["code"]))[flag]) == "✓"
    row = next(r for r in tally(disputed, record=False).document["tracks"][flagged["track"]]
               if r["code"] == flagged["code"])
    assert row["discrepancy"]["outcome"] == {"action": "keep", "reviewer": None,
                                             "note": "agreed"}


async def test_reopen_needs_a_reason_and_reopens_the_sheet(disputed):
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        ranking = screen.query_one("#rank-reading", LineTable)
        cursor_to(ranking, ranking.cursor_key)
        await pilot.press("o")  # on an entry, not a reviewer: says what to do
        await pilot.pause()
        assert isinstance(app.screen, ChairScreen)
        assert toasts(app)[-1] == "Put the cursor on a reviewer in the progress board first."
        board = screen.query_one("#board", LineTable)
        cursor_to(board, "J03")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")
        assert isinstance(app.screen, PromptDialog)  # a reason is required
        await pilot.press(*"typo in R-", "enter")
        await settle(app, pilot)
        assert str(board.row(board.index_of("J03"))[3]) == "draft"
    assert ScoreSheet(disputed, "J03").status() == "draft"


async def test_commit_then_unseal_with_a_wrong_then_the_right_passphrase(disputed, tmp_path):
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        await pilot.press("u")  # unseal before commit: refused before any passphrase is typed
        await pilot.pause()
        assert isinstance(app.screen, ChairScreen)
        assert toasts(app)[-1] == "“unseal” needs “commit” first."
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "differ by" in shown(app.screen.query(".hint").last())  # open matters
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)  # the override needs the chair's reason
        await pilot.press(*"meeting decided to keep all scores", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        digest = shown(app.screen.query_one("#lines", Static))
        await pilot.click("#close")
        await settle(app, pilot)
        assert frozen_decisions(disputed)["sha256"] in digest  # the hash, for the minutes
        frozen = completed_steps(disputed)
        board = screen.query_one("#board", LineTable)
        cursor_to(board, "J03")
        await pilot.press("o")  # reopen after commit: refused before the reason is typed
        await pilot.pause()
        assert isinstance(app.screen, ChairScreen) and "committed" in toasts(app)[-1].lower()

        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UnsealDialog)
        await pilot.press("enter")  # nothing typed yet: asked for, not called wrong
        await settle(app, pilot)
        assert isinstance(app.screen, UnsealDialog)
        assert shown(app.screen.query_one("#error", Static)) == (
            "Type the passphrase: it is empty. Nothing was changed.")
        await pilot.press(*"not the passphrase at all", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, UnsealDialog)
        assert "passphrase" in shown(app.screen.query_one("#error", Static)).lower()
        assert "unsealed" not in completed_steps(disputed)
        assert completed_steps(disputed) == frozen  # the wrong one changed nothing
        await pilot.press(*PASSPHRASE, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        await pilot.click("#close")
        await settle(app, pilot)
        assert "unsealed" in completed_steps(disputed)
        reading = screen.query_one("#rank-reading", LineTable)
        assert len(reading.headers) == 10  # writers and agency now shown
        assert str(reading.row(0)[8])  # a writer's name
        cursor_to(reading, reading.key_at(1))  # the entry in full under the tables
        await pilot.pause()
        detail = shown(screen.query_one("#row-detail", Static))
        assert detail.startswith(f"{reading.row(1)[1]}  ")
        assert reading.row(1)[7].rstrip("…") in detail  # the reason, whole
        assert f"Writers: {reading.row(1)[8]}   Agency: {reading.row(1)[9]}" in detail

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one("#answer", Input).value = str(tmp_path / "out")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        listed = shown(app.screen.query_one("#lines", Static))
    out = tmp_path / "out"
    written = [p for p in out.rglob("*") if p.suffix in (".docx", ".csv", ".json")]
    assert written and all(p.name in listed for p in written if p.parent == out)
    for folder in {p.parent for p in written} - {out}:  # a 評分表 per reviewer: said once
        inside = [p for p in written if p.parent == folder]
        assert (f"{folder.name}/  ({len(inside)} files)" in listed if len(inside) > 1
                else inside[0].name in listed)


async def test_a_tie_goes_to_the_lottery_and_its_seed_is_shown(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    workspace = Workspace(workspace.root)
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        table = screen.query_one("#rank-reading", LineTable)
        cursor_to(table, reading[0])
        assert "tie pending" in shown_row(table, reading[0])
        assert not [r for r in workspace.audit.records() if r["action"] == "tally.draw"]
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TieDialog)
        assert app.screen.focused.id == "no", "a slip of Enter must not draw"
        await pilot.click("#lottery")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        listed = shown(app.screen.query_one("#lines", Static))
    draws = [r for r in workspace.audit.records() if r["action"] == "tally.draw"]
    assert len(draws) == 1 and f"seed {draws[0]['details']['seed']}" in listed
    assert sorted(draws[0]["details"]["group"]) == sorted(reading)
    statuses = {r["code"]: r["status"] for r in
                tally(workspace, record=False).document["tracks"]["reading"]}
    assert sorted(statuses[c] for c in reading) == ["not_selected", "winner"]


async def test_the_meetings_order_settles_a_tie_where_the_ladder_ends_with_the_chair(
        tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "chair"], quota=1)
    workspace = Workspace(workspace.root)  # with the new ladder
    assert "tie_pending" in open_problems(workspace)
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        cursor_to(screen.query_one("#rank-reading", LineTable), reading[0])
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TieDialog) and not dialog.query("#lottery")
        dialog.query_one("#order", Input).value = "R-NOPE > " + reading[0]
        await pilot.click("#order-button")
        await pilot.pause()
        assert "must hold exactly" in shown(dialog.query_one("#error", Static))
        wanted = list(reversed(reading))
        dialog.query_one("#order", Input).value = " > ".join(wanted)
        dialog.query_one("#note", Input).focus()
        await pilot.press(*"vote 3:2", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
    assert "tie_pending" not in open_problems(workspace)
    ranked = [r["code"] for r in tally(workspace, record=False).document["tracks"]["reading"]]
    assert ranked == wanted


def toasts(app: ReviewApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_d_leads_the_chair_to_the_next_waiting_discrepancy_then_opens_it(disputed):
    preview = tally(disputed, record=False)
    waiting = preview.waiting("discrepancy")
    shown = [(track.id, row["code"]) for track in disputed.config.tracks
             for row in preview.document["tracks"][track.id]]
    calm = [key for key in shown if key not in waiting]
    assert len(waiting) >= 2 and calm
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        assert screen.focused is screen.query_one("#board", LineTable)
        start = calm[len(calm) // 2]  # an entry with nothing waiting, mid-way down
        after = [key for key in waiting if shown.index(key) > shown.index(start)]
        for here, expected in ((None, waiting[0]), (start, (after or waiting)[0])):
            if here:
                cursor_to(screen.query_one(f"#rank-{here[0]}", LineTable), here[1])
            await pilot.press("d")
            await pilot.pause()
            table = screen.query_one(f"#rank-{expected[0]}", LineTable)
            assert isinstance(app.screen, ChairScreen) and screen.focused is table
            assert table.cursor_key == (
                expected[1])
            assert toasts(app)[-1] == (f"On {expected[1]}: its discrepancy is waiting "
                                       f"({len(waiting)} in all). Press d again to handle it.")
        await pilot.press("d")  # on the waiting entry: its dialog
        await pilot.pause()
        assert isinstance(app.screen, DiscrepancyDialog)


async def test_t_says_when_no_tie_is_waiting(disputed):
    assert tally(disputed, record=False).waiting("tie") == []
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="zh-TW", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        board = screen.query_one("#board", LineTable)
        await pilot.press("t")
        await pilot.pause()
        assert screen.focused is board and isinstance(app.screen, ChairScreen)
        assert toasts(app)[-1] == "沒有待決定的同分。"


async def test_t_goes_to_an_undrawn_lottery_then_opens_it(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    tie_reading_entries(workspace, quota=1)
    workspace = Workspace(workspace.root)
    [(track, code)] = tally(workspace, record=False).waiting("tie")
    app = ReviewApp(workspace=sign_in_roles(workspace), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        table = screen.query_one(f"#rank-{track}", LineTable)
        assert screen.focused is table
        assert table.cursor_key == code
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TieDialog)


async def test_on_a_short_terminal_the_discrepancy_dialog_opens_at_its_heading(disputed):
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_chair(app, pilot)
        await pilot.press("d", "d")  # to the first waiting discrepancy, then its dialog
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DiscrepancyDialog)
        assert visible(dialog, dialog.query_one(".heading")), "which entry, what spread"
        assert visible(dialog, dialog.query_one(".hint")), "each reviewer's total"
        choice = dialog.query_one("#reviewer-choice")
        assert len(choice.children) == len(dialog.reviewers) >= 2
        choice.focus()
        await pilot.pause()
        assert visible(dialog, choice) and choice.size.height == len(dialog.reviewers)
        assert toasts(app) == []  # "press d again" was done with: it no longer covers it


async def test_enter_on_the_chosen_option_submits_the_discrepancy_dialog(disputed):
    track, code = tally(disputed, record=False).waiting("discrepancy")[0]
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await open_chair(app, pilot)
        await pilot.press("d", "d")
        await pilot.pause()
        assert isinstance(app.screen, DiscrepancyDialog)
        await pilot.press("down", "enter")  # Enter on another option: chooses it
        await pilot.pause()
        assert isinstance(app.screen, DiscrepancyDialog)
        assert app.screen.query_one("#action").pressed_index == 1  # drop one reviewer
        await pilot.press("up", "enter", "enter")  # back to keep, chosen, then confirmed
        await settle(app, pilot)
        assert isinstance(app.screen, ChairScreen)
    row = next(r for r in tally(disputed, record=False).document["tracks"][track]
               if r["code"] == code)
    assert row["discrepancy"]["outcome"]["action"] == "keep"


@pytest.mark.parametrize("last_rung", ["lottery", "chair"])
async def test_a_tie_the_ladder_broke_offers_nothing_to_draw_or_decide(last_rung):
    from textual.app import App

    from review_tui.i18n import Messages

    tie = {"group": ["C-AAAA", "C-BBBB"], "resolved": True,
           "steps": [{"rung": "criteria", "criteria": ["insight", "structure"],
                      "values": {"C-AAAA": ["67.667", "17.667"],
                                 "C-BBBB": ["69.000", "16.333"]}}],
           "order": [["C-BBBB"], ["C-AAAA"]]}
    app = App()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(TieDialog(Messages("en"), DecisionRow(
            "C-AAAA", 1, "80.00", Status.WINNER, "reason.winner",
            tie=TieRecord.from_json(tie)), last_rung,
            {"insight": "Insight", "structure": "Structure"}))
        await pilot.pause()
        dialog = app.screen
        text = " ".join(shown(p) for p in dialog.query("Plain"))
        assert "Broken by criteria: C-BBBB > C-AAAA" in text
        assert ("criteria (Insight/Structure): C-AAAA 67.667/17.667; C-BBBB 69.000/16.333"
                in text)  # which criteria the means are, in the order compared
        assert not dialog.query("#lottery") and not dialog.query("#order")
        assert "lottery" not in " ".join(shown(s) for s in dialog.query(".hint"))


@pytest.mark.parametrize("lang, words", [("en", "PROVISIONAL: score sheets not submitted yet: 1"),
                                         ("zh-TW", "暫定結果：尚有 1 份評分表未送出")])
async def test_the_ranking_says_provisional_while_a_sheet_is_out(disputed, lang, words):
    from review_tui.engine.scoring.scores import reopen_sheet

    reopen_sheet(disputed, "J02", "late")
    app = ReviewApp(workspace=sign_in_roles(disputed), lang=lang, role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        banner = screen.query_one("#provisional", Static)
        assert banner.display and shown(banner).startswith(words)
        assert banner.region.y <= 2, "under the header, not below the scrolled ranking"
        ScoreSheet(disputed, "J02").submit()
        screen.load()
        await settle(app, pilot)
        assert not banner.display


def unsealed_demo(tmp_path, monkeypatch) -> tuple[Workspace, list]:
    """The demo committee scored so that an agency is capped, committed and unsealed; the
    capped (track, row) pairs."""
    from review_tui.demo import build_demo
    from review_tui.engine.decisions.commit import commit
    from review_tui.engine.sealing.unseal import unseal
    from tests.engine.seal_fixtures import PASSPHRASE, fixed_codes, score_everything

    root = tmp_path / "ws"
    build_demo(root, year=2026)
    workspace = sign_in_roles(Workspace(root))
    with monkeypatch.context() as patch:
        fixed_codes(patch, 2037)  # codes under which this scoring caps an agency
        seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace, seed=3, spread=25)
    capped = [(track, row) for track in ("reading", "case")
              for row in tally(workspace, record=False).rows(track) if row.status == "capped"]
    assert capped, "this scoring caps an agency"
    commit(workspace, override_reason="test")
    unseal(workspace, passphrase=PASSPHRASE)
    return workspace, capped


async def test_after_the_unseal_a_cap_names_the_agency(tmp_path, monkeypatch):
    """A capped entry's reason said 「推薦機關 A07 …」 even after the unseal; the chair then
    reads the agency's name, as the documents do."""
    from review_tui.engine.sealing.unseal import agency_names

    workspace, capped = unsealed_demo(tmp_path, monkeypatch)
    track, row = capped[0]
    name = agency_names(workspace)[row.reason_params["agency"]]
    app = ReviewApp(workspace=workspace, lang="zh-TW", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        text = shown_row(screen.query_one(f"#rank-{track}", LineTable), row.code)
        assert name in text and f"推薦機關 {row.reason_params['agency']}" not in text


@pytest.mark.parametrize("lang, said, check", [("en", "were changed after the unseal",
                                                 "record does not hold"),
                                                ("zh-TW", "在拆封後被更動", "紀錄有問題")])
async def test_identities_edited_after_the_unseal_are_named_not_shown(tmp_path, monkeypatch,
                                                                      lang, said, check):
    """A writer renamed by hand in identities.json: the chair reads which file was changed
    where the rankings would be, no ranking with that name, and v says the record fails."""
    from tests.engine.test_unseal import edit_store

    workspace, _ = unsealed_demo(tmp_path, monkeypatch)
    edit_store(workspace.root / "identities.json", "_default",
               lambda row: row["authors"][0].update(name="林冒名"))
    app = ReviewApp(workspace=workspace, lang=lang, role="chair")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chair(app, pilot)
        problems = shown(screen.query_one("#problems", Static))
        assert said in problems and "identities.json" in problems
        assert screen.query_one("#rank-reading", LineTable).row_count == 0
        assert screen.query_one("#board", LineTable).row_count == 5  # the sheets still show
        assert check in await verified(app, pilot)
        assert said in shown(app.screen.query_one("#lines", Static))


async def test_the_chair_checks_the_record_and_amends_a_rule_in_the_app(disputed):
    """v checks the audit log and every draw; c shows each change of the edited rules,
    asks a reason, and makes them the rules; a tampered log is then said to fail."""
    settings = disputed.config_path
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "quota = 10\n", "quota = 9\n", 1), encoding="utf-8")
    app = ReviewApp(workspace=sign_in_roles(disputed), lang="en", role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await open_chair(app, pilot)
        assert "record holds" in await verified(app, pilot)
        assert "No lottery" in shown(app.screen.query_one("#lines", Static))
        await pilot.click("#close")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        said = " ".join(shown(s) for s in app.screen.query(Static))
        assert "tracks[reading].quota" in said and "10" in said and "9" in said
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one("#answer", Input).value = "會議決議心得類名額改為 9 件"
        await pilot.click("#ok")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultDialog)
        await pilot.click("#close")
        await settle(app, pilot)
    assert Workspace(disputed.root).config.track("reading").quota == 9
    log = disputed.root / "audit.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]) + lines[-1].replace(b"9", b"8", 1))
    app = ReviewApp(workspace=sign_in_roles(Workspace(disputed.root)), lang="zh-TW",
                    role="chair")
    async with app.run_test(size=SIZE) as pilot:
        await open_chair(app, pilot)
        assert "紀錄有問題" in await verified(app, pilot)


async def verified(app: ReviewApp, pilot) -> str:
    """Press v: the heading of the result it shows."""
    await pilot.press("v")
    await settle(app, pilot)
    assert isinstance(app.screen, ResultDialog)
    return shown(app.screen.query_one(".heading", Static))
