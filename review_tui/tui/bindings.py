"""Footer, help and palette labels in the user's language.

Bindings are declared once, with a catalogue key as their description (``"tui.quit"``);
:func:`described` gives the text shown for one, in the app's current language, where it is
shown (our footer, help and palette). Nothing rewrites Textual's bindings, so switching the
language only needs the footer redrawn.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

from ..i18n import Messages


def described(binding: Binding, t: Messages) -> str:
    """A binding's description in ``t``'s language; a Textual widget's own English one
    (a drop-down's "Dismiss menu") from the catalogue's ``textual.`` keys, else as it is."""
    if t.has(binding.description):
        return t(binding.description)
    widget_own = f"textual.{binding.description}"
    return t(widget_own) if t.has(widget_own) else binding.description


def messages_of(node: DOMNode) -> Messages:
    """The app's translator, as the node sees it (the app keeps the current language)."""
    t = getattr(node.app, "t", None)
    return t if isinstance(t, Messages) else Messages()
