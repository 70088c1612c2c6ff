"""The identity vault: one file holding who wrote what, sealed with envelope encryption.

Layout of ``vault.bin``::

    b"RTVAULT1" | u32 header length | header (canonical JSON) | ciphertext

The plaintext is encrypted with AES-256-GCM under a fresh random data key; the whole header
is its associated data, so changing any header field makes decryption fail. In version 1 the
plaintext is the payload (compressed JSON). In version 2 (since 2026-12) it is
``u32 length | the unseal's identities (compressed) | the payload (compressed)``: the unseal
inflates and writes the first part as it is (:mod:`.identities`) and never parses the
second, which keeps everything the seal took out of the workspace.
The data key is wrapped once per *slot*: under Argon2id(passphrase) and/or under a committee
key split k-of-n. Each slot also stores a short check value of its key-encryption key, which
tells "wrong passphrase / shares" apart from "the vault was altered", and the header carries a
key commitment (AES-GCM alone is not key-committing).

``originals.bin`` archives the submitted files, one AES-GCM record each (so memory stays flat),
under a subkey of the same data key; the header count makes a truncated archive detectable.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from review_tui.engine.errors import ReviewError
from review_tui.engine.sealing.keys import (
    KEY_BYTES,
    ShareSet,
    b64,
    combine_shares,
    derive_passphrase_key,
    expand_key,
    new_kdf_params,
    unb64,
)
from review_tui.engine.storage import json_codec
from review_tui.engine.storage.atomic import open_atomic
from review_tui.engine.storage.audit import canonical, sha256_hex

VAULT_FILE = "vault.bin"
ORIGINALS_FILE = "originals.bin"
VAULT_MAGIC = b"RTVAULT1"
ARCHIVE_MAGIC = b"RTORIG01"
FORMAT_VERSION = 2  # what the seal writes
READABLE_VERSIONS = (1, 2)
ARCHIVE_VERSION = 1  # the originals archive's own format
NONCE_BYTES = 12
CHECK_BYTES = 16
MAX_HEADER_BYTES = 1 << 20
_U32 = struct.Struct(">I")


def _check_value(kek: bytes) -> str:
    return b64(hmac.digest(kek, b"review-tui/slot-check", "sha256")[:CHECK_BYTES])


def _commitment(data_key: bytes) -> str:
    return b64(hmac.digest(data_key, b"review-tui/key-commitment", "sha256"))


def _slot_aad(committee_id: str, slot: dict[str, Any]) -> bytes:
    """What a wrapped key is bound to: the committee and the slot's own parameters."""
    fixed = {k: v for k, v in slot.items() if k not in ("check", "nonce", "wrapped")}
    return canonical({"committee": committee_id, "slot": fixed})


def _wrap(committee_id: str, slot: dict[str, Any], kek: bytes, data_key: bytes) -> dict[str, Any]:
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _slot_aad(committee_id, slot))
    return {**slot, "check": _check_value(kek), "nonce": b64(nonce), "wrapped": b64(wrapped)}


def share_kek(secret: bytes) -> bytes:
    return expand_key(secret, "share-slot")


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenVault:
    """What the seal records in the audit log: hashes of the header and the whole file."""

    header_sha256: str
    file_sha256: str
    data_key: bytes


@dataclass(frozen=True)
class PassphraseKey:
    """A passphrase stretched for a new vault: the KDF's fresh parameters and the key."""

    kdf: dict[str, Any]
    kek: bytes


def stretch_passphrase(passphrase: str) -> PassphraseKey:
    """Run the KDF (the slow part of a seal; Argon2 releases the GIL, so it can run in a
    thread beside other work)."""
    kdf = new_kdf_params()
    return PassphraseKey(kdf, derive_passphrase_key(passphrase, kdf))


def new_data_key() -> bytes:
    """A fresh random key for a vault's plaintext (and its originals archive)."""
    return AESGCM.generate_key(bit_length=8 * KEY_BYTES)


