"""Where the committee stands in ``intake → seal → deal → score → tally → commit → unseal →
export``, and the guards that refuse a step whose prerequisites are missing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from review_tui.engine.errors import AuditError, ReviewError
from review_tui.engine.workspace import Workspace

if TYPE_CHECKING:
    from review_tui.engine.storage.audit import VerifyResult

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


def require_sound_log(workspace: Workspace, result: VerifyResult | None = None, *,
                      verified_at: int = 0) -> tuple[VerifyResult, list[dict[str, Any]]]:
    """The log's check (its head) and its records, when it and the steps' anchors hold
    (AuditError otherwise); ``result``: the log's check, when it was made already, else
    it is made here (``verified_at``: see :meth:`.AuditLog.verify`)."""
    if result is None:
        result, records = workspace.audit.verified_records(verified_at=verified_at)
    else:
        records = workspace.audit.records()
    if not result.ok:
        raise AuditError("audit.bad", line=result.bad_line, problem=result.problem)
    step = check_anchors(workspace, records)
    if step is not None:
        raise AuditError("audit.truncated", step=step)
    return result, records


# Workspace folder → (the versions of its log and steps files, records of the log by line
# number): the step records that :func:`sound_record` last found in a sound log.
_SOUND: dict[Path, tuple[tuple[Any, ...], dict[int, dict[str, Any]]]] = {}


def sound_record(workspace: Workspace, seq: int) -> dict[str, Any] | None:
    """The record at line ``seq`` of the audit log (None if there is none), once the log
    and the steps' anchors hold (AuditError otherwise). The check is made once per version
    of the log and the steps' files in this process (while no step has records waiting
    to be written): a screen or an export that reads the frozen decisions and then the
    identities checks the log once."""
    from review_tui.engine.storage.journal import current_step
    from review_tui.engine.storage.store import file_version

    try:
        versions: tuple[Any, ...] | None = (file_version(workspace.audit.path),
                                            file_version(workspace.store.path(STORE)))
    except OSError:
        versions = None
    running = current_step(workspace.root)  # its records, not yet in the file, are not kept
    reuse = versions is not None and (running is None or not running.audit_lines)
    cached = _SOUND.get(workspace.root)
    if reuse and cached is not None and cached[0] == versions and seq in cached[1]:
        return cached[1][seq]
    _, records = require_sound_log(workspace, verified_at=seq)
    wanted = {row.get("audit_seq") for row in workspace.store.table_rows(STORE, "steps")}
    wanted.add(seq)
    kept = {r["seq"]: r for r in records if r.get("seq") in wanted}
    if reuse and versions is not None:
        _SOUND[workspace.root] = (versions, kept)
    return kept.get(seq)


def step_anchor(workspace: Workspace, step: str) -> int:
    """The sequence number of ``step``'s record in the audit log, as kept at the step
    (0 when the step kept none)."""
    row = next((r for r in workspace.store.table_rows(STORE, "steps") if r["step"] == step),
               {})
    return record_line(row.get("audit_seq"))


def record_line(value: Any) -> int:
    """A record's line number as a file kept it (an anchor): a positive integer, else 0."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return 0


def require_intake_open(workspace: Workspace) -> None:
    """Refuse to change submissions once identities are sealed (or a seal was cut short)."""
    current = stage(workspace)
    if current != "intake" or workspace.store.table_rows("entries", "seal"):
        raise ReviewError("intake.closed", stage=current)
