"""Whether a widget is drawn where it lies: not clipped away by a scrolled or short box."""

from __future__ import annotations

from textual.errors import NoWidget


def visible(screen, widget) -> bool:
    """Whether the middle of ``widget`` is drawn by it (or by one of its children)."""
    region = widget.region
    if not region:
        return False
    try:
        found, _ = screen.get_widget_at(*region.center)
    except NoWidget:  # off the screen
        return False
    return found is widget or widget in found.ancestors
