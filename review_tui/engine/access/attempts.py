"""Attempt limits for anything typed to prove who someone is (a reviewer's PIN).

The first :data:`FREE_ATTEMPTS` failures in a row cost nothing; after that each try must
wait, 30 s after the fifth failure and twice as long after each further one, up to an hour.
The count lives in the store (``attempts.json``), so quitting and restarting the app does not
reset it; every failure goes into the audit log; a success clears the count.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

STORE = "attempts"
FREE_ATTEMPTS = 5
FIRST_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 3600


def _now() -> datetime:
    return datetime.now(UTC)


def _row(workspace: Workspace, subject: str) -> dict[str, Any] | None:
    return next((r for r in workspace.store.table_rows(STORE) if r["subject"] == subject), None)


def wait_seconds(failures: int) -> int:
    """How long to wait after ``failures`` failures in a row before the next try."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (failures - FREE_ATTEMPTS)))


def check_allowed(workspace: Workspace, subject: str) -> None:
    """Refuse a try at ``subject`` (e.g. ``reviewer:J01``) while its wait runs."""
    row = _row(workspace, subject)
    if row is None:
        return
    until = datetime.fromisoformat(row["last"]) + timedelta(
        seconds=wait_seconds(row["failures"]))
    left = (until - _now()).total_seconds()
    if left > 0:
        raise ReviewError("attempts.wait", seconds=math.ceil(left), failures=row["failures"])


@transaction("attempt.failed")
def record_failure(workspace: Workspace, subject: str) -> int:
    """Count a failed try (audited); returns the failures in a row so far."""
    row = _row(workspace, subject)
    failures = row["failures"] + 1 if row else 1
    with workspace.store.write(STORE) as db:
        db.upsert("_default", {"subject": subject, "failures": failures,
                               "last": _now().isoformat()}, key="subject")
    workspace.audit.append("attempt.failed", {"subject": subject, "failures": failures,
                                              "wait_seconds": wait_seconds(failures)})
    return failures


def record_success(workspace: Workspace, subject: str) -> None:
    """Clear the count of failures after a right answer."""
    if _row(workspace, subject) is None:
        return
    with workspace.store.write(STORE) as db:
        db.replace_all("_default", [r for r in db.rows() if r["subject"] != subject])
