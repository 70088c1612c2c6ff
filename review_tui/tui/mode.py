"""What every mode screen over a workspace shares: its keys in the user's language, a
``load`` that ``r`` runs again, and Escape back to where it was opened from."""

from __future__ import annotations

from textual.screen import Screen

from ..engine.workspace import Workspace
from ..i18n import Messages
from .bindings import localise_bindings


class ModeScreen(Screen[None]):
    """A mode (secretariat, chair) over one workspace."""

    MODE = ""

    def __init__(self, workspace: Workspace, t: Messages) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = t
        localise_bindings(self, t, refresh=False)

    def load(self) -> None:
        """Read what the screen shows (in a worker); subclasses implement it."""

    def action_refresh(self) -> None:
        self.load()

    def action_leave(self) -> None:
        self.app.pop_screen()
