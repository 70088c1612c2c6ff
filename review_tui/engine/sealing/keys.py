"""Keys that protect the vault: the chair's passphrase (memory-hard KDF) and k-of-n shares.

The passphrase is NFC-normalised, judged for strength, and stretched with Argon2id (scrypt
where the OpenSSL build lacks Argon2). The parameters travel in the vault header; a floor is
enforced when reading them back, so a tampered header cannot make the KDF cheap, and a
ceiling keeps a tampered header from asking for gigabytes.

Shares are SLIP-39 mnemonics (``shamir-mnemonic``, Trezor's reference implementation): words
a person can copy by hand, each carrying a checksum and the set's identifier, so a mistyped
or foreign share is named instead of silently giving a wrong key.
"""

from __future__ import annotations

import base64
import json
import math
import os
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shamir_mnemonic
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from review_tui.engine.errors import ReviewError

KEY_BYTES = 32
SALT_BYTES = 16
SHARE_SECRET_BYTES = 16  # 128-bit committee key: 20-word shares
MIN_PASSPHRASE_CHARS = 10
MIN_PASSPHRASE_BITS = 60
MAX_SHARES = 16

# RFC 9106's second recommended option; the floor is OWASP's minimum for Argon2id.
ARGON2_DEFAULT = {"memory_kib": 65536, "iterations": 3, "lanes": 4}
ARGON2_FLOOR = {"memory_kib": 19456, "iterations": 2, "lanes": 1}
ARGON2_CEILING = {"memory_kib": 2 * 1024 * 1024, "iterations": 64, "lanes": 64}
SCRYPT_DEFAULT = {"n": 2**17, "r": 8, "p": 1}
SCRYPT_FLOOR = {"n": 2**15, "r": 8, "p": 1}
SCRYPT_CEILING = {"n": 2**21, "r": 32, "p": 16}
# One derivation at a time in a process. OpenSSL runs Argon2id's lanes on a thread pool that
# `cryptography` caps at the number of processors; two derivations at once (a sign-in in the
# app's worker beside a seal's key in another thread) can each hold a pool thread and wait for
# the other's: with 2 processors both waited for ever (cryptography 50, OpenSSL 4.0).
_ONE_DERIVATION = threading.Lock()

COMMON_PASSWORDS = frozenset({
    "password", "passw0rd", "qwerty", "qwertyuiop", "iloveyou", "admin", "administrator",
    "welcome", "letmein", "abc123", "1234567890", "0987654321", "1qaz2wsx", "zaq12wsx",
})


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, field_name: str) -> bytes:
    """Decode a base64 header field; a bad value is a damaged vault, named by field."""
    try:
        return base64.b64decode(str(text), validate=True)
    except (ValueError, TypeError) as exc:
        raise ReviewError("vault.corrupt", reason=f"{field_name}: not base64") from exc


# --- passphrase ------------------------------------------------------------------------------


def normalise_passphrase(passphrase: str) -> str:
    """NFC form, so the same phrase typed on another keyboard or OS gives the same key."""
    return unicodedata.normalize("NFC", passphrase)


def passphrase_bits(passphrase: str) -> int:
    """A conservative strength estimate in bits (shown while typing, floor-checked at seal).

    Character pool by classes present, times an effective length that does not reward
    repeats; Chinese characters count as about 8 bits each since phrases are predictable.
    """
    text = normalise_passphrase(passphrase)
    if not text or text.lower().strip() in COMMON_PASSWORDS:
        return 0
    pool = 0
    classes = (
        (str.islower, 26), (str.isupper, 26), (str.isdigit, 10), (str.isspace, 1),
        (lambda c: c.isascii() and not c.isalnum() and not c.isspace(), 33),
        (lambda c: not c.isascii(), 256),
    )
    for test, size in classes:
        if any(test(c) for c in text):
            pool += size
    effective = min(len(text), 2 * len(set(text)))
    return int(effective * math.log2(max(pool, 2)))


