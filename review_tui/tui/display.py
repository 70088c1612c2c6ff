"""How the app looks for a committee: its theme, kept in the workspace so a projector's
high-contrast look (or any theme chosen in the palette) stays set for the next session.

A preference, not committee data: a small file (``display.json``) beside the store,
written atomically; if it cannot be written (a read-only copy), the theme still changes
for this session.
"""

from __future__ import annotations

import json
import os

from textual.theme import Theme

from ..engine.storage.atomic import write_json_atomic
from ..engine.workspace import Workspace

DISPLAY_FILE = "display.json"
CONTRAST = "review-tui-contrast"
NORMAL = "textual-dark"

# For a projector in a lit room: white on black, yellow and cyan for what is chosen.
CONTRAST_THEME = Theme(
    name=CONTRAST, primary="#ffd700", secondary="#00e5ff", accent="#00e5ff",
    foreground="#ffffff", background="#000000", surface="#000000", panel="#1c1c1c",
    boost="#2a2a2a", warning="#ffb000", error="#ff6060", success="#60ff60", dark=True,
    variables={"footer-key-foreground": "#ffd700", "block-cursor-background": "#ffd700",
               "block-cursor-foreground": "#000000"})


def saved_theme(workspace: Workspace) -> str | None:
    """The theme last chosen for this committee, if any."""
    try:
        data = json.loads((workspace.root / DISPLAY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) else None


def save_theme(workspace: Workspace, theme: str) -> bool:
    """Keep ``theme`` for the committee; False when the folder cannot be written."""
    if not workspace.root.is_dir() or not os.access(workspace.root, os.W_OK):
        return False
    try:
        write_json_atomic(workspace.root / DISPLAY_FILE, {"theme": theme}, durable=False)
    except OSError:
        return False
    return True
