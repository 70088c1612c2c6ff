"""Reviewer PINs: the secretariat may give each reviewer a PIN to open their sheet.

A PIN keeps one reviewer from opening another's sheet on the shared meeting-room machine; it
is not a secret against someone who can read the workspace files (the blind is kept by the
vault, not by PINs). Only a salted scrypt hash is stored, in ``pins.json``; the audit log
records that a PIN was set or cleared, never the PIN, and every wrong PIN; after five wrong
ones in a row each try must wait (:mod:`.attempts`).
"""

from __future__ import annotations

import hmac
import os

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from review_tui.engine.access.attempts import check_allowed, record_failure, record_success
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.roster import load_reviewers
from review_tui.engine.sealing.keys import b64, unb64
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

STORE = "pins"
PIN_LENGTH = (4, 12)
_SCRYPT_N = 2**14  # about 30 ms: slow enough to make guessing a stolen file tedious


def _hash(pin: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(pin.encode("utf-8"))


def check_pin_format(pin: str) -> str:
    """The PIN without surrounding spaces; ReviewError unless it is 4–12 digits."""
    pin = pin.strip()
    low, high = PIN_LENGTH
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        raise ReviewError("pin.bad_format", low=low, high=high)
    return pin


@transaction("reviewer.pin")
def set_pin(workspace: Workspace, reviewer: str, pin: str | None) -> None:
    """Give ``reviewer`` a PIN, or remove it with ``None``."""
    if reviewer not in {r["id"] for r in load_reviewers(workspace)}:
        raise ReviewError("pin.unknown_reviewer", reviewer=reviewer)
    with workspace.store.write(STORE) as db:
        rows = [r for r in db.rows("pins") if r["reviewer"] != reviewer]
        if pin is not None:
            salt = os.urandom(16)
            rows.append({"reviewer": reviewer, "salt": b64(salt), "n": _SCRYPT_N,
                         "hash": b64(_hash(check_pin_format(pin), salt, _SCRYPT_N))})
        db.replace_all("pins", rows)
    workspace.audit.append("reviewer.pin", {"reviewer": reviewer, "set": pin is not None})


def has_pin(workspace: Workspace, reviewer: str) -> bool:
    """Whether opening ``reviewer``'s sheet asks for a PIN."""
    return any(r["reviewer"] == reviewer for r in workspace.store.table_rows(STORE, "pins"))


def verify_pin(workspace: Workspace, reviewer: str, pin: str) -> bool:
    """True when ``pin`` is ``reviewer``'s PIN, or when they have none. After five wrong
    PINs in a row each try must wait (ReviewError ``attempts.wait``, see :mod:`.attempts`);
    every wrong PIN is audited. An empty one is refused (``pin.empty``), not counted."""
    for row in workspace.store.table_rows(STORE, "pins"):
        if row["reviewer"] == reviewer:
            subject = f"reviewer:{reviewer}"
            check_allowed(workspace, subject)
            if not pin.strip():  # Enter before typing: asked for, not a wrong try
                raise ReviewError("pin.empty")
            expected = unb64(row["hash"], "hash")
            given = _hash(pin.strip(), unb64(row["salt"], "salt"), int(row["n"]))
            if hmac.compare_digest(expected, given):
                record_success(workspace, subject)
                return True
            record_failure(workspace, subject)
            return False
    return True
