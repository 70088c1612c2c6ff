"""A reviewer's packet workspace is reviewer-only, in the CLI and in the app (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Static

from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.packets import export_packet, open_packet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from review_tui.tui.app import ReviewApp
from review_tui.tui.dialogs import DeclarationDialog
from review_tui.tui.reviewer import ReviewerScreen
from review_tui.tui.start import StartScreen
from tests.cli.test_cli import cli
from tests.engine.seal_fixtures import PASSPHRASE, build_committee, tree_digest
from tests.tui.settling import settle
from tests.tui.shown import shown

REFUSED = [("tally",), ("commit",), ("check",), ("deal",), ("seal", "--passphrase-file", "x"),
           ("export", "--out", "x"), ("unseal", "--passphrase-file", "x"),
           ("import", "m.csv"), ("reviewers", "import", "r.csv"), ("scores", "reopen", "--reviewer",
                                                                   "J01", "--reason", "r"),
           ("tally", "draw", "--verify"), ("config", "diff"),
           ("packet", "export", "--reviewer", "J01", "--out", "p.json")]


@pytest.fixture(scope="module")
def packet(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("chair")
    workspace = build_committee(folder / "ws", folder / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reviewer = sorted(deal(workspace, seed=3).queues)[0]
    path = folder / "packet.json"
    export_packet(workspace, reviewer, path)
    return path, reviewer


@pytest.fixture()
def laptop(packet, tmp_path) -> Workspace:
    return open_packet(packet[0], tmp_path / "laptop")


@pytest.mark.parametrize("command", REFUSED, ids=lambda c: " ".join(c[:2]))
def test_chair_and_secretariat_commands_are_refused_on_a_packet(laptop, packet, command):
    before = tree_digest(laptop.root)
    code, _, err = cli(*command, "--workspace", laptop.root, "--lang", "en")
    assert code == 1 and f"reviewer {packet[1]}'s packet workspace" in err
    assert tree_digest(laptop.root) == before


def test_status_audit_and_return_work_on_a_packet(laptop, packet, tmp_path):
    code, out, _ = cli("status", "--workspace", laptop.root, "--lang", "en")
    assert code == 0 and f"reviewer {packet[1]}" in out and "returned 0 times" in out
    assert "agencies" not in out  # no committee facts a packet does not have
    assert cli("audit", "verify", "--workspace", laptop.root)[0] == 0
    code, _, err = cli("packet", "return", "--out", tmp_path / "sheet.json",
                       "--workspace", laptop.root)
    assert code == 0, err
    assert "returned 1 times" in cli("status", "--workspace", laptop.root, "--lang", "en")[1]


async def test_the_app_on_a_packet_offers_only_the_reviewers_sheet(laptop, packet):
    app = ReviewApp(workspace=laptop, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        if isinstance(app.screen, DeclarationDialog):  # asked on the laptop too, once
            await pilot.press("enter")
            await settle(app, pilot)
        if isinstance(app.screen, ReviewerScreen):  # straight to the sheet; go back
            await pilot.press("escape")
            await settle(app, pilot)
        start = app.screen
        assert isinstance(start, StartScreen)
        assert not start.query_one("#role-secretariat", Button).display
        assert not start.query_one("#role-chair", Button).display
        assert f"reviewer {packet[1]}" in shown(start.query_one("#summary", Static))
        rows = start.query_one("#reviewers", DataTable)
        assert rows.row_count == 1 and str(rows.get_row_at(0)[1])  # the name, not blank
        for key in ("s", "c"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is start
        app.action_chair()  # as the command palette would
        app.action_secretariat()
        await settle(app, pilot)
        assert app.screen is start
        assert any("packet workspace" in str(n.message) for n in app._notifications)
