"""Credentials of the chair and the secretariat, and the keys that sign their records.

Each role's credential (a passphrase, or a PIN of at least 6 digits) is stretched with the
vault's memory-hard KDF (Argon2id, scrypt where the OpenSSL build lacks it) into a master
secret; two HKDF subkeys come out of it: a verifier, kept in ``credentials.json`` beside the
salt, and the seed of an Ed25519 signing key, whose public half is kept there too and written
into the audit log when the credential is set (``roles.set``). Nothing else is kept.

Signing in (:func:`sign_in`) checks the credential against the verifier, with the attempt
limits of :mod:`.attempts`, and keeps the role's key for this process; every record of a
step taken in that role is then signed with it (:func:`signature_for`, called by the audit
log), and a step in a role whose credential is set but who is not signed in is refused.
:class:`SignatureCheck` replays the keys along the log for ``audit verify``.

What this protects: a record added, edited or re-chained by someone without the credential
fails verification. What it cannot: whoever knows a credential can sign as that role, and
someone who can rewrite the whole log from the first ``roles.set`` on is only caught by the
commit hash and key fingerprints written down on paper.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from review_tui.engine.access.attempts import check_allowed, record_failure, record_success
from review_tui.engine.access.credential_key import as_pin, derived_text
from review_tui.engine.access.roles import role_of
from review_tui.engine.errors import ReviewError
from review_tui.engine.sealing.keys import (
    b64,
    check_kdf_params,
    check_passphrase,
    derive_passphrase_key,
    expand_key,
    new_kdf_params,
    passphrase_bits,
    unb64,
)
from review_tui.engine.storage.journal import resolved, transaction
from review_tui.engine.storage.store import Store
from review_tui.engine.workspace import Workspace

STORE = "credentials"
ROLES = ("chair", "secretariat")
MIN_PIN_DIGITS = 6
MAX_CREDENTIAL_CHARS = 1024
SIGNATURE_CONTEXT = b"review-tui/audit-record/v1\n"
DEMO_CREDENTIALS = {"chair": "135792", "secretariat": "246813"}  # published: demo only


# --- the credential itself -------------------------------------------------------------------


def check_credential(secret: str) -> str:
    """The credential as it will be kept (a PIN without spaces around it, a passphrase NFC);
    a refusal saying why it is too weak."""
    if len(secret) > MAX_CREDENTIAL_CHARS:
        raise ReviewError("credential.too_long", maximum=MAX_CREDENTIAL_CHARS)
    pin = as_pin(secret)
    if pin is not None:
        if len(pin) < MIN_PIN_DIGITS:
            raise ReviewError("credential.pin_short", minimum=MIN_PIN_DIGITS)
        if _guessable_pin(pin):
            raise ReviewError("credential.pin_guessable")
        return pin
    return check_passphrase(secret)


def _guessable_pin(pin: str) -> bool:
    """One digit repeated, a run up or down (123456, 987654), or one pair or triple
    repeated (121212, 123123)."""
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    if len(steps) == 1 and steps <= {0, 1, 9}:
        return True
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size)
               for size in (2, 3))


def credential_bits(secret: str) -> int:
    """The strength shown while typing: a PIN's digits, or a passphrase's estimate."""
    pin = as_pin(secret)
    if pin is not None:
        return 0 if _guessable_pin(pin) else int(len(pin) * 3.32)
    return passphrase_bits(secret)


@dataclass(frozen=True)
class RoleKey:
    """A role's signing key, held while that role is signed in."""

    role: str
    private: Ed25519PrivateKey = field(repr=False)

    @cached_property  # compared at every signed record
    def public(self) -> str:
        return b64(self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def sign(self, record: dict[str, Any]) -> str:
        return b64(self.private.sign(signed_bytes(record)))


def _derive(role: str, secret: str, kdf: dict[str, Any]) -> tuple[bytes, RoleKey]:
    master = derive_passphrase_key(derived_text(secret), kdf)
    verifier = expand_key(master, f"credential-verifier/{role}")
    seed = expand_key(master, f"credential-signing/{role}")
    return verifier, RoleKey(role, Ed25519PrivateKey.from_private_bytes(seed))


def fingerprint(public: str) -> str:
    """A short, readable fingerprint of a public key, to write down (``AB12-CD34-…``)."""
    from review_tui.engine.storage.audit import sha256_hex

    digest = sha256_hex(unb64(public, "public_key"))[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


# --- kept credentials ------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ReviewError("credential.unknown_role", role=role, roles=", ".join(ROLES))


def credential_row(workspace: Workspace, role: str) -> dict[str, Any] | None:
    """What is kept for ``role``'s credential (salt, verifier, public key), or None."""
    return _kept_row(workspace.store, role)


def _kept_row(store: Store, role: str) -> dict[str, Any] | None:
    _check_role(role)
    rows = store.small_table_rows(STORE, "_default")  # parsed once per version:
    return next((r for r in rows if r.get("role") == role), None)  # read at every record


def is_set(workspace: Workspace, role: str) -> bool:
    """Whether ``role`` has a credential (a committee made before roles had none)."""
    return credential_row(workspace, role) is not None


def is_demo(workspace: Workspace, role: str) -> bool:
    """Whether ``role``'s credential is the demo committee's published one."""
    row = credential_row(workspace, role)
    return bool(row and row.get("demo"))


@transaction("roles.set")
def set_credential(workspace: Workspace, role: str, secret: str, *, by: str | None = None,
                   demo: bool = False, kdf_cost: Mapping[str, int] | None = None) -> RoleKey:
    """Give ``role`` a new credential and sign ``role`` in with it.

    A role that has a credential changes it only while signed in (``by`` = the role), or is
    reset by the other role signed in (``by`` = the other role, for a forgotten one). The
    record is signed by whoever authorises it; a first credential signs its own record.
    ``kdf_cost`` sets Argon2id's memory, iterations and lanes (a slow machine's choice; the
    vault's floor still holds), else the vault's default.
    """
    _check_role(role)
    by = by or role
    _check_role(by)
    secret = check_credential(secret)
    existing = credential_row(workspace, role)
    if existing is None and by != role:
        raise ReviewError("credential.reset_unset", role=role)
    if existing is not None and signed_in(workspace, by) is None:
        raise ReviewError("credential.needed", role=by)
    kdf = new_kdf_params()
    if kdf_cost and kdf["name"] == "argon2id":
        kdf = check_kdf_params({**kdf, **kdf_cost})
    verifier, key = _derive(role, secret, kdf)
    row = {"role": role, "kdf": kdf, "verifier": b64(verifier), "public_key": key.public,
           "demo": demo}
    details = {"role": role, "by": by, "public_key": key.public,
               "fingerprint": fingerprint(key.public), "kdf": kdf["name"]}
    if existing is None:  # the first credential: kept first, so its own key signs the record
        _write_row(workspace, row)
        _remember(workspace, key)
        workspace.audit.append("roles.set", details)
    else:  # a change or a reset: signed by the key in force, then replaced
        workspace.audit.append("roles.set", details)
        _write_row(workspace, row)
        _remember(workspace, key)
    return key


def _write_row(workspace: Workspace, row: dict[str, Any]) -> None:
    with workspace.store.write(STORE) as db:
        db.upsert("_default", row, key="role")


# --- signing in ------------------------------------------------------------------------------

_SESSIONS: dict[tuple[Path, str], RoleKey] = {}
_SESSIONS_LOCK = threading.Lock()


def _session_key(workspace: Workspace | Path, role: str) -> tuple[Path, str]:
    root = workspace.root if isinstance(workspace, Workspace) else Path(workspace)
    return resolved(root), role


def _remember(workspace: Workspace, key: RoleKey) -> None:
    with _SESSIONS_LOCK:
        _SESSIONS[_session_key(workspace, key.role)] = key


def sign_in(workspace: Workspace, role: str, secret: str) -> RoleKey:
    """Check ``role``'s credential and keep its key for this process. A wrong one is
    refused (``credential.wrong``) and audited; after five in a row each try must wait.
    An empty one is refused (``credential.empty``) without counting as a try."""
    row = credential_row(workspace, role)
    if row is None:
        raise ReviewError("credential.unset", role=role)
    check_allowed(workspace, role)
    if not secret.strip():  # Enter pressed before typing: asked for, not counted as a try
        raise ReviewError("credential.empty", role=role)
    verifier, key = _derive(role, secret, row["kdf"])
    if not hmac.compare_digest(verifier, unb64(row["verifier"], "verifier")):
        failures = record_failure(workspace, role)
        raise ReviewError("credential.wrong", role=role, failures=failures)
    if key.public != row["public_key"]:  # the kept public key was swapped: do not sign
        raise ReviewError("credential.key_mismatch", role=role)
    record_success(workspace, role)
    _remember(workspace, key)
    return key


def signed_in(workspace: Workspace | Path, role: str) -> RoleKey | None:
    """``role``'s key if it is signed in here and still the kept credential's, else None."""
    root = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    return _held_key(root, role, credential_row(root, role))


def _held_key(workspace: Workspace, role: str, row: dict[str, Any] | None) -> RoleKey | None:
    """The session's key for ``role`` if it belongs to the kept credential ``row``."""
    return _key_held(_session_key(workspace, role), row)


def _key_held(session: tuple[Path, str], row: dict[str, Any] | None) -> RoleKey | None:
    with _SESSIONS_LOCK:
        key = _SESSIONS.get(session)
    return key if key is not None and row is not None and row["public_key"] == key.public \
        else None


def sign_out(workspace: Workspace | Path, role: str | None = None) -> None:
    """Forget ``role``'s key (every role's with None): the next step in it asks again."""
    root = _session_key(workspace, "")[0]
    with _SESSIONS_LOCK:
        for held in [k for k in _SESSIONS if k[0] == root and role in (None, k[1])]:
            del _SESSIONS[held]


# --- signatures on audit records -------------------------------------------------------------


def signed_bytes(record: dict[str, Any]) -> bytes:
    """What a record's signature covers: every field but its hash and the signature."""
    from review_tui.engine.storage.audit import canonical

    return SIGNATURE_CONTEXT + canonical(
        {k: v for k, v in record.items() if k not in ("hash", "sig")})


def _signature_of(record: dict[str, Any]) -> bytes | str:
    """A record's signature as bytes, or what is wrong with it (``unsigned``,
    ``bad_signature`` when it is not base64)."""
    signature = record.get("sig")
    if not isinstance(signature, str):
        return "unsigned"
    try:
        return unb64(signature, "sig")
    except ReviewError:
        return "bad_signature"


def _first_failing(part: list[tuple[int, Ed25519PublicKey, bytes, bytes]]) -> int | None:
    """The first line of ``part`` whose signature does not verify, or None."""
    for line, key, signature, data in part:
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return line
    return None


def signature_for(store: Store, role: str, record: dict[str, Any]) -> str | None:
    """The signature of a record about to be written in ``role`` in the workspace of
    ``store``: None where the role has no credential yet (a committee from before roles), a
    refusal where it has one and is not signed in here."""
    if role not in ROLES:
        return None
    row = _kept_row(store, role)  # read once per record, not once per check
    if row is None:
        return None
    key = _key_held((store.root, role), row)
    if key is None:
        raise ReviewError("credential.needed", role=role)
    return key.sign(record)


def required_role(action: str) -> str | None:
    """The role whose records an action must carry (None for reviewers' and anyone's):
    the role :func:`.roles.role_of` gives the step of that name."""
    role = role_of(action, {})
    return role if role in ROLES else None


class SignatureCheck:
    """Replays the keys along the audit log: from a role's first ``roles.set`` on, each of
    its records must carry that role and a valid signature by the key then in force.

    A record's signature is checked later, with others, on every processor (Ed25519
    verification lets go of the interpreter: 4,000 records took 1 s on one processor):
    :meth:`problem` says what is wrong with a record's roles and form at once, and
    :meth:`first_bad` verifies what it has put aside and names the first line that fails.
    A ``roles.set`` record is verified at once, as the key it brings depends on it."""

    BATCH = 4096  # signatures put aside at most (their bytes are kept until verified)

    def __init__(self, verified_before: int = 0) -> None:
        """``verified_before``: the lines before it had their signatures verified when the
        record at that line was signed (see :meth:`.AuditLog.verify`); they are not
        verified again, a ``roles.set`` record's excepted (the keys depend on it)."""
        self.keys: dict[str, Ed25519PublicKey] = {}
        self._pending: list[tuple[int, Ed25519PublicKey, bytes, bytes]] = []
        self.verified_before = verified_before
        self.anchor_signed = False  # the record at ``verified_before`` has a key's signature

    def problem(self, record: dict[str, Any], line: int = 0) -> str | None:
        """Why ``record`` (at ``line``) fails (``role_mismatch``, ``unsigned``,
        ``bad_signature``), or None for now: its signature is verified by
        :meth:`first_bad`. Records must be checked in order."""
        role = record.get("role")
        action = str(record.get("action"))
        raw_details = record.get("details")
        details: dict[str, Any] = raw_details if isinstance(raw_details, dict) else {}
        if action == "roles.set":
            return self._role_set(record, role, details)
        required = required_role(action)
        if required in self.keys and role != required:
            return "role_mismatch"
        if role in self.keys:
            raw = _signature_of(record)
            if isinstance(raw, str):  # what is wrong with it
                return raw
            if line >= self.verified_before:
                self._pending.append((line, self.keys[str(role)], raw, signed_bytes(record)))
                self.anchor_signed = self.anchor_signed or line == self.verified_before
        return None

    @property
    def full(self) -> bool:
        """Whether enough signatures are put aside to verify them now."""
        return len(self._pending) >= self.BATCH

    def first_bad(self) -> int | None:
        """Verify every signature put aside; the first line whose signature fails, or None."""
        import os
        from concurrent.futures import ThreadPoolExecutor

        pending, self._pending = self._pending, []
        if not pending:
            return None
        lanes = max(1, min(4, os.cpu_count() or 1, len(pending) // 256))
        size = -(-len(pending) // lanes)
        parts = [pending[i:i + size] for i in range(0, len(pending), size)]
        if lanes == 1:
            failed = [_first_failing(parts[0])]
        else:
            with ThreadPoolExecutor(lanes) as pool:
                failed = list(pool.map(_first_failing, parts))
        return min((line for line in failed if line is not None), default=None)

    def _role_set(self, record: dict[str, Any], role: Any, details: dict[str, Any],
                  ) -> str | None:
        target = details.get("role")
        if role not in ROLES or target not in ROLES or details.get("by") != role:
            return "role_mismatch"
        try:
            new_key = Ed25519PublicKey.from_public_bytes(
                unb64(details.get("public_key"), "public_key"))
        except (ReviewError, ValueError):
            return "bad_signature"
        if role in self.keys:
            signer = self.keys[role]
        elif role == target:
            signer = new_key
        else:
            return "unsigned"
        problem = self._signature(record, signer)
        if problem is None:
            self.keys[target] = new_key
        return problem

    @staticmethod
    def _signature(record: dict[str, Any], key: Ed25519PublicKey) -> str | None:
        raw = _signature_of(record)
        if isinstance(raw, str):
            return raw
        try:
            key.verify(raw, signed_bytes(record))
        except InvalidSignature:
            return "bad_signature"
        return None
