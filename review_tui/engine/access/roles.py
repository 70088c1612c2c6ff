"""Which role a step is taken in: the secretariat, the chair, or one reviewer.

Every audit record carries the role of the step that wrote it (``role``), beside the
operating-system user (``actor``), so the chair's acts can be told from the secretariat's.
The role is read from what the step does, not claimed by whoever runs it; a chair's or the
secretariat's step is signed with that role's key once it has a credential
(:mod:`.credentials`), so the record also proves who wore the hat.
"""

from __future__ import annotations

from typing import Any

LAPTOP_STORE = "packet"  # a packet's laptop names its reviewer here (see :mod:`..scoring.packets`)
SECRETARIAT = frozenset({"init", "import", "agencies.import", "reviewers.import", "reviewer.pin",
                         "seal", "deal", "scores.import_paper", "packet.import",
                         "meeting.sign_in", "recusal.record", "deal.fill"})
CHAIR = frozenset({"tally", "tally.discrepancy", "tally.tie_order", "tally.draw", "commit",
                   "unseal", "export", "sheet.reopen", "config.amend", "config.restore",
                   "packet.export", "meeting.attend", "meeting.note", "meeting.minutes"})


def role_of(step: str, details: dict[str, Any], laptop_reviewer: str | None = None) -> str:
    """``secretariat``, ``chair``, ``reviewer:J01`` or ``unknown`` for a step and the first
    record it writes (whose details name the reviewer of a reviewer's step)."""
    if laptop_reviewer is not None:  # a packet's laptop only ever serves its reviewer
        return f"reviewer:{laptop_reviewer}"
    if step in SECRETARIAT:
        return "secretariat"
    if step in CHAIR:
        return "chair"
    if step == "roles.set" and details.get("by"):  # whoever authorised the credential
        return str(details["by"])
    if step in ("sheet.submit", "sheet.recuse", "sheet.declare") and details.get("reviewer"):
        return f"reviewer:{details['reviewer']}"
    if step == "attempt.failed" and str(details.get("subject", "")).startswith("reviewer:"):
        return str(details["subject"])
    return "unknown"
