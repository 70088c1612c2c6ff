"""Where the committee stands in ``intake → seal → deal → score → tally → commit → unseal →
export``, and the guards that refuse a step whose prerequisites are missing."""

from __future__ import annotations

from datetime import UTC, datetime

from .errors import ReviewError
from .workspace import Workspace

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


def mark_step(workspace: Workspace, step: str) -> None:
    """Record that ``step`` (one of :data:`STAGES`) is complete."""
    if step not in STAGES:
        raise ValueError(step)
    with workspace.store.write(STORE) as db:
        db.upsert("steps", {"step": step,
                            "at": datetime.now(UTC).isoformat(timespec="seconds")},
                  key="step")


def require_intake_open(workspace: Workspace) -> None:
    """Refuse to change submissions once identities are sealed."""
    current = stage(workspace)
    if current != "intake":
        raise ReviewError("intake.closed", stage=current)
