"""The sealed entries read back: what every step after the seal reads.

Kept apart from :mod:`.seal` (which imports the intake, the redactor and the vault to
seal), so that a command that only reads the sealed store does not load them.
"""

from __future__ import annotations

from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.model import ENTRIES_STORE as ENTRIES
from review_tui.engine.workspace import Workspace


def is_sealed(workspace: Workspace) -> bool:
    """True once the store holds sealed entries (even if a crash cut the seal's last steps)."""
    return bool(workspace.store.table_rows(ENTRIES, "seal"))


def seal_record(workspace: Workspace) -> dict[str, Any]:
    rows = workspace.store.table_rows(ENTRIES, "seal")
    if not rows:
        raise ReviewError("seal.not_sealed")
    return rows[0]


def load_sealed_entries(workspace: Workspace) -> list[dict[str, Any]]:
    """The blinded entries, in code order."""
    tables = workspace.store.tables(ENTRIES, "_default", "seal")
    if not tables["seal"]:
        raise ReviewError("seal.not_sealed")
    return tables["_default"]


def sealed_findings(workspace: Workspace) -> list[dict[str, Any]]:
    """What the seal found per entry (by code): how many names it redacted."""
    return [{"code": e["code"], "title": e["title"], "rule": "seal.redacted",
             "severity": "info", "params": {"count": e["redactions"]}}
            for e in load_sealed_entries(workspace) if e["redactions"]]
