"""Freeze the decisions before anyone sees a name.

:func:`commit` stores the decisions document and appends a ``commit`` record to the audit
log holding the document's SHA-256 and the log head it followed. The step's anchor (the
record's sequence number and hash) is kept in the store, so cutting the log's tail after the
commit is detected. :func:`verify_commit` is what unsealing checks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from review_tui.engine.decisions.frozen_rules import frozen_row
from review_tui.engine.decisions.logged_inputs import changed_input
from review_tui.engine.decisions.records import Problem, problem_params, problem_to_json
from review_tui.engine.errors import AuditError, ReviewError
from review_tui.engine.meeting.attendance import require_quorum
from review_tui.engine.pipeline import (
    completed_steps,
    mark_step,
    record_line,
    require_sound_log,
    sound_record,
)
from review_tui.engine.sealing.sealed import is_sealed
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import transaction
from review_tui.engine.storage.side_process import computed_beside
from review_tui.engine.workspace import Workspace

STORE = "decisions"
NOT_OVERRIDABLE = ("tie_pending", "sheet_changed", "score_invalid")


@dataclass(frozen=True)
class CommitResult:
    decisions_sha256: str
    audit_seq: int
    entries: int


@bulk_step
@transaction("commit")
def commit(workspace: Workspace, *, override_reason: str | None = None) -> CommitResult:
    """Freeze the tally's decisions.

    Refused before seal, twice, on a broken audit log, on rules, entries or a deal changed
    since their steps logged them (:mod:`.logged_inputs`), without the quorum the
    committee's rules ask for (:mod:`..meeting.attendance`), and while anything blocks the
    decisions.
    A tie that decides an award and a stored score outside the rubric always block; an
    unhandled discrepancy or an unsubmitted sheet block unless the chair overrides with a
    reason, which is recorded with each matter it overrode.
    """
    from review_tui.engine.decisions.tally import tally

    if not is_sealed(workspace):
        raise ReviewError("pipeline.needs", step="commit", needed="seal")
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    # The log's 4,000 signatures verify in a second process beside the tally.
    with computed_beside(workspace.audit.verify) as checked:
        try:
            attendance = require_quorum(workspace)  # a quorum is not the chair's to waive
            result = tally(workspace, check_inputs=False)  # checked below, verified
        finally:  # a broken log is refused first, whatever the tally found
            head, records = require_sound_log(workspace, checked())
    changed = changed_input(workspace, records)  # then what the tally read, as logged
    if changed is not None:
        raise ReviewError("input.changed", path=str(changed))
    binding = [p for p in result.problems if p.kind in NOT_OVERRIDABLE]
    if binding:  # an override may accept sheets or spreads as they are, never decide these
        raise ReviewError(f"commit.blocked_{binding[0].kind}", count=len(binding),
                          first=_described(workspace, binding[0]))
    if result.problems and not (override_reason or "").strip():
        raise ReviewError("commit.blocked", count=len(result.problems),
                          first=_described(workspace, result.problems[0]))
    document = result.document
    digest = result.sha256  # the tally hashed it to log it
    entries = sum(len(v) for v in document["tracks"].values())
    record = workspace.audit.append("commit", {
        "decisions_sha256": digest, "audit_head": head.head, "audit_lines": head.lines,
        "entries": entries, "overridden": [problem_to_json(p) for p in result.problems],
        "override_reason": (override_reason or "").strip() or None,
        "rules_sha256": (frozen_row(workspace.store) or {}).get("sha256"),
        "quorum": attendance.as_json()})
    with workspace.store.write(STORE) as db:
        db.replace_all("_default", [{"document": document, "sha256": digest,
                                     "audit_seq": record["seq"], "audit_hash": record["hash"]}])
    mark_step(workspace, "committed", record)
    return CommitResult(digest, record["seq"], entries)


def _described(workspace: Workspace, problem: Problem) -> dict[str, Any]:
    """A blocking problem as a message of its own, worded by whoever reads the refusal:
    its track by name and its codes as a list in the reader's language (not an id such
    as ``tie_pending reading R-A3GC,R-B7QX``)."""
    params: dict[str, Any] = {}
    for name, value in problem_params(problem).items():
        if isinstance(value, tuple | list):
            value = {"zh-TW": "、".join(value), "en": ", ".join(value)}
        params[name] = value
    track_id = params.get("track")
    if isinstance(track_id, str):
        try:
            track = workspace.config.track(track_id)
            params["track"] = {"zh-TW": track.name, "en": track.name_en or track.name}
        except KeyError:
            pass
    return {"key": f"problem.{problem.kind}", "params": params}


def frozen_decisions(workspace: Workspace) -> dict[str, Any]:
    """The committed decisions (refused before commit), read only once they are the ones
    whose hash the commit's record in a sound log holds (refused otherwise, naming the
    file): the exports, the chair's screen and the meeting's papers never show a changed
    decisions file."""
    frozen = _stored_decisions(workspace)
    anchor = record_line(frozen.get("audit_seq"))  # as the decisions file names it
    _require_committed(workspace, frozen, sound_record(workspace, anchor))
    return frozen


def verify_commit(workspace: Workspace) -> list[dict[str, Any]]:
    """Check the log, its anchors and the frozen decisions' hash; the log's records if sound.

    The signatures before the commit's record were verified by the commit before it wrote
    that record, whose own signature covers them through the chain: they are not verified
    again (:meth:`.AuditLog.verify`), provided the line the frozen decisions name is that
    commit record, with the decisions' hash."""
    frozen = _stored_decisions(workspace)
    anchor = record_line(frozen.get("audit_seq"))  # as the decisions file names it
    _, records = require_sound_log(workspace, verified_at=anchor)
    _require_committed(workspace, frozen,
                       next((r for r in records if r.get("seq") == anchor), None))
    return records


def _stored_decisions(workspace: Workspace) -> dict[str, Any]:
    """The decisions file's row as stored, unchecked (refused before commit)."""
    rows = workspace.store.table_rows(STORE)
    if not rows:
        raise ReviewError("pipeline.needs", step="unseal", needed="commit")
    return rows[0]


def _require_committed(workspace: Workspace, frozen: dict[str, Any],
                       record: dict[str, Any] | None) -> None:
    """``record`` (from a sound log) must be the chair's commit record the decisions file
    names, and hold the hash of the decisions document as stored."""
    if (record is None or record.get("hash") != frozen.get("audit_hash")
            or record.get("action") != "commit" or record.get("role") != "chair"):
        raise AuditError("audit.truncated", step="committed")
    document, details = frozen.get("document"), record.get("details")
    digest = sha256_hex(canonical(document)) if isinstance(document, dict) else None
    logged = details.get("decisions_sha256") if isinstance(details, dict) else None
    if digest is None or digest != frozen.get("sha256") or digest != logged:
        raise ReviewError("commit.decisions_changed",
                          path=str(workspace.store.path(STORE)))

