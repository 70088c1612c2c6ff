"""A score field that takes Enter, Tab and the sheet's keys in turn with the keys around them.

Textual sends every key to the focused widget as it arrives, and runs a key's binding (an
Input's Enter, the screen's Tab or Ctrl+↓) only when the key has come back up to the app,
after the keys behind it have already been handed to the same field. Typed quickly (or while
a save's fsync holds the loop), "3 Enter 2" saved 32 in the first field and left the second
empty. A :class:`ScoreField` acts on those keys itself, at once, and hands any key that
reaches it after the focus has moved on to the widget that has the focus now (never to a
dialog that opened meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from textual import events
from textual.widgets import Input

FOCUS_KEYS = {"tab": "focus_next", "shift+tab": "focus_previous"}


class ScoreField(Input):
    """An Input for one score (or the comment) on the reviewer's form.

    ``on_enter`` saves the field (and moves on when it is saved); ``sheet_keys`` maps the
    screen's keys (Ctrl+↓, Esc …) to the screen's actions, run in turn as well.
    """

    def __init__(self, *, on_enter: Callable[[Input], object],
                 sheet_keys: Mapping[str, Callable[[], object]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._entered = on_enter  # not `_on_enter`: that is Textual's mouse-enter handler
        self._sheet_keys = sheet_keys

    def on_key(self, event: events.Key) -> None:
        """Runs before Input's own key handling (Textual dispatches the subclass first):
        ``prevent_default`` keeps a key from Input; returning lets Input take it."""
        if self.app.focused is not self:  # typed after a key that moved the focus on
            event.stop()
            event.prevent_default()
            # Onto the same screen only: keys typed before a dialog opened (Ctrl+S, Enter)
            # must not answer it.
            if self.app.focused is not None and self.app.screen is self.screen:
                self.app.focused.post_message(events.Key(event.key, event.character))
            return
        action = self._action_for(event.key)
        if action is None:  # a digit, a letter, the arrows: Input's own handling
            return
        event.stop()
        event.prevent_default()
        action()

    def _action_for(self, key: str) -> Callable[[], object] | None:
        if key == "enter":
            return lambda: self._entered(self)
        if key in FOCUS_KEYS:
            return cast(Callable[[], object], getattr(self.screen, FOCUS_KEYS[key]))
        return self._sheet_keys.get(key)
