"""A picture of every dialog a person meets, and of each mode's screen, in both languages,
small and wide.

Each dialog is opened as a person opens it (its key, on the screen and stage where it is
offered) in a committee at that stage; the picture is compared with the one kept. The
roll and the agenda have theirs in test_meeting.py.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from review_tui.engine.scoring.deal import deal
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from review_tui.tui import meeting, secretariat_dialogs
from review_tui.tui.app import ReviewApp
from review_tui.tui.dialogs import Dialog
from review_tui.tui.mode import ModeScreen
from review_tui.tui.reviewer import ReviewerScreen
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, fixed_codes, score_everything
from tests.tui.settling import settle, settled_for_picture
from tests.tui.test_reviewer import declared
from tests.tui.test_secretariat import template as intake_template  # noqa: F401

VIEWS = {"zh-TW-80x24": ("zh-TW", (80, 24)), "en-80x24": ("en", (80, 24)),
         "zh-TW-160x45": ("zh-TW", (160, 45)), "en-160x45": ("en", (160, 45))}
# dialog → (the committee's stage, the role, the keys that open it)
DIALOGS = {
    "seal": ("intake", "secretariat", "s"),
    "import": ("intake", "secretariat", "i"),
    "deal": ("sealed", "secretariat", "d"),
    "sheets": ("dealt", "secretariat", "p"),
    "recusal": ("dealt", "secretariat", "w"),
    "sign-in": ("dealt", "secretariat", "m"),
    "discrepancy": ("scored", "chair", "d d"),  # the first d finds the entry, the next opens
    "commit": ("scored", "chair", "k"),
    "export": ("scored", "chair", "e"),
    "submit": ("dealt", "reviewer:J04", "ctrl+s"),
    "criterion-comment": ("dealt", "reviewer:J04", "ctrl+o"),
}


@pytest.fixture(scope="module")
def stages(intake_template, tmp_path_factory) -> dict[str, Path]:  # noqa: F811
    """The demo at each stage a dialog is offered in (built once for the module), its
    codes and agency pseudonyms drawn from a fixed seed: the pictures show them."""
    root = tmp_path_factory.mktemp("dialogs")
    sealed = sign_in_roles(Workspace(shutil.copytree(intake_template, root / "sealed")))
    with pytest.MonkeyPatch.context() as patch:
        fixed_codes(patch, 2026)
        seal(sealed, passphrase=PASSPHRASE)
    dealt = sign_in_roles(Workspace(shutil.copytree(sealed.root, root / "dealt")))
    deal(dealt, seed=7, per_entry=3)
    declared(dealt)
    scored = sign_in_roles(Workspace(shutil.copytree(dealt.root, root / "scored")))
    score_everything(scored, spread=30)
    return {"intake": intake_template, "sealed": sealed.root, "dealt": dealt.root,
            "scored": scored.root}


def _opened_with(keys: str, tmp_path: Path):
    """Wait for the role's screen, press ``keys``, wait for the dialog; a field holding the
    test's own folder shows a fixed one instead (the picture is the same every run)."""
    async def run_before(pilot) -> None:
        app = pilot.app
        for _ in range(200):
            if isinstance(app.screen, ModeScreen | ReviewerScreen):
                break
            await pilot.pause(0.05)
        for key in keys.split():
            await settle(app, pilot)
            await pilot.press(key)
        for _ in range(200):
            if isinstance(app.screen, Dialog):
                break
            await pilot.pause(0.05)
        for field in app.screen.query(Input):
            field.value = field.value.replace(str(tmp_path), "/委員會")
        await settled_for_picture(pilot)

    return run_before


class _MeetingDay(date):
    @classmethod
    def today(cls) -> date:
        return date(2026, 7, 15)


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_dialog_snapshot(stages, tmp_path, snap_compare, monkeypatch, dialog, view):
    stage, role, key = DIALOGS[dialog]
    lang, size = VIEWS[view]
    monkeypatch.setattr(secretariat_dialogs.secrets, "randbelow", lambda _: 115_0630)
    monkeypatch.setattr(meeting, "date", _MeetingDay)  # a paper's day: today, unless typed
    workspace = sign_in_roles(Workspace(shutil.copytree(stages[stage], tmp_path / "ws")))
    app = ReviewApp(workspace=workspace, lang=lang, role=role)
    assert snap_compare(app, terminal_size=size, run_before=_opened_with(key, tmp_path))


# screen → (the committee's stage, the role): each mode's own screen, as it opens
SCREENS = {
    "secretariat": ("dealt", "secretariat"),
    "chair": ("scored", "chair"),
    "reviewer": ("dealt", "reviewer:J04"),
}


async def _screen_opened(pilot) -> None:
    for _ in range(200):
        if isinstance(pilot.app.screen, ModeScreen | ReviewerScreen):
            break
        await pilot.pause(0.05)
    await settled_for_picture(pilot)


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(stages, tmp_path, snap_compare, screen, view):
    """Issue 23: the reviewer's, the chair's and the secretariat's screens at 80×24 and
    160×45 in both languages."""
    stage, role = SCREENS[screen]
    lang, size = VIEWS[view]
    workspace = sign_in_roles(Workspace(shutil.copytree(stages[stage], tmp_path / "ws")))
    app = ReviewApp(workspace=workspace, lang=lang, role=role)
    assert snap_compare(app, terminal_size=size, run_before=_screen_opened)