def check_passphrase(passphrase: str) -> str:
    """The normalised passphrase, or a refusal saying why it is too weak."""
    text = normalise_passphrase(passphrase)
    if not text.strip():
        raise ReviewError("seal.passphrase_empty")
    if len(text) < MIN_PASSPHRASE_CHARS and not any(ord(c) > 0x2E80 for c in text):
        raise ReviewError("seal.passphrase_short", minimum=MIN_PASSPHRASE_CHARS)
    bits = passphrase_bits(text)
    if bits < MIN_PASSPHRASE_BITS:
        raise ReviewError("seal.passphrase_weak", bits=bits, minimum=MIN_PASSPHRASE_BITS)
    return text


def read_passphrase_file(path: Path) -> str:
    """A passphrase from a file: UTF-8 (a BOM is allowed), one trailing newline removed."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ReviewError("seal.passphrase_file", path=str(path),
                          reason=exc.strerror or "") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewError("seal.passphrase_encoding", path=str(path)) from exc
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    if not text:
        raise ReviewError("seal.passphrase_empty")
    return text


# --- KDF -------------------------------------------------------------------------------------


def new_kdf_params() -> dict[str, Any]:
    """Fresh parameters with a random salt: Argon2id if available, else scrypt."""
    salt = b64(os.urandom(SALT_BYTES))
    if argon2_available():
        return {"name": "argon2id", "salt": salt, **ARGON2_DEFAULT}
    return {"name": "scrypt", "salt": salt, **SCRYPT_DEFAULT}


def argon2_available() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"\0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"")
    except (ImportError, UnsupportedAlgorithm):
        return False
    return True


def check_kdf_params(params: Any) -> dict[str, Any]:
    """Refuse parameters below the floor (weakened) or above the ceiling (a denial of service)."""
    if not isinstance(params, dict) or params.get("name") not in ("argon2id", "scrypt"):
        raise ReviewError("vault.corrupt", reason="kdf")
    floor, ceiling = ((ARGON2_FLOOR, ARGON2_CEILING) if params["name"] == "argon2id"
                      else (SCRYPT_FLOOR, SCRYPT_CEILING))
    for key, minimum in floor.items():
        value = params.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ReviewError("vault.corrupt", reason=f"kdf.{key}")
        if value < minimum or value > ceiling[key]:
            raise ReviewError("vault.kdf_out_of_range", param=key, value=value,
                              minimum=minimum, maximum=ceiling[key])
    if params["name"] == "scrypt" and params["n"] & (params["n"] - 1):
        raise ReviewError("vault.corrupt", reason="kdf.n")
    if len(unb64(params.get("salt"), "kdf.salt")) < SALT_BYTES:
        raise ReviewError("vault.corrupt", reason="kdf.salt")
    return params


# Derivations started before the step that needs them (:func:`derive_ahead`), by their
# exact inputs: the normalised passphrase's bytes and the parameters.
_AHEAD: dict[tuple[bytes, str], Future[bytes]] = {}


def _inputs(passphrase: str, params: dict[str, Any]) -> tuple[bytes, str]:
    return (normalise_passphrase(passphrase).encode("utf-8"),
            json.dumps(params, sort_keys=True, default=repr))


def derive_ahead(passphrase: str, params: dict[str, Any]) -> None:
    """Start :func:`derive_passphrase_key` in a thread (the derivation lets go of the
    interpreter, so a program's modules load meanwhile); the next call with the same
    passphrase and parameters takes its key, once, or raises what it raised. A call with
    anything else derives as always."""
    future: Future[bytes] = Future()

    def derive() -> None:
        try:
            future.set_result(_derive_now(passphrase, params))
        except BaseException as exc:  # raised where the key is asked for
            future.set_exception(exc)

    _AHEAD[_inputs(passphrase, params)] = future
    threading.Thread(target=derive, name="derive-ahead", daemon=True).start()


def forget_derived_ahead() -> None:
    """Drop every key derived ahead and not asked for (at the end of a command)."""
    _AHEAD.clear()


def derive_passphrase_key(passphrase: str, params: dict[str, Any]) -> bytes:
    """Stretch the (normalised) passphrase into a key-encryption key."""
    if _AHEAD and isinstance(params, dict):
        ahead = _AHEAD.pop(_inputs(passphrase, params), None)
        if ahead is not None:
            return ahead.result()
    return _derive_now(passphrase, params)


def _derive_now(passphrase: str, params: dict[str, Any]) -> bytes:
    check_kdf_params(params)
    secret = normalise_passphrase(passphrase).encode("utf-8")
    salt = unb64(params["salt"], "kdf.salt")
    derive: Callable[[bytes], bytes]
    if params["name"] == "argon2id":
        try:
            from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
        except ImportError as exc:
            raise ReviewError("vault.kdf_unavailable", kdf="Argon2id") from exc
        try:
            derive = Argon2id(salt=salt, length=KEY_BYTES, iterations=params["iterations"],
                              lanes=params["lanes"], memory_cost=params["memory_kib"]).derive
        except UnsupportedAlgorithm as exc:
            raise ReviewError("vault.kdf_unavailable", kdf="Argon2id") from exc
    else:
        derive = Scrypt(salt=salt, length=KEY_BYTES, n=params["n"], r=params["r"],
                        p=params["p"]).derive
    with _ONE_DERIVATION:
        return derive(secret)


def expand_key(secret: bytes, purpose: str, salt: bytes | None = None) -> bytes:
    """A 256-bit subkey of a uniformly random secret, one per purpose (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt,
                info=f"review-tui/{purpose}".encode()).derive(secret)


# --- shares ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareSet:
    """A fresh committee key split k-of-n: the key, its SLIP-39 identifier and the words."""

    secret: bytes
    identifier: int
    threshold: int
    mnemonics: list[str]


def split_new_key(threshold: int, count: int) -> ShareSet:
    """Make a random committee key and split it so any ``threshold`` of ``count`` shares unlock."""
    if not (2 <= threshold <= count <= MAX_SHARES):
        raise ReviewError("seal.bad_shares", threshold=threshold, count=count,
                          maximum=MAX_SHARES)
    secret = os.urandom(SHARE_SECRET_BYTES)
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, count)], secret)
    mnemonics = groups[0]
    identifier = shamir_mnemonic.Share.from_mnemonic(mnemonics[0]).identifier
    return ShareSet(secret, identifier, threshold, mnemonics)


