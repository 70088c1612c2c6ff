"""Where the committee stands in ``intake → seal → deal → score → tally → commit → unseal →
export``, and the guards that refuse a step whose prerequisites are missing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.workspace import Workspace

STAGES = ("intake", "sealed", "dealt", "scoring", "tallied", "committed", "unsealed", "exported")
STORE = "state"


def completed_steps(workspace: Workspace) -> dict[str, str]:
    """Step name → when it was completed (UTC ISO time)."""
    return {r["step"]: r["at"] for r in workspace.store.table_rows(STORE, "steps")}


def stage(workspace: Workspace) -> str:
    """The latest stage reached; ``intake`` for a fresh committee."""
    done = completed_steps(workspace)
    reached = [s for s in STAGES[1:] if s in done]
    return reached[-1] if reached else STAGES[0]


def mark_step(workspace: Workspace, step: str, audit_record: dict[str, Any] | None = None,
              ) -> None:
    """Record that ``step`` (one of :data:`STAGES`) is complete.

    ``audit_record`` is the step's record in the audit log; its sequence number and hash are
    kept as an anchor, so a log cut short after the step is detected (:func:`check_anchors`).
    """
    if step not in STAGES:
        raise ValueError(step)
    row: dict[str, Any] = {"step": step, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    if audit_record is not None:
        row |= {"audit_seq": audit_record["seq"], "audit_hash": audit_record["hash"]}
    with workspace.store.write(STORE) as db:
        db.upsert("steps", row, key="step")


def check_anchors(workspace: Workspace, records: list[dict[str, Any]]) -> str | None:
    """The first step whose audit record is missing from ``records`` (a cut log), or None."""
    by_seq = {r.get("seq"): r for r in records}
    for row in workspace.store.table_rows(STORE, "steps"):
        if "audit_seq" not in row:
            continue
        record = by_seq.get(row["audit_seq"])
        if record is None or record.get("hash") != row["audit_hash"]:
            return str(row["step"])
    return None


def require_intake_open(workspace: Workspace) -> None:
    """Refuse to change submissions once identities are sealed (or a seal was cut short)."""
    current = stage(workspace)
    if current != "intake" or workspace.store.table_rows("entries", "seal"):
        raise ReviewError("intake.closed", stage=current)