def write_vault(path: Path, payload: dict[str, Any], *, committee_id: str,
                passphrase: PassphraseKey | None, shares: ShareSet | None,
                data_key: bytes | None = None, identities: bytes | None = None) -> WrittenVault:
    """Encrypt ``payload`` into ``path`` (atomically) under ``data_key`` (a fresh one when
    not given). With ``identities`` (:meth:`.identities.SealedIdentities.encode`) the vault
    is of version 2; without, of version 1 (as vaults sealed before were)."""
    if passphrase is None and shares is None:
        raise ReviewError("seal.no_key_method")
    data_key = data_key if data_key is not None else new_data_key()
    slots = []
    if passphrase is not None:
        slots.append(_wrap(committee_id, {"kind": "passphrase", "kdf": passphrase.kdf},
                           passphrase.kek, data_key))
    if shares is not None:
        slot = {"kind": "shares", "threshold": shares.threshold,
                "count": len(shares.mnemonics), "identifier": shares.identifier}
        slots.append(_wrap(committee_id, slot, share_kek(shares.secret), data_key))
    plaintext = zlib.compress(canonical(payload), 1)  # level 6: 12% smaller, twice as slow
    if identities is not None:
        first = zlib.compress(identities, 1)
        plaintext = _U32.pack(len(first)) + first + plaintext
    nonce = os.urandom(NONCE_BYTES)
    header = {
        "format": "review-tui-vault", "version": 1 if identities is None else FORMAT_VERSION,
        "committee": committee_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "cipher": "AES-256-GCM", "compression": "zlib", "nonce": b64(nonce),
        "ciphertext_bytes": len(plaintext) + 16, "slots": slots,
        "key_commitment": _commitment(data_key),
    }
    header_bytes = canonical(header)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, header_bytes)
    blob = VAULT_MAGIC + _U32.pack(len(header_bytes)) + header_bytes + ciphertext
    with open_atomic(path) as handle:
        handle.write(blob)
    return WrittenVault(sha256_hex(header_bytes), sha256_hex(blob), data_key)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealedVault:
    """A parsed vault file, not yet unlocked."""

    header: dict[str, Any]
    header_bytes: bytes
    ciphertext: bytes
    file_sha256: str

    @property
    def committee(self) -> str:
        return str(self.header["committee"])

    @property
    def header_sha256(self) -> str:
        return sha256_hex(self.header_bytes)

    @property
    def version(self) -> int:
        return int(self.header["version"])

    def slot(self, kind: str) -> dict[str, Any]:
        for slot in self.header["slots"]:
            if isinstance(slot, dict) and slot.get("kind") == kind:
                return slot
        raise ReviewError(f"unseal.no_{kind}_slot")

    def unlock_with_passphrase(self, passphrase: str) -> bytes:
        slot = self.slot("passphrase")
        kdf = slot.get("kdf")
        if not isinstance(kdf, dict):
            raise ReviewError("vault.corrupt", reason="kdf")
        kek = derive_passphrase_key(passphrase, kdf)
        if not hmac.compare_digest(_check_value(kek), str(slot.get("check"))):
            raise ReviewError("unseal.wrong_passphrase")
        return self._unwrap(slot, kek)

    def unlock_with_shares(self, mnemonics: list[tuple[str, str]]) -> bytes:
        slot = self.slot("shares")
        threshold, identifier = slot.get("threshold"), slot.get("identifier")
        if not isinstance(threshold, int) or not isinstance(identifier, int):
            raise ReviewError("vault.corrupt", reason="slots.shares")
        kek = share_kek(combine_shares(mnemonics, identifier, threshold))
        if not hmac.compare_digest(_check_value(kek), str(slot.get("check"))):
            raise ReviewError("unseal.wrong_shares")
        return self._unwrap(slot, kek)

    def _unwrap(self, slot: dict[str, Any], kek: bytes) -> bytes:
        try:
            data_key = AESGCM(kek).decrypt(unb64(slot.get("nonce"), "slot.nonce"),
                                           unb64(slot.get("wrapped"), "slot.wrapped"),
                                           _slot_aad(self.committee, slot))
        except (InvalidTag, ValueError) as exc:
            raise ReviewError("vault.tampered", part="slot") from exc
        if not hmac.compare_digest(_commitment(data_key), str(self.header["key_commitment"])):
            raise ReviewError("vault.tampered", part="key_commitment")
        return data_key

    def open(self, data_key: bytes) -> VaultContents:
        """The authenticated plaintext; a tampered header or ciphertext fails here even
        with the right key."""
        try:
            plaintext = AESGCM(data_key).decrypt(unb64(self.header["nonce"], "nonce"),
                                                 self.ciphertext, self.header_bytes)
        except (InvalidTag, ValueError) as exc:
            raise ReviewError("vault.tampered", part="ciphertext") from exc
        return VaultContents(self.version, plaintext)


