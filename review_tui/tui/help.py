"""``?`` / F1: what this screen is for and every key it answers to, in the user's language.

The key list is read from the screen's active bindings, the same list the footer and the
command palette show, so help can never drift from what the keys really do.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from ..i18n import Messages
from .bindings import described, messages_of
from .footer import key_label, taken_by_focus
from .plain import Plain, plain_cells
from .table import Table


class ScreenKey(NamedTuple):
    key: str  # as the footer shows it
    description: str  # already in the user's language
    action: str
    node: DOMNode  # where the action runs


def screen_keys(screen: Screen[Any]) -> list[ScreenKey]:
    """Each described binding active on ``screen``: for help and the command palette."""
    seen: set[str] = set()
    keys = []
    t = messages_of(screen)
    for active in screen.active_bindings.values():
        binding = active.binding
        # Only what this app declares (in the user's language), not the focused widget's
        # cursor keys or Textual's own defaults.
        declared = getattr(type(active.node), "BINDINGS", [])
        ours = type(active.node).__module__.startswith("review_tui") and any(
            isinstance(b, Binding) and binding.key in b.key.split(",") for b in declared)
        if (not ours or active.node not in (screen, screen.app) or not binding.description
                or binding.description in seen or taken_by_focus(screen, binding.key)):
            continue
        seen.add(binding.description)
        keys.append(ScreenKey(key_label(screen, binding), described(binding, t),
                              binding.action, active.node))
    return keys


class HelpScreen(ModalScreen[None]):
    """The guide for one mode and its keys; any of Escape, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss", "tui.close", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 84; max-width: 100%; height: 80%; padding: 1 2;
                            border: thick $accent; background: $surface; overflow-y: auto; }
    HelpScreen #guide { margin-bottom: 1; height: auto; }
    HelpScreen DataTable { height: auto; }
    """

    def __init__(self, t: Messages, mode: str, keys: list[ScreenKey]) -> None:
        super().__init__()
        self.t, self.mode, self.keys = t, mode, keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.t('tui.help.title', mode=self.t(f'tui.mode.{self.mode}'))}"
                         "[/b]")
            with VerticalScroll():
                yield Plain(self.t(f"tui.help.{self.mode}"), id="guide")
                yield Table(id="keys", cursor_type="none", show_cursor=False)
                yield Plain(self.t("tui.help.palette"), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_columns(self.t("tui.help.key"), self.t("tui.help.does"))
        for key in self.keys:
            table.add_row(*plain_cells(key.key, key.description))
