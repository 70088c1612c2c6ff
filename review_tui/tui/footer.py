"""A Footer that rebuilds itself only when the keys it shows change.

Textual's Footer recomposes whenever the focused widget changes, because the active
bindings might have. In the reviewer's form focus moves on every saved score while the keys
shown stay the same, and each rebuild re-lays the whole screen out (~50 ms a key at 140×40).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple[Any, ...]:
    """What the footer would show: each displayed binding's key, label and state."""
    return tuple((key, binding.description, binding.key_display, enabled, tooltip)
                 for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show)


class StableFooter(Footer):
    """:class:`Footer`, minus the rebuilds that would draw the same keys again."""

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        keys = shown_keys(screen)
        if keys == self._shown and self._bindings_ready:
            return
        self._shown = keys
        super().bindings_changed(screen)