@dataclass(frozen=True)
class VaultContents:
    """A vault's plaintext, authentic; each part is inflated only when asked for.
    Authentic but unreadable parts are ``vault.corrupt``: a bug, not an attack."""

    version: int
    plaintext: bytes

    def _parts(self) -> tuple[bytes | None, bytes]:
        if self.version == 1:
            return None, self.plaintext
        if len(self.plaintext) < _U32.size:
            raise ReviewError("vault.corrupt", reason="identities")
        (length,) = _U32.unpack_from(self.plaintext)
        end = _U32.size + length
        if end > len(self.plaintext):
            raise ReviewError("vault.corrupt", reason="identities")
        return self.plaintext[_U32.size:end], self.plaintext[end:]

    def payload(self) -> dict[str, Any]:
        """Everything the seal took out of the workspace."""
        try:
            payload = json_codec.loads(_inflate(self._parts()[1]))
        except ValueError as exc:
            raise ReviewError("vault.corrupt", reason="payload") from exc
        if not isinstance(payload, dict):
            raise ReviewError("vault.corrupt", reason="payload")
        return payload

    def identities(self) -> bytes | None:
        """The unseal's identities as the seal encoded them; ``None`` in a version-1 vault
        (the unseal builds them from :meth:`payload`)."""
        first = self._parts()[0]
        if first is None:
            return None
        try:
            return _inflate(first)
        except ValueError as exc:
            raise ReviewError("vault.corrupt", reason="identities") from exc


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompress(data)
    except zlib.error as exc:
        raise ValueError(str(exc)) from exc


HEADER_FIELDS = {"format": str, "version": int, "committee": str, "nonce": str,
                 "ciphertext_bytes": int, "slots": list, "key_commitment": str}


def read_vault(path: Path) -> SealedVault:
    """Parse a vault file; truncation and damage are told apart from a wrong key."""
    try:
        blob = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ReviewError("vault.missing", path=str(path)) from exc
    except OSError as exc:
        raise ReviewError("vault.unreadable", path=str(path), reason=exc.strerror or "") from exc
    prefix = len(VAULT_MAGIC) + _U32.size
    if len(blob) < prefix:
        raise ReviewError("vault.truncated", path=str(path))
    if not blob.startswith(VAULT_MAGIC):
        raise ReviewError("vault.not_a_vault", path=str(path))
    (header_length,) = _U32.unpack_from(blob, len(VAULT_MAGIC))
    if header_length > MAX_HEADER_BYTES:
        raise ReviewError("vault.corrupt", reason="header length")
    if len(blob) < prefix + header_length:
        raise ReviewError("vault.truncated", path=str(path))
    header_bytes = blob[prefix:prefix + header_length]
    try:
        header = json.loads(header_bytes)
    except ValueError as exc:
        raise ReviewError("vault.corrupt", reason="header is not JSON") from exc
    if not isinstance(header, dict):
        raise ReviewError("vault.corrupt", reason="header")
    for name, kind in HEADER_FIELDS.items():
        if not isinstance(header.get(name), kind) or isinstance(header.get(name), bool):
            raise ReviewError("vault.corrupt", reason=name)
    if header["format"] != "review-tui-vault" or header["version"] not in READABLE_VERSIONS:
        raise ReviewError("vault.unsupported", version=str(header.get("version")))
    ciphertext = blob[prefix + header_length:]
    if len(ciphertext) < header["ciphertext_bytes"]:
        raise ReviewError("vault.truncated", path=str(path))
    if len(ciphertext) > header["ciphertext_bytes"]:
        raise ReviewError("vault.corrupt", reason="trailing data")
    return SealedVault(header, header_bytes, ciphertext, sha256_hex(blob))


