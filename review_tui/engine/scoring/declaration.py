"""The reviewer's 利益迴避及保密 declaration, confirmed before the sheet opens (SPEC §12).

The text is a committee rule (``[meeting] declaration``, frozen at seal); a committee
without one asks for none. Confirming keeps the text's SHA-256 and the time on the
reviewer's sheet and writes an audit record in the reviewer's role, so the committee can
show who confirmed which words, and when. A changed text (an amendment) is asked again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.scores import store_name
from review_tui.engine.storage.audit import sha256_hex
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

TABLE = "declaration"


def declaration_text(workspace: Workspace) -> str:
    return workspace.config.meeting.declaration.strip()


def _digest(text: str) -> str:
    return sha256_hex(text.encode("utf-8"))


def needs_declaration(workspace: Workspace, reviewer: str) -> bool:
    """Whether ``reviewer`` has yet to confirm the committee's declaration as it stands."""
    text = declaration_text(workspace)
    if not text:
        return False
    rows = workspace.store.table_rows(store_name(reviewer), TABLE)
    return not any(r.get("sha256") == _digest(text) for r in rows)


@transaction("sheet.declare")
def confirm_declaration(workspace: Workspace, reviewer: str) -> str:
    """Record that ``reviewer`` confirmed the declaration; returns the text's SHA-256."""
    text = declaration_text(workspace)
    if not text:
        raise ReviewError("declaration.none")
    digest = _digest(text)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with workspace.store.write(store_name(reviewer)) as db:
        db.upsert_many(TABLE, [{"sha256": digest, "at": at}], key="sha256")
    workspace.audit.append("sheet.declare", {"reviewer": reviewer, "declaration_sha256": digest})
    return digest
