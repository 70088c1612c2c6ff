"""The keys a screen answers to, drawn as one line at the bottom.

Textual's Footer is a container with one widget per key, built only after the first frame
and rebuilt (a new layout of the whole screen) whenever the focused widget changes. At the
reviewer's start that was ~0.1 s of a 0.28 s start, measured. :class:`KeyFooter` draws the
same keys, in the same colours, as the text of a single widget: a change of keys is one
repaint of one line. A key is clicked as on the Footer (the key is pressed for you).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import Screen
from textual.widget import Widget

from .bindings import described, messages_of


class ShownKey(NamedTuple):
    key: str  # the key pressed when it is clicked
    display: str  # as shown ("^s", "esc")
    description: str
    enabled: bool
    action: str = ""

    @property
    def cells(self) -> int:
        """Its width on the line: " key description "."""
        return cell_len(f" {self.display} {self.description} ")


def shown_keys(screen: Screen[Any]) -> list[ShownKey]:
    """What the footer shows: each displayed action once, with its first key, in order."""
    keys: dict[str, ShownKey] = {}
    t = messages_of(screen)
    for _, binding, enabled, _ in screen.active_bindings.values():
        if binding.show and binding.action not in keys and not taken_by_focus(screen,
                                                                             binding.key):
            keys[binding.action] = ShownKey(binding.key, key_label(screen, binding),
                                            described(binding, t), enabled, binding.action)
    return list(keys.values())


def taken_by_focus(screen: Screen[Any], key: str) -> bool:
    """Whether the focused widget takes ``key`` as typing (``s`` or ``/`` in a field).
    Textual leaves most such keys out of the active bindings, but not all: it finds no
    character for "slash" or "minus"."""
    character = key_to_character(REPLACED_KEYS.get(key, key))
    return screen.focused is not None and screen.focused.check_consume_key(key, character)


def key_label(screen: Screen[Any], binding: Binding) -> str:
    """How to name ``binding``'s key to the user: its ``key_display`` ("?" for help),
    unless the focused field would take that as typing; then its own key ("f1")."""
    drawn = binding.key_display
    if drawn and taken_by_focus(screen, drawn):
        binding = replace(binding, key_display=None)
    return screen.app.get_key_display(binding)


ELLIPSIS = " …"  # where keys were left out of a narrow line


class KeyFooter(Widget, can_focus=False):
    """One line: each key (bold, in the key colour) and what it does."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        text-overflow: clip;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys: list[ShownKey] = []
        self._spans: list[tuple[int, int, ShownKey]] = []  # cells start, end, key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        keys = shown_keys(screen)
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def fitted_keys(self, width: int) -> tuple[list[ShownKey], bool]:
        """The keys that fit in ``width`` cells, and whether some were left out. Help is
        kept last whatever the width: it lists every key of the screen."""
        if width <= 0 or sum(key.cells for key in self.keys) <= width:
            return self.keys, False
        help_key = next((key for key in self.keys if key.action == "help"), None)
        room = width - len(ELLIPSIS) - (help_key.cells if help_key else 0)
        fitted = []
        for key in self.keys:
            if key is help_key:
                continue
            if key.cells > room:
                break
            fitted.append(key)
            room -= key.cells
        return fitted + ([help_key] if help_key else []), True

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        keys, cut = self.fitted_keys(self.content_size.width)
        for shown in keys:
            if cut and shown.action == "help":
                line.append(ELLIPSIS, description_style)
            start, begin = line.cell_len, len(line.plain)
            line.append(f" {shown.display} ", key_style)
            line.append(f"{shown.description} ", description_style)
            if not shown.enabled:
                line.stylize("dim", begin)
            self._spans.append((start, line.cell_len, shown))
        return line

    def key_at(self, x: int) -> ShownKey | None:
        """The key drawn at column ``x`` of the line, if any."""
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.key_at(event.x)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()
