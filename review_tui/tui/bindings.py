"""Footer and palette labels in the user's language.

Bindings are declared once, with a catalogue key as their description (``"tui.quit"``);
:func:`localise_bindings` renders those keys for a node. Textual keeps a node's bindings in
``_bindings`` (a :class:`BindingsMap`); this is the one place that rewrites it.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from ..i18n import Messages


def localise_bindings(node: DOMNode, t: Messages, *, refresh: bool = True) -> None:
    """Replace each binding's description (a catalogue key) with its text in ``t.lang``.

    Call it from ``__init__`` with ``refresh=False`` so the footer is built once, already in
    the user's language (each footer rebuild costs a layout); later, to switch language.
    """
    declared = type(node)._merged_bindings
    if declared is None:
        return
    declared_actions = {binding.action for _, binding in declared}
    # Bindings a node adds for itself (the App adds Ctrl+P for the command palette in its
    # __init__) are not declared: keep them, or Ctrl+P stops opening the palette.
    added = [binding for _, binding in node._bindings if binding.action not in declared_actions]
    node._bindings = BindingsMap([
        *(replace(binding, description=t(binding.description))
          if t.has(binding.description) else binding for _, binding in declared),
        *added])
    if refresh:
        node.refresh_bindings()
