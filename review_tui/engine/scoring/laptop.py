"""Whether a workspace is a reviewer's packet laptop: asked by every command and the app's
start, so it imports nothing of the packets' own work (their signing, sheets, deal)."""

from __future__ import annotations

from review_tui.engine.access.roles import LAPTOP_STORE
from review_tui.engine.errors import ReviewError
from review_tui.engine.workspace import Workspace


def packet_reviewer(workspace: Workspace) -> str | None:
    """The reviewer a laptop workspace belongs to (None for a committee workspace)."""
    rows = workspace.store.table_rows(LAPTOP_STORE)
    return rows[0]["reviewer"] if rows else None


def refuse_on_laptop(workspace: Workspace) -> None:
    """A reviewer's packet workspace scores and returns its sheet, nothing else: the
    secretariat's and the chair's work there would act on a one-reviewer copy."""
    reviewer = packet_reviewer(workspace) if workspace.exists() else None
    if reviewer is not None:
        raise ReviewError("packet.reviewer_only", reviewer=reviewer)
