"""What every mode screen over a workspace shares: its keys in the user's language, a
``load`` that ``r`` runs again, engine steps run with a progress dialog, and Escape back."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from ..engine.workspace import Workspace
from ..i18n import Messages
from .dialogs import Done, Job, WorkDialog


class ModeScreen(Screen[None]):
    """A mode (secretariat, chair) over one workspace."""

    MODE = ""

    def __init__(self, workspace: Workspace, t: Messages) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = t

    def load(self) -> object:
        """Read what the screen shows (in a worker, whose handle it may return); subclasses
        implement it."""
        return None

    async def run_step(self, title: str, job: Job) -> Done[Any] | None:
        """Run an engine step in a progress dialog and read the screen again; its
        :class:`Done` result, or None when it failed (the failure stays in the dialog and
        changes nothing). Awaited from an action running as a ``@work`` worker."""
        done = await self.app.push_screen_wait(WorkDialog(self.t, title, job))
        if done is not None:
            self.load()
        return done

    def action_refresh(self) -> None:
        self.load()

    def on_unmount(self) -> None:
        """The mode is left: its role is signed out, so the next person is asked again."""
        from ..engine.access.credentials import sign_out

        sign_out(self.workspace, self.MODE)

    def action_leave(self) -> None:
        self.app.pop_screen()