def combine_shares(mnemonics: list[tuple[str, str]], identifier: int, threshold: int) -> bytes:
    """The committee key from (label, mnemonic) pairs; a specific refusal for each way to fail.

    ``label`` names the share (its file) in messages. ``identifier`` and ``threshold`` come
    from the vault header, so shares of another committee are recognised as foreign.
    """
    shares = []
    seen: dict[tuple[int, int], str] = {}
    for label, words in mnemonics:
        try:
            share = shamir_mnemonic.Share.from_mnemonic(" ".join(words.split()))
        except shamir_mnemonic.MnemonicError as exc:
            raise ReviewError("unseal.share_invalid", share=label, reason=str(exc)) from exc
        if share.identifier != identifier:
            raise ReviewError("unseal.share_foreign", share=label)
        key = (share.group_index, share.index)
        if key in seen:
            raise ReviewError("unseal.share_duplicate", share=label, first=seen[key])
        seen[key] = label
        shares.append(share)
    if len(shares) < threshold:
        raise ReviewError("unseal.share_too_few", given=len(shares), threshold=threshold)
    chosen = [s.mnemonic() for s in shares[:threshold]]
    try:
        return bytes(shamir_mnemonic.combine_mnemonics(chosen))
    except shamir_mnemonic.MnemonicError as exc:
        raise ReviewError("unseal.share_mismatch", reason=str(exc)) from exc
