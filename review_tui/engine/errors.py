"""Errors the engine raises for the faces (CLI, TUI) to show as a message, never a traceback.

Each error carries a message key and parameters so the face can render it in the user's
language through the catalogue (``review_tui.i18n``).
"""

from __future__ import annotations

from typing import Any


class ReviewError(Exception):
    """A refusal with a catalogue message: bad input, a failed check, a missing prerequisite."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")


class StoreError(ReviewError):
    """The workspace store cannot be read or written."""


class ConfigError(ReviewError):
    """The committee configuration is invalid."""


class AuditError(ReviewError):
    """The audit log cannot be appended to or is broken."""
