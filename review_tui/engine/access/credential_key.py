"""What a role's credential is derived as, and its derivation started before it is asked for.

Kept apart from :mod:`.credentials` (which loads the store, the journal and the audit log),
so that the app, opened as the chair or the secretariat with a credential file, can start
the key's derivation (Argon2id, 0.1-0.3 s) before the program's modules load. The app
checks the credential as always (:func:`.credentials.sign_in`): it takes the key derived
ahead only where it derives from the same credential with the same parameters.
"""

from __future__ import annotations

import json
from pathlib import Path

from review_tui.engine.sealing.keys import derive_ahead, normalise_passphrase, read_passphrase_file


def as_pin(secret: str) -> str | None:
    """The secret as a PIN (digits only, spaces around it dropped), or None for a passphrase."""
    pin = secret.strip()
    return pin if pin.isascii() and pin.isdigit() else None


def derived_text(secret: str) -> str:
    """The text a credential's key is derived from: a PIN's digits, or the passphrase."""
    pin = as_pin(secret)
    return pin if pin is not None else normalise_passphrase(secret)


def derive_role_key_ahead(workspace: Path, role: str, credential_file: Path) -> bool:
    """Start deriving ``role``'s key from the credential in ``credential_file`` with the
    parameters kept in ``workspace``; False, with nothing started, where either cannot be
    read as it is (the command reads them again and says why)."""
    try:
        secret = read_passphrase_file(credential_file)
        rows = json.loads((workspace / "credentials.json").read_bytes())["_default"]
        kdf = next(row["kdf"] for row in rows.values() if row.get("role") == role)
    except Exception:  # anything unreadable or unexpected: left to the command
        return False
    if not isinstance(kdf, dict):
        return False
    derive_ahead(derived_text(secret), kdf)
    return True
