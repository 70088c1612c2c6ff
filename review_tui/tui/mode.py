"""What every mode screen over a workspace shares: its keys in the user's language, a
``load`` that ``r`` runs again, engine steps run with a progress dialog, the role changing
its own credential (Ctrl+K), and Escape back."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from ..engine.workspace import Workspace
from ..i18n import Messages
from .dialogs import Done, Job, WorkDialog

# In each mode's own key list (a base class's keys would come first in help); not in the
# footer, whose room goes to the keys of every meeting: help (?) and Ctrl+P list it.
CHANGE_CREDENTIAL = Binding("ctrl+k", "change_credential", "tui.credential.change",
                            id="credential", show=False)


class ModeScreen(Screen[None]):
    """A mode (secretariat, chair) over one workspace."""

    MODE = ""

    class Closed(Message):
        """The mode was left (Escape): back to the start screen."""

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

    @work(exclusive=True, group="credential-action")
    async def action_change_credential(self) -> None:
        """This mode's role changes its own credential (the CLI's ``roles set``)."""
        from .sign_in import change_credential

        await change_credential(self.app, self.workspace, self.t, self.MODE)

    def on_unmount(self) -> None:
        """The mode is left: its role is signed out, so the next person is asked again."""
        from ..engine.access.credentials import sign_out

        sign_out(self.workspace, self.MODE)

    def action_leave(self) -> None:
        self.app.pop_screen()
        self.app.post_message(self.Closed())  # the start screen, if the mode opened without