# --- the originals archive -------------------------------------------------------------------


class ArchiveWriter:
    """Append files one by one, each its own AES-GCM record; see the module docstring."""

    def __init__(self, handle: IO[bytes], data_key: bytes, header: dict[str, Any]) -> None:
        self._handle = handle
        self._aead = AESGCM(expand_key(data_key, "originals"))
        self._header_bytes = canonical(header)
        self.count = 0
        self.digest = hashlib.sha256()  # of the file as written: no second read to hash it
        self._write(ARCHIVE_MAGIC + _U32.pack(len(self._header_bytes)) + self._header_bytes)

    def _write(self, data: bytes) -> None:
        self._handle.write(data)
        self.digest.update(data)

    def add(self, meta: dict[str, Any], data: bytes) -> None:
        meta_bytes = canonical(meta)
        nonce = os.urandom(NONCE_BYTES)
        plaintext = _U32.pack(len(meta_bytes)) + meta_bytes + data
        record = nonce + self._aead.encrypt(nonce, plaintext, self._aad(self.count))
        self._write(_U32.pack(len(record)) + record)
        self.count += 1

    def _aad(self, index: int) -> bytes:
        return self._header_bytes + _U32.pack(index)


def write_archive(path: Path, data_key: bytes, committee_id: str,
                  items: Iterable[tuple[dict[str, Any], bytes]]) -> tuple[int, str]:
    """Write every (meta, bytes) item; returns how many and the file's SHA-256.

    The record count is written last, in a trailer record bound to the header, so a
    truncated archive is detected.
    """
    header = {"format": "review-tui-originals", "version": ARCHIVE_VERSION,
              "committee": committee_id}
    with open_atomic(path) as handle:
        writer = ArchiveWriter(handle, data_key, header)
        for meta, data in items:
            writer.add(meta, data)
        writer.add({"end": True, "count": writer.count}, b"")
    return writer.count - 1, writer.digest.hexdigest()


def read_archive(path: Path, key: bytes, *,
                 derived: bool = False) -> Iterator[tuple[dict[str, Any], bytes]]:
    """Yield each archived (meta, bytes); refuse a truncated or altered archive.

    ``key`` is the vault's data key, or with ``derived`` the archive's own subkey.
    """
    aead = AESGCM(key if derived else expand_key(key, "originals"))
    with open(path, "rb") as handle:
        if handle.read(len(ARCHIVE_MAGIC)) != ARCHIVE_MAGIC:
            raise ReviewError("vault.not_a_vault", path=str(path))
        header_bytes = handle.read(_read_u32(handle, path))
        index = 0
        while True:
            size_bytes = handle.read(_U32.size)
            if not size_bytes:
                raise ReviewError("vault.truncated", path=str(path))
            size = _U32.unpack(_pad(size_bytes, path))[0]
            record = handle.read(size)
            if len(record) < size:
                raise ReviewError("vault.truncated", path=str(path))
            try:
                plaintext = aead.decrypt(record[:NONCE_BYTES], record[NONCE_BYTES:],
                                         header_bytes + _U32.pack(index))
            except (InvalidTag, ValueError) as exc:
                raise ReviewError("vault.tampered", part=ORIGINALS_FILE) from exc
            (meta_length,) = _U32.unpack_from(plaintext)
            meta = json.loads(plaintext[_U32.size:_U32.size + meta_length])
            if meta.get("end"):
                if meta.get("count") != index:
                    raise ReviewError("vault.tampered", part=ORIGINALS_FILE)
                return
            yield meta, plaintext[_U32.size + meta_length:]
            index += 1


def _read_u32(handle: IO[bytes], path: Path) -> int:
    return int(_U32.unpack(_pad(handle.read(_U32.size), path))[0])


def _pad(raw: bytes, path: Path) -> bytes:
    if len(raw) != _U32.size:
        raise ReviewError("vault.truncated", path=str(path))
    return raw
